"""Calls released together in threads, each on its own database connection: the race specs' one harness."""
import threading

import pytest
from django.conf import settings
from django.db import connection

POSTGRES_ONLY = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="needs PostgreSQL for real row locks: set DATABASE_URL=postgres://…",
    ),
]


def together(calls, join_timeout=120):
    """Run each call in its own thread, released together; return what each returned (or the exception it raised)."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait(timeout=30)
            results[i] = call()
        except Exception as error:  # noqa: BLE001 — the caller's assertions report it
            results[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=join_timeout)
    return results
