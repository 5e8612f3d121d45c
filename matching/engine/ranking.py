"""Rank experts or studios for one challenge: retrieve candidates, score each signal, sort."""
from __future__ import annotations


from django.db import connection
from django.db.models import Count

from search.text import normalize, tokenize_query, words

from . import config, evidence, scoring
from .needs import Needs, challenge_needs, sentence_role
from .profiles import sentences
from .retrieval import retrieve
from .scoring import Candidate
from .taxonomy import TaxonomyIndex, get_taxonomy

HOLDING = ("accepted", "active")
COMPLETED = "completed"


def own_words(challenge) -> list[str]:
    """The posting's own sentences: its title and description without the company introduction."""
    return [challenge.title] + [s for s in sentences(challenge.description) if sentence_role(s) != "intro"]


def challenge_queries(taxonomy: TaxonomyIndex, challenge, needs: Needs) -> tuple[dict[str, float], dict[str, float]]:
    """Two weighted queries: the posting's own words (without the company introduction), and its areas' terms.

    BM25 adds up over tokens, so the two scores of a candidate add up to the score of one query holding both;
    kept apart, the first says how much of the posting's own wording a profile repeats (specific evidence).
    """
    own = dict.fromkeys(tokenize_query("。".join(own_words(challenge)))[: config.QUERY_OWN_TOKENS], 1.0)
    expansion: dict[str, float] = {}
    for needs_of_rank, weight in ((needs.main, config.EXPANSION_WEIGHT_MAIN), (needs.secondary, config.EXPANSION_WEIGHT_SECOND)):
        for need in needs_of_rank:
            for term in taxonomy.area_terms(need.area_id)[: config.EXPANSION_TERMS_PER_AREA]:
                for token in tokenize_query(term):
                    if token in own:
                        continue
                    if token in expansion or len(expansion) < config.QUERY_EXPANSION_TOKENS:
                        expansion[token] = max(expansion.get(token, 0.0), weight * need.share)
    return own, expansion


def needs_of(challenge, taxonomy: TaxonomyIndex | None = None) -> Needs:
    """The skill areas `challenge` asks for, as the engine reads them (through `taxonomy`, read when not given)."""
    taxonomy = taxonomy or get_taxonomy()
    skill_ids = [s.pk for s in challenge.skills.all()] if challenge.pk else []
    return challenge_needs(taxonomy, title=challenge.title, description=challenge.description,
                           category=challenge.category, skill_ids=skill_ids)


def rank_challenge(challenge, *, kind: str, limit: int | None = config.STORED_MATCHES,
                   disabled_signals=(), explain: int | None = None, exclude=frozenset()) -> list[Candidate]:
    """The best candidates of `kind` ("expert" or "studio") for `challenge`, best first.

    Each returned candidate carries its breakdown; with `explain`, only the first `explain` do
    (explanations cost more than scores when every candidate is returned). Candidates whose ids are in
    `exclude` (conflicts of interest: matching.conflicts) are dropped before anything is scored.
    """
    taxonomy = get_taxonomy()
    needs = needs_of(challenge, taxonomy)
    text_limit = config.TEXT_CANDIDATES if kind == "expert" else config.STUDIO_TEXT_CANDIDATES
    own_query, expansion_query = challenge_queries(taxonomy, challenge, needs)
    own_scores = retrieve(kind, own_query, limit=text_limit)
    expansion_scores = retrieve(kind, expansion_query, limit=text_limit)
    text_scores = {pk: own_scores.get(pk, 0.0) + expansion_scores.get(pk, 0.0)
                   for pk in {*own_scores, *expansion_scores}}
    load = _load_experts if kind == "expert" else _load_studios
    candidates = load(needs, text_scores)
    if exclude:  # conflicts of interest (matching.conflicts): never scored, never ranked
        candidates = [c for c in candidates if c.id not in exclude]
    for candidate in candidates:
        candidate.own_score = own_scores.get(candidate.id, 0.0)
    weights = {name: w for name, w in (config.WEIGHTS if kind == "expert" else config.STUDIO_WEIGHTS).items()
               if name not in disabled_signals}
    ctx = scoring.Context(
        taxonomy=taxonomy, needs=needs, category=challenge.category, province=challenge.enterprise.province,
        city=challenge.enterprise.city, preferred_province=challenge.preferred_province,
        strict=challenge.region_strictness == "strict",
        best_text=max((c.text_score for c in candidates), default=0.0),
        evidence=evidence.measure(kind, candidates, own_query) if "evidence" in weights else evidence.Evidence(),
        confidence=scoring.reading_confidence(needs) if kind == "expert" else 1.0,
        media=scoring.media_of(normalize("。".join(own_words(challenge)))),
    )
    if not ctx.preferred_province:
        weights.pop("preferred_region", None)
    for candidate in candidates:
        score_candidate(ctx, candidate, weights)
    candidates.sort(key=lambda c: (-c.score, c.id))
    ranked = candidates[:limit] if limit else candidates
    shown = ranked[: explain if explain is not None else len(ranked)]
    if "evidence" in weights:
        ctx.matched = evidence.shown_words(ctx.evidence, kind, shown, own_query,
                                           words("。".join(own_words(challenge))))
    for candidate in shown:
        candidate.breakdown = [
            {"signal": name, "weight": weight, "value": round(candidate.values[name], 4),
             "explanation": scoring.REASONS[name](ctx, candidate)}
            for name, weight in weights.items()
        ]
    return ranked


def score_candidate(ctx: scoring.Context, c: Candidate, weights: dict) -> None:
    """Set c.values (one per weighted signal) and c.score = Σ weight × value."""
    gain = scoring.expected_gain(ctx, c)
    values = {"skill": gain * ctx.confidence}
    if "text" in weights:
        values["text"] = scoring.text_value(ctx, c)
    if "evidence" in weights:
        values["evidence"] = scoring.evidence_value(ctx, c)
    if "category" in weights:
        values["category"] = scoring.category_value(ctx, c)
    if "region" in weights:
        values["region"] = scoring.region_value(ctx, c)
    if "preferred_region" in weights:
        values["preferred_region"] = scoring.preferred_region_value(ctx, c, gain) * ctx.confidence
    if "availability" in weights:
        values["availability"] = scoring.availability_value(ctx, c)
    if "track_record" in weights:
        values["track_record"] = scoring.track_record_value(ctx, c)
    c.values = values
    c.score = sum(weights[name] * value for name, value in values.items() if name in weights)


# --- loading candidates -----------------------------------------------------------------------

def area_quota(needs: Needs, first: int, other: int) -> list[tuple[int, int]]:
    """(area id, how many candidates to take by depth): the likeliest main need, the runner-up, the second need."""
    picks = [n.area_id for n in needs.main[:2]] + [n.area_id for n in needs.secondary[:1]]
    picks = list(dict.fromkeys(picks))
    return [(a, first if i == 0 else other) for i, a in enumerate(picks)]


def _load_experts(needs: Needs, text_scores: dict[int, float]) -> list[Candidate]:
    from ..models import ExpertArea

    ids = set(text_scores)
    ids.update(_deepest_in_areas(ExpertArea, "expert_id",
                                 area_quota(needs, config.AREA_CANDIDATES, config.AREA_CANDIDATES_OTHER)))
    if not ids:
        return []
    holding: dict[int, int] = {}
    completed: dict[int, tuple[int, float | None]] = {}
    for expert_id, status, n, rating in _pairing_counts(ids):
        if status == COMPLETED:
            completed[expert_id] = (n, float(rating) if rating is not None else None)  # PostgreSQL: Decimal
        else:
            holding[expert_id] = holding.get(expert_id, 0) + n
    # one row per (expert, derived area), with the profile clause it was read from
    candidates: dict[int, Candidate] = {}
    for pk, name, province, city, accepting, capacity, skill_id, level, evidence in _expert_rows(ids):
        candidate = candidates.get(pk)
        if candidate is None:
            done, rating = completed.get(pk, (0, None))
            candidate = candidates[pk] = Candidate(
                id=pk, name=name, province=province, city=city, areas={}, accepting=bool(accepting),
                capacity=capacity, holding=holding.get(pk, 0), completed=done, mean_rating=rating,
                text_score=text_scores.get(pk, 0.0),
            )
        if skill_id is not None:
            candidate.areas[skill_id] = (level, evidence or "")
    return list(candidates.values())


# The reads below run for every ranking with a few hundred ids; written in SQL because the ORM's query
# building and per-id parameter preparation cost more than the queries themselves (bench/matching.py).

def _deepest_in_areas(area_model, owner: str, quota: list[tuple[int, int]]) -> list[int]:
    """The ids (`owner` column of `area_model`'s table) of the deepest holders of each area, as many as its quota
    asks (area_quota), in one statement."""
    if not quota:
        return []
    table = area_model._meta.db_table
    one = f"SELECT * FROM (SELECT {owner} FROM {table} WHERE skill_id = %s AND level >= 1 ORDER BY level DESC LIMIT %s) q{{}}"
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(one.format(i) for i in range(len(quota))),
                       [value for pair in quota for value in pair])
        return [row[0] for row in cursor.fetchall()]


def _expert_rows(ids) -> list[tuple]:
    """(id, name, province, city, accepting, capacity, derived area id, level, evidence — None without areas)."""
    from experts.models import Expert

    from ..models import ExpertArea

    ids = [int(i) for i in ids]
    sql = (
        f"SELECT e.id, e.name, e.province, e.city, e.accepting_pairings, e.capacity, a.skill_id, a.level, a.evidence "
        f"FROM {Expert._meta.db_table} e LEFT JOIN {ExpertArea._meta.db_table} a ON a.expert_id = e.id "
        f"WHERE e.id IN ({', '.join(['%s'] * len(ids))})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, ids)
        return cursor.fetchall()


def _pairing_counts(ids) -> list[tuple]:
    """(expert id, status, count, mean enterprise rating) for the pairings that hold capacity or are completed."""
    from matching.models import PairingAgreement

    ids = [int(i) for i in ids]
    statuses = [*HOLDING, COMPLETED]
    sql = (
        f"SELECT expert_id, status, COUNT(*), AVG(enterprise_rating) FROM {PairingAgreement._meta.db_table} "
        f"WHERE expert_id IN ({', '.join(['%s'] * len(ids))}) AND status IN ({', '.join(['%s'] * len(statuses))}) "
        f"GROUP BY expert_id, status"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*ids, *statuses])
        return cursor.fetchall()


def _load_studios(needs: Needs, text_scores: dict[int, float]) -> list[Candidate]:
    from alliance.models import Studio
    from matching.models import PairingAgreement

    from ..models import StudioArea

    ids = set(text_scores)
    ids.update(_deepest_in_areas(StudioArea, "studio_id",
                                 area_quota(needs, config.STUDIO_AREA_CANDIDATES, config.STUDIO_AREA_CANDIDATES_OTHER)))
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
