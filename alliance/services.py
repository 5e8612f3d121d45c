"""Writes of studios and membership applications."""
import logging
import re
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from jianglian.audit import audit_record
from jianglian.errors import Conflict, DomainError, IllegalTransition, NotAllowed, TooManyRequests
from jianglian.files import removed_unless_kept
from jianglian.notifications import Contact, Kind, notify
from jianglian.roles import expert_of, is_secretariat
from jianglian.services import apply_fields, required_text

from .models import (
    EventParticipation, EventPhoto, EventRequest, MembershipApplication, MembershipBatch, OutreachEvent, ServiceDay,
    ServiceDayQuestion, Studio,
)
from .photos import MAX_PHOTOS_PER_EVENT, read_photo
from .selectors import can_log_on_service_day, can_manage_studio

logger = logging.getLogger(__name__)

STUDIO_EDITABLE_FIELDS = {
    "name", "level", "host_enterprise", "province", "city", "established_year", "focus",
    "description", "achievements", "capacity",
}


# What the alliance confers, not what a studio declares: once a studio is registered, only the secretariat
# changes its name and level (municipal → national is a designation, not a profile edit). Its membership
# status moves only through the membership services (apply → review, suspend, reinstate).
STUDIO_SECRETARIAT_ONLY_FIELDS = {"name", "level"}
def _secretariat_only():
    return _("只有秘书处可以修改此项。")


class ReviewDecision:
    APPROVE = "approve"
    REJECT = "reject"
    ALL = (APPROVE, REJECT)


@transaction.atomic
def studio_create(*, user, skills=(), lead=None, **fields) -> Studio:
    """An expert registers the studio they lead; the secretariat registers any studio."""
    own = expert_of(user)
    if is_secretariat(user):
        pass
    elif own is not None and (lead is None or lead.pk == own.pk):
        lead = own
    else:
        raise NotAllowed(_("只有劳模工匠本人或秘书处可以登记工作室。"))
    studio = Studio(lead=lead)
    apply_fields(studio, fields, allowed=STUDIO_EDITABLE_FIELDS)
    studio.save()
    studio.skills.set(skills)
    if user.is_authenticated:
        studio.managers.add(user)
    logger.info("studio %s registered by user %s", studio.pk, user.pk)
    return studio


@transaction.atomic
def studio_update(*, user, studio: Studio, skills=None, **fields) -> Studio:
    if not (is_secretariat(user) or can_manage_studio(user, studio)):
        raise NotAllowed(_("只有工作室领衔人、管理账号或秘书处可以修改工作室。"))
    studio = Studio.objects.select_for_update().get(pk=studio.pk)
    if not is_secretariat(user):
        refused = sorted(name for name in STUDIO_SECRETARIAT_ONLY_FIELDS & set(fields)
                         if fields[name] != getattr(studio, name))  # the same value sent back by a form passes
        if refused:
            raise ValidationError({name: _secretariat_only() for name in refused})
    changed = apply_fields(studio, fields, allowed=STUDIO_EDITABLE_FIELDS)
    if changed:
        studio.save(update_fields=[*changed, "updated_at"])
    if skills is not None:
        studio.skills.set(skills)
    return studio


def membership_apply(*, user, studio: Studio, statement: str) -> MembershipApplication:
    """A studio asks to join the alliance; one pending application per studio.

    A suspended studio asking again asks to be reinstated (kind `reinstatement`): the secretariat's approval
    of it is the reinstate decision (audited on the studio as `reinstate`), never a new membership, and it
    joins no published batch (the studio keeps the batch it was first published in)."""
    if not can_manage_studio(user, studio):
        raise NotAllowed(_("只有工作室领衔人或管理账号可以申请入盟。"))
    studio = Studio.objects.get(pk=studio.pk)  # the status as it is now, not as the caller loaded it
    if studio.membership_status == Studio.MembershipStatus.MEMBER:
        raise IllegalTransition(_("该工作室已是联盟成员。"), code="already_member")
    kind = (MembershipApplication.Kind.REINSTATEMENT if studio.membership_status == Studio.MembershipStatus.SUSPENDED
            else MembershipApplication.Kind.MEMBERSHIP)
    application = MembershipApplication(studio=studio, statement=statement, submitted_by=user, kind=kind)
    application.full_clean(exclude=["studio"])
    try:
        with transaction.atomic():
            application.save()
            audit_record(actor=user, subject=application, action="apply", to_state=application.status,
                         note=kind if kind == MembershipApplication.Kind.REINSTATEMENT else "")
    except IntegrityError:
        raise Conflict(_("该工作室已有待审核的申请。"), code="application_pending") from None
    logger.info("studio %s applied for membership (application %s)", studio.pk, application.pk)
    return application


@transaction.atomic
def membership_review(*, user, application: MembershipApplication, decision: str, note: str = "") -> MembershipApplication:
    """The secretariat approves or rejects a pending application."""
    if not is_secretariat(user):
        raise NotAllowed(_("只有秘书处可以审核入盟申请。"))
    if decision not in ReviewDecision.ALL:
        raise IllegalTransition(_("审核结论只能是批准或不批准。"), code="invalid_decision")
    application = MembershipApplication.objects.select_for_update().select_related("studio").get(pk=application.pk)
    if application.status != MembershipApplication.Status.PENDING:
        raise IllegalTransition(_("该申请已处理，不能再次审核。"))
    application.status = (
        MembershipApplication.Status.APPROVED if decision == ReviewDecision.APPROVE
        else MembershipApplication.Status.REJECTED
    )
    application.reviewed_by = user
    application.reviewed_at = timezone.now()
    application.review_note = note
    application.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
    if application.status == MembershipApplication.Status.APPROVED:
        if application.kind == MembershipApplication.Kind.REINSTATEMENT:
            # Approving a reinstatement is the reinstate decision itself (IllegalTransition if the studio is
            # no longer suspended, e.g. reinstated meanwhile: the review is then rolled back).
            application.studio = studio_reinstate(user=user, studio=application.studio,
                                                  note=note or f"application {application.pk}")
        else:
            studio = Studio.objects.select_for_update().get(pk=application.studio_id)
            if studio.membership_status == Studio.MembershipStatus.SUSPENDED:
                raise IllegalTransition(_("该工作室已被暂停，只能通过恢复申请重新成为成员。"), code="studio_suspended")
            studio.membership_status = Studio.MembershipStatus.MEMBER
            studio.suspended_reason = ""
            studio.save(update_fields=["membership_status", "suspended_reason", "updated_at"])
            application.studio = studio
    audit_record(actor=user, subject=application, action="review", from_state="pending",
                 to_state=application.status, note=note)
    _notify_membership_decision(application)
    logger.info("membership application %s %s by user %s", application.pk, application.status, user.pk)
    return application


@transaction.atomic
def membership_withdraw(*, user, application: MembershipApplication) -> MembershipApplication:
    application = MembershipApplication.objects.select_for_update().select_related("studio").get(pk=application.pk)
    if not can_manage_studio(user, application.studio):
        raise NotAllowed(_("只有申请的工作室可以撤回申请。"))
    if application.status != MembershipApplication.Status.PENDING:
        raise IllegalTransition(_("只有待审核的申请可以撤回。"))
    application.status = MembershipApplication.Status.WITHDRAWN
    application.save(update_fields=["status"])
    audit_record(actor=user, subject=application, action="withdraw", from_state="pending", to_state="withdrawn")
    return application


# --- Membership decisions, batches and suspension -------------------------------------


def _studio_recipients(studio: Studio):
    """The accounts that act for a studio: its lead expert's and its managers."""
    users = list(studio.managers.all())
    if studio.lead_id and studio.lead.user_id:
        users.append(studio.lead.user)
    return users


def _notify_membership_decision(application: MembershipApplication) -> None:
    recipients = [application.submitted_by, *_studio_recipients(application.studio)]  # the applicant's account first
    notify(kind=Kind.MEMBERSHIP_DECISION, recipients=recipients, subject=application,
           context=dict(application_id=application.pk, studio=application.studio.name,
                        decision=application.status, note=application.review_note))


@transaction.atomic
def membership_batch_publish(*, user, name: str, application_ids) -> MembershipBatch:
    """The secretariat publishes approved applications as the next numbered batch (首批, 第二批 …).

    Every application must be approved, still unpublished, and its studio still a member.
    """
    if not is_secretariat(user):
        raise NotAllowed(_("只有秘书处可以发布成员批次。"))
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写批次名称。")})
    ids = sorted({int(pk) for pk in application_ids})
    if not ids:
        raise ValidationError({"application_ids": _("请至少选择一份已批准的申请。")})
    applications = list(
        MembershipApplication.objects.select_for_update().select_related("studio").filter(pk__in=ids).order_by("pk")
    )
    missing = set(ids) - {a.pk for a in applications}
    if missing:
        raise ValidationError({"application_ids": _("申请不存在：%s") % ", ".join(map(str, sorted(missing)))})
    for application in applications:
        if application.status != MembershipApplication.Status.APPROVED:
            raise IllegalTransition(_("只有已批准的申请可以发布：%s") % application.studio.name, code="not_approved")
        if application.batch_id is not None:
            raise IllegalTransition(_("该申请已在其他批次中发布：%s") % application.studio.name,
                                    code="already_published")
        if application.studio.membership_status != Studio.MembershipStatus.MEMBER:
            raise IllegalTransition(_("该工作室已不是联盟成员：%s") % application.studio.name, code="not_member")
        if application.kind == MembershipApplication.Kind.REINSTATEMENT:
            raise IllegalTransition(_("恢复成员资格的申请不编入新批次：%s") % application.studio.name,
                                    code="reinstatement_not_published")
    number = (MembershipBatch.objects.aggregate(m=Max("number"))["m"] or 0) + 1
    try:
        with transaction.atomic():
            batch = MembershipBatch.objects.create(number=number, name=name, published_at=timezone.now(),
                                                   published_by=user)
    except IntegrityError:
        raise Conflict(_("另一个批次正在发布，请重试。"), code="batch_number_taken") from None
    for application in applications:
        application.batch = batch
        application.save(update_fields=["batch"])
        studio = application.studio
        studio.batch = batch
        studio.save(update_fields=["batch", "updated_at"])
        audit_record(actor=user, subject=application, action="publish", from_state=application.status,
                     to_state=application.status, note=f"batch {batch.number} {batch.name}")
    audit_record(actor=user, subject=batch, action="publish", to_state="published",
                 note=f"{name}: {len(applications)}")
    logger.info("membership batch %s (%s) published with %s studios", batch.number, name, len(applications))
    return batch


@transaction.atomic
def studio_suspend(*, user, studio: Studio, reason: str) -> Studio:
    """The secretariat suspends a member studio, with a reason."""
    if not is_secretariat(user):
        raise NotAllowed(_("只有秘书处可以暂停工作室成员资格。"))
    reason = required_text(reason, "reason", _("请填写暂停原因。"))
    studio = Studio.objects.select_for_update().get(pk=studio.pk)
    if studio.membership_status != Studio.MembershipStatus.MEMBER:
        raise IllegalTransition(_("只有联盟成员可以暂停。"))
    studio.membership_status = Studio.MembershipStatus.SUSPENDED
    studio.suspended_reason = reason
    studio.save(update_fields=["membership_status", "suspended_reason", "updated_at"])
    audit_record(actor=user, subject=studio, action="suspend", from_state=Studio.MembershipStatus.MEMBER,
                 to_state=studio.membership_status, note=studio.suspended_reason)
    return studio


@transaction.atomic
def studio_reinstate(*, user, studio: Studio, note: str = "") -> Studio:
    """The secretariat lifts a suspension."""
    if not is_secretariat(user):
        raise NotAllowed(_("只有秘书处可以恢复工作室成员资格。"))
    studio = Studio.objects.select_for_update().get(pk=studio.pk)
    if studio.membership_status != Studio.MembershipStatus.SUSPENDED:
        raise IllegalTransition(_("只有被暂停的工作室可以恢复。"))
    studio.membership_status = Studio.MembershipStatus.MEMBER
    studio.suspended_reason = ""
    studio.save(update_fields=["membership_status", "suspended_reason", "updated_at"])
    audit_record(actor=user, subject=studio, action="reinstate", from_state=Studio.MembershipStatus.SUSPENDED,
                 to_state=studio.membership_status, note=note)
    return studio


# --- Campus outreach events (劳模工匠进校园) --------------------------------------------------------
#
# planned ─confirm─► confirmed ─hold (with report)─► held;  planned/confirmed ─cancel (reason)─► cancelled.
# Only the secretariat creates, invites, confirms, reports and cancels (a school's request is recorded by
# the secretariat with requested_by_school). Invited experts confirm or decline their own invitation while
# the event is planned or confirmed. An event is confirmed once at least one expert has confirmed, and
# reported as held only after it started.

EVENT_FIELDS = {
    "title", "school", "province", "city", "starts_at", "ends_at", "format", "topic", "capacity", "audience",
    "requested_by_school",
}
EVENT_OPEN_STATES = (OutreachEvent.Status.PLANNED, OutreachEvent.Status.CONFIRMED)


def _require_secretariat(user, message):
    if not is_secretariat(user):
        raise NotAllowed(message)


def _activity_audit(user, activity, action, from_state, note=""):
    """An audit entry of a campaign activity (an outreach event, a service day) that is now in its new status."""
    audit_record(actor=user, subject=activity, action=action, from_state=from_state, to_state=activity.status,
                 note=note)


def refuse_past_start(starts_at, field: str = "starts_at") -> None:
    """An activity is planned ahead: a start already past is bad input (a record of a past activity is the
    command line's, with allow_past: seed_demo)."""
    if starts_at is not None and starts_at < timezone.now():
        raise ValidationError({field: _("开始时间不能早于现在。")}, code="in_the_past")


@transaction.atomic
def event_create(*, user, allow_past: bool = False, **fields) -> OutreachEvent:
    _require_secretariat(user, _("只有秘书处可以创建进校园活动。"))
    return _activity_create(user, OutreachEvent, fields, allowed=EVENT_FIELDS, allow_past=allow_past)


@transaction.atomic
def event_update(*, user, event: OutreachEvent, **fields) -> OutreachEvent:
    _require_secretariat(user, _("只有秘书处可以修改进校园活动。"))
    event = OutreachEvent.objects.select_for_update().get(pk=event.pk)
    return _activity_update(user, event, fields, allowed=EVENT_FIELDS, open_states=EVENT_OPEN_STATES,
                            refusal=_("已举办或已取消的活动不能修改。"))


def _activity_create(user, model, fields: dict, *, allowed: set, allow_past: bool):
    """A planned campaign activity (`model`: OutreachEvent or ServiceDay) with `fields`, audited; never starting in
    the past (unless `allow_past`)."""
    if not allow_past:
        refuse_past_start(fields.get("starts_at"))
    activity = model(created_by=user, status=model.Status.PLANNED)
    apply_fields(activity, fields, allowed=allowed, exclude_from_validation=["created_by"])
    activity.save()
    _activity_audit(user, activity, "create", "", note=activity.title)
    return activity


def _activity_update(user, activity, fields: dict, *, allowed: set, open_states, refusal: str):
    """A campaign activity (locked by the caller) in one of `open_states` (else `refusal`) takes the `fields` that
    changed, audited with their names; a start moved is never moved into the past."""
    if activity.status not in open_states:
        raise IllegalTransition(refusal)
    if "starts_at" in fields and fields["starts_at"] != activity.starts_at:
        refuse_past_start(fields["starts_at"])
    changed = apply_fields(activity, fields, allowed=allowed, exclude_from_validation=["created_by"])
    if changed:
        activity.save(update_fields=changed)
        _activity_audit(user, activity, "update", activity.status, note=", ".join(sorted(changed)))
    return activity


@transaction.atomic
def event_invite_experts(*, user, event: OutreachEvent, experts, role: str = "") -> list[EventParticipation]:
    """Invite experts to a planned or confirmed event; experts already invited are left as they are."""
    _require_secretariat(user, _("只有秘书处可以邀请劳模工匠参加活动。"))
    event = OutreachEvent.objects.select_for_update().get(pk=event.pk)
    if event.status not in EVENT_OPEN_STATES:
        raise IllegalTransition(_("已举办或已取消的活动不能再邀请。"))
    return _add_experts(
        user, event.participations, experts, role=role, action="invite", to_state=EventParticipation.Status.INVITED,
        note=f"event {event.pk}", kind=Kind.EVENT_INVITATION,
        context=dict(event_id=event.pk, title=event.title, school=event.school, city=event.city,
                     starts_at=event.starts_at, topic=event.topic),
    )


def _add_experts(user, participations, experts, *, role: str, action: str, to_state: str, note: str, kind: str,
                 context: dict) -> list:
    """The one way experts join a campaign activity (locked by the caller): each expert of `experts` not yet among
    `participations` (the activity's related manager) joins once with `role` — a concurrent call's row wins —,
    audited as `action` to `to_state`, and is told (`kind`, with `context`, the role and their name). Returns the
    new participations."""
    already = set(participations.values_list("expert_id", flat=True))
    added = []
    for expert in experts:
        if expert.pk in already:
            continue
        already.add(expert.pk)
        try:
            with transaction.atomic():
                participation = participations.create(expert=expert, role=role)
        except IntegrityError:
            continue  # added concurrently: the other call recorded and notified it
        audit_record(actor=user, subject=participation, action=action, to_state=to_state,
                     note=f"{note} expert {expert.pk}")
        notify(kind=kind, recipients=[expert.user] if expert.user_id else [], subject=participation,
               context=dict(context, role=role, expert=expert.name))
        added.append(participation)
    return added


@transaction.atomic
def event_respond(*, user, event: OutreachEvent, accept: bool, note: str = "") -> EventParticipation:
    """The invited expert confirms or declines their participation."""
    own = expert_of(user)
    event = OutreachEvent.objects.select_for_update().get(pk=event.pk)
    participation = (
        EventParticipation.objects.select_for_update().filter(event=event, expert=own).first() if own else None
    )
    if participation is None:
        raise NotAllowed(_("只有受邀的劳模工匠可以答复活动邀请。"))
    if event.status not in EVENT_OPEN_STATES:
        raise IllegalTransition(_("活动已举办或已取消，不能再答复。"))
    if participation.status != EventParticipation.Status.INVITED:
        raise IllegalTransition(_("您已答复该邀请。"), code="already_responded")
    participation.status = EventParticipation.Status.CONFIRMED if accept else EventParticipation.Status.DECLINED
    participation.note = note
    participation.responded_at = timezone.now()
    participation.save(update_fields=["status", "note", "responded_at"])
    audit_record(actor=user, subject=participation, action="confirm" if accept else "decline",
                 from_state=EventParticipation.Status.INVITED, to_state=participation.status, note=note)
    return participation


@transaction.atomic
def event_confirm(*, user, event: OutreachEvent) -> OutreachEvent:
    """planned → confirmed, once at least one invited expert has confirmed."""
    _require_secretariat(user, _("只有秘书处可以确认活动。"))
    event = OutreachEvent.objects.select_for_update().get(pk=event.pk)
    if event.status != OutreachEvent.Status.PLANNED:
        raise IllegalTransition(_("只有筹备中的活动可以确认。"))
    if not event.participations.filter(status=EventParticipation.Status.CONFIRMED).exists():
        raise DomainError(_("至少一位劳模工匠确认参加后才能确认活动。"), code="no_confirmed_expert")
    event.status = OutreachEvent.Status.CONFIRMED
    event.save(update_fields=["status"])
    _activity_audit(user, event, "confirm", OutreachEvent.Status.PLANNED)
    _notify_participants(Kind.EVENT_CONFIRMED, event, (EventParticipation.Status.CONFIRMED,))
    return event


def _event_context(event: OutreachEvent, expert, **extra) -> dict:
    return dict(event_id=event.pk, title=event.title, school=event.school, city=event.city,
                starts_at=event.starts_at, topic=event.topic, expert=expert.name if expert else "", **extra)


def _notify_participants(kind: str, event: OutreachEvent, statuses, **extra) -> None:
    """Tell each expert of the event in one of `statuses` (one message each, in their own name)."""
    participations = event.participations.filter(status__in=statuses).select_related("expert__user")
    for participation in participations:
        expert = participation.expert
        if expert.user_id:
            notify(kind=kind, recipients=[expert.user], subject=event, context=_event_context(event, expert, **extra))


@transaction.atomic
def event_hold(*, user, event: OutreachEvent, audience_count: int, summary: str, feedback: str = "") -> OutreachEvent:
    """confirmed → held, with the post-event report (audience count, summary, feedback)."""
    _require_secretariat(user, _("只有秘书处可以填报活动总结。"))
    event = OutreachEvent.objects.select_for_update().get(pk=event.pk)
    _refuse_hold(event, OutreachEvent.Status.CONFIRMED, _("只有已确认的活动可以标记为已举办。"),
                 _("活动开始后才能填报总结。"))
    summary = required_text(summary, "summary", _("请填写活动总结。"))
    if audience_count is None or int(audience_count) < 0:
        raise ValidationError({"audience_count": _("请填写实到人数。")})
    return _held(user, event, summary, note=f"audience {int(audience_count)}", audience_count=int(audience_count),
                 report_feedback=feedback or "")


def _refuse_hold(activity, from_state, refusal: str, not_started: str) -> None:
    """A campaign activity is marked held from `from_state` only (else `refusal`), and only once it has started."""
    if activity.status != from_state:
        raise IllegalTransition(refusal)
    if activity.starts_at > timezone.now():
        raise IllegalTransition(not_started, code="not_started")


def _held(user, activity, summary: str, *, note: str, **report):
    """The one way a campaign activity (an outreach event, a service day; locked and checked by the caller)
    becomes held: its summary and the other `report` fields set, saved, audited with `note`."""
    previous = activity.status
    activity.status = activity.Status.HELD
    activity.report_summary = summary
    for name, value in report.items():
        setattr(activity, name, value)
    activity.save(update_fields=["status", "report_summary", *report])
    _activity_audit(user, activity, "hold", previous, note=note)
    return activity


@transaction.atomic
def event_cancel(*, user, event: OutreachEvent, reason: str) -> OutreachEvent:
    """planned or confirmed → cancelled; every expert invited who did not decline is told."""
    _require_secretariat(user, _("只有秘书处可以取消活动。"))
    event = OutreachEvent.objects.select_for_update().get(pk=event.pk)
    return _activity_cancel(
        user, event, reason, open_states=EVENT_OPEN_STATES, refusal=_("已举办或已取消的活动不能取消。"),
        kind=Kind.EVENT_CANCELLED, told=event.participations.exclude(status=EventParticipation.Status.DECLINED),
        context=dict(event_id=event.pk, title=event.title, school=event.school, city=event.city,
                     starts_at=event.starts_at),
    )


def _activity_cancel(user, activity, reason: str, *, open_states, refusal: str, kind: str, told, context: dict):
    """The one way a campaign activity (an outreach event, a service day; locked by the caller) is called off: a
    reason is required, the activity must still be in one of `open_states` (else `refusal`), it becomes cancelled
    with the reason, audited, and each expert of the participations `told` hears it (about their participation,
    with `context`, the reason and their name)."""
    reason = required_text(reason, "reason", _("请填写取消原因。"))
    if activity.status not in open_states:
        raise IllegalTransition(refusal)
    previous = activity.status
    activity.status = activity.Status.CANCELLED
    activity.cancel_reason = reason
    activity.save(update_fields=["status", "cancel_reason"])
    _activity_audit(user, activity, "cancel", previous, note=reason)
    for participation in told.select_related("expert__user"):
        expert = participation.expert
        notify(kind=kind, recipients=[expert.user] if expert.user_id else [], subject=participation,
               context=dict(context, reason=reason, expert=expert.name))
    return activity


def event_report_reminders(*, now=None) -> int:
    """Beat job: remind the secretariat (the event's creator, else every member) once per event that has started
    while still confirmed, i.e. whose post-event report is due. Idempotent (one notification per event)."""
    from django.contrib.auth import get_user_model

    from jianglian.roles import SECRETARIAT_GROUP

    now = now or timezone.now()
    due = OutreachEvent.objects.filter(status=OutreachEvent.Status.CONFIRMED, starts_at__lte=now).select_related(
        "created_by")
    secretariat = None
    reminded = 0
    for event in due:
        if event.created_by_id and event.created_by.is_active:
            recipients = [event.created_by]
        else:
            if secretariat is None:
                users = get_user_model().objects.filter(is_active=True)
                secretariat = list(users.filter(groups__name=SECRETARIAT_GROUP) | users.filter(is_superuser=True))
            recipients = secretariat
        with transaction.atomic():
            reminded += bool(notify(kind=Kind.EVENT_REPORT_DUE, recipients=recipients, subject=event,
                                    context=_event_context(event, None)))
    return reminded


# --- Studios from a spreadsheet -------------------------------------------------------------------------------


def studios_import(*, user, data: bytes, filename: str, dry_run: bool = True, valid_rows_only: bool = False,
                   progress=None):
    """Check (dry run) or import a roster of studios (.xlsx or CSV); the secretariat, or the command line
    (`user` None). Same report and all-or-nothing rule as the experts' roster; the rules of a row are
    alliance.roster's."""
    from jianglian.rosters.importer import import_roster

    from .roster import StudioRoster

    if user is not None:
        _require_secretariat(user, _("只有秘书处可以导入名册。"))
    return import_roster(StudioRoster(), data, filename, user=user, dry_run=dry_run,
                         valid_rows_only=valid_rows_only, progress=progress)


# --- Event reports with photos ---------------------------------------------------------------------------------


def _store_photo(user, event: OutreachEvent, photo, stored) -> EventPhoto:
    """The file, then its row; `stored` (jianglian.files.removed_unless_kept) removes the file if the write fails."""
    from django.core.files.base import ContentFile

    row = EventPhoto(event=event, stored_name=f"{uuid.uuid4().hex}.{photo.extension}", content_type=photo.content_type,
                     size=len(photo.content), caption=photo.caption[:128], uploaded_by=user)
    row.image.save(row.stored_name, ContentFile(photo.content), save=False)
    stored(row.image.storage, row.image.name)
    row.save()
    audit_record(actor=user, subject=row, action="upload", to_state="stored",
                 note=f"event {event.pk} {photo.content_type} {row.size} B")
    return row


def _read_photos(event: OutreachEvent, photos) -> list:
    """Every photo read (sniffed, size-capped) before anything is stored: one bad file stores nothing."""
    read = [read_photo(data, caption=caption or "") for data, caption in photos]
    if event.photos.count() + len(read) > MAX_PHOTOS_PER_EVENT:
        raise ValidationError({"photos": _("每个活动最多 %(n)s 张照片。") % {"n": MAX_PHOTOS_PER_EVENT}})
    return read


def event_report(*, user, event: OutreachEvent, audience_count: int, summary: str, feedback: str = "",
                 photos=()) -> OutreachEvent:
    """confirmed → held with the report and its photos (pairs of bytes and caption), all or nothing: a failed
    write (its commit included) leaves no photo file behind."""
    with removed_unless_kept() as stored, transaction.atomic():
        _require_secretariat(user, _("只有秘书处可以填报活动总结。"))
        read = _read_photos(event, photos)
        event = event_hold(user=user, event=event, audience_count=audience_count, summary=summary, feedback=feedback)
        for photo in read:
            _store_photo(user, event, photo, stored)
        return event


def event_photo_add(*, user, event: OutreachEvent, data: bytes, caption: str = "") -> EventPhoto:
    """Add one photo to a confirmed or held event's report (JPEG/PNG sniffed from the bytes, size-capped); a
    failed write leaves no file behind."""
    with removed_unless_kept() as stored, transaction.atomic():
        _require_secretariat(user, _("只有秘书处可以上传活动照片。"))
        event = OutreachEvent.objects.select_for_update().get(pk=event.pk)
        if event.status not in (OutreachEvent.Status.CONFIRMED, OutreachEvent.Status.HELD):
            raise IllegalTransition(_("只有已确认或已举办的活动可以上传照片。"))
        (photo,) = _read_photos(event, [(data, caption)])
        return _store_photo(user, event, photo, stored)


# --- Schools ask for an event (学校申请进校园) -------------------------------------------------------------------
#
# pending ─accept─► accepted (an event is created from the request, pre-filled);  pending ─decline (reason)─► declined.
# Anyone may ask (the public form, REST, GraphQL); a flood is refused by address and by phone number
# (settings.EVENT_REQUESTS_PER_HOUR, counted on the stored rows, so every process and interface shares it).

PHONE = re.compile(r"^(?:\+?86[- ]?)?(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(?:-\d{1,6})?)$")
MAX_PREFERRED_DATES = 3


def _clean_preferred_dates(values) -> list[str]:
    from datetime import date

    dates = []
    for value in values or ():
        if isinstance(value, str):
            try:
                value = date.fromisoformat(value)
            except ValueError:
                raise ValidationError({"preferred_dates": _("日期格式应为 YYYY-MM-DD。")}) from None
        if not isinstance(value, date):
            raise ValidationError({"preferred_dates": _("日期格式应为 YYYY-MM-DD。")})
        dates.append(value)
    if not dates:
        raise ValidationError({"preferred_dates": _("请至少填写一个希望的日期。")})
    if len(dates) > MAX_PREFERRED_DATES:
        raise ValidationError({"preferred_dates": _("最多填写 %(n)s 个日期。") % {"n": MAX_PREFERRED_DATES}})
    today = timezone.localdate()
    if any(d <= today for d in dates):
        raise ValidationError({"preferred_dates": _("希望的日期须晚于今天。")}, code="in_the_past")
    return [d.isoformat() for d in sorted(set(dates))]


def _refuse_flood(client_address, phone: str) -> None:
    limit = settings.EVENT_REQUESTS_PER_HOUR
    since = timezone.now() - timedelta(hours=1)
    recent = EventRequest.objects.filter(created_at__gte=since)
    if (client_address and recent.filter(client_address=client_address).count() >= limit) or \
            recent.filter(phone=phone).count() >= limit:
        raise TooManyRequests(_("提交过于频繁，请一小时后再试。"), retry_after=3600)


@transaction.atomic
def event_request_submit(*, user=None, client_address=None, school: str, contact_name: str, phone: str,
                         province: str, city: str, topic: str, audience: str, preferred_dates, format: str,
                         email: str = "", audience_size=None, note: str = "") -> EventRequest:
    """A school asks for an event; the secretariat finds it in its queue."""
    phone = re.sub(r"\s+", "", phone or "")
    if not PHONE.match(phone):
        raise ValidationError({"phone": _("请填写有效的手机号码或固定电话（如 0830-1234567）。")})
    request = EventRequest(
        school=(school or "").strip(), contact_name=(contact_name or "").strip(), phone=phone,
        email=(email or "").strip(), province=province, city=(city or "").strip(), topic=(topic or "").strip(),
        audience=(audience or "").strip(), audience_size=audience_size, format=format, note=note or "",
        preferred_dates=_clean_preferred_dates(preferred_dates),
        requested_by=user if user is not None and user.is_authenticated else None, client_address=client_address,
    )
    request.full_clean(exclude=["requested_by", "event", "reviewed_by"])
    _refuse_flood(client_address, phone)
    request.save()
    audit_record(actor=user, subject=request, action="submit", to_state=request.status, note=request.school)
    return request


MOBILE = re.compile(r"^(?:\+?86[- ]?)?1[3-9]\d{9}$")


def _notify_request_decision(request: EventRequest) -> None:
    """The school hears the decision: the account that asked (inbox and its channels), and the contact given on the
    form — its e-mail and, for a mobile number, an SMS (jianglian.notifications.Contact: no account needed)."""
    context = dict(request_id=request.pk, school=request.school, topic=request.topic, decision=request.status,
                   reason=request.decline_reason, event_id=request.event_id,
                   starts_at=request.event.starts_at if request.event_id else None)
    recipients = [request.requested_by] if request.requested_by_id else []
    account = request.requested_by if request.requested_by_id else None
    email = request.email if not (account is not None and account.email == request.email) else ""
    phone = request.phone if account is None and MOBILE.match(request.phone) else ""
    if email or phone:
        recipients.append(Contact(name=f"event-request-{request.pk}", email=email, phone=phone))
    notify(kind=Kind.EVENT_REQUEST_DECISION, recipients=recipients, subject=request, context=context)


def event_request_prefill(request: EventRequest) -> dict:
    """The event an accepted request becomes: its school, place, topic, audience and first preferred date (09:00)."""
    from datetime import date, datetime, time

    first = date.fromisoformat(request.preferred_dates[0]) if request.preferred_dates else timezone.localdate()
    return dict(
        title=_("劳模工匠进校园：%(school)s") % {"school": request.school}, school=request.school,
        province=request.province, city=request.city, topic=request.topic, audience=request.audience,
        format=request.format, capacity=request.audience_size or 100, requested_by_school=True,
        starts_at=timezone.make_aware(datetime.combine(first, time(9, 0))),
    )


@transaction.atomic
def event_request_accept(*, user, request: EventRequest, **overrides) -> EventRequest:
    """pending → accepted: the event is created from the request (pre-filled; `overrides` change its fields)."""
    _require_secretariat(user, _("只有秘书处可以处理学校的申请。"))
    request = EventRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != EventRequest.Status.PENDING:
        raise IllegalTransition(_("该申请已处理。"))
    fields = {**event_request_prefill(request), **{k: v for k, v in overrides.items() if v not in (None, "")}}
    event = event_create(user=user, **fields)
    request.status = EventRequest.Status.ACCEPTED
    request.event = event
    request.reviewed_by = user
    request.reviewed_at = timezone.now()
    request.save(update_fields=["status", "event", "reviewed_by", "reviewed_at"])
    audit_record(actor=user, subject=request, action="accept", from_state=EventRequest.Status.PENDING,
                 to_state=request.status, note=f"event {event.pk}")
    _notify_request_decision(request)
    return request


@transaction.atomic
def event_request_decline(*, user, request: EventRequest, reason: str) -> EventRequest:
    """pending → declined, with the reason sent to the school."""
    _require_secretariat(user, _("只有秘书处可以处理学校的申请。"))
    reason = required_text(reason, "reason", _("请填写婉拒原因，它会发送给学校。"))
    request = EventRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != EventRequest.Status.PENDING:
        raise IllegalTransition(_("该申请已处理。"))
    request.status = EventRequest.Status.DECLINED
    request.decline_reason = reason
    request.reviewed_by = user
    request.reviewed_at = timezone.now()
    request.save(update_fields=["status", "decline_reason", "reviewed_by", "reviewed_at"])
    audit_record(actor=user, subject=request, action="decline", from_state=EventRequest.Status.PENDING,
                 to_state=request.status, note=request.decline_reason)
    _notify_request_decision(request)
    return request


class RequestDecision:
    ACCEPT = "accept"
    DECLINE = "decline"
    ALL = (ACCEPT, DECLINE)


def event_request_review(*, user, request: EventRequest, decision: str, reason: str = "", **overrides) -> EventRequest:
    """One entry for both decisions (GraphQL's reviewEventRequest, REST's review action)."""
    if decision == RequestDecision.ACCEPT:
        return event_request_accept(user=user, request=request, **overrides)
    if decision == RequestDecision.DECLINE:
        return event_request_decline(user=user, request=request, reason=reason)
    raise ValidationError({"decision": _("结论只能是接受或婉拒。")})


# --- Service days (劳模工匠助企行现场服务) -------------------------------------------------------------------------
#
# planned ─hold (summary)─► held;  planned ─cancel (reason)─► cancelled. The secretariat creates a day and adds its
# experts and enterprises. From the day's start until it is reported, the secretariat or a participating expert
# logs each enterprise's question; one not solved on the spot becomes a draft challenge of that enterprise (the
# enterprise reviews and publishes it), linked to the question.

SERVICE_DAY_FIELDS = {"title", "venue", "venue_kind", "province", "city", "starts_at", "ends_at", "description"}


@transaction.atomic
def service_day_create(*, user, experts=(), enterprises=(), allow_past: bool = False, **fields) -> ServiceDay:
    _require_secretariat(user, _("只有秘书处可以创建助企行现场服务。"))
    day = _activity_create(user, ServiceDay, fields, allowed=SERVICE_DAY_FIELDS, allow_past=allow_past)
    service_day_add_participants(user=user, day=day, experts=experts, enterprises=enterprises)
    return day


@transaction.atomic
def service_day_update(*, user, day: ServiceDay, **fields) -> ServiceDay:
    _require_secretariat(user, _("只有秘书处可以修改助企行现场服务。"))
    day = ServiceDay.objects.select_for_update().get(pk=day.pk)
    return _activity_update(user, day, fields, allowed=SERVICE_DAY_FIELDS, open_states=(ServiceDay.Status.PLANNED,),
                            refusal=_("已举办或已取消的现场服务不能修改。"))


@transaction.atomic
def service_day_add_participants(*, user, day: ServiceDay, experts=(), enterprises=(), role: str = "") -> ServiceDay:
    """Add experts (each notified once) and enterprises to a planned day; ones already in are left as they are."""
    _require_secretariat(user, _("只有秘书处可以安排现场服务的专家和企业。"))
    day = ServiceDay.objects.select_for_update().get(pk=day.pk)
    if day.status != ServiceDay.Status.PLANNED:
        raise IllegalTransition(_("已举办或已取消的现场服务不能再添加参与者。"))
    _add_experts(user, day.participations, experts, role=role, action="add_expert", to_state="added",
                 note=f"service day {day.pk}", kind=Kind.SERVICE_DAY_ASSIGNED,
                 context=dict(service_day_id=day.pk, title=day.title, venue=day.venue, city=day.city,
                              starts_at=day.starts_at))
    new_enterprises = [e for e in enterprises if e.pk not in set(day.enterprises.values_list("pk", flat=True))]
    if new_enterprises:
        day.enterprises.add(*new_enterprises)
        _activity_audit(user, day, "add_enterprises", day.status, note=", ".join(str(e.pk) for e in new_enterprises))
    return day


@transaction.atomic
def service_day_hold(*, user, day: ServiceDay, summary: str) -> ServiceDay:
    """planned → held, with the day's summary (its figures are its questions')."""
    _require_secretariat(user, _("只有秘书处可以填报现场服务总结。"))
    day = ServiceDay.objects.select_for_update().get(pk=day.pk)
    _refuse_hold(day, ServiceDay.Status.PLANNED, _("只有筹备中的现场服务可以标记为已举办。"),
                 _("现场服务开始后才能填报总结。"))
    summary = required_text(summary, "summary", _("请填写活动总结。"))
    return _held(user, day, summary, note=f"questions {day.questions.count()}")


@transaction.atomic
def service_day_cancel(*, user, day: ServiceDay, reason: str) -> ServiceDay:
    """planned → cancelled; the day's experts are told."""
    _require_secretariat(user, _("只有秘书处可以取消现场服务。"))
    day = ServiceDay.objects.select_for_update().get(pk=day.pk)
    return _activity_cancel(
        user, day, reason, open_states=(ServiceDay.Status.PLANNED,), refusal=_("只有筹备中的现场服务可以取消。"),
        kind=Kind.SERVICE_DAY_CANCELLED, told=day.participations.all(),
        context=dict(service_day_id=day.pk, title=day.title, venue=day.venue, starts_at=day.starts_at),
    )


QUESTION_FIELDS = {"topic", "description", "category", "solved_on_site", "workers_trained"}


@transaction.atomic
def service_day_log_question(*, user, day: ServiceDay, enterprise, answered_by=None, **fields) -> ServiceDayQuestion:
    """The secretariat or a participating expert logs an enterprise's question during the day."""
    day = ServiceDay.objects.select_for_update().get(pk=day.pk)
    if not can_log_on_service_day(user, day):
        raise NotAllowed(_("只有秘书处或参与该现场服务的劳模工匠可以记录问题。"))
    if day.status == ServiceDay.Status.CANCELLED:
        raise IllegalTransition(_("现场服务已取消。"))
    if day.status == ServiceDay.Status.PLANNED and timezone.localdate(day.starts_at) > timezone.localdate():
        raise IllegalTransition(_("现场服务当天才能记录问题。"), code="not_started")
    if not day.enterprises.filter(pk=enterprise.pk).exists():
        raise ValidationError({"enterprise": _("该企业没有参加这次现场服务。")})
    if answered_by is None:
        answered_by = expert_of(user) if not is_secretariat(user) else None
    if answered_by is not None and not day.participations.filter(expert=answered_by).exists():
        raise ValidationError({"answered_by": _("解答专家须是这次现场服务的参与者。")})
    question = ServiceDayQuestion(service_day=day, enterprise=enterprise, answered_by=answered_by, logged_by=user)
    apply_fields(question, fields, allowed=QUESTION_FIELDS,
                 exclude_from_validation=["service_day", "enterprise", "answered_by", "logged_by", "challenge"])
    question.save()
    audit_record(actor=user, subject=question, action="log",
                 to_state="solved" if question.solved_on_site else "open",
                 note=f"service day {day.pk} enterprise {enterprise.pk}")
    return question


@transaction.atomic
def service_question_convert(*, user, question: ServiceDayQuestion) -> ServiceDayQuestion:
    """A question not solved on the spot becomes a draft challenge of its enterprise, pre-filled and linked to the
    question (so to the day); the enterprise's staff are told to review and publish it."""
    from enterprises.services import challenge_draft_from_service_day

    question = (ServiceDayQuestion.objects.select_for_update()
                .select_related("service_day", "enterprise").get(pk=question.pk))
    day = question.service_day
    if not can_log_on_service_day(user, day):
        raise NotAllowed(_("只有秘书处或参与该现场服务的劳模工匠可以把问题转成需求。"))
    if question.solved_on_site:
        raise IllegalTransition(_("现场已解决的问题不需要转成需求。"), code="solved_on_site")
    if question.challenge_id is not None:
        raise IllegalTransition(_("该问题已转成需求。"), code="already_converted")
    description = "\n\n".join(part for part in (
        question.description or question.topic,
        _("（来自劳模工匠助企行现场服务：%(day)s，%(venue)s，%(date)s）") % {
            "day": day.title, "venue": day.venue, "date": timezone.localdate(day.starts_at).isoformat()},
    ) if part)
    challenge = challenge_draft_from_service_day(
        user=user, enterprise=question.enterprise, title=question.topic[:128], description=description,
        category=question.category, note=f"service day {day.pk} question {question.pk}",
    )
    question.challenge = challenge
    question.save(update_fields=["challenge"])
    audit_record(actor=user, subject=question, action="convert", from_state="open", to_state="converted",
                 note=f"challenge {challenge.pk}")
    notify(kind=Kind.SERVICE_QUESTION_DRAFT, recipients=list(question.enterprise.staff.filter(is_active=True)),
           subject=question, context=dict(challenge_id=challenge.pk, title=challenge.title,
                                          enterprise=question.enterprise.name, service_day=day.title))
    return question
