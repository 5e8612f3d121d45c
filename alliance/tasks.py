"""Beat tasks of the alliance: the reminder that a campus outreach event's report is due (idempotent: one
notification per event and member of the secretariat)."""
from celery import shared_task

from .services import event_report_reminders


@shared_task(name="alliance.event_report_reminders", acks_late=True)
def send_event_report_reminders() -> int:
    return event_report_reminders()
