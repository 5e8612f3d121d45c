"""Writes of expert profiles and the skill taxonomy."""
import logging

from django.db import transaction
from django.utils.translation import gettext as _

from jianglian.errors import NotAllowed
from jianglian.roles import expert_of, is_secretariat
from jianglian.services import apply_fields

from .models import Expert, ExpertHonour, Skill

logger = logging.getLogger(__name__)

# What an expert may change on their own profile; the secretariat may change the catalog facts too.
EXPERT_SELF_EDITABLE_FIELDS = {
    "bio", "achievements", "skill_tags", "capacity", "accepting_pairings", "accepts_remote",
    "phone", "email", "position", "professional_title", "city",
}
EXPERT_SECRETARIAT_EDITABLE_FIELDS = EXPERT_SELF_EDITABLE_FIELDS | {
    "name", "gender", "birth_year", "role", "employer", "province", "industry", "studio",
}
SKILL_EDITABLE_FIELDS = {"name", "name_en", "category", "parent", "synonyms", "problems", "description"}


def _require_secretariat(user, message):
    if not is_secretariat(user):
        raise NotAllowed(message)


def _set_honours(expert: Expert, honours) -> None:
    wanted = set(honours)
    expert.honours.exclude(honour__in=wanted).delete()
    existing = set(expert.honours.values_list("honour", flat=True))
    ExpertHonour.objects.bulk_create([ExpertHonour(expert=expert, honour=h) for h in wanted - existing])


@transaction.atomic
def expert_create(*, user, skills=(), honours=(), **fields) -> Expert:
    """A new catalog entry, added by the secretariat."""
    _require_secretariat(user, _("只有秘书处可以录入劳模工匠。"))
    expert = Expert()
    apply_fields(expert, fields, allowed=EXPERT_SECRETARIAT_EDITABLE_FIELDS)
    expert.save()
    expert.skills.set(skills)
    _set_honours(expert, honours)
    logger.info("expert %s created by user %s", expert.pk, user.pk)
    return expert


@transaction.atomic
def expert_update(*, user, expert: Expert, skills=None, honours=None, **fields) -> Expert:
    """The expert edits their own profile; the secretariat edits any entry."""
    secretariat = is_secretariat(user)
    own = expert_of(user)
    if not secretariat and (own is None or own.pk != expert.pk):
        raise NotAllowed(_("只能修改自己的档案。"))
    if honours is not None and not secretariat:
        raise NotAllowed(_("荣誉由秘书处核实录入。"))
    expert = Expert.objects.select_for_update().get(pk=expert.pk)
    allowed = EXPERT_SECRETARIAT_EDITABLE_FIELDS if secretariat else EXPERT_SELF_EDITABLE_FIELDS
    changed = apply_fields(expert, fields, allowed=allowed)
    if changed:
        expert.save(update_fields=[*changed, "updated_at"])
    if skills is not None:
        expert.skills.set(skills)
    if honours is not None:
        _set_honours(expert, honours)
    return expert


@transaction.atomic
def skill_create(*, user, code: str, name: str, **fields) -> Skill:
    _require_secretariat(user, _("只有秘书处可以维护技能分类。"))
    skill = Skill(code=code, name=name)
    apply_fields(skill, fields, allowed=SKILL_EDITABLE_FIELDS)
    skill.save()
    return skill


@transaction.atomic
def skill_update(*, user, skill: Skill, **fields) -> Skill:
    _require_secretariat(user, _("只有秘书处可以维护技能分类。"))
    changed = apply_fields(skill, fields, allowed=SKILL_EDITABLE_FIELDS)
    if changed:
        skill.save(update_fields=changed)
    return skill
