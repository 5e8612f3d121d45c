"""Reads of the 劳模工匠库 and the skill taxonomy."""
from django.db.models import QuerySet

from jianglian.roles import enterprise_ids, expert_of, is_secretariat

from .models import Expert, Skill

# Once an expert has accepted a pairing, the enterprise may contact them, for good.
CONTACT_REVEALING_PAIRING_STATES = ("accepted", "active", "completed", "terminated")


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


def contact_visible_expert_ids(user) -> frozenset | None:
    """Ids of experts whose contact details `user` may see; None means all of them (secretariat).

    One query whatever the number of experts listed, so lists can ask once per request.
    """
    if user is None or not user.is_authenticated:
        return frozenset()
    if is_secretariat(user):
        return None
    cached = getattr(user, "_cached_contact_visible_expert_ids", None)
    if cached is not None:
        return cached
    from matching.models import PairingAgreement

    ids = set(
        PairingAgreement.objects.filter(
            challenge__enterprise_id__in=enterprise_ids(user), status__in=CONTACT_REVEALING_PAIRING_STATES
        ).values_list("expert_id", flat=True)
    )
    own = expert_of(user)
    if own is not None:
        ids.add(own.pk)
    user._cached_contact_visible_expert_ids = frozenset(ids)
    return user._cached_contact_visible_expert_ids


def can_see_contact(user, expert: Expert) -> bool:
    visible = contact_visible_expert_ids(user)
    return visible is None or expert.pk in visible
