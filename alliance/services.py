"""Writes of studios and membership applications."""
import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from jianglian.audit import audit_record
from jianglian.errors import Conflict, DomainError, IllegalTransition, NotAllowed
from jianglian.notifications import Kind, notify
from jianglian.roles import expert_of, is_secretariat
from jianglian.services import apply_fields

from .models import EventParticipation, MembershipApplication, MembershipBatch, OutreachEvent, Studio
from .selectors import can_manage_studio

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
    notify(kind=Kind.MEMBERSHIP_DECISION, recipients=_studio_recipients(application.studio), subject=application,
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
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写暂停原因。")})
    studio = Studio.objects.select_for_update().get(pk=studio.pk)
    if studio.membership_status != Studio.MembershipStatus.MEMBER:
        raise IllegalTransition(_("只有联盟成员可以暂停。"))
    studio.membership_status = Studio.MembershipStatus.SUSPENDED
    studio.suspended_reason = reason.strip()
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


def _event_audit(user, event, action, from_state, note=""):
    audit_record(actor=user, subject=event, action=action, from_state=from_state, to_state=event.status, note=note)


@transaction.atomic
def event_create(*, user, **fields) -> OutreachEvent:
    _require_secretariat(user, _("只有秘书处可以创建进校园活动。"))
    event = OutreachEvent(created_by=user, status=OutreachEvent.Status.PLANNED)
    apply_fields(event, fields, allowed=EVENT_FIELDS, exclude_from_validation=["created_by"])
    event.save()
    _event_audit(user, event, "create", "", note=event.title)
    return event


@transaction.atomic
def event_update(*, user, event: OutreachEvent, **fields) -> OutreachEvent:
    _require_secretariat(user, _("只有秘书处可以修改进校园活动。"))
    event = OutreachEvent.objects.select_for_update().get(pk=event.pk)
    if event.status not in EVENT_OPEN_STATES:
        raise IllegalTransition(_("已举办或已取消的活动不能修改。"))
    changed = apply_fields(event, fields, allowed=EVENT_FIELDS, exclude_from_validation=["created_by"])
    if changed:
        event.save(update_fields=changed)
    return event


@transaction.atomic
def event_invite_experts(*, user, event: OutreachEvent, experts, role: str = "") -> list[EventParticipation]:
    """Invite experts to a planned or confirmed event; experts already invited are left as they are."""
    _require_secretariat(user, _("只有秘书处可以邀请劳模工匠参加活动。"))
    event = OutreachEvent.objects.select_for_update().get(pk=event.pk)
    if event.status not in EVENT_OPEN_STATES:
        raise IllegalTransition(_("已举办或已取消的活动不能再邀请。"))
    already = set(event.participations.values_list("expert_id", flat=True))
    invited = []
    for expert in experts:
        if expert.pk in already:
            continue
        already.add(expert.pk)
        try:
            with transaction.atomic():
                participation = EventParticipation.objects.create(event=event, expert=expert, role=role)
        except IntegrityError:
            continue  # invited concurrently: the other call recorded and notified it
        audit_record(actor=user, subject=participation, action="invite", to_state=participation.status,
                     note=f"event {event.pk} expert {expert.pk}")
        notify(kind=Kind.EVENT_INVITATION, recipients=[expert.user] if expert.user_id else [],
               subject=participation,
               context=dict(event_id=event.pk, title=event.title, school=event.school, city=event.city,
                            starts_at=event.starts_at, topic=event.topic, role=role, expert=expert.name))
        invited.append(participation)
    return invited


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
    _event_audit(user, event, "confirm", OutreachEvent.Status.PLANNED)
    return event


@transaction.atomic
def event_hold(*, user, event: OutreachEvent, audience_count: int, summary: str, feedback: str = "") -> OutreachEvent:
    """confirmed → held, with the post-event report (audience count, summary, feedback)."""
    _require_secretariat(user, _("只有秘书处可以填报活动总结。"))
    event = OutreachEvent.objects.select_for_update().get(pk=event.pk)
    if event.status != OutreachEvent.Status.CONFIRMED:
        raise IllegalTransition(_("只有已确认的活动可以标记为已举办。"))
    if event.starts_at > timezone.now():
        raise IllegalTransition(_("活动开始后才能填报总结。"), code="not_started")
    if not (summary or "").strip():
        raise ValidationError({"summary": _("请填写活动总结。")})
    if audience_count is None or int(audience_count) < 0:
        raise ValidationError({"audience_count": _("请填写实到人数。")})
    event.status = OutreachEvent.Status.HELD
    event.audience_count = int(audience_count)
    event.report_summary = summary.strip()
    event.report_feedback = feedback or ""
    event.save(update_fields=["status", "audience_count", "report_summary", "report_feedback"])
    _event_audit(user, event, "hold", OutreachEvent.Status.CONFIRMED, note=f"audience {event.audience_count}")
    return event


@transaction.atomic
def event_cancel(*, user, event: OutreachEvent, reason: str) -> OutreachEvent:
    _require_secretariat(user, _("只有秘书处可以取消活动。"))
    event = OutreachEvent.objects.select_for_update().get(pk=event.pk)
    if event.status not in EVENT_OPEN_STATES:
        raise IllegalTransition(_("已举办或已取消的活动不能取消。"))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写取消原因。")})
    previous = event.status
    event.status = OutreachEvent.Status.CANCELLED
    event.cancel_reason = reason.strip()
    event.save(update_fields=["status", "cancel_reason"])
    _event_audit(user, event, "cancel", previous, note=event.cancel_reason)
    return event


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
