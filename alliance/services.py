"""Writes of studios and membership applications."""
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jianglian.errors import Conflict, IllegalTransition, NotAllowed
from jianglian.roles import expert_of, is_secretariat
from jianglian.services import apply_fields

from .audit import audit_record
from .models import MembershipApplication, Studio
from .selectors import can_manage_studio

logger = logging.getLogger(__name__)

STUDIO_EDITABLE_FIELDS = {
    "name", "level", "host_enterprise", "province", "city", "established_year", "focus",
    "description", "achievements", "capacity",
}


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
    changed = apply_fields(studio, fields, allowed=STUDIO_EDITABLE_FIELDS)
    if changed:
        studio.save(update_fields=[*changed, "updated_at"])
    if skills is not None:
        studio.skills.set(skills)
    return studio


def membership_apply(*, user, studio: Studio, statement: str) -> MembershipApplication:
    """A studio asks to join the alliance; one pending application per studio."""
    if not can_manage_studio(user, studio):
        raise NotAllowed(_("只有工作室领衔人或管理账号可以申请入盟。"))
    if studio.membership_status == Studio.MembershipStatus.MEMBER:
        raise IllegalTransition(_("该工作室已是联盟成员。"), code="already_member")
    application = MembershipApplication(studio=studio, statement=statement, submitted_by=user)
    application.full_clean(exclude=["studio"])
    try:
        with transaction.atomic():
            application.save()
            audit_record(actor=user, subject=application, action="apply", to_state=application.status)
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
        studio = application.studio
        studio.membership_status = Studio.MembershipStatus.MEMBER
        studio.suspended_reason = ""
        studio.save(update_fields=["membership_status", "suspended_reason", "updated_at"])
    audit_record(actor=user, subject=application, action="review", from_state="pending",
                 to_state=application.status, note=note)
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
