"""The Celery path for real: a challenge change queues the computation on commit, a worker on Redis runs it.

Uses redis://127.0.0.1:6379/6 (or MATCHING_TEST_BROKER); skipped when Redis is unreachable.
"""
import os
import time

import pytest
from celery import Celery
from celery.contrib.testing.app import setup_default_app
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.db import transaction

from matching.models import Match
from matching.services import queue_match_computation
from tests import factories

from .matching_world import index_everything, taxonomy  # noqa: F401

BROKER = os.environ.get("MATCHING_TEST_BROKER", "redis://127.0.0.1:6379/6")


def redis_reachable(url: str) -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except Exception:
        return False


@pytest.fixture
def live_app():
    """A Celery app on Redis, current while the test runs, so shared tasks are sent to it.

    start_worker() makes it the process's default app too (the app of threads that set none, such as a
    live server's); setup_default_app puts back the previous current and default apps afterwards, or a
    later test's live server would queue its tasks to this broker, which nobody reads.
    """
    if not redis_reachable(BROKER):
        pytest.skip(f"Redis is not reachable at {BROKER}")
    app = Celery("jianglian-live-test", set_as_current=False)  # current only inside setup_default_app
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.update(broker_url=BROKER, task_always_eager=False, result_backend=None,
                    broker_connection_retry_on_startup=False)
    with setup_default_app(app):
        app.set_current()
        app.control.purge()  # tasks an interrupted run left behind
        yield app


def wait_for(condition, seconds=30.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.celery_live
@pytest.mark.skipif(settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"),
                    reason="a worker thread cannot share SQLite's in-memory test database (table locks): "
                           "run with DATABASE_URL=postgres://…")
@pytest.mark.django_db(transaction=True)
def test_a_published_challenge_is_ranked_by_a_real_worker(live_app, taxonomy):  # noqa: F811
    seal_master = factories.make_expert(name="密封师傅", bio="擅长机械密封选型与改进。")
    factories.make_expert(name="精馏专家", bio="主持完成精馏塔节能改造。")
    challenge = factories.make_challenge(title="输送泵老是漏料", description="几台输送泵隔三差五往外滴料。")
    index_everything()
    Match.objects.all().delete()

    with start_worker(live_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        with transaction.atomic():
            queue_match_computation(challenge)
            # nothing is sent before the transaction commits
            assert not Match.objects.filter(challenge=challenge).exists()
        assert wait_for(lambda: Match.objects.filter(challenge=challenge, kind="expert").exists())

    top = Match.objects.filter(challenge=challenge, kind="expert").order_by("rank").first()
    assert top.expert_id == seal_master.pk
    assert {entry["signal"] for entry in top.breakdown} >= {"skill", "text", "availability"}
