"""Rank experts or studios for one challenge: retrieve candidates, score each signal, sort."""
from __future__ import annotations

from django.db.models import Avg, Count, Q

from search.text import tokenize_query

from . import config, scoring
from .needs import Needs, challenge_needs, sentence_role
from .profiles import sentences
from .retrieval import retrieve
from .scoring import Candidate
from .taxonomy import TaxonomyIndex, get_taxonomy

HOLDING = ("accepted", "active")
COMPLETED = "completed"


def challenge_query(taxonomy: TaxonomyIndex, challenge, needs: Needs) -> dict[str, float]:
    """Weighted tokens: the posting's own words (without the company introduction) and its areas' terms."""
    own = [challenge.title] + [s for s in sentences(challenge.description) if sentence_role(s) != "intro"]
    query = dict.fromkeys(tokenize_query("。".join(own)), 1.0)
    for needs_of_rank, weight in ((needs.main, config.EXPANSION_WEIGHT_MAIN), (needs.secondary, config.EXPANSION_WEIGHT_SECOND)):
        for need in needs_of_rank:
            for term in taxonomy.area_terms(need.area_id)[: config.EXPANSION_TERMS_PER_AREA]:
                for token in tokenize_query(term):
                    query[token] = max(query.get(token, 0.0), weight * need.share)
    return query


def rank_challenge(challenge, *, kind: str, limit: int | None = config.STORED_MATCHES,
                   disabled_signals=()) -> list[Candidate]:
    """The best candidates of `kind` ("expert" or "studio") for `challenge`, best first, with breakdowns."""
    taxonomy = get_taxonomy()
    skill_ids = [s.pk for s in challenge.skills.all()] if challenge.pk else []
    needs = challenge_needs(taxonomy, title=challenge.title, description=challenge.description,
                            category=challenge.category, skill_ids=skill_ids)
    text_scores = retrieve(kind, challenge_query(taxonomy, challenge, needs), limit=config.TEXT_CANDIDATES)
    load = _load_experts if kind == "expert" else _load_studios
    candidates = load(needs, text_scores)
    weights = {name: w for name, w in config.WEIGHTS.items() if name not in disabled_signals}
    best_text = max((c.text_score for c in candidates), default=0.0)
    place = (challenge.enterprise.province, challenge.enterprise.city)
    for candidate in candidates:
        _score(taxonomy, needs, challenge, place, candidate, weights, best_text)
    candidates.sort(key=lambda c: (-c.score, c.id))
    return candidates[:limit] if limit else candidates


def _score(taxonomy, needs, challenge, place, candidate: Candidate, weights: dict, best_text: float) -> None:
    gain, skill_reason = scoring.skill_signal(taxonomy, needs, candidate)
    signals = {
        "text": lambda: scoring.text_signal(candidate, best_text),
        "skill": lambda: (gain, skill_reason),
        "category": lambda: scoring.category_signal(taxonomy, challenge.category, candidate),
        "region": lambda: scoring.region_signal(*place, candidate),
        "preferred_region": lambda: scoring.preferred_region_signal(taxonomy, needs, challenge, candidate, gain),
        "availability": lambda: scoring.availability_signal(candidate),
        "track_record": lambda: scoring.track_record_signal(candidate),
    }
    breakdown, score = [], 0.0
    for name, weight in weights.items():
        result = signals[name]()
        if result is None:  # the signal does not apply to this challenge
            continue
        value, reason = result
        score += weight * value
        breakdown.append({"signal": name, "weight": weight, "value": round(value, 4), "explanation": reason})
    candidate.score, candidate.breakdown = score, breakdown


# --- loading candidates -----------------------------------------------------------------------

def _load_experts(needs: Needs, text_scores: dict[int, float]) -> list[Candidate]:
    from experts.models import Expert

    from ..models import ExpertArea

    ids = set(text_scores)
    for i, area_id in enumerate(needs.area_ids):
        per_area = config.AREA_CANDIDATES if i == 0 else config.AREA_CANDIDATES_OTHER
        ids.update(
            ExpertArea.objects.filter(skill_id=area_id, level__gte=1)
            .order_by("-level", "expert_id").values_list("expert_id", flat=True)[:per_area]
        )
    if not ids:
        return []
    areas: dict[int, dict] = {}
    for expert_id, skill_id, level, evidence in ExpertArea.objects.filter(expert_id__in=ids).values_list(
        "expert_id", "skill_id", "level", "evidence"
    ):
        areas.setdefault(expert_id, {})[skill_id] = (level, evidence)
    rows = (
        Expert.objects.filter(pk__in=ids)
        .annotate(
            holding=Count("pairings", filter=Q(pairings__status__in=HOLDING)),
            completed=Count("pairings", filter=Q(pairings__status=COMPLETED)),
            mean_rating=Avg("pairings__enterprise_rating", filter=Q(pairings__status=COMPLETED)),
        )
        .values_list("id", "name", "province", "city", "accepting_pairings", "capacity", "holding", "completed",
                     "mean_rating")
    )
    return [
        Candidate(id=pk, name=name, province=province, city=city, areas=areas.get(pk, {}), accepting=accepting,
                  capacity=capacity, holding=holding, completed=completed, mean_rating=rating,
                  text_score=text_scores.get(pk, 0.0))
        for pk, name, province, city, accepting, capacity, holding, completed, rating in rows
    ]


def _load_studios(needs: Needs, text_scores: dict[int, float]) -> list[Candidate]:
    from alliance.models import Studio
    from matching.models import PairingAgreement

    from ..models import StudioArea

    ids = set(text_scores)
    if needs.area_ids:
        ids.update(StudioArea.objects.filter(skill_id__in=needs.area_ids, level__gte=1).values_list("studio_id", flat=True))
    if not ids:
        return []
    areas: dict[int, dict] = {}
    for studio_id, skill_id, level, evidence in StudioArea.objects.filter(studio_id__in=ids).values_list(
        "studio_id", "skill_id", "level", "evidence"
    ):
        areas.setdefault(studio_id, {})[skill_id] = (level, evidence)
    holding = dict(
        PairingAgreement.objects.filter(expert__studio_id__in=ids, status__in=HOLDING)
        .values_list("expert__studio_id").annotate(n=Count("id")).values_list("expert__studio_id", "n")
    )
    rows = Studio.objects.filter(pk__in=ids).values_list("id", "name", "province", "city", "capacity",
                                                        "membership_status")
    return [
        Candidate(id=pk, name=name, province=province, city=city, areas=areas.get(pk, {}),
                  accepting=status != Studio.MembershipStatus.SUSPENDED, capacity=capacity,
                  holding=holding.get(pk, 0), text_score=text_scores.get(pk, 0.0))
        for pk, name, province, city, capacity, status in rows
    ]
