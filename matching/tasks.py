"""Celery tasks of matching: each takes ids, loads the objects and calls a service (idempotent)."""
from celery import shared_task


@shared_task(name="matching.compute_challenge_matches", acks_late=True)
def compute_challenge_matches(challenge_id: int) -> int:
    """Rank experts and studios for one challenge and store the Match rows; returns how many were stored."""
    from enterprises.models import Challenge

    from .services import challenge_matches_compute

    challenge = Challenge.objects.filter(pk=challenge_id).first()
    if challenge is None:  # deleted before the worker got to it
        return 0
    return challenge_matches_compute(challenge=challenge)


@shared_task(name="matching.refresh_expert", acks_late=True)
def refresh_expert(expert_id: int) -> int:
    """Re-derive one expert's skill areas, then queue the open challenges the change may affect."""
    from .services import expert_changed

    return expert_changed(expert_id=expert_id)
