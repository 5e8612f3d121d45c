"""Celery tasks of the platform itself: sending recorded notifications, running roster uploads."""
import logging

from celery import shared_task

from .files import orphan_files_sweep
from .idempotency import purge_expired
from .notifications import DeliveryDeferred, deliver, pending_ids, retry_delay
from .rosters.jobs import upload_recover, upload_run

logger = logging.getLogger(__name__)


@shared_task(name="jianglian.send_notification", bind=True, acks_late=True, max_retries=None)
def send_notification(self, log_id: int) -> bool:
    """Send one recorded notification on its channel; idempotent (a sent one is not sent again). A transient
    failure is retried with exponential backoff until the row's attempts reach NOTIFICATION_MAX_ATTEMPTS, when
    deliver() marks it failed."""
    try:
        return deliver(log_id)
    except DeliveryDeferred as exc:
        if self.request.is_eager:  # in-process (no broker): the flush beat job tries again later, not now
            logger.info("notification %s deferred to the next flush: %s", log_id, exc)
            return False
        raise self.retry(exc=exc, countdown=retry_delay(self.request.retries + 1)) from exc


@shared_task(name="jianglian.sweep_orphan_files", acks_late=True)
def sweep_orphan_files() -> dict[str, int]:
    """Beat task: delete stored files no row names, left by writes rolled back (jianglian.files)."""
    return orphan_files_sweep()


@shared_task(name="jianglian.flush_notifications", acks_late=True)
def flush_notifications() -> int:
    """Beat task: send notifications whose task never ran. Returns how many were sent."""
    sent = 0
    for log_id in pending_ids():
        try:
            sent += deliver(log_id)
        except DeliveryDeferred:
            continue  # counted on the row; the next flush (or the task's retry) tries again
    return sent


@shared_task(name="jianglian.roster_upload_run")
def roster_upload_run(upload_id: int) -> str | None:
    """Check or import one roster upload (jianglian.rosters.jobs); a second delivery finds nothing to claim."""
    return upload_run(upload_id)


@shared_task(name="jianglian.recover_roster_uploads")
def recover_roster_uploads() -> int:
    """Beat task: run again the roster checks and imports a restart or a killed worker cut off."""
    return upload_recover()


@shared_task(name="jianglian.purge_idempotency_keys")
def purge_idempotency_keys() -> int:
    """Beat task: forget idempotency keys past their keeping time (jianglian.idempotency)."""
    return purge_expired()
