"""Health endpoints for orchestrators (load balancers, Kubernetes, compose healthchecks).

- `GET /healthz`: the process is up and answers (no dependency is touched): 200 `{"status": "ok"}`.
- `GET /readyz`:  every dependency answers — the database, the Celery broker (when one is configured) and
  whatever the apps register (search registers its backend): 200 `{"status": "ready", "checks": {...}}`, else
  503 `{"status": "unavailable", "checks": {name: "ok" | "failed: <reason>"}, "failed": [names]}` with
  Retry-After. Each check has a short timeout; none writes anything.

Both answer plain HTTP (production's HTTPS redirect exempts them: a probe talks to the container, not through
the TLS proxy) and need no authentication; they tell nothing but "ok" or the kind of failure.
"""
import logging
from collections.abc import Callable

from django.conf import settings
from django.db import connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

CHECK_TIMEOUT_SECONDS = 3
RETRY_AFTER_SECONDS = 10

_checks: dict[str, Callable[[], None]] = {}


def register(name: str, check: Callable[[], None]) -> None:
    """Add a readiness check: a callable that returns when its dependency answers and raises otherwise.
    An app above the ground registers its own (search: `search.apps`)."""
    _checks[name] = check


def check_database() -> None:
    for alias in connections:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()


def check_broker() -> None:
    """The broker answers a connection (nothing is queued). Skipped without a broker: tasks run in-process."""
    if not settings.CELERY_BROKER_URL:
        return
    from jianglian.celery import app

    with app.connection_for_write(url=settings.CELERY_BROKER_URL) as connection:
        connection.ensure_connection(max_retries=1, timeout=CHECK_TIMEOUT_SECONDS)


def readiness_checks() -> dict[str, Callable[[], None]]:
    return {"database": check_database, "broker": check_broker, **_checks}


def run_checks() -> dict[str, str]:
    results = {}
    for name, check in readiness_checks().items():
        try:
            check()
        except Exception as exc:  # noqa: BLE001 — any failure of a dependency is "not ready", never a 500
            logger.warning("readiness check %s failed: %s", name, exc, exc_info=True)
            results[name] = f"failed: {type(exc).__name__}"
        else:
            results[name] = "ok"
    return results


@never_cache
@require_safe
def healthz(request):
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request):
    results = run_checks()
    failed = [name for name, result in results.items() if result != "ok"]
    if failed:
        response = JsonResponse({"status": "unavailable", "checks": results, "failed": failed}, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return JsonResponse({"status": "ready", "checks": results})
