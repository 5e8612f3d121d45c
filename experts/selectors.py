"""Reads of the 劳模工匠库 and the skill taxonomy."""
import re

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from jianglian.errors import NotAllowed
from jianglian.filters import json_icontains
from jianglian.roles import expert_of, is_secretariat

from .models import Expert, Skill, SkillWord


def expert_list(*, user=None) -> QuerySet[Expert]:
    return Expert.objects.all()


def experts_found(*, user=None, q: str) -> QuerySet[Expert]:
    """Experts whose name, a skill's name or synonym, or their own skill tags hold `q` (the secretariat's pickers
    search by it), alike on SQLite and PostgreSQL (jianglian.filters.json_icontains)."""
    return expert_list(user=user).filter(
        Q(name__icontains=q) | Q(skills__name__icontains=q) | json_icontains("skills__synonyms", q)
        | json_icontains("skill_tags", q)).distinct()


def unclaimed_experts(*, user, q: str = "") -> QuerySet[Expert]:
    """The secretariat's claim list: catalog entries nobody has claimed, by name; `q` narrows it to entries whose
    name, employer or phone holds every word of it (a phone matched whatever its spaces and dashes)."""
    if not is_secretariat(user):
        raise NotAllowed(_("只有秘书处可以查看账号认领名单。"))
    qs = Expert.objects.filter(user__isnull=True)
    for word in (q or "").split()[:5]:
        digits = re.sub(r"\D", "", word)
        condition = Q(name__icontains=word) | Q(employer__icontains=word)
        if len(digits) >= 3:
            condition |= Q(phone__regex=r"[^0-9]*".join(re.escape(d) for d in digits))
        qs = qs.filter(condition)
    return qs.order_by("name", "id")


def can_see_conflicts(user, expert: Expert) -> bool:
    """An expert's declared conflicts of interest are private: the expert and the secretariat see them."""
    if is_secretariat(user):
        return True
    own = expert_of(user)
    return own is not None and own.pk == expert.pk


def skill_list() -> QuerySet[Skill]:
    return Skill.objects.select_related("parent")


def skills_found(q: str) -> QuerySet[Skill]:
    """Skills whose name, code, English name or a synonym holds `q` (the skill picker's suggestions), alike on
    SQLite and PostgreSQL."""
    return skill_list().filter(Q(name__icontains=q) | Q(code__icontains=q) | Q(name_en__icontains=q)
                               | json_icontains("synonyms", q))


def skill_words() -> list[str]:
    """Every skill's name and synonyms: words the search segmenter keeps whole (registered in
    experts/search_indexes.py; reread after a taxonomy change)."""
    words = []
    for name, synonyms in Skill.objects.values_list("name", "synonyms"):
        words.append(name)
        words.extend(s for s in synonyms or [] if isinstance(s, str))
    return words


def skill_word_records(skill: Skill) -> dict:
    """Where each word of `skill` came from: {"synonym" | "problem": {word: SkillWord}} (with who added it, and
    the removed ones, which the curation page lists apart)."""
    records = {SkillWord.Kind.SYNONYM: {}, SkillWord.Kind.PROBLEM: {}}
    for row in skill.words.select_related("added_by", "removed_by").order_by("id"):
        records[row.kind][row.word] = row
    return records


def skill_change_preview(skill: Skill, *, synonyms: list[str] | None = None, problems: list[str] | None = None,
                         limit: int = 50) -> dict:
    """Which experts a change of `skill`'s words affects, before it is saved: those whose biography,
    achievements or self-filled skills mention a word added or removed (matching reads those texts through the
    taxonomy's words), besides the experts who list the skill itself.

    Returns {"added": [...], "removed": [...], "experts": [(expert, [words it mentions])] (at most `limit`),
    "count": how many experts are affected, "with_skill": how many list the skill}."""
    added, removed = [], []
    for field, given in (("synonyms", synonyms), ("problems", problems)):
        if given is None:
            continue
        current = list(getattr(skill, field) or [])
        added += [w for w in given if w not in current]
        removed += [w for w in current if w not in given]
    words = [*added, *removed]
    affected = {}
    if words:
        mentions = Q()
        for word in words:
            mentions |= Q(bio__contains=word) | Q(achievements__contains=word)
        for pk, bio, achievements in Expert.objects.filter(mentions).values_list("pk", "bio", "achievements"):
            affected[pk] = [w for w in words if w in (bio or "") or w in (achievements or "")]
        for pk, tags in Expert.objects.exclude(skill_tags=[]).values_list("pk", "skill_tags"):
            found = [w for w in words if any(isinstance(t, str) and w in t for t in tags or ())]
            if found:
                affected[pk] = sorted({*affected.get(pk, ()), *found}, key=words.index)
    shown = sorted(affected)[:limit]
    experts = Expert.objects.in_bulk(shown)
    return {
        "added": added, "removed": removed,
        "experts": [(experts[pk], affected[pk]) for pk in shown if pk in experts],
        "count": len(affected),
        "with_skill": skill.experts.count(),
    }
