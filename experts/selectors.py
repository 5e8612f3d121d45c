"""Reads of the 劳模工匠库 and the skill taxonomy."""
from django.db.models import QuerySet

from .models import Expert, Skill


def expert_list(*, user=None) -> QuerySet[Expert]:
    return Expert.objects.all()


def skill_list() -> QuerySet[Skill]:
    return Skill.objects.select_related("parent")


def skill_words() -> list[str]:
    """Every skill's name and synonyms: words the search segmenter keeps whole (registered in
    experts/search_indexes.py; reread after a taxonomy change)."""
    words = []
    for name, synonyms in Skill.objects.values_list("name", "synonyms"):
        words.append(name)
        words.extend(s for s in synonyms or [] if isinstance(s, str))
    return words
