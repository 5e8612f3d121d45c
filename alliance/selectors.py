"""Reads of studios, membership applications and batches."""
from django.db.models import Prefetch, Q, QuerySet

from jianglian.errors import NotAllowed
from jianglian.models import AuditEntry
from jianglian.roles import expert_of, is_secretariat

from .models import EventParticipation, MembershipApplication, MembershipBatch, OutreachEvent, Studio


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
