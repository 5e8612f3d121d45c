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

