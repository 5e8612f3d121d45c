"""Anonymous reads of the REST API, answered from the cache (issue 14 §10: the catalog under load).

Every anonymous caller sees the same public answer for the same URL, so `GET /api/v1/…` without a token or a
session is cached whole (status 200 JSON answers only, without cookies) for API_ANONYMOUS_CACHE_SECONDS, keyed
by the URL, `Accept`, `Accept-Language` and the language cookie, and by a **generation** that every committed
write bumps: a saved or deleted row (any model but sessions, sign-in attempts and tokens; once per transaction)
and every search index update (search.sync) make the next anonymous read a fresh one. Writes the ORM does not
signal (bulk_create, queryset.update) are caught by the expiry. A signed-in caller is never served from it.

The cache is Django's default cache: Redis (`CACHE_URL`) when several processes serve (their generation must be
shared); without CACHE_URL, API_ANONYMOUS_CACHE_SECONDS defaults to 0 (off). The cache unreachable: answers are
computed as if it were off (logged), never an error.
"""
import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse

from jianglian.transactions import on_commit_collect

logger = logging.getLogger(__name__)

PREFIX = "/api/v1/"
GENERATION_KEY = "api-anonymous:generation"
IGNORED_APPS = {"sessions", "axes", "authtoken", "admin", "contenttypes"}
KEPT_HEADERS = ("Content-Type", "Content-Language", "Vary", "Allow")


def timeout() -> int:
    return int(getattr(settings, "API_ANONYMOUS_CACHE_SECONDS", 0) or 0)


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, 1, None)
        value = cache.get(GENERATION_KEY) or 1
    return value


def data_changed(*_args) -> None:
    """A write was committed: anonymous answers cached before it are not used again."""
    if timeout() <= 0:
        return
    try:
        try:
            cache.incr(GENERATION_KEY)
        except ValueError:  # no generation yet
            cache.add(GENERATION_KEY, 1, None)
    except Exception:  # noqa: BLE001 — the cache never fails a write; entries expire anyway
        logger.warning("anonymous read cache: could not bump the generation", exc_info=True)


def _row_written(sender, **kwargs):
    if sender._meta.app_label in IGNORED_APPS or timeout() <= 0:
        return
    on_commit_collect("api-anonymous-cache", [sender._meta.label], data_changed, using=kwargs.get("using"))


def connect_signals() -> None:
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_row_written, dispatch_uid=f"jianglian.api.anonymous_cache.{id(signal)}")


def _cacheable_request(request) -> bool:
    return (request.method == "GET" and request.path.startswith(PREFIX)
            and "HTTP_AUTHORIZATION" not in request.META
            and settings.SESSION_COOKIE_NAME not in request.COOKIES)


def _key(request, gen) -> str:
    parts = "\n".join((request.get_full_path(), request.META.get("HTTP_ACCEPT", ""),
                       request.META.get("HTTP_ACCEPT_LANGUAGE", ""),
                       request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")))
    return f"api-anonymous:{gen}:{hashlib.sha256(parts.encode()).hexdigest()}"


class AnonymousReadCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = timeout()
        if seconds <= 0 or not _cacheable_request(request):
            return self.get_response(request)
        try:
            key = _key(request, generation())
            stored = cache.get(key)
        except Exception:  # noqa: BLE001 — cache down: answer without it
            logger.warning("anonymous read cache unavailable", exc_info=True)
            return self.get_response(request)
        if stored is not None:
            status, headers, content = stored
            response = HttpResponse(content, status=status, headers=headers)
            response["X-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if (response.status_code == 200 and not response.streaming and not response.cookies
                and response.get("Content-Type", "").startswith("application/json")
                and "private" not in response.get("Cache-Control", "")):
            headers = {name: response[name] for name in KEPT_HEADERS if name in response}
            try:
                cache.set(key, (response.status_code, headers, response.content), seconds)
            except Exception:  # noqa: BLE001
                logger.warning("anonymous read cache: could not store", exc_info=True)
            response["X-Cache"] = "miss"
        return response
