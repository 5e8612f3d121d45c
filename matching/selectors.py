"""Reads of matching: a challenge's stored matches, for those allowed to see them, and their reasons."""
from django.db.models import QuerySet
from django.utils.translation import get_language

from jianglian.errors import NotAllowed
from jianglian.roles import enterprise_ids, is_secretariat

from .models import Match

LANGUAGES = ("zh-hans", "en")


def can_see_matches(user, challenge) -> bool:
    """Only the challenge's enterprise staff and the secretariat see who was ranked for it."""
    return is_secretariat(user) or challenge.enterprise_id in enterprise_ids(user)


def match_list(*, user, challenge, kind: str = Match.Kind.EXPERT) -> QuerySet[Match]:
    """The stored ranking of `kind` ("expert" or "studio") for `challenge`, best first."""
    if kind not in Match.Kind.values:
        raise ValueError(f"unknown match kind {kind!r}")
    if not can_see_matches(user, challenge):
        raise NotAllowed("只有发布需求的企业和秘书处可以查看匹配结果 / Only the enterprise and the secretariat see matches.")
    return (
        Match.objects.filter(challenge=challenge, kind=kind)
        .select_related("expert", "studio")
        .order_by("rank")
    )


def reason_language(language: str | None = None) -> str:
    """zh-hans or en, from `language` or the active language."""
    language = (language or get_language() or "zh-hans").lower()
    return "en" if language.startswith("en") else "zh-hans"


def match_reasons(breakdown: list[dict], language: str | None = None) -> list[dict]:
    """The breakdown as readable reasons in one language: [{signal, weight, value, explanation}]."""
    language = reason_language(language)
    reasons = []
    for entry in breakdown or []:
        explanation = entry.get("explanation") or {}
        if isinstance(explanation, dict):
            text = explanation.get(language) or explanation.get("zh-hans") or next(iter(explanation.values()), "")
        else:
            text = str(explanation)
        reasons.append({
            "signal": entry.get("signal", ""),
            "weight": entry.get("weight", 0.0),
            "value": entry.get("value", 0.0),
            "explanation": text,
        })
    return reasons
