"""Beat tasks of pairing agreements: expiry of unanswered proposals and the reminder before it.

Both are idempotent: a proposal expires once (status check under a row lock), and a reminder is
claimed by a conditional update of `reminder_sent_at` before its notification is recorded.
"""
from celery import shared_task

from .services import pairing_expire_due, pairing_send_reminders, studio_invitation_expire_due


@shared_task(name="matching.pairings.expire_proposals", acks_late=True)
def expire_proposals() -> int:
    return pairing_expire_due() + studio_invitation_expire_due()


@shared_task(name="matching.pairings.send_expiry_reminders", acks_late=True)
def send_expiry_reminders() -> int:
    return pairing_send_reminders()


@shared_task(name="matching.pairings.send_invitation_link", acks_late=True, autoretry_for=(ConnectionError, OSError),
             retry_backoff=True, max_retries=5)
def send_invitation_link(link_id: int) -> bool:
    """Send one invitation link to the channels of its expert's catalog entry; idempotent (sent once)."""
    from .delivery import invitation_link_deliver

    return invitation_link_deliver(link_id)
