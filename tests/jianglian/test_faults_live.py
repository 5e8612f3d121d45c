"""Faults with the real pieces: PostgreSQL, Redis and Celery worker processes (`celery -A jianglian worker`).

One scenario, in order, as an operator would meet it:
1. the broker is down at commit: a challenge is published and an expert edited; both writes succeed, their
   after-commit work (ranking, index updates) is lost;
2. a worker is killed with SIGKILL in the middle of a task (the task waits on a row lock the test holds): a
   new worker gets the unacknowledged message back once the visibility timeout passes (short here) and
   finishes it;
3. the embedded index is lost (its `current` link dangles): writes are refused and retried, never answered by
   an empty index; the reconcile rebuilds it;
4. afterwards, with no one repairing anything by hand (beat's catch-up and reconcile, sent as beat would):
   `search_index --check` finds no drift and every open challenge has its ranking.

Needs PostgreSQL (the workers are other processes reading the test database) and Redis
(FAULT_TEST_BROKER_URL, default redis://127.0.0.1:6379/5: a database of its own, emptied by the test).
"""
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from celery import Celery
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction

from enterprises import services as challenges
from enterprises.models import Challenge
from experts.taxonomy.loader import load_taxonomy
from jianglian.celery import app
from matching.models import Match
from matching.selectors import rankings_due
from matching.tasks import catch_up_rankings, compute_challenge_matches
from search.backends import get_backend, reset_backends
from search.tasks import reconcile
from tests import factories

# A Redis database of its own (emptied by the test), like the other live specs' — not the suite's CELERY_BROKER_URL.
BROKER_URL = os.environ.get("FAULT_TEST_BROKER_URL", "redis://127.0.0.1:6379/5")
ROOT = Path(settings.BASE_DIR)


def redis_reachable() -> bool:
    try:
        import redis

        redis.Redis.from_url(BROKER_URL, socket_connect_timeout=1).ping()
        return True
    except Exception:
        return False


pytestmark = [
    pytest.mark.celery_live,
    pytest.mark.postgres_only,
    pytest.mark.skipif(settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
                       reason="worker processes read the test database: set DATABASE_URL=postgres://…"),
    pytest.mark.skipif(not BROKER_URL.startswith("redis") or not redis_reachable(),
                       reason=f"Redis broker not reachable at {BROKER_URL}"),
    pytest.mark.django_db(transaction=True),
]


def eventually(condition, timeout=90.0, every=0.5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return condition()


class Workers:
    """`celery -A jianglian worker` processes on the test database, the broker and the test's index."""

    def __init__(self, tmp_path):
        self.tmp_path = tmp_path
        self.started = []
        database = settings.DATABASES["default"]
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "jianglian.settings",
            "DATABASE_URL": f"postgres://{database['USER']}:{database.get('PASSWORD') or ''}@{database['HOST'] or '127.0.0.1'}:"
                            f"{database['PORT'] or 5432}/{database['NAME']}",
            "CELERY_BROKER_URL": BROKER_URL,
            "CELERY_RESULT_BACKEND": BROKER_URL,
            "CELERY_VISIBILITY_TIMEOUT": "5",  # production waits 300 s; the mechanism is the same
            "SEARCH_INDEX_DIR": str(settings.SEARCH_INDEX_DIR),
            "SEARCH_BACKEND": "embedded",
            "JIANGLIAN_VAR_DIR": str(tmp_path / "var"),
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        }

    def start(self, name):
        log = self.tmp_path / f"{name}.log"
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "jianglian", "worker", "-P", "prefork", "-c", "1", "-l", "info",
             "-n", f"{name}@%h", "--without-gossip", "--without-mingle"],
            cwd=ROOT, env=self.env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True,
        )
        self.started.append(process)
        assert eventually(lambda: "ready." in log.read_text() or process.poll() is not None, timeout=120), \
            log.read_text()[-3000:]
        assert process.poll() is None, log.read_text()[-3000:]
        return process

    def kill(self, process):
        """SIGKILL to the worker and its pool child: nothing is acknowledged or cleaned up."""
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)

    def stop_all(self):
        for process in self.started:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait(timeout=30)


def celery_app(broker_url, name):
    live = Celery(name)
    live.config_from_object("django.conf:settings", namespace="CELERY")
    # broker_url alone would lose to a CELERY_BROKER_URL in the environment (Celery reads it first)
    live.conf.update(broker_url=broker_url, broker_write_url=broker_url, broker_read_url=broker_url,
                     result_backend=broker_url, task_always_eager=False,
                     broker_transport_options={"visibility_timeout": 5, "unacked_restore_throttle": 1},
                     task_publish_retry_policy={"max_retries": 1, "interval_start": 0, "interval_step": 0.1})
    return live


@pytest.fixture
def stack(tmp_path, settings):
    import redis

    redis.Redis.from_url(BROKER_URL).flushdb()  # this test's broker database: no leftovers of another run
    settings.SEARCH_INDEX_DIR = tmp_path / "index"
    settings.SEARCH_BACKEND = "embedded"
    reset_backends()
    load_taxonomy()
    live, down = celery_app(BROKER_URL, "jianglian-faults"), celery_app("redis://127.0.0.1:1/0", "jianglian-down")
    live.set_current()
    live.set_default()
    workers = Workers(tmp_path)
    try:
        yield workers, live, down
    finally:
        workers.stop_all()
        app.set_current()
        app.set_default()
        live.close()
        down.close()
        reset_backends()


def use(celery):
    celery.set_current()
    celery.set_default()


def found(query):
    return set(get_backend().search("expert", query).ids)


def lock_waiters() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted AND pid <> pg_backend_pid()")
        return cursor.fetchone()[0]


def test_broker_down_worker_killed_index_lost_and_everything_recovers(stack, enterprise_user):
    workers, live, down = stack
    first = workers.start("first")
    experts = [factories.make_expert(name=f"精馏专家{n}", bio="主持精馏塔节能改造，擅长换热网络优化。",
                                     skill_tags=["精馏"]) for n in range(3)]
    assert eventually(lambda: found("精馏") == {e.pk for e in experts}), "the worker indexes the new experts"

    # 1. The broker is down at commit: the writes succeed, their after-commit work is lost.
    use(down)
    user, enterprise = enterprise_user
    draft = challenges.challenge_create(user=user, enterprise=enterprise, title="精馏塔蒸汽单耗偏高",
                                        description="精馏塔能耗高，希望优化换热网络。", category="green")
    challenge = challenges.challenge_publish(user=user, challenge=draft)
    experts[0].bio = "主持精馏塔节能改造，另擅长离心压缩机检修。"
    experts[0].save()
    use(live)
    assert Challenge.objects.get(pk=challenge.pk).status == Challenge.Status.OPEN
    assert rankings_due() == [challenge.pk]

    # 2. A worker killed in the middle of computing the ranking.
    with transaction.atomic():
        Challenge.objects.select_for_update().get(pk=challenge.pk)  # the task will wait on this row
        compute_challenge_matches.delay(challenge.pk)
        assert eventually(lambda: lock_waiters() >= 1, timeout=60), "the worker is inside the task"
        workers.kill(first)
    assert not Match.objects.filter(challenge=challenge).exists()
    workers.start("second")
    assert eventually(lambda: Match.objects.filter(challenge=challenge).exists(), timeout=120), \
        "the killed worker's task is redelivered and finished"

    # 3. The embedded index is lost: its generation is gone, `current` dangles.
    current = settings.SEARCH_INDEX_DIR / "expert" / "current"
    shutil.rmtree(current.resolve())
    newcomer = factories.make_expert(name="新来的精馏专家", bio="精馏塔操作优化。")
    time.sleep(2)  # its index update meets the lost index and is retried; no empty index takes the place
    assert not current.resolve().is_dir()

    # 4. Beat's jobs, sent as beat sends them: the reconcile rebuilds and repairs, the catch-up re-ranks.
    reconcile.delay().get(timeout=180, disable_sync_subtasks=False)  # the test is no task
    catch_up_rankings.delay().get(timeout=60, disable_sync_subtasks=False)
    assert eventually(lambda: rankings_due() == [], timeout=60)
    assert found("精馏") == {e.pk for e in experts} | {newcomer.pk}
    assert found("压缩机") == {experts[0].pk}  # the edit whose update was lost at commit
    call_command("search_index", "--check", "--no-progress")  # raises (exit 1) on any drift
