"""Reads of studios, membership applications and batches."""
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from jianglian.errors import NotAllowed
from jianglian.models import AuditEntry
from jianglian.roles import enterprise_ids, expert_of, is_secretariat

from .models import (
    EventParticipation, EventRequest, MembershipApplication, MembershipBatch, OutreachEvent, ServiceDay,
    ServiceDayExpert, ServiceDayQuestion, Studio,
)


def studio_list(*, user=None) -> QuerySet[Studio]:
    return Studio.objects.all()


def can_manage_studio(user, studio: Studio) -> bool:
    """The studio's lead expert and its manager accounts act for it."""
    if user is None or not user.is_authenticated:
        return False
    own = expert_of(user)
    if own is not None and studio.lead_id == own.pk:
        return True
    return studio.managers.filter(pk=user.pk).exists()


def membership_application_list(*, user, status: str | None = None) -> QuerySet[MembershipApplication]:
    """The secretariat sees every application; a studio's lead or managers see that studio's."""
    qs = MembershipApplication.objects.select_related("studio")
    if status:
        qs = qs.filter(status=status)
    if is_secretariat(user):
        return qs
    if user is None or not user.is_authenticated:
        return qs.none()
    own = expert_of(user)
    managed = Q(studio__managers=user)
    if own is not None:
        managed |= Q(studio__lead=own)
    return qs.filter(managed).distinct()


# --- Batches, events and the audit trail ---------------------------------------------


def membership_batch_list() -> QuerySet:
    """Published batches, public: each with its member studios (prefetched)."""
    return MembershipBatch.objects.prefetch_related("studios")


# Events everyone sees: the campaign's public record. Planned and cancelled ones are the secretariat's
# and the invited experts' business.
PUBLIC_EVENT_STATES = ("confirmed", "held")


def event_list(*, user) -> QuerySet:
    """The events the caller may see (filters: alliance.filters.OutreachEventFilter)."""
    qs = OutreachEvent.objects.all()
    if is_secretariat(user):
        return qs
    visible = Q(status__in=PUBLIC_EVENT_STATES)
    own = expert_of(user)
    if own is not None:
        visible |= Q(pk__in=OutreachEvent.objects.filter(participations__expert=own).values("pk"))
    return qs.filter(visible)


def event_participations_visible(*, user, event) -> list:
    """The participations of `event` the caller may see: all for the secretariat; confirmed ones and
    the caller's own invitation for everyone else. Uses a prefetched `participations` when present."""
    participations = list(event.participations.all())
    if is_secretariat(user):
        return participations
    own = expert_of(user)
    return [p for p in participations if p.status == "confirmed" or (own is not None and p.expert_id == own.pk)]


def public_participations() -> QuerySet:
    """Confirmed participations in confirmed or held events: what experts' profiles show."""
    return (
        EventParticipation.objects.filter(status="confirmed", event__status__in=PUBLIC_EVENT_STATES)
        .select_related("event").order_by("-event__starts_at", "-id")
    )


def expert_outreach_history(*, expert) -> QuerySet:
    return public_participations().filter(expert=expert)


def prefetch_outreach_history(to_attr: str = "outreach_history"):
    """A Prefetch that loads every listed expert's outreach history in one query."""
    return Prefetch("event_participations", queryset=public_participations(), to_attr=to_attr)


def audit_entry_list(*, user) -> QuerySet:
    """The audit trail, secretariat only (NotAllowed otherwise); filters: alliance.filters.AuditEntryFilter."""
    if not is_secretariat(user):
        raise NotAllowed("只有秘书处可以查看审计记录。")
    return AuditEntry.objects.select_related("actor")


# --- School requests, service days and the campaign's activities -------------------------------------------------


def event_request_list(*, user) -> QuerySet[EventRequest]:
    """The secretariat's queue (every request); a signed-in requester sees their own; nobody else any."""
    qs = EventRequest.objects.all()
    if is_secretariat(user):
        return qs
    if user is None or not user.is_authenticated:
        return qs.none()
    return qs.filter(requested_by=user)


# Service days everyone sees: planned (upcoming) and held ones. Cancelled ones are the secretariat's and the
# participants'.
PUBLIC_SERVICE_DAY_STATES = ("planned", "held")


def service_day_list(*, user) -> QuerySet[ServiceDay]:
    """The service days the caller may see (filters: alliance.filters.ServiceDayFilter)."""
    qs = ServiceDay.objects.all()
    if is_secretariat(user):
        return qs
    visible = Q(status__in=PUBLIC_SERVICE_DAY_STATES)
    own = expert_of(user)
    if own is not None:
        visible |= Q(pk__in=ServiceDayExpert.objects.filter(expert=own).values("service_day_id"))
    ids = enterprise_ids(user)
    if ids:
        visible |= Q(pk__in=ServiceDay.enterprises.through.objects.filter(enterprise_id__in=ids)
                     .values("serviceday_id"))
    return qs.filter(visible)


def service_question_list(*, user) -> QuerySet[ServiceDayQuestion]:
    """Questions are the business of those at the day: the secretariat sees all, a participating expert those of
    their days, an enterprise's staff their enterprise's; the public sees the days' figures only."""
    qs = ServiceDayQuestion.objects.all()
    if is_secretariat(user):
        return qs
    visible = Q(pk__in=[])
    own = expert_of(user)
    if own is not None:
        visible |= Q(service_day__in=ServiceDayExpert.objects.filter(expert=own).values("service_day_id"))
    ids = enterprise_ids(user)
    if ids:
        visible |= Q(enterprise_id__in=ids)
    return qs.filter(visible)


def can_log_on_service_day(user, day: ServiceDay) -> bool:
    """The secretariat, or an expert taking part in `day` (uses a prefetched `participations` when present)."""
    if is_secretariat(user):
        return True
    own = expert_of(user)
    return own is not None and any(p.expert_id == own.pk for p in day.participations.all())


def with_question_figures(queryset: QuerySet[ServiceDay]) -> QuerySet[ServiceDay]:
    """Annotate each day with its figures: questions logged, solved on the spot, workers trained, enterprises, experts."""
    return queryset.annotate(
        questions_logged=Count("questions", distinct=True),
        questions_solved=Count("questions", filter=Q(questions__solved_on_site=True), distinct=True),
        enterprise_count=Count("enterprises", distinct=True),
        expert_count=Count("participations", distinct=True),
    ).annotate(workers_trained=_workers_trained())


def _workers_trained():
    from django.db.models import IntegerField, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    total = (ServiceDayQuestion.objects.filter(service_day=OuterRef("pk")).order_by()
             .values("service_day").annotate(total=Sum("workers_trained")).values("total"))
    return Coalesce(Subquery(total, output_field=IntegerField()), 0)


def expert_service_day_history(*, expert) -> QuerySet[ServiceDayExpert]:
    """The planned and held service days an expert takes part in: what their public profile shows."""
    return (ServiceDayExpert.objects.filter(expert=expert, service_day__status__in=PUBLIC_SERVICE_DAY_STATES)
            .select_related("service_day").order_by("-service_day__starts_at", "-id"))


def upcoming_activities(*, user, limit: int = 4) -> list:
    """The next public activities of both kinds, soonest first (two queries)."""
    now = timezone.now()
    events = list(event_list(user=user).filter(status__in=PUBLIC_EVENT_STATES, starts_at__gte=now)
                  .exclude(status="held").order_by("starts_at", "id")[:limit])
    days = list(service_day_list(user=user).filter(status="planned", starts_at__gte=now)
                .order_by("starts_at", "id")[:limit])
    return sorted(events + days, key=lambda a: (a.starts_at, a._meta.model_name, a.pk))[:limit]


def my_service_days(*, expert) -> QuerySet[ServiceDayExpert]:
    """Every service day an expert takes part in (cancelled ones too: the expert was told), newest first."""
    return (ServiceDayExpert.objects.filter(expert=expert).select_related("service_day")
            .order_by("-service_day__starts_at", "-id"))
