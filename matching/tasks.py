"""Celery tasks of matching: each takes ids, loads the objects and calls a service (idempotent).

Tasks import the services; the services queue tasks after commit through a function-local import (the one
lazy side of the pair, listed in the import contract in pyproject.toml)."""
import logging

from celery import shared_task

from enterprises.models import Challenge
from jianglian.errors import IllegalTransition

from .services import (
    challenge_matches_compute, conflicts_changed, expert_changed, experts_changed, rankings_catch_up, taxonomy_rerank,
)

logger = logging.getLogger(__name__)


@shared_task(name="matching.compute_challenge_matches", acks_late=True)
def compute_challenge_matches(challenge_id: int) -> int:
    """Rank experts and studios for one challenge and store the Match rows; returns how many were stored.

    A challenge deleted, or paired, resolved or closed, before the worker got to it is left as it is (0).
    """
    challenge = Challenge.objects.filter(pk=challenge_id).first()
    if challenge is None:  # deleted before the worker got to it
        return 0
    try:
        return challenge_matches_compute(challenge=challenge)
    except IllegalTransition as refused:
        if refused.code != "challenge_not_rankable":
            raise
        logger.info("challenge %s is %s: its matches are not recomputed", challenge_id, challenge.status)
        return 0


@shared_task(name="matching.refresh_expert", acks_late=True)
def refresh_expert(expert_id: int) -> int:
    """Re-derive one expert's skill areas, then queue the open challenges the change may affect."""
    return expert_changed(expert_id=expert_id)


@shared_task(name="matching.refresh_experts", acks_late=True)
def refresh_experts(expert_ids: list[int], studio_ids: list[int] = ()) -> int:
    """Re-derive the skill areas of the experts (and studios) changed by one transaction, then queue the open
    challenges the changes may affect, each once."""
    return experts_changed(expert_ids=expert_ids, studio_ids=studio_ids)


@shared_task(name="matching.rerank_after_conflicts_change", acks_late=True)
def rerank_after_conflicts_change(enterprise_ids: list[int] = (), names: list[str] = (), expert_ids: list[int] = (),
                                  studio_ids: list[int] = (), user_ids: list[int] = ()) -> int:
    """Queue the open challenges whose conflicts of interest the changes of one transaction touch, each once."""
    return conflicts_changed(enterprise_ids=enterprise_ids, names=names, expert_ids=expert_ids,
                             studio_ids=studio_ids, user_ids=user_ids)


@shared_task(name="matching.rerank_after_taxonomy_change", acks_late=True)
def rerank_after_taxonomy_change() -> int:
    """Re-derive every candidate's skill areas with the edited taxonomy and re-rank the open challenges."""
    queued = taxonomy_rerank()
    logger.info("skill taxonomy changed: candidate areas re-derived, %d open challenges queued for ranking", queued)
    return queued


@shared_task(name="matching.catch_up_rankings", acks_late=True)
def catch_up_rankings() -> int:
    """Beat task: rank again the open challenges whose ranking is missing or older than their last change."""
    return rankings_catch_up()
