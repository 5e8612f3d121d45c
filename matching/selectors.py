"""Reads of matching: which challenges are ranked, a challenge's stored matches for those allowed to see
them, and their reasons."""
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import get_language, gettext_lazy as _

from enterprises.models import Challenge
from enterprises.selectors import challenge_list
from jianglian.errors import DomainError, IllegalTransition, NotAllowed
from jianglian.roles import enterprise_ids, expert_of, is_secretariat

from .models import Match

LANGUAGES = ("zh-hans", "en")

# --- which challenges are ranked (the one rule; every path that computes a ranking goes through it) -----
#
# - open: live. Ranked when published or edited, re-ranked when a candidate's profile changes and when a
#   paired challenge reopens (its pairing terminated); the ranking experts are invited from.
# - draft: a preview, computed only when its enterprise (or the secretariat) asks for it; seen by them alone
#   (like every ranking), never refreshed by itself, replaced by the live ranking on publishing.
# - paired, resolved, closed: frozen. The last ranking stays readable as it was; it is never recomputed, and
#   no pairing can be proposed from it (matching.pairings.selectors.proposal_refusal: challenge_not_open).
RANKED_STATES = (Challenge.Status.OPEN,)  # kept current automatically
RANKABLE_STATES = (Challenge.Status.OPEN, Challenge.Status.DRAFT)  # may be computed at all


def rankings_due(*, limit: int = 200) -> list[int]:
    """Ids of live (open) challenges whose ranking is missing or older than their last change, oldest change first:
    what a lost computation left behind (the broker down at commit, a worker killed, a task that failed).
    A challenge with no candidate at all stores no rows and so is due again each time: `limit` bounds the work."""
    from django.db.models import F, Max, Q

    return list(
        Challenge.objects.filter(status__in=RANKED_STATES)
        .annotate(ranked_at=Max("matches__computed_at"))
        .filter(Q(ranked_at__isnull=True) | Q(ranked_at__lt=F("updated_at")))
        .order_by("updated_at", "id").values_list("id", flat=True)[:limit]
    )


def ranking_refusal(challenge) -> DomainError | None:
    """Why `challenge` may not be ranked now (IllegalTransition `challenge_not_rankable`, 409), or None."""
    if challenge.status in RANKABLE_STATES:
        return None
    return IllegalTransition(
        f"需求{challenge.get_status_display()}，匹配结果保留为最后一次计算的结果，不再重新计算。"
        f" / The challenge is {challenge.status}: its last ranking is kept and no longer recomputed.",
        code="challenge_not_rankable",
    )


def ranking_request_refusal(user, challenge) -> DomainError | None:
    """Why `user` may not ask for `challenge` to be ranked now (a refresh, or a draft's preview), or None:
    those who see its matches may, while it is open or a draft."""
    if not can_see_matches(user, challenge):
        return NotAllowed("只有发布需求的企业和秘书处可以计算匹配结果 / "
                          "Only the enterprise and the secretariat may rank a challenge.")
    return ranking_refusal(challenge)


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


# --- an expert's fitting challenges ----------------------------------------------------------------

# The expert's rank among the candidates of a challenge, as a band: where a rank-48 sits is not where a #1 sits.
RANK_BANDS = ((3, "top3", _("前 3 名")), (10, "top10", _("前 10 名")), (None, "related", _("相关领域可协助")))


@dataclass(frozen=True)
class FittingChallenge:
    challenge: Challenge
    rank: int
    score: float
    band: str          # top3 | top10 | related
    band_label: str


def rank_band(rank: int) -> tuple[str, str]:
    for last, code, label in RANK_BANDS:
        if last is None or rank <= last:
            return code, str(label)
    raise AssertionError("the last band has no limit")


def fitting_challenges(*, user, expert) -> list[FittingChallenge]:
    """The open challenges `user` may see where the engine ranked `expert`: best band first (前 3 名, 前 10 名,
    相关领域可协助), within a band by the expert's own fit (the match score), then newest."""
    visible = challenge_list(user=user).filter(status=Challenge.Status.OPEN)
    rows = (
        Match.objects.filter(kind=Match.Kind.EXPERT, expert=expert, challenge__in=visible)
        .select_related("challenge__enterprise").prefetch_related("challenge__skills")
    )
    fitting = [FittingChallenge(m.challenge, m.rank, m.score, *rank_band(m.rank)) for m in rows]
    order = {code: i for i, (_, code, _) in enumerate(RANK_BANDS)}
    fitting.sort(key=lambda f: (order[f.band], -f.score, -(f.challenge.published_at.timestamp()
                                                            if f.challenge.published_at else 0), -f.challenge.pk))
    return fitting


def can_see_fitting_challenges(user, expert) -> bool:
    """An expert's fitting challenges are the expert's own page: the expert and the secretariat see them."""
    own = expert_of(user)
    return is_secretariat(user) or (own is not None and own.pk == expert.pk)


def fitting_challenge_list(*, user, expert) -> list[FittingChallenge]:
    """`fitting_challenges` for REST and GraphQL: NotAllowed unless `user` is that expert or the secretariat."""
    if not can_see_fitting_challenges(user, expert):
        raise NotAllowed("只有劳模工匠本人和秘书处可以查看适合的需求 / "
                         "Only the expert and the secretariat see an expert's fitting challenges.")
    return fitting_challenges(user=user, expert=expert)
