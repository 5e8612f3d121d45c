"""Writes of expert profiles and the skill taxonomy."""
import logging
import re

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jianglian.audit import audit_record
from jianglian.errors import Conflict, DomainError, IllegalTransition, NotAllowed
from jianglian.roles import expert_of, is_secretariat
from jianglian.services import apply_fields

from .models import Expert, ExpertHonour, Skill, SkillWord

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
# Fields of a skill that load_taxonomy leaves alone once the secretariat has set them (words: SkillWord).
SKILL_CURATED_FIELDS = {"name", "name_en", "category", "parent", "description"}


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
def expert_update(*, user, expert: Expert, skills=None, honours=None, conflicts=None, **fields) -> Expert:
    """The expert edits their own profile; the secretariat edits any entry. `conflicts`: the enterprises the
    expert declares a conflict of interest with (both may set them; matching never ranks the expert for them)."""
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
    if conflicts is not None:
        expert.conflicts.set(conflicts)
    return expert


SKILL_WORD_FIELDS = {SkillWord.Kind.SYNONYM: "synonyms", SkillWord.Kind.PROBLEM: "problems"}
SKILL_WORD_MAX = {SkillWord.Kind.SYNONYM: 64, SkillWord.Kind.PROBLEM: 200}


@transaction.atomic
def skill_create(*, user, code: str, name: str, **fields) -> Skill:
    """A skill the secretariat adds: every field it sets is curated (load_taxonomy keeps it), each word is
    recorded as the secretariat's."""
    _require_secretariat(user, _("只有秘书处可以维护技能分类。"))
    words = {key: fields.pop(key) for key in ("synonyms", "problems") if key in fields}
    skill = Skill(code=code, name=name)
    changed = apply_fields(skill, fields, allowed=SKILL_EDITABLE_FIELDS)
    skill.curated_fields = sorted({"name", *changed} & SKILL_CURATED_FIELDS)
    skill.curated_by, skill.curated_at = user, timezone.now()
    skill.save()
    if words:
        skill_words_set(user=user, skill=skill, **words)
    return skill


@transaction.atomic
def skill_update(*, user, skill: Skill, **fields) -> Skill:
    """The secretariat edits a skill; the fields it changes are curated from then on (load_taxonomy keeps them)
    and synonyms / problems go through `skill_words_set` (each word's provenance recorded)."""
    _require_secretariat(user, _("只有秘书处可以维护技能分类。"))
    words = {key: fields.pop(key) for key in ("synonyms", "problems") if key in fields}
    changed = apply_fields(skill, fields, allowed=SKILL_EDITABLE_FIELDS)
    if changed:
        skill.curated_fields = sorted(set(skill.curated_fields or ()) | (set(changed) & SKILL_CURATED_FIELDS))
        skill.curated_by, skill.curated_at = user, timezone.now()
        skill.save(update_fields=[*changed, "curated_fields", "curated_by", "curated_at"])
        audit_record(actor=user, subject=skill, action="skill_edited", note="、".join(changed))
    if words:
        skill_words_set(user=user, skill=skill, **words)
    return skill


WORD_SEPARATORS = re.compile(r"[、，,；;\n\r]+")


def split_words(text: str) -> list[str]:
    """The words typed in one box (the curation page, the admin): separated by 、 ， , ； ; or line breaks — not
    by a slash, which words such as A/O hold."""
    return [w.strip() for w in WORD_SEPARATORS.split(text or "") if w.strip()]


def clean_words(words, *, kind, field: str) -> list[str]:
    """The words of a list as the secretariat typed them: trimmed, blanks dropped, repeats dropped (first
    kept), each at most SKILL_WORD_MAX characters (a ValidationError on the field otherwise)."""
    if isinstance(words, str) or not isinstance(words, list | tuple):
        raise ValidationError({field: [_("应为词的列表。")]})
    cleaned, seen, errors = [], set(), []
    for word in words:
        if not isinstance(word, str):
            errors.append(_("应为词的列表。"))
            continue
        word = " ".join(word.split())
        if not word or word in seen:
            continue
        if len(word) > SKILL_WORD_MAX[kind] or "\x00" in word:
            errors.append(_("“%(word)s…”过长：每个词最多 %(max)s 个字符。") % {"word": word[:10], "max": SKILL_WORD_MAX[kind]})
            continue
        seen.add(word)
        cleaned.append(word)
    if errors:
        raise ValidationError({field: errors})
    return cleaned


@transaction.atomic
def skill_words_set(*, user, skill: Skill, synonyms=None, problems=None) -> Skill:
    """Set a skill's synonyms and/or typical problems to the given lists (the secretariat's curation page, the
    admin, REST and GraphQL updates).

    Each added word is recorded as added by `user`, each removed one as removed by `user` (so load_taxonomy
    never brings it back); a word removed earlier and added again is in force again. One audit entry lists
    what changed; the taxonomy_changed signal (post_save) refreshes search and matching after the commit."""
    _require_secretariat(user, _("只有秘书处可以维护技能分类。"))
    skill = Skill.objects.select_for_update().get(pk=skill.pk)
    now = timezone.now()
    shipped = _shipped_words(skill.code)
    records = {(row.kind, row.word): row for row in skill.words.all()}
    changed_fields, notes = [], []
    for kind, given in ((SkillWord.Kind.SYNONYM, synonyms), (SkillWord.Kind.PROBLEM, problems)):
        if given is None:
            continue
        field = SKILL_WORD_FIELDS[kind]
        wanted = clean_words(given, kind=kind, field=field)
        current = list(getattr(skill, field) or [])
        added = [w for w in wanted if w not in current]
        removed = [w for w in current if w not in wanted]
        for word in added:
            row = records.get((kind, word))
            if row is None:
                SkillWord.objects.create(skill=skill, kind=kind, word=word, source=SkillWord.Source.SECRETARIAT,
                                         added_by=user)
            else:
                SkillWord.objects.filter(pk=row.pk).update(source=SkillWord.Source.SECRETARIAT, added_by=user,
                                                           added_at=now, removed_by=None, removed_at=None)
        for word in removed:
            row = records.get((kind, word))
            if row is None:  # in force before words had records: the file's if the file has it
                source = SkillWord.Source.TAXONOMY if word in shipped[kind] else SkillWord.Source.SECRETARIAT
                row = SkillWord.objects.create(skill=skill, kind=kind, word=word, source=source)
            SkillWord.objects.filter(pk=row.pk).update(removed_by=user, removed_at=now)
        if wanted != current:
            setattr(skill, field, wanted)
            changed_fields.append(field)
            label = SkillWord.Kind(kind).label
            notes.append(f"{label} " + " ".join([*(f"+{w}" for w in added), *(f"−{w}" for w in removed)]
                                                or [_("调整顺序")]))
    if changed_fields:
        skill.curated_by, skill.curated_at = user, now
        skill.save(update_fields=[*changed_fields, "curated_by", "curated_at"])
        audit_record(actor=user, subject=skill, action="skill_words", note="；".join(notes))
    return skill


def _shipped_words(code: str) -> dict:
    """The words the shipped taxonomy file gives the area `code` (empty sets for a skill it does not have)."""
    from .taxonomy import AREAS

    area = next((a for a in AREAS if a["code"] == code), {})
    return {SkillWord.Kind.SYNONYM: set(area.get("synonyms", ())), SkillWord.Kind.PROBLEM: set(area.get("problems", ()))}


# --- Linking a user account to a catalog entry -----------------------------------------------
# The rule: nobody links themselves to an expert by name. The secretariat issues a signed,
# time-limited claim link for one unclaimed catalog entry and sends it to the expert's private
# contact; whoever signs up through that link becomes that expert's account. A link stops
# working once the entry is claimed or after EXPERT_CLAIM_MAX_AGE.
EXPERT_CLAIM_SALT = "experts.claim"
EXPERT_CLAIM_MAX_AGE = 14 * 24 * 3600


def expert_claim_token(*, user, expert: Expert) -> str:
    """The secretariat issues a sign-up token for an unclaimed catalog entry."""
    _require_secretariat(user, _("只有秘书处可以发放认领链接。"))
    if expert.user_id is not None:
        raise IllegalTransition(_("该劳模工匠已有账号。"), code="already_claimed")
    return signing.dumps({"expert": expert.pk}, salt=EXPERT_CLAIM_SALT, compress=True)


def expert_from_claim_token(token: str) -> Expert:
    """The unclaimed expert a token names; DomainError when it is invalid, expired or used."""
    try:
        payload = signing.loads(token, salt=EXPERT_CLAIM_SALT, max_age=EXPERT_CLAIM_MAX_AGE)
    except signing.SignatureExpired:
        raise DomainError(_("认领链接已过期，请联系秘书处重新发放。"), code="claim_expired") from None
    except signing.BadSignature:
        raise DomainError(_("认领链接无效。"), code="claim_invalid") from None
    expert = Expert.objects.filter(pk=payload.get("expert")).first()
    if expert is None:
        raise DomainError(_("认领链接无效。"), code="claim_invalid")
    if expert.user_id is not None:
        raise IllegalTransition(_("该劳模工匠已有账号。"), code="already_claimed")
    return expert


@transaction.atomic
def expert_claim(*, user, token: str) -> Expert:
    """Link `user` to the catalog entry the secretariat's token names (once)."""
    return expert_link_account(user=user, expert=expert_from_claim_token(token))


@transaction.atomic
def expert_link_account(*, user, expert: Expert, via: str = "") -> Expert:
    """The claim itself, once its link was checked by the caller (the secretariat's claim link above, or an
    invitation link: matching.pairings.invitations): `user` becomes the account of the unclaimed `expert`."""
    if user is None or not user.is_authenticated:
        raise NotAllowed(_("请先登录。"), code="not_authenticated")
    if expert_of(user) is not None:
        raise Conflict(_("该账号已关联劳模工匠档案。"), code="already_linked")
    # Conditional update: two sign-ups racing for one link, only one wins.
    if Expert.objects.filter(pk=expert.pk, user__isnull=True).update(user=user) != 1:
        raise Conflict(_("该劳模工匠已有账号。"), code="already_claimed")
    expert.user = user
    user.expert = expert  # the reverse accessor's cache: expert_of(user) asks no query
    audit_record(actor=user, subject=expert, action="claim", to_state="linked", note=via)
    logger.info("expert %s claimed by user %s%s", expert.pk, user.pk, f" ({via})" if via else "")
    return expert


# --- The 劳模工匠库 from a spreadsheet ------------------------------------------------------------------------


def experts_import(*, user, data: bytes, filename: str, dry_run: bool = True, valid_rows_only: bool = False,
                   progress=None):
    """Check (dry run) or import a roster of experts (.xlsx or CSV); the secretariat, or the command line
    (`user` None: manage.py import_experts runs with the server's own rights).

    Returns the report (jianglian.rosters.report.Report): every row new / update / unchanged / error with its
    messages. Nothing is written in a dry run, nor when any row has an error unless `valid_rows_only`; what is
    written is written in one transaction. The rules of a row are experts.roster's.
    """
    from jianglian.rosters.importer import import_roster

    from .roster import ExpertRoster

    if user is not None:
        _require_secretariat(user, _("只有秘书处可以导入名册。"))
    return import_roster(ExpertRoster(), data, filename, user=user, dry_run=dry_run,
                         valid_rows_only=valid_rows_only, progress=progress)
