"""Index sync through a real Celery worker on Redis (not eager mode).

The worker runs in this process (celery.contrib.testing.worker) against a Redis
broker: SEARCH_TEST_BROKER_URL, default redis://127.0.0.1:6379/5 (a database
number of its own). Needs PostgreSQL (the worker's thread and the test share
committed rows); skipped with the reason when Redis or PostgreSQL is missing.
"""
import os
import shutil
import threading
import time

import pytest
from celery import Celery
from celery.contrib.testing.worker import start_worker
from celery.signals import task_retry
from django.conf import settings
from django.db import transaction

from experts.models import Expert
from jianglian.celery import app
from search import sync
from search.backends import get_backend
from search.errors import IndexLost
from search.index import get_definition
from search.tasks import reconcile
from tests import factories

BROKER_URL = os.environ.get("SEARCH_TEST_BROKER_URL", "redis://127.0.0.1:6379/5")


def redis_reachable() -> bool:
    try:
        import redis

        redis.Redis.from_url(BROKER_URL, socket_connect_timeout=1).ping()
        return True
    except Exception:
        return False


pytestmark = [
    pytest.mark.celery_live,
    pytest.mark.skipif(not redis_reachable(), reason=f"Redis broker not reachable at {BROKER_URL}"),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"),
        reason="a worker thread cannot share SQLite's in-memory test database (table locks): "
               "run with DATABASE_URL=postgres://…",
    ),
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("index_dir"),
]


@pytest.fixture
def worker():
    """A Celery app of its own on the Redis broker, current while the test runs, and a worker for it.

    The search tasks are shared tasks, so `.delay()` in the sync code reaches this app's broker.
    """
    live = Celery("jianglian-search-live")
    live.config_from_object("django.conf:settings", namespace="CELERY")
    live.conf.update(broker_url=BROKER_URL, result_backend=BROKER_URL, task_always_eager=False)
    live.set_current()
    live.set_default()
    try:
        with start_worker(live, pool="threads", concurrency=3, perform_ping_check=False, shutdown_timeout=30):
            yield live
    finally:
        app.set_current()
        app.set_default()
        live.close()


def eventually(condition, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def found(query):
    """The ids found, or None while the worker is creating a lost index (search answers 503 for that moment)."""
    try:
        return get_backend().search("expert", query).ids
    except IndexLost:
        return None


def test_a_committed_save_is_indexed_by_the_worker(worker):
    expert = factories.make_expert(name="谭工", bio="氯碱电解槽")

    assert eventually(lambda: found("电解槽") == [expert.pk])


def test_a_rolled_back_save_is_never_indexed(worker):
    with pytest.raises(RuntimeError), transaction.atomic():
        factories.make_expert(name="回滚工", bio="不存在的硝化反应")
        raise RuntimeError("the request failed")
    marker = factories.make_expert(name="标记", bio="后续提交的磺化反应")

    # The later commit is indexed, so the worker has run: nothing came from the rolled-back one.
    assert eventually(lambda: found("磺化") == [marker.pk])
    assert found("硝化") == []
    assert not sync.find_drift(get_definition("expert"), get_backend())


def test_a_failing_index_is_retried_until_it_works(worker, index_dir):
    retries = []
    task_retry.connect(lambda **kwargs: retries.append(1), weak=False, dispatch_uid="count-retries")
    broken = index_dir / "expert"
    shutil.rmtree(broken, ignore_errors=True)
    broken.parent.mkdir(parents=True, exist_ok=True)
    broken.write_text("not a directory: opening the index fails")
    try:
        expert = factories.make_expert(name="龚工", bio="合成氨变换炉")
        assert eventually(lambda: len(retries) >= 1, timeout=20)
        broken.unlink()

        assert eventually(lambda: found("变换炉") == [expert.pk], timeout=40)
    finally:
        task_retry.disconnect(dispatch_uid="count-retries")


def test_reconcile_on_the_worker_makes_the_index_equal_the_database(worker):
    experts = [factories.make_expert(name=f"批量{n}", bio="原始") for n in range(5)]
    assert eventually(lambda: len(found("原始")) == 5)
    Expert.objects.filter(pk__in=[e.pk for e in experts[:3]]).update(bio="绕过信号的苯酐")
    Expert.objects.filter(pk=experts[4].pk).delete()

    reconcile.delay(["expert"]).get(timeout=60)

    assert not sync.find_drift(get_definition("expert"), get_backend())
    assert sorted(found("苯酐")) == sorted(e.pk for e in experts[:3])


def test_concurrent_updates_of_one_row_end_with_the_newest_value(worker):
    expert = factories.make_expert(name="并发工", bio="版本0")
    barrier = threading.Barrier(8)

    def update(n):
        barrier.wait()
        with transaction.atomic():
            Expert.objects.filter(pk=expert.pk).update(bio=f"版本{n}")
            row = Expert.objects.get(pk=expert.pk)
            row.save()  # the signal path, inside the transaction
        from django.db import connection

        connection.close()

    threads = [threading.Thread(target=update, args=(n,)) for n in range(1, 9)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    newest = Expert.objects.get(pk=expert.pk).bio

    def indexed_is_newest():
        return not sync.find_drift(get_definition("expert"), get_backend())

    assert eventually(indexed_is_newest)
    assert found(newest) == [expert.pk]
