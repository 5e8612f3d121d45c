"""The campaign report (活动统计报表): the figures the unions report for 劳模工匠助企行 and 劳模工匠进校园, for a
date range, in total and by province, month and category. Secretariat only.

    report = campaign_report(user=..., date_from=date(2026, 1, 1), date_to=date(2026, 6, 30),
                             province="sichuan", category=None)
    for figure in report.metrics:       # in METRICS order
        figure.metric.code, figure.total, figure.by_province, figure.by_month, figure.by_category

REST (`GET /api/v1/reports/campaign/`), GraphQL (`campaignReport`), the printable page, the dashboard and the .xlsx
all read this one function.

**Adding figures (one function per app).** The ground knows no app: each app registers, in its
`AppConfig.ready()`, one function that computes its figures, and the metrics it adds if they are new:

    from jianglian.reports import Metric, register_figures, figures_of
    register_figures(alliance_campaign_figures, metrics=[Metric("service_days", _("服务日"), CAMPUS, ...)])

    def alliance_campaign_figures(query: CampaignQuery) -> dict[str, Figures]:
        return figures_of(OutreachEvent.objects.filter(status="held"), query, date_field="starts_at",
                          province_field="province", values={"events_held": Count("id")})

`figures_of` filters a queryset by the query's dates (half-open, local time), province and category, and
computes its values in total and per dimension: a fixed number of aggregate queries (one for the total, one per
dimension the values have) whatever the range or the rows. A metric several apps contribute to (expert
participations: pairings signed plus confirmed event participations) is the sum of their figures; a metric
that has no category (the 进校园 ones) is `None` when the report is filtered by category and has no
by-category rows. Distinct counts (enterprises served, challenges paired or solved) are not the sum of their
rows: an enterprise served in March and in May counts once in the total.

What each figure counts (dates in local time, Asia/Shanghai; the province of 助企行 figures is the enterprise's,
of 进校园 figures the event's):
- challenges_posted: challenges published in the range (their published_at), by their category;
- pairings_signed: agreements whose second signature (activated_at) falls in the range;
- enterprises_served / challenges_paired: distinct enterprises / challenges among those agreements;
- challenges_solved, problems_solved, savings_yuan, workers_trained: agreements completed (ended_at) in the
  range: distinct challenges, and the sums of their reported outcomes;
- expert_participations (人次): pairings signed + confirmed expert participations in events held in the range +
  the experts of 助企行 service days held in the range;
- events_held, event_audience: events held (status held) that started in the range; the sum of their audience.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from jianglian.choices import Category, Province
from jianglian.errors import NotAllowed
from jianglian.roles import is_secretariat

ENTERPRISE = "enterprise"  # 劳模工匠助企行
CAMPUS = "campus"  # 劳模工匠进校园
CAMPAIGNS = {ENTERPRISE: _("劳模工匠助企行"), CAMPUS: _("劳模工匠进校园"), "": _("合计")}

PROVINCE, MONTH, CATEGORY = "province", "month", "category"
COUNT, YUAN = "count", "yuan"
MAX_YEARS = 10  # the longest range asked for at once (its months are listed one by one)


@dataclass(frozen=True)
class Metric:
    """One figure of the report. `campaign` is ENTERPRISE, CAMPUS or "" (both); `unit` COUNT or YUAN;
    `dimensions` the breakdowns it has (all have province and month; the 进校园 ones no category);
    `distinct`: a distinct count, so its total is not the sum of its rows."""

    code: str
    label: Promise | str
    campaign: str
    unit: str = COUNT
    dimensions: frozenset = frozenset({PROVINCE, MONTH, CATEGORY})
    distinct: bool = False
    help: Promise | str = ""


_NO_CATEGORY = frozenset({PROVINCE, MONTH})

METRICS: list[Metric] = [
    Metric("enterprises_served", _("服务企业数"), ENTERPRISE, distinct=True,
           help=_("签署结对的企业（不重复计数）")),
    Metric("challenges_posted", _("发布需求数"), ENTERPRISE, help=_("发布的企业需求")),
    Metric("challenges_paired", _("结对需求数"), ENTERPRISE, distinct=True, help=_("签署了结对意向书的需求")),
    Metric("challenges_solved", _("解决需求数"), ENTERPRISE, distinct=True, help=_("结对完成的需求")),
    Metric("pairings_signed", _("签署结对数"), ENTERPRISE, help=_("双方签署生效的结对意向书")),
    Metric("problems_solved", _("解决问题数"), ENTERPRISE, help=_("完成的结对报告的解决问题数之和")),
    Metric("savings_yuan", _("节约金额（元）"), ENTERPRISE, unit=YUAN, help=_("完成的结对报告的节约金额之和")),
    Metric("workers_trained", _("培训职工人数"), ENTERPRISE, help=_("完成的结对报告的培训人数之和")),
    Metric("expert_participations", _("劳模工匠参与人次"), "", dimensions=_NO_CATEGORY,
           help=_("签署的结对 + 已举办的进校园活动和助企行现场服务中参加的劳模工匠")),
    Metric("events_held", _("进校园活动场次"), CAMPUS, dimensions=_NO_CATEGORY, help=_("已举办的进校园活动")),
    Metric("event_audience", _("进校园受众人数"), CAMPUS, dimensions=_NO_CATEGORY, help=_("已举办活动的实到人数之和")),
]


@dataclass(frozen=True)
class CampaignQuery:
    """What a report is asked for: dates inclusive, province and category codes or None."""

    date_from: dt.date
    date_to: dt.date
    province: str | None = None
    category: str | None = None

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """[start, end) in local time: from the first day's midnight to the midnight after the last day."""
        start = timezone.make_aware(dt.datetime.combine(self.date_from, dt.time.min))
        end = timezone.make_aware(dt.datetime.combine(self.date_to + dt.timedelta(days=1), dt.time.min))
        return start, end

    def months(self) -> list[str]:
        """Every month of the range, "YYYY-MM", in order."""
        year, month, out = self.date_from.year, self.date_from.month, []
        while (year, month) <= (self.date_to.year, self.date_to.month):
            out.append(f"{year:04d}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return out

    def applies(self, metric: Metric) -> bool:
        """A metric without categories has no figure for a report filtered by category."""
        return self.category is None or CATEGORY in metric.dimensions


@dataclass
class Figures:
    """One metric's numbers from one contributor: the total and {key: value} per dimension."""

    total: int | Decimal = 0
    by_province: dict[str, int | Decimal] = field(default_factory=dict)
    by_month: dict[str, int | Decimal] = field(default_factory=dict)
    by_category: dict[str, int | Decimal] = field(default_factory=dict)

    def add(self, other: Figures) -> None:
        self.total += other.total
        for mine, theirs in ((self.by_province, other.by_province), (self.by_month, other.by_month),
                             (self.by_category, other.by_category)):
            for key, value in theirs.items():
                mine[key] = mine.get(key, 0) + value


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    value: int | Decimal


@dataclass(frozen=True)
class MetricFigures:
    """A metric in the report: `total` None when it does not apply (a category filter on a 进校园 figure)."""

    metric: Metric
    total: int | Decimal | None
    by_province: list[Row]
    by_month: list[Row]
    by_category: list[Row]

    @property
    def code(self):
        return self.metric.code


@dataclass(frozen=True)
class CampaignReport:
    query: CampaignQuery
    metrics: list[MetricFigures]

    def metric(self, code: str) -> MetricFigures:
        return next(m for m in self.metrics if m.metric.code == code)

    def totals(self) -> dict[str, int | Decimal | None]:
        return {m.metric.code: m.total for m in self.metrics}

    def provinces(self) -> list[str]:
        """The provinces that have a figure in any metric, in the order of the Province choices."""
        seen = {row.key for m in self.metrics for row in m.by_province}
        return [code for code in Province.values if code in seen]


Contributor = Callable[[CampaignQuery], dict[str, Figures]]
_CONTRIBUTORS: list[Contributor] = []


def register_figures(contributor: Contributor, *, metrics: Iterable[Metric] = ()) -> None:
    """Add an app's figures (and its new metrics) to the report; called once from the app's ready()."""
    for metric in metrics:
        if all(m.code != metric.code for m in METRICS):
            METRICS.append(metric)
    if contributor not in _CONTRIBUTORS:
        _CONTRIBUTORS.append(contributor)


def figures_of(queryset: QuerySet, query: CampaignQuery, *, date_field: str, province_field: str,
               values: dict, category_field: str | None = None) -> dict[str, Figures]:
    """The `values` ({metric code: aggregate expression}) of `queryset` rows whose `date_field` falls in the
    query's range, filtered by its province and category, in total and by province, month and category (when
    `category_field` is given): one aggregate query for the total and one per dimension. Metrics the query does
    not apply to are left out (a category filter on a queryset without `category_field`)."""
    if query.category is not None and category_field is None:
        return {}
    start, end = query.bounds()
    rows = queryset.filter(**{f"{date_field}__gte": start, f"{date_field}__lt": end})
    if query.province:
        rows = rows.filter(**{province_field: query.province})
    if query.category:
        rows = rows.filter(**{category_field: query.category})
    totals = rows.aggregate(**values)
    figures = {code: Figures(total=totals[code] or 0) for code in values}
    grouped = [(PROVINCE, province_field), (MONTH, "_month")]
    if category_field:
        grouped.append((CATEGORY, category_field))
    for dimension, key in grouped:
        base = rows.annotate(_month=TruncMonth(date_field)) if dimension == MONTH else rows
        for row in base.order_by().values(key).annotate(**values):
            name = row[key].strftime("%Y-%m") if dimension == MONTH else row[key]
            for code in values:
                if row[code]:
                    getattr(figures[code], f"by_{dimension}")[name] = row[code]
    return figures


def check_query(*, date_from: dt.date | None, date_to: dt.date | None, province: str | None,
                category: str | None) -> CampaignQuery:
    """The query asked for, or ValidationError with a message per field (from / to / province / category).
    Without dates: the current year up to today."""
    today = timezone.localdate()
    date_to = date_to or (today if date_from is None or date_from <= today else date_from)
    date_from = date_from or dt.date(date_to.year, 1, 1)
    errors = {}
    if date_from > date_to:
        errors["to"] = [_("结束日期不能早于开始日期。")]
    elif (date_to.year - date_from.year) * 12 + date_to.month - date_from.month >= MAX_YEARS * 12:
        errors["to"] = [_("时间范围最长 %(years)d 年。") % {"years": MAX_YEARS}]
    if province and province not in Province.values:
        errors["province"] = [_("不是有效的省份代码。")]
    if category and category not in Category.values:
        errors["category"] = [_("应为 technology、management 或 green。")]
    if errors:
        raise ValidationError(errors)
    return CampaignQuery(date_from=date_from, date_to=date_to, province=province or None, category=category or None)


def campaign_report(*, user, date_from: dt.date | None = None, date_to: dt.date | None = None,
                    province: str | None = None, category: str | None = None) -> CampaignReport:
    """The report (secretariat only: NotAllowed otherwise; bad parameters: ValidationError by field)."""
    if not is_secretariat(user):
        raise NotAllowed(_("只有秘书处可以查看活动统计报表。"))
    query = check_query(date_from=date_from, date_to=date_to, province=province, category=category)
    merged: dict[str, Figures] = {}
    for contributor in _CONTRIBUTORS:
        for code, figures in contributor(query).items():
            merged.setdefault(code, Figures()).add(figures)
    return _report(query, merged)


def _report(query: CampaignQuery, merged: dict[str, Figures]) -> CampaignReport:
    provinces = dict(Province.choices)
    categories = [(query.category, Category(query.category).label)] if query.category else Category.choices
    out = []
    for metric in METRICS:
        if not query.applies(metric):
            out.append(MetricFigures(metric, None, [], [], []))
            continue
        figures = merged.get(metric.code, Figures())
        out.append(MetricFigures(
            metric=metric,
            total=figures.total,
            by_province=[Row(code, str(provinces[code]), figures.by_province[code])
                         for code in Province.values if figures.by_province.get(code)],
            by_month=[Row(month, month, figures.by_month.get(month, 0)) for month in query.months()],
            by_category=([Row(code, str(label), figures.by_category.get(code, 0)) for code, label in categories]
                         if CATEGORY in metric.dimensions else []),
        ))
    return CampaignReport(query=query, metrics=out)


def value_label(metric: Metric, value) -> str:
    """A figure as a page or a file shows it: "—" where it does not apply, yuan with two decimals."""
    if value is None:
        return "—"
    if metric.unit == YUAN:
        return f"{Decimal(value):,.2f}"
    return f"{int(value):,}"


def report_workbook(report: CampaignReport) -> bytes:
    """The report as an .xlsx: the totals, then one sheet per breakdown (rows: provinces, months, categories;
    columns: the metrics that have that breakdown). Labels in the current language."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Font

    query = report.query
    workbook = Workbook()
    totals = workbook.active
    totals.title = str(_("汇总"))
    bold = Font(bold=True)
    scope = [str(_("时间范围")), f"{query.date_from.isoformat()} ~ {query.date_to.isoformat()}"]
    totals.append([str(_("劳模工匠助企行 · 劳模工匠进校园 活动统计"))])
    totals["A1"].font = bold
    totals.append(scope)
    totals.append([str(_("省份")), str(dict(Province.choices)[query.province]) if query.province else str(_("全部"))])
    totals.append([str(_("类别")), str(Category(query.category).label) if query.category else str(_("全部"))])
    totals.append([])
    totals.append([str(_("活动")), str(_("指标")), str(_("合计")), str(_("说明"))])
    for cell in totals[totals.max_row]:
        cell.font = bold
    for figure in report.metrics:
        metric = figure.metric
        total = None if figure.total is None else (float(figure.total) if metric.unit == YUAN else int(figure.total))
        totals.append([str(CAMPAIGNS[metric.campaign]), str(metric.label), total if total is not None else "—",
                       str(metric.help)])
        if metric.unit == YUAN and total is not None:
            totals.cell(row=totals.max_row, column=3).number_format = "#,##0.00"
    totals.column_dimensions["A"].width = 18
    totals.column_dimensions["B"].width = 20
    totals.column_dimensions["C"].width = 16
    totals.column_dimensions["D"].width = 40
    for dimension, title, header, keys in (
            (PROVINCE, _("按省份"), _("省份"),
             [(code, str(dict(Province.choices)[code])) for code in report.provinces()]),
            (MONTH, _("按月份"), _("月份"), [(month, month) for month in query.months()]),
            (CATEGORY, _("按类别"), _("类别"),
             [(code, str(label)) for code, label in Category.choices if query.category in (None, code)])):
        metrics = [f for f in report.metrics if f.total is not None and dimension in f.metric.dimensions]
        sheet = workbook.create_sheet(str(title))
        sheet.append([str(header)] + [str(f.metric.label) for f in metrics])
        for cell in sheet[1]:
            cell.font = bold
        values = [{row.key: row.value for row in getattr(f, f"by_{dimension}")} for f in metrics]
        for key, label in keys:
            sheet.append([label] + [
                float(v.get(key, 0)) if f.metric.unit == YUAN else int(v.get(key, 0)) for f, v in zip(metrics, values)])
        sheet.column_dimensions["A"].width = 12
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
