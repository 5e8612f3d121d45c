"""Celery tasks of the platform itself: sending recorded notifications."""
from smtplib import SMTPException

from celery import shared_task

from .idempotency import purge_expired
from .notifications import deliver, pending_ids
from .rosters.jobs import upload_run


@shared_task(
    name="jianglian.send_notification", acks_late=True,
    autoretry_for=(SMTPException, ConnectionError), retry_backoff=True, max_retries=5,
)
def send_notification(log_id: int) -> bool:
    """Send one recorded notification; idempotent (a sent one is not sent again)."""
    return deliver(log_id)


@shared_task(name="jianglian.flush_notifications", acks_late=True)
def flush_notifications() -> int:
    """Beat task: send notifications whose task never ran. Returns how many were sent."""
    return sum(1 for log_id in pending_ids() if deliver(log_id))


@shared_task(name="jianglian.roster_upload_run")
def roster_upload_run(upload_id: int) -> str | None:
    """Check or import one roster upload (jianglian.rosters.jobs); a second delivery finds nothing to claim."""
    return upload_run(upload_id)


@shared_task(name="jianglian.purge_idempotency_keys")
def purge_idempotency_keys() -> int:
    """Beat task: forget idempotency keys past their keeping time (jianglian.idempotency)."""
    return purge_expired()
