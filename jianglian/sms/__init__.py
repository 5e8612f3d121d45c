"""Text messages (短信), modelled on Django's e-mail framework: a backend chosen by `SMS_BACKEND`.

    from jianglian import sms
    sms.send_sms("13800138000", "【匠联】…")     # through settings.SMS_BACKEND

Backends (`jianglian.sms.backends.<name>.SmsBackend`):
- `console` (the default): writes each message to stdout;
- `filebased`: one file per message under `SMS_FILE_PATH`;
- `locmem` (tests): appends to `jianglian.sms.outbox`;
- `dummy`: does nothing (seed_demo's invented numbers);
- `aliyun`: Alibaba Cloud SMS (短信服务) `SendSms`, signed with the RPC signature V1 (HMAC-SHA1).

A backend's `send(message)` returns the provider's message id (or "") or raises `TransientSmsError` (try again
later: throttled, provider or network down) or `PermanentSmsError` (never retry: a bad number, a refused
template, a wrong key). The outbox (jianglian.notifications) retries the first with backoff and shows the second
to the secretariat.
"""
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

# Filled by the locmem backend (tests), as django.core.mail.outbox.
outbox: list["SmsMessage"] = []

SEGMENT_LENGTH = 70  # characters of one Chinese (UCS-2) text message


class SmsError(Exception):
    """A message was not sent."""


class TransientSmsError(SmsError):
    """Not sent this time; the same message may succeed later (throttled, provider or network unavailable)."""


class PermanentSmsError(SmsError):
    """Not sent and never will be as it is (a bad number, a refused template or signature, wrong credentials)."""


@dataclass
class SmsMessage:
    to: str
    text: str

    @property
    def segments(self) -> int:
        return max(1, -(-len(self.text) // SEGMENT_LENGTH))


def get_connection(backend: str | None = None, **options):
    return import_string(backend or settings.SMS_BACKEND)(**options)


def send_sms(to: str, text: str, *, connection=None) -> str:
    """Send one message; returns the provider's id ("" when it gives none). Raises SmsError subclasses."""
    return (connection or get_connection()).send(SmsMessage(to=to, text=text))


def fit(text: str, suffix: str = "", limit: int = SEGMENT_LENGTH) -> str:
    """`text` shortened with "…" so that `text + " " + suffix` fits in `limit` characters (one segment)."""
    tail = f" {suffix}" if suffix else ""
    room = limit - len(tail)
    if len(text) > room:
        text = text[: max(room - 1, 0)].rstrip() + "…"
    return text + tail
