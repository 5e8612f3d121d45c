"""The campaign report's figures of this app (jianglian.reports): 进校园 events held, their audience and the experts
who took part; 助企行 service days held, the enterprises they served, the questions logged there and solved on the
spot, the workers trained at the sessions and the experts' participations (人次)."""
from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from jianglian.reports import ENTERPRISE, MONTH, PROVINCE, CampaignQuery, Figures, Metric, figures_of

from .models import EventParticipation, OutreachEvent, ServiceDay, ServiceDayQuestion

_NO_CATEGORY = frozenset({PROVINCE, MONTH})

# The metrics this app adds to the report (registered in apps.py); expert_participations, events_held and
# event_audience are the report's own.
SERVICE_DAY_METRICS = [
    Metric("service_days_held", _("助企行现场服务场次"), ENTERPRISE, dimensions=_NO_CATEGORY,
           help=_("已举办的助企行现场服务")),
    Metric("service_day_enterprises", _("现场服务企业数"), ENTERPRISE, dimensions=_NO_CATEGORY, distinct=True,
           help=_("已举办的现场服务的参与企业（不重复计数）")),
    Metric("service_day_questions", _("现场记录问题数"), ENTERPRISE, help=_("已举办的现场服务记录的企业问题")),
    Metric("service_day_questions_solved", _("现场解决问题数"), ENTERPRISE, help=_("其中现场解决的问题")),
    Metric("service_day_workers_trained", _("现场培训职工人数"), ENTERPRISE,
           help=_("已举办的现场服务记录的培训职工人数之和")),
]


def alliance_campaign_figures(query: CampaignQuery) -> dict[str, Figures]:
    """Events and service days held that started in the range, by their own province; questions also by their
    category (6 queries for events, 3 for the days, 4 for the questions; a category filter leaves the 4)."""
    held = OutreachEvent.Status.HELD
    events = figures_of(OutreachEvent.objects.filter(status=held), query, date_field="starts_at",
                        province_field="province",
                        values={"events_held": Count("id"), "event_audience": Sum("audience_count")})
    participations = figures_of(
        EventParticipation.objects.filter(event__status=held, status=EventParticipation.Status.CONFIRMED), query,
        date_field="event__starts_at", province_field="event__province",
        values={"expert_participations": Count("id")})
    days = figures_of(
        ServiceDay.objects.filter(status=ServiceDay.Status.HELD), query, date_field="starts_at",
        province_field="province",
        values={"service_days_held": Count("id", distinct=True),
                "service_day_enterprises": Count("enterprises", distinct=True),
                "expert_participations": Count("participations", distinct=True)})
    questions = figures_of(
        ServiceDayQuestion.objects.filter(service_day__status=ServiceDay.Status.HELD), query,
        date_field="service_day__starts_at", province_field="service_day__province", category_field="category",
        values={"service_day_questions": Count("id"),
                "service_day_questions_solved": Count("id", filter=Q(solved_on_site=True)),
                "service_day_workers_trained": Sum("workers_trained")})
    merged: dict[str, Figures] = {}
    for part in (events, participations, days, questions):
        for code, figures in part.items():
            merged.setdefault(code, Figures()).add(figures)
    return merged
