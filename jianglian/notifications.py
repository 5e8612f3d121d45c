"""E-mail notifications: recorded with the state change, sent by Celery after commit, exactly once.

`notify()` is called by services inside their transaction. It writes one `NotificationLog`
row per recipient, keyed `kind:subject:id:recipient[:event]` (unique), and queues
`jianglian.send_notification` after commit (jianglian.transactions.after_commit): a rolled-back change sends
nothing, a broker down at commit leaves the row pending for the flush beat task, and an event reported twice (a retried service call) is recorded once.
`deliver()` claims the row under a lock and marks it sent in the same transaction, so a
redelivered or duplicated task finds it sent and does nothing.

Templates: `notifications/<kind>.<language>.txt` (zh-hans and en); the first line is the
subject, the rest the body. The recipient's language is `UserPreference.language`
(default `settings.LANGUAGE_CODE`).
"""
import logging
from datetime import timedelta
from decimal import Decimal
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import NotificationLog, UserPreference
from .roles import expert_of
from .transactions import after_commit

logger = logging.getLogger(__name__)


class Kind:
    PAIRING_PROPOSED = "pairing_proposed"
    PAIRING_ACCEPTED = "pairing_accepted"
    PAIRING_DECLINED = "pairing_declined"
    PAIRING_SIGNATURE_NEEDED = "pairing_signature_needed"
    PAIRING_EXPIRY_REMINDER = "pairing_expiry_reminder"
    MEMBERSHIP_DECISION = "membership_decision"
    EVENT_INVITATION = "event_invitation"
    # campaign activities (alliance): events, school requests, service days
    EVENT_CANCELLED = "event_cancelled"
    EVENT_REQUEST_DECISION = "event_request_decision"
    SERVICE_DAY_ASSIGNED = "service_day_assigned"
    SERVICE_DAY_CANCELLED = "service_day_cancelled"
    SERVICE_QUESTION_DRAFT = "service_question_draft"
    ALL = (
        PAIRING_PROPOSED, PAIRING_ACCEPTED, PAIRING_DECLINED, PAIRING_SIGNATURE_NEEDED,
        PAIRING_EXPIRY_REMINDER, MEMBERSHIP_DECISION, EVENT_INVITATION,
        EVENT_CANCELLED, EVENT_REQUEST_DECISION, SERVICE_DAY_ASSIGNED, SERVICE_DAY_CANCELLED, SERVICE_QUESTION_DRAFT,
    )


LANGUAGES = tuple(code for code, _ in settings.LANGUAGES)


def preferred_language(user) -> str:
    pref = UserPreference.objects.filter(user=user).values_list("language", flat=True).first()
    return pref if pref in LANGUAGES else settings.LANGUAGE_CODE


def format_when(value) -> str:
    """A datetime as local 'YYYY-MM-DD HH:MM' (the same in every language)."""
    if value is None:
        return ""
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def _jsonable(value):
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return format_when(value) if hasattr(value, "tzinfo") else value.isoformat()
    return value


def notify(*, kind: str, recipients, subject, context: dict, event: str = "") -> list[NotificationLog]:
    """Record `kind` about `subject` for each recipient and send it after commit. Returns the new rows."""
    if kind not in Kind.ALL:
        raise ValueError(f"unknown notification kind {kind!r}")
    data = {name: _jsonable(value) for name, value in context.items()}
    created_rows = []
    seen = set()
    for user in recipients:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        key = f"{kind}:{subject._meta.label_lower}:{subject.pk}:{user.pk}" + (f":{event}" if event else "")
        log, created = NotificationLog.objects.get_or_create(
            key=key, defaults=dict(kind=kind, recipient=user, language=preferred_language(user), context=data)
        )
        if created:
            created_rows.append(log)
            after_commit("jianglian.send_notification", partial(_queue, log.pk))
    return created_rows


def _queue(log_id: int) -> None:
    from .tasks import send_notification

    send_notification.delay(log_id)


def recipient_address(user) -> str:
    if user is None:
        return ""
    if user.email:
        return user.email
    expert = expert_of(user)  # an expert without an account e-mail is written to at the catalog's address
    return expert.email if expert is not None else ""


def render(kind: str, language: str, context: dict) -> tuple[str, str]:
    with translation.override(language):
        text = render_to_string(f"notifications/{kind}.{language}.txt", context)
    subject, _, body = text.strip().partition("\n")
    return subject.strip(), body.strip() + "\n"


def deliver(log_id: int) -> bool:
    """Send one recorded notification unless it was sent already. True when this call sent it."""
    with transaction.atomic():
        log = (
            NotificationLog.objects.select_for_update(of=("self",))
            .select_related("recipient")
            .filter(pk=log_id, status=NotificationLog.Status.PENDING)
            .first()
        )
        if log is None:
            return False
        address = recipient_address(log.recipient)
        if not address:
            log.status = NotificationLog.Status.SKIPPED
            log.save(update_fields=["status"])
            logger.info("notification %s skipped: recipient has no e-mail address", log.key)
            return False
        subject, body = render(log.kind, log.language, log.context)
        # The row stays locked while the mail goes out: a concurrent redelivery waits, then finds it sent.
        EmailMessage(subject=subject, body=body, to=[address]).send()
        log.status = NotificationLog.Status.SENT
        log.sent_at = timezone.now()
        log.to_email = address
        log.subject = subject[:255]
        log.save(update_fields=["status", "sent_at", "to_email", "subject"])
    logger.info("notification %s sent to user %s", log.key, log.recipient_id)
    return True


def pending_ids(*, older_than: timedelta = timedelta(minutes=5), limit: int = 500) -> list[int]:
    """Rows whose task was lost (broker down at commit, worker killed); the flush task resends them."""
    cutoff = timezone.now() - older_than
    return list(
        NotificationLog.objects.filter(status=NotificationLog.Status.PENDING, created_at__lte=cutoff)
        .order_by("id").values_list("id", flat=True)[:limit]
    )
