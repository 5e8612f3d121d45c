"""The campaign report page (秘书处 → 活动统计报表): the figures of jianglian.reports for a range, printable, with its
.xlsx (the REST export) and charts. The dashboard shows the last twelve months of the same report."""
import datetime as dt
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jianglian.choices import Category, Province
from jianglian.reports import CAMPAIGNS, CATEGORY, MONTH, PROVINCE, campaign_report, value_label

from .. import charts
from ..forms import CampaignReportForm, add_service_errors
from .common import secretariat_required


def last_twelve_months(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    today = today or timezone.localdate()
    month = today.month - 11
    year = today.year + (month - 1) // 12
    return dt.date(year, (month - 1) % 12 + 1, 1), today


def report_charts(report) -> dict:
    """The charts a report draws: 助企行 by province and by month, 进校园 by month."""
    def by(code, dimension, **options):
        figures = report.metric(code)
        rows = [(row.label, row.value) for row in getattr(figures, f"by_{dimension}")]
        if not any(value for _label, value in rows):
            rows = []  # nothing in the range: the chart says so rather than drawing twelve empty months
        if dimension == PROVINCE:
            rows.sort(key=lambda r: -r[1])
        return charts.bar_chart(rows, label=str(figures.metric.label), **options)

    return {
        "chart_province": by("challenges_posted", PROVINCE, horizontal=True),
        "chart_pairings": by("pairings_signed", MONTH),
        "chart_events": by("events_held", MONTH),
    }


def _table(report, dimension, keys):
    metrics = [m for m in report.metrics if m.total is not None and dimension in m.metric.dimensions]
    values = [{row.key: row.value for row in getattr(m, f"by_{dimension}")} for m in metrics]
    return {
        "headers": [m.metric.label for m in metrics],
        "rows": [(label, [value_label(m.metric, v.get(key, 0)) for m, v in zip(metrics, values)])
                 for key, label in keys],
    }


@secretariat_required
def report_page(request):
    form = CampaignReportForm(request.GET)
    report = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            report = campaign_report(user=request.user, date_from=data.get("from"), date_to=data.get("to"),
                                     province=data.get("province") or None, category=data.get("category") or None)
        except ValidationError as exc:
            add_service_errors(form, exc)
    context = {"form": form, "report": report}
    if report is not None:
        query = report.query
        params = {"from": query.date_from.isoformat(), "to": query.date_to.isoformat()}
        params.update({k: v for k, v in (("province", query.province), ("category", query.category)) if v})
        provinces = dict(Province.choices)
        context.update(report_charts(report), **{
            "totals": [(str(CAMPAIGNS[m.metric.campaign]), m.metric, value_label(m.metric, m.total))
                       for m in report.metrics],
            "province_label": provinces.get(query.province, _("全部")),
            "category_label": Category(query.category).label if query.category else _("全部"),
            "by_province": _table(report, PROVINCE, [(code, provinces[code]) for code in report.provinces()]),
            "by_month": _table(report, MONTH, [(month, month) for month in query.months()]),
            "by_category": _table(report, CATEGORY, [(code, label) for code, label in Category.choices
                                                     if query.category in (None, code)]),
            "xlsx_url": f"{reverse('api-campaign-report-export')}?{urlencode(params)}",
            "generated_at": timezone.localtime(),
        })
    return render(request, "frontend_stub/secretariat/report.html", context, status=400 if form.errors else 200)
