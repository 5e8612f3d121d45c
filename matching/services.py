"""Writes of matching: computing and storing ranked Match rows, keeping candidate profiles current.

Which challenges are ranked, and when, is matching.selectors' rule (RANKED_STATES, ranking_refusal):
open ones live, drafts as a preview on request, paired / resolved / closed ones never again.
"""
import logging

from django.db import transaction
from django.utils import timezone

from enterprises.models import Challenge
from experts.models import Expert
from jianglian.transactions import on_commit_collect

from .conflicts import conflict_scope, excluded_expert_ids, excluded_studio_ids
from .engine import ALGORITHM_VERSION, needs_of, rank_challenge
from .engine.profiles import refresh_all_areas, refresh_expert_areas, refresh_studio_areas
from .engine.taxonomy import forget_taxonomy
from .models import ChallengeNeed, Match
from .selectors import RANKED_STATES, ranking_refusal, ranking_request_refusal, rankings_due


def queue_match_computation(challenge: Challenge) -> None:
    """Queue the (re)computation of a challenge's matches once the current transaction commits.

    Called by the receivers (matching.receivers: a challenge published, changed or reopened, a candidate
    changed) and by `challenge_matches_request`. The task checks the
    challenge's state again when it runs (it may have been closed meanwhile).
    """
    on_commit_collect("matching.compute_challenge_matches", [challenge.pk], _send_match_computations)


def _send_match_computations(challenge_ids) -> None:
    from .tasks import compute_challenge_matches  # the lazy side of services ↔ tasks (pyproject's import contract)

    for challenge_id in sorted(challenge_ids):
        compute_challenge_matches.delay(challenge_id)


@transaction.atomic
def challenge_matches_request(*, user, challenge: Challenge) -> Challenge:
    """`user` asks for `challenge` to be ranked now: a refresh of an open challenge's ranking, or a preview of
    a draft. Its enterprise's staff and the secretariat may (NotAllowed otherwise); a paired, resolved or
    closed challenge is not ranked any more (IllegalTransition `challenge_not_rankable`). Queued on commit."""
    refusal = ranking_request_refusal(user, challenge)
    if refusal is not None:
        raise refusal
    queue_match_computation(challenge)
    return challenge


@transaction.atomic
def challenge_matches_compute(*, challenge: Challenge) -> int:
    """Rank experts and studios for `challenge` and replace its stored Match rows.

    Only an open challenge or a draft is ranked (IllegalTransition `challenge_not_rankable` otherwise),
    judged on its state when the computation starts, under the challenge's row lock.
    Idempotent: running it twice stores the same ranking (with a newer computed_at).
    """
    # Two workers recomputing the same challenge take turns (else their inserted ranks would collide), and
    # a challenge closed or paired since the computation was queued is seen as it is now.
    status = Challenge.objects.select_for_update().filter(pk=challenge.pk).values_list("status", flat=True).first()
    if status is not None:
        challenge.status = status
    refusal = ranking_refusal(challenge)
    if refusal is not None:
        raise refusal
    now = timezone.now()
    rows = []
    excluded = excluded_expert_ids(challenge)  # conflicts of interest: left out before scoring
    excluded_studios = excluded_studio_ids(challenge, excluded)
    for kind in (Match.Kind.EXPERT, Match.Kind.STUDIO):
        exclude = excluded if kind == Match.Kind.EXPERT else excluded_studios
        for rank, candidate in enumerate(rank_challenge(challenge, kind=kind, exclude=exclude), start=1):
            rows.append(Match(
                challenge=challenge,
                kind=kind,
                expert_id=candidate.id if kind == Match.Kind.EXPERT else None,
                studio_id=candidate.id if kind == Match.Kind.STUDIO else None,
                rank=rank,
                score=round(candidate.score, 6),
                breakdown=candidate.breakdown,
                algorithm_version=ALGORITHM_VERSION,
                computed_at=now,
            ))
    Match.objects.filter(challenge=challenge).delete()
    Match.objects.bulk_create(rows)
    needs = needs_of(challenge)
    ChallengeNeed.objects.filter(challenge=challenge).delete()
    ChallengeNeed.objects.bulk_create(
        [ChallengeNeed(challenge=challenge, skill_id=n.area_id, role=ChallengeNeed.Role.MAIN, share=n.share)
         for n in needs.main]
        + [ChallengeNeed(challenge=challenge, skill_id=n.area_id, role=ChallengeNeed.Role.SECONDARY, share=n.share)
           for n in needs.secondary]
    )
    return len(rows)


logger = logging.getLogger(__name__)

PROFILE_BATCH = 2000


def expert_changed(*, expert_id: int) -> int:
    """Refresh one expert's derived skill areas and queue the open challenges that may rank differently now.

    Returns the number of challenges queued.
    """
    return experts_changed(expert_ids=[expert_id])


def experts_changed(*, expert_ids, studio_ids=()) -> int:
    """Refresh these experts' derived skill areas (and those of their studios and of `studio_ids`, whose
    members changed), then queue, once each, the open challenges that may rank differently now.

    In bulk: a roster import of 10,000 experts is one call, whose queries do not grow with the rows beyond
    their batches. Returns the number of challenges queued.
    """
    expert_ids = sorted(set(expert_ids))  # an id deleted meanwhile has no areas, matches or needs: a no-op
    studio_ids = set(studio_ids)
    affected = set()
    with transaction.atomic():
        for start in range(0, len(expert_ids), PROFILE_BATCH):
            batch = expert_ids[start:start + PROFILE_BATCH]
            areas = refresh_expert_areas(batch)
            studio_ids |= set(Expert.objects.filter(pk__in=batch, studio__isnull=False)
                              .values_list("studio_id", flat=True))
            # Challenges where the experts already rank, plus those needing one of their areas.
            affected |= set(
                Match.objects.filter(expert_id__in=batch, challenge__status__in=RANKED_STATES)
                .values_list("challenge_id", flat=True)
            )
            skill_ids = {skill_id for levels in areas.values() for skill_id, level in levels if level >= 1}
            if skill_ids:
                affected |= set(
                    ChallengeNeed.objects.filter(challenge__status__in=RANKED_STATES, skill_id__in=skill_ids)
                    .values_list("challenge_id", flat=True)
                )
                affected |= set(
                    Challenge.objects.filter(status__in=RANKED_STATES, skills__in=skill_ids)
                    .values_list("id", flat=True)
                )
        studio_ids = sorted(studio_ids)
        for start in range(0, len(studio_ids), PROFILE_BATCH):
            refresh_studio_areas(studio_ids[start:start + PROFILE_BATCH])
        for challenge in Challenge.objects.filter(pk__in=affected):
            queue_match_computation(challenge)
    return len(affected)


def conflicts_changed(*, enterprise_ids=(), names=(), expert_ids=(), studio_ids=(), user_ids=()) -> int:
    """Something a conflict of interest is read from changed (matching.receivers): queue, once each, the open
    challenges it touches (matching.conflicts.conflict_scope), so a candidate now in conflict leaves their
    ranking and one no longer in conflict comes back. Returns the number of challenges queued."""
    with transaction.atomic():
        challenges = list(Challenge.objects.filter(pk__in=conflict_scope(
            enterprise_ids=enterprise_ids, names=names, expert_ids=expert_ids, studio_ids=studio_ids,
            user_ids=user_ids)))
        for challenge in challenges:
            queue_match_computation(challenge)
    return len(challenges)


def rankings_catch_up(*, limit: int = 200) -> int:
    """Beat: queue every open challenge whose ranking is missing or older than its last change (selectors.
    rankings_due), so a computation lost on the way is redone without anyone asking. Returns how many."""
    due = rankings_due(limit=limit)
    if due:
        logger.warning("rankings missing or stale for %d open challenges: queued again", len(due))
        with transaction.atomic():
            for challenge in Challenge.objects.filter(pk__in=due):
                queue_match_computation(challenge)
    return len(due)


def taxonomy_rerank() -> int:
    """After the skill taxonomy changed (search.signals.taxonomy_changed): re-derive every expert's and studio's areas with it and queue the
    open challenges for ranking again. Returns the number of challenges queued."""
    forget_taxonomy()  # this process may hold an index built before the change
    refresh_all_areas()
    with transaction.atomic():
        challenges = list(Challenge.objects.filter(status__in=RANKED_STATES))
        for challenge in challenges:
            queue_match_computation(challenge)
    return len(challenges)
