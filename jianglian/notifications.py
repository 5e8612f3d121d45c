"""Notifications: one mechanism, three channels — the in-site inbox, e-mail and SMS.

`notify()` is called by services inside their transaction. For each recipient it records the event once
(key `kind:subject:id:recipient[:event]`, unique): one inbox row (`Notification`, always) and one outbox row
(`NotificationLog`) per channel the recipient keeps on (`UserPreference.email_enabled` / `sms_enabled`; SMS only
when a mobile number is known), and queues `jianglian.send_notification` for each outbox row after commit
(jianglian.transactions.after_commit). A rolled-back change records and sends nothing; a broker down at commit
leaves the rows pending for the flush beat task; an event reported twice (a retried service call) is recorded
once.

`deliver()` claims one outbox row under a lock and marks it sent in the same transaction, so a redelivered or
duplicated task finds it sent and does nothing. Each channel is its own row and task: a failing channel never
blocks another. A transient failure (SMTP or network down, the SMS provider throttling) counts the attempt, keeps
the row pending and raises `DeliveryDeferred`, which the task retries with exponential backoff; a permanent
failure (a refused number, retries exhausted) marks the row failed, which the secretariat's dashboard lists.

Every message carries a deep link: the page to act on (`link`, a path on this site, made absolute with
`settings.SITE_URL`); an SMS carries it as a short link (/s/<code>/) and fits one 70-character segment.

Texts: `notifications/<kind>.<language>.txt` (zh-hans and en; any app's templates directory), first line the
subject (also the inbox's title and the SMS text), the rest the e-mail body. The recipient's language is
`UserPreference.language` (default `settings.LANGUAGE_CODE`); the inbox renders in the reader's language.

Recipients are users, or `Contact`s — an address without an account (an expert invited from the catalog before
they have one): e-mail and SMS only, no inbox.
"""
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from functools import partial
from smtplib import SMTPException, SMTPRecipientsRefused, SMTPSenderRefused

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import sms
from .models import Notification, NotificationLog, ShortLink, UserPreference
from .roles import expert_of
from .transactions import after_commit

logger = logging.getLogger(__name__)

Channel = NotificationLog.Channel


class Kind:
    # pairing agreements (matching.pairings.services)
    PAIRING_PROPOSED = "pairing_proposed"                  # → the expert
    PAIRING_ACCEPTED = "pairing_accepted"                  # → the enterprise's staff
    PAIRING_DECLINED = "pairing_declined"                  # → the enterprise's staff
    PAIRING_ANSWERED_ON_BEHALF = "pairing_answered_on_behalf"  # a liaison recorded the expert's answer → both sides
    PAIRING_SIGNATURE_NEEDED = "pairing_signature_needed"  # → the side that has not signed
    PAIRING_ACTIVE = "pairing_active"                      # both signed → both sides
    PAIRING_COMPLETED = "pairing_completed"                # → both sides
    PAIRING_TERMINATED = "pairing_terminated"              # → both sides
    PAIRING_WITHDRAWN = "pairing_withdrawn"                # the enterprise withdrew → the expert
    PAIRING_EXPIRY_REMINDER = "pairing_expiry_reminder"    # → the expert
    PAIRING_EXPIRED = "pairing_expired"                    # → both sides
    STUDIO_INVITATION_ASSIGNED = "studio_invitation_assigned"  # a studio's lead assigned a member → the member
    # alliance, enterprises
    MEMBERSHIP_DECISION = "membership_decision"            # → the applicant's account and the studio's managers
    ENTERPRISE_VERIFIED = "enterprise_verified"            # → the enterprise's staff
    # campus outreach events (alliance)
    EVENT_INVITATION = "event_invitation"                  # → the invited expert
    EVENT_CONFIRMED = "event_confirmed"                    # the event is confirmed → the experts who confirmed
    EVENT_CANCELLED = "event_cancelled"                    # → the invited experts who had not declined
    EVENT_REPORT_DUE = "event_report_due"                  # the event took place without a report → the secretariat
    # campaign activities (alliance): school requests, service days
    EVENT_REQUEST_DECISION = "event_request_decision"      # → the school's requester
    SERVICE_DAY_ASSIGNED = "service_day_assigned"          # → the expert
    SERVICE_DAY_CANCELLED = "service_day_cancelled"        # → the experts
    SERVICE_QUESTION_DRAFT = "service_question_draft"      # an unsolved question became a draft → the enterprise
    ALL = (
        PAIRING_PROPOSED, PAIRING_ACCEPTED, PAIRING_DECLINED, PAIRING_ANSWERED_ON_BEHALF, PAIRING_SIGNATURE_NEEDED,
        PAIRING_ACTIVE, PAIRING_COMPLETED, PAIRING_TERMINATED, PAIRING_WITHDRAWN, PAIRING_EXPIRY_REMINDER,
        PAIRING_EXPIRED, STUDIO_INVITATION_ASSIGNED, MEMBERSHIP_DECISION, ENTERPRISE_VERIFIED, EVENT_INVITATION,
        EVENT_CONFIRMED, EVENT_CANCELLED, EVENT_REPORT_DUE, EVENT_REQUEST_DECISION, SERVICE_DAY_ASSIGNED,
        SERVICE_DAY_CANCELLED, SERVICE_QUESTION_DRAFT,
    )


_KINDS = set(Kind.ALL)


def register_kind(kind: str) -> str:
    """Another app's kind (its templates `notifications/<kind>.<language>.txt` in its templates directory)."""
    _KINDS.add(kind)
    return kind


def known_kinds() -> frozenset:
    return frozenset(_KINDS)


LANGUAGES = tuple(code for code, _ in settings.LANGUAGES)


@dataclass(frozen=True)
class Contact:
    """A recipient without an account: e-mail and/or a mobile number (no inbox). `name` keys the event."""

    name: str
    email: str = ""
    phone: str = ""
    language: str = settings.LANGUAGE_CODE


# --- links ---------------------------------------------------------------------------------------

_LINKS: dict = {}


def register_link(model_label: str, resolve) -> None:
    """`resolve(subject, kind, user) -> path`: the page a notification about a `model_label` row leads to.
    The web pages register theirs (frontend_stub.apps); `notify(link=…)` overrides."""
    _LINKS[model_label] = resolve


def inbox_path() -> str:
    return "/me/notifications/"


def resolve_link(subject, kind: str, user) -> str:
    resolve = _LINKS.get(subject._meta.label_lower)
    path = resolve(subject, kind, user) if resolve is not None else ""
    return path or inbox_path()


def absolute_url(path: str) -> str:
    """A path on this site as the absolute URL messages carry (settings.SITE_URL)."""
    if path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL.rstrip("/") + "/" + path.lstrip("/")


def short_link(path: str) -> str:
    """The short path (/s/<code>/) that redirects to `path`; one code per path."""
    existing = ShortLink.objects.filter(target=path).values_list("code", flat=True).first()
    if existing:
        return f"/s/{existing}/"
    for _attempt in range(5):
        code = secrets.token_urlsafe(6)[:8].replace("-", "x").replace("_", "y")
        try:
            with transaction.atomic():
                ShortLink.objects.create(code=code, target=path)
            return f"/s/{code}/"
        except IntegrityError:  # the same path stored meanwhile, or (rarely) the same code
            existing = ShortLink.objects.filter(target=path).values_list("code", flat=True).first()
            if existing:
                return f"/s/{existing}/"
    raise RuntimeError("could not store a short link")


# --- recording -------------------------------------------------------------------------------------


def preferences(user) -> UserPreference:
    """The user's preference row, or the defaults (not stored)."""
    pref = UserPreference.objects.filter(user=user).first()
    return pref or UserPreference(user=user)


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


def user_phone(user, pref: UserPreference | None = None) -> str:
    """Where a user is texted: the number on their preferences, else (an expert) the catalog entry's. Enterprise
    staff have no fallback: an Enterprise records no contact number (no field, form, API or roster column holds one),
    and a company's switchboard would not be one staff member's mobile anyway — each account's notices would reach
    whoever answers it. Staff enter their own mobile on the preferences page."""
    pref = pref if pref is not None else preferences(user)
    if pref.phone:
        return pref.phone
    expert = expert_of(user)
    return expert.phone if expert is not None else ""


def notify(*, kind: str, recipients, subject, context: dict, event: str = "",
           link: str | None = None) -> list[NotificationLog]:
    """Record `kind` about `subject` for each recipient (users or Contacts) and send it after commit.

    `link`: the path to act on (default: what the web pages registered for the subject's model). Returns the new
    outbox rows."""
    if kind not in _KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    data = {name: _jsonable(value) for name, value in context.items()}
    base = f"{kind}:{subject._meta.label_lower}:{subject.pk}"
    suffix = f":{event}" if event else ""
    created_rows = []
    seen = set()
    for recipient in recipients:
        if isinstance(recipient, Contact):
            if ("contact", recipient.name) in seen:
                continue
            seen.add(("contact", recipient.name))
            key = f"{base}:c:{recipient.name}{suffix}"[:180]
            path = link if link is not None else resolve_link(subject, kind, None)
            language = recipient.language if recipient.language in LANGUAGES else settings.LANGUAGE_CODE
            rows = [(Channel.EMAIL, dict(to_email=recipient.email))] if recipient.email else []
            if recipient.phone:
                rows.append((Channel.SMS, dict(to_phone=recipient.phone)))
            created_rows += _outbox(key, kind, None, None, language, data, path, rows)
            continue
        if recipient is None or recipient.pk in seen or not recipient.is_active:
            continue
        seen.add(recipient.pk)
        key = f"{base}:{recipient.pk}{suffix}"
        path = link if link is not None else resolve_link(subject, kind, recipient)
        inbox, created = Notification.objects.get_or_create(
            key=key, defaults=dict(recipient=recipient, kind=kind, context=data, link=path)
        )
        if not created:
            continue  # this event was recorded for this recipient already
        pref = preferences(recipient)
        language = pref.language if pref.language in LANGUAGES else settings.LANGUAGE_CODE
        rows = [(Channel.EMAIL, {})] if pref.email_enabled else []
        if pref.sms_enabled and user_phone(recipient, pref):
            rows.append((Channel.SMS, {}))
        created_rows += _outbox(key, kind, recipient, inbox, language, data, path, rows)
    return created_rows


def _outbox(key, kind, user, inbox, language, data, path, rows) -> list[NotificationLog]:
    created = []
    for channel, address in rows:
        log, new = NotificationLog.objects.get_or_create(
            key=key if channel == Channel.EMAIL else f"{key}:sms",
            defaults=dict(kind=kind, channel=channel, recipient=user, notification=inbox, language=language,
                          context=data, link=path, **address),
        )
        if new:
            created.append(log)
            after_commit("jianglian.send_notification", partial(_queue, log.pk))
    return created


def _queue(log_id: int) -> None:
    from .tasks import send_notification

    send_notification.delay(log_id)


# --- rendering -------------------------------------------------------------------------------------


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
    subject, _sep, body = text.strip().partition("\n")
    return subject.strip(), body.strip() + "\n"


SUBJECT_PREFIXES = ("【匠联】", "[Jianglian] ")


def title(kind: str, language: str, context: dict) -> str:
    """The inbox's line for a notification: the subject without the mail prefix."""
    subject, _body = render(kind, language, context)
    for prefix in SUBJECT_PREFIXES:
        if subject.startswith(prefix):
            return subject[len(prefix):]
    return subject


def email_text(log: NotificationLog) -> tuple[str, str]:
    subject, body = render(log.kind, log.language, log.context)
    if log.link:  # the deep link, above the closing signature
        with translation.override(log.language):
            line = _("查看并处理：%(url)s") % {"url": absolute_url(log.link)}
        text, sep, signature = body.rstrip("\n").rpartition("\n\n")
        body = f"{text}\n\n{line}\n\n{signature}\n" if sep else f"{body}\n{line}\n"
    return subject, body


def sms_text(log: NotificationLog) -> str:
    """The subject in one 70-character segment, with the short link to the page to act on."""
    subject, _body = render(log.kind, log.language, log.context)
    url = absolute_url(short_link(log.link)) if log.link else ""
    return sms.fit(subject, url)


# --- delivery --------------------------------------------------------------------------------------


class DeliveryDeferred(Exception):
    """A transient failure: the row stays pending with the attempt counted; the task retries it later."""


TRANSIENT_EMAIL_ERRORS = (SMTPException, ConnectionError, TimeoutError, OSError)
PERMANENT_EMAIL_ERRORS = (SMTPRecipientsRefused, SMTPSenderRefused)


def _address(log: NotificationLog) -> str:
    if log.channel == Channel.SMS:
        return log.to_phone or (user_phone(log.recipient) if log.recipient is not None else "")
    return log.to_email or recipient_address(log.recipient)


def _send(log: NotificationLog, address: str) -> str:
    """Send one row; returns the subject (what the row records). Raises the channel's errors."""
    if log.channel == Channel.SMS:
        text = sms_text(log)
        sms.send_sms(address, text)
        return text
    subject, body = email_text(log)
    EmailMessage(subject=subject, body=body, to=[address]).send()
    return subject


def deliver(log_id: int) -> bool:
    """Send one recorded notification unless it was sent already. True when this call sent it.

    Raises DeliveryDeferred on a transient failure (after recording the attempt)."""
    deferred = None
    with transaction.atomic():
        log = (
            NotificationLog.objects.select_for_update(of=("self",))
            .select_related("recipient")
            .filter(pk=log_id, status=NotificationLog.Status.PENDING)
            .first()
        )
        if log is None:
            return False
        address = _address(log)
        if not address:
            log.status = NotificationLog.Status.SKIPPED
            log.save(update_fields=["status"])
            logger.info("notification %s skipped: recipient has no %s address", log.key, log.channel)
            return False
        log.attempts += 1
        try:
            # The row stays locked while the message goes out: a concurrent redelivery waits, then finds it sent.
            subject = _send(log, address)
        except (sms.PermanentSmsError, *PERMANENT_EMAIL_ERRORS) as exc:
            log.status, log.last_error = NotificationLog.Status.FAILED, str(exc)[:500]
            log.save(update_fields=["status", "last_error", "attempts"])
            logger.warning("notification %s failed for good on %s: %s", log.key, log.channel, exc)
            return False
        except (sms.TransientSmsError, *TRANSIENT_EMAIL_ERRORS) as exc:
            log.last_error = (str(exc) or type(exc).__name__)[:500]
            if log.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
                log.status = NotificationLog.Status.FAILED
                log.save(update_fields=["status", "last_error", "attempts"])
                logger.warning("notification %s failed on %s after %s attempts: %s", log.key, log.channel,
                               log.attempts, exc)
                return False
            log.save(update_fields=["last_error", "attempts"])
            deferred = exc
        else:
            log.status = NotificationLog.Status.SENT
            log.sent_at = timezone.now()
            if log.channel == Channel.SMS:
                log.to_phone = address
            else:
                log.to_email = address
            log.subject = subject[:255]
            log.save(update_fields=["status", "sent_at", "to_email", "to_phone", "subject", "attempts"])
    if deferred is not None:
        logger.info("notification %s deferred on %s (attempt %s): %s", log.key, log.channel, log.attempts, deferred)
        raise DeliveryDeferred(str(deferred)) from deferred
    logger.info("notification %s sent by %s to user %s", log.key, log.channel, log.recipient_id)
    return True


def retry_delay(attempt: int) -> int:
    """Seconds before the next try after `attempt` failed ones: exponential backoff, capped at an hour."""
    return min(settings.NOTIFICATION_RETRY_BASE_SECONDS * 2 ** max(attempt - 1, 0), 3600)


def pending_ids(*, older_than: timedelta = timedelta(minutes=5), limit: int = 500) -> list[int]:
    """Rows whose task was lost (broker down at commit, worker killed); the flush task resends them."""
    cutoff = timezone.now() - older_than
    return list(
        NotificationLog.objects.filter(status=NotificationLog.Status.PENDING, created_at__lte=cutoff)
        .order_by("id").values_list("id", flat=True)[:limit]
    )


def failed_notifications(limit: int = 20):
    """The outbox rows that failed for good, newest first (the secretariat's dashboard)."""
    return (NotificationLog.objects.filter(status=NotificationLog.Status.FAILED)
            .select_related("recipient").order_by("-created_at", "-id")[:limit])
