"""Writes of enterprises and challenges. Every rule about them lives here."""
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jianglian.audit import audit_record
from jianglian.errors import IllegalTransition, NotAllowed
from jianglian.notifications import Kind, notify
from jianglian.roles import is_secretariat
from jianglian.services import apply_fields

from .models import Challenge, Enterprise
from .selectors import can_manage_challenge, group_members, is_enterprise_staff
from .signals import group_changed
from .validators import normalize_credit_code

logger = logging.getLogger(__name__)

ENTERPRISE_EDITABLE_FIELDS = {"name", "province", "city", "industry", "size", "description", "group"}
CHALLENGE_EDITABLE_FIELDS = {
    "title", "description", "category", "preferred_province", "preferred_city", "region_strictness",
}
CHALLENGE_EDITABLE_STATUSES = (Challenge.Status.DRAFT, Challenge.Status.OPEN)
CHALLENGE_CLOSABLE_STATUSES = (Challenge.Status.DRAFT, Challenge.Status.OPEN)


def _require_authenticated(user):
    if user is None or not user.is_authenticated:
        raise NotAllowed(_("请先登录。"), code="not_authenticated")


@transaction.atomic
def enterprise_register(*, user, name: str, credit_code: str, province: str, city: str,
                        industry: str = "chemical", size: str = "medium", description: str = "") -> Enterprise:
    """A user registers an enterprise and becomes its staff; the secretariat verifies it later."""
    _require_authenticated(user)
    enterprise = Enterprise(
        name=name, credit_code=normalize_credit_code(credit_code), province=province, city=city,
        industry=industry, size=size, description=description,
    )
    enterprise.full_clean()
    enterprise.save()
    enterprise.staff.add(user)
    audit_record(actor=user, subject=enterprise, action="register", to_state="unverified")
    logger.info("enterprise %s registered by user %s", enterprise.pk, user.pk)
    return enterprise


@transaction.atomic
def enterprise_update(*, user, enterprise: Enterprise, **fields) -> Enterprise:
    """The enterprise's staff or the secretariat edit it. `group` (所属集团, an Enterprise or None) follows
    `enterprise_group_check`; set by the staff it waits for the secretariat's verification, set by the secretariat it is
    verified at once. A changed group or name changes conflicts of interest (enterprises.signals.group_changed)."""
    secretariat = is_secretariat(user)
    if not (secretariat or is_enterprise_staff(user, enterprise.pk)):
        raise NotAllowed(_("只有本企业账号或秘书处可以修改企业信息。"))
    before = set(group_members(enterprise).values_list("pk", flat=True))
    previous_group = enterprise.group
    if "group" in fields:
        enterprise_group_check(enterprise, fields["group"])
    changed = apply_fields(enterprise, fields, allowed=ENTERPRISE_EDITABLE_FIELDS)
    if "group" in changed:
        enterprise.group_verified_at = timezone.now() if secretariat and enterprise.group_id else None
        enterprise.group_verified_by = user if enterprise.group_verified_at else None
        changed += ["group_verified_at", "group_verified_by"]
        audit_record(actor=user, subject=enterprise, action="set_group",
                     from_state=str(previous_group.pk) if previous_group else "",
                     to_state=str(enterprise.group_id or ""),
                     note=f"{previous_group.name if previous_group else '—'} → "
                          f"{enterprise.group.name if enterprise.group_id else '—'}"
                          + (" (verified)" if enterprise.group_verified_at else ""))
    if changed:
        enterprise.save(update_fields=changed)
    if {"group", "name"} & set(changed):
        after = set(group_members(enterprise).values_list("pk", flat=True))
        group_changed.send(sender=Enterprise, enterprise_ids=sorted(before | after))
    return enterprise


def enterprise_group_check(enterprise: Enterprise, group: Enterprise | None) -> None:
    """Groups are one level deep: the parent belongs to no group itself, an enterprise with members joins none,
    and no enterprise is its own group."""
    if group is None:
        return
    if group.pk == enterprise.pk:
        raise ValidationError({"group": _("企业不能是自己的所属集团。")})
    if group.group_id is not None:
        raise ValidationError({"group": _("所选企业本身属于集团「%(group)s」，请直接选择该集团。")
                               % {"group": group.group.name}})
    if enterprise.group_members.exists():
        raise ValidationError({"group": _("本企业已是其他企业的所属集团，不能再加入集团。")})


@transaction.atomic
def enterprise_group_verify(*, user, enterprise: Enterprise) -> Enterprise:
    """The secretariat confirms an enterprise's 所属集团 (IllegalTransition `no_group` when it has none)."""
    if not is_secretariat(user):
        raise NotAllowed(_("只有秘书处可以核实集团关系。"))
    enterprise = Enterprise.objects.select_for_update(of=("self",)).select_related("group").get(pk=enterprise.pk)
    if enterprise.group_id is None:
        raise IllegalTransition(_("该企业没有填写所属集团。"), code="no_group")
    if enterprise.group_verified:
        return enterprise
    enterprise.group_verified_at = timezone.now()
    enterprise.group_verified_by = user
    enterprise.save(update_fields=["group_verified_at", "group_verified_by"])
    audit_record(actor=user, subject=enterprise, action="verify_group", from_state="unverified",
                 to_state="verified", note=enterprise.group.name)
    return enterprise


@transaction.atomic
def enterprise_verify(*, user, enterprise: Enterprise) -> Enterprise:
    if not is_secretariat(user):
        raise NotAllowed(_("只有秘书处可以认证企业。"))
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    if enterprise.verified:
        return enterprise
    enterprise.verified = True
    enterprise.verified_at = timezone.now()
    enterprise.verified_by = user
    enterprise.save(update_fields=["verified", "verified_at", "verified_by"])
    audit_record(actor=user, subject=enterprise, action="verify", from_state="unverified", to_state="verified")
    notify(kind=Kind.ENTERPRISE_VERIFIED, recipients=list(enterprise.staff.all()), subject=enterprise,
           context=dict(enterprise=enterprise.name))
    logger.info("enterprise %s verified by user %s", enterprise.pk, user.pk)
    return enterprise


@transaction.atomic
def challenge_create(*, user, enterprise: Enterprise, title: str, description: str, category: str,
                     skills=(), preferred_province: str = "", preferred_city: str = "",
                     region_strictness: str = Challenge.RegionStrictness.SOFT) -> Challenge:
    """A draft challenge of one of the caller's enterprises."""
    _require_authenticated(user)
    if not is_enterprise_staff(user, enterprise.pk):
        raise NotAllowed(_("只能为本企业发布需求。"))
    challenge = Challenge(
        enterprise=enterprise, title=title, description=description, category=category,
        preferred_province=preferred_province, preferred_city=preferred_city,
        region_strictness=region_strictness, created_by=user, status=Challenge.Status.DRAFT,
    )
    challenge.full_clean()
    challenge.save()
    if skills:
        challenge.skills.set(skills)
    audit_record(actor=user, subject=challenge, action="create", to_state=challenge.status)
    return challenge


@transaction.atomic
def challenge_draft_from_service_day(*, user, enterprise: Enterprise, title: str, description: str, category: str,
                                     note: str = "") -> Challenge:
    """A draft challenge of `enterprise` written for it from a question logged at a 助企行 service day. The caller
    (alliance.services.service_question_convert) has checked that `user` may log that day; the enterprise's staff
    review the draft and publish it themselves (challenge_publish)."""
    _require_authenticated(user)
    challenge = Challenge(enterprise=enterprise, title=title, description=description, category=category,
                          created_by=user, status=Challenge.Status.DRAFT)
    challenge.full_clean()
    challenge.save()
    audit_record(actor=user, subject=challenge, action="create", to_state=challenge.status, note=note)
    return challenge


@transaction.atomic
def challenge_update(*, user, challenge: Challenge, skills=None, **fields) -> Challenge:
    """Edit a draft or open challenge of the caller's enterprise; an open one is ranked again (matching
    listens to the saved fields and skills: matching.receivers)."""
    if not can_manage_challenge(user, challenge):
        raise NotAllowed(_("只能修改本企业的需求。"))
    challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    if challenge.status not in CHALLENGE_EDITABLE_STATUSES:
        raise IllegalTransition(_("需求已结对或关闭，不能再修改。"))
    # created_by is SET_NULL when the author's account is deleted; the challenge stays editable.
    changed = apply_fields(challenge, fields, allowed=CHALLENGE_EDITABLE_FIELDS, exclude_from_validation=("created_by",))
    if changed:
        challenge.save(update_fields=[*changed, "updated_at"])
    if skills is not None:
        challenge.skills.set(skills)
    return challenge


@transaction.atomic
def challenge_publish(*, user, challenge: Challenge) -> Challenge:
    """draft → open. Only a verified enterprise publishes; matching ranks it after commit (matching.receivers)."""
    if not can_manage_challenge(user, challenge):
        raise NotAllowed(_("只能发布本企业的需求。"))
    challenge = Challenge.objects.select_for_update().select_related("enterprise").get(pk=challenge.pk)
    if not challenge.enterprise.verified:
        raise NotAllowed(_("企业通过秘书处认证后才能发布需求。"), code="enterprise_not_verified")
    if challenge.status != Challenge.Status.DRAFT:
        raise IllegalTransition(_("只有草稿可以发布。"))
    challenge.status = Challenge.Status.OPEN
    challenge.published_at = timezone.now()
    challenge.save(update_fields=["status", "published_at", "updated_at"])
    audit_record(actor=user, subject=challenge, action="publish", from_state="draft", to_state="open")
    logger.info("challenge %s published by user %s", challenge.pk, user.pk)
    return challenge


@transaction.atomic
def challenge_close(*, user, challenge: Challenge, reason: str = "") -> Challenge:
    """draft/open → closed, by the enterprise or the secretariat."""
    if not (can_manage_challenge(user, challenge) or is_secretariat(user)):
        raise NotAllowed(_("只能关闭本企业的需求。"))
    challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    if challenge.status not in CHALLENGE_CLOSABLE_STATUSES:
        raise IllegalTransition(_("已结对或已结束的需求不能关闭。"))
    previous = challenge.status
    challenge.status = Challenge.Status.CLOSED
    challenge.closed_at = timezone.now()
    challenge.save(update_fields=["status", "closed_at", "updated_at"])
    audit_record(actor=user, subject=challenge, action="close", from_state=previous, to_state="closed", note=reason)
    return challenge


# --- Enterprises from a spreadsheet ----------------------------------------------------------------------------


def enterprises_import(*, user, data: bytes, filename: str, dry_run: bool = True, valid_rows_only: bool = False,
                       progress=None):
    """Check (dry run) or import a roster of enterprises (.xlsx or CSV); the secretariat, or the command line
    (`user` None). Same report and all-or-nothing rule as the experts' roster; the rules of a row are
    enterprises.roster's."""
    from jianglian.rosters.importer import import_roster

    from .roster import EnterpriseRoster

    if user is not None and not is_secretariat(user):
        raise NotAllowed(_("只有秘书处可以导入名册。"))
    return import_roster(EnterpriseRoster(), data, filename, user=user, dry_run=dry_run,
                         valid_rows_only=valid_rows_only, progress=progress)
