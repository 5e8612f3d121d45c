"""Sign-in throttling: every way in (the REST token endpoint, the web sign-in, the admin sign-in) goes through
`django.contrib.auth.authenticate` with the request, and django-axes counts the failures there.

After `AXES_FAILURE_LIMIT` failures within `AXES_COOLOFF_TIME`, counted per account and, separately, per client
address (`AXES_LOCKOUT_PARAMETERS`), further attempts — the right password too — are refused until the cool-off
has passed since the last one: 429 with `Retry-After` and a clear message, in the API's JSON error shape under
/api/ and /graphql/, as a page elsewhere. A successful sign-in clears the account's and the address's count.

This module holds the three hooks axes is configured with: who is trying (`attempted_username`), from where
(`client_ip`), and what the refusal looks like (`lockout_response`).
"""
import ipaddress
import math

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

JSON_PREFIXES = ("/api/", "/graphql/")
USERNAME_LENGTH = 255  # axes stores the attempted name in a column of this length


def attempted_username(request, credentials=None) -> str | None:
    """The account name an attempt is counted against: as typed, without NUL characters (PostgreSQL refuses
    them) and cut to what the attempts table holds."""
    if credentials:
        value = credentials.get("username")
    else:
        value = getattr(request, "POST", {}).get("username")
    if value is None:
        return None
    return str(value).replace("\x00", "")[:USERNAME_LENGTH]


def _address(value: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or behind `TRUSTED_PROXY_COUNT` proxies of our own the address the
    outermost of them saw (that many entries from the right of X-Forwarded-For; the entries further left are
    the client's word and never trusted). Anything that is no IP address falls back to REMOTE_ADDR."""
    remote = _address(request.META.get("REMOTE_ADDR"))
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < proxies:
        return remote
    return _address(forwarded[-proxies]) or remote


def retry_after_seconds() -> int:
    """Seconds until a locked account or address may try again: axes restarts the cool-off at every refused
    attempt, this one included, so a whole cool-off is left."""
    return int(settings.AXES_COOLOFF_TIME.total_seconds())


def lockout_message(seconds: int) -> str:
    return _("登录失败次数过多，该账号或网络地址已暂时锁定，请 %(minutes)d 分钟后再试。") % {
        "minutes": math.ceil(seconds / 60)}


def lockout_response(request, original_response=None, credentials=None):
    """`AXES_LOCKOUT_CALLABLE`: 429 Too Many Requests with Retry-After."""
    seconds = retry_after_seconds()
    message = lockout_message(seconds)
    if request.path.startswith(JSON_PREFIXES):
        response = JsonResponse({"detail": message, "code": "locked_out", "errors": {}}, status=429)
    else:
        response = render(request, "429.html", {"message": message, "retry_after": seconds}, status=429)
    response["Retry-After"] = str(seconds)
    return response
