"""Rankings lost on the way are redone without a human: a beat task (matching.catch_up_rankings, every 10
minutes) queues every open challenge whose ranking is missing or older than its last change.

The loss here is real: the challenge is published while the broker refuses connections, so the after-commit
computation is never queued (the write itself succeeds, jianglian.transactions)."""
import datetime

import pytest
from celery import Celery
from django.conf import settings
from django.utils import timezone

from enterprises import services as challenges
from enterprises.models import Challenge
from jianglian.celery import app
from matching.models import Match
from matching.selectors import rankings_due
from matching.services import challenge_matches_compute, rankings_catch_up
from matching.tasks import catch_up_rankings
from tests import factories

from .matching_world import index_everything, taxonomy  # noqa: F401  (taxonomy is a fixture)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("taxonomy")]


@pytest.fixture
def candidates():
    experts = [factories.make_expert(bio="主持精馏塔节能改造，擅长换热网络优化。", skill_tags=["精馏"]) for _ in range(3)]
    index_everything()
    return experts


@pytest.fixture
def broker_down():
    down = Celery("jianglian-broker-down")
    down.config_from_object("django.conf:settings", namespace="CELERY")
    down.conf.update(broker_url="redis://127.0.0.1:1/0", broker_write_url="redis://127.0.0.1:1/0",
                     broker_read_url="redis://127.0.0.1:1/0", task_always_eager=False,
                     task_publish_retry_policy={"max_retries": 0})
    down.set_current()
    down.set_default()
    yield
    app.set_current()
    app.set_default()
    down.close()


def publish_while_the_broker_is_down(enterprise_user):
    user, enterprise = enterprise_user
    draft = challenges.challenge_create(user=user, enterprise=enterprise, title="精馏塔蒸汽单耗偏高",
                                        description="精馏塔能耗高，希望优化换热网络。", category="green")
    return challenges.challenge_publish(user=user, challenge=draft)


def test_a_ranking_lost_at_commit_is_redone_by_the_catch_up(candidates, enterprise_user, broker_down):
    challenge = publish_while_the_broker_is_down(enterprise_user)
    assert Challenge.objects.get(pk=challenge.pk).status == Challenge.Status.OPEN
    assert not Match.objects.filter(challenge=challenge).exists()
    assert rankings_due() == [challenge.pk]
    app.set_current()  # the broker is back (eager here: the task runs in-process)
    app.set_default()

    # not inside a task (eager tasks of other specs' threads may leave Celery thinking so)
    assert catch_up_rankings.delay().get(disable_sync_subtasks=False) == 1

    assert Match.objects.filter(challenge=challenge, kind="expert").count() == 3
    assert rankings_due() == []
    assert rankings_catch_up() == 0  # nothing left to do: the next run queues nothing


def test_a_ranking_older_than_the_challenges_last_change_is_due(candidates, enterprise_user):
    user, enterprise = enterprise_user
    challenge = factories.make_challenge(enterprise=enterprise, title="精馏塔能耗高", description="换热网络优化")
    challenge_matches_compute(challenge=challenge)
    assert rankings_due() == []
    Match.objects.filter(challenge=challenge).update(computed_at=timezone.now() - datetime.timedelta(hours=1))
    assert rankings_due() == [challenge.pk]
    rankings_catch_up()
    assert rankings_due() == []


def test_only_open_challenges_are_caught_up(candidates, enterprise_user):
    _, enterprise = enterprise_user
    for status in ("draft", "paired", "resolved", "closed"):
        factories.make_challenge(enterprise=enterprise, status=status)
    assert rankings_due() == []


def test_the_catch_up_runs_under_beat():
    scheduled = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert scheduled["matching.catch_up_rankings"] <= 15 * 60
    assert app.conf.broker_transport_options["visibility_timeout"] <= 10 * 60  # a killed worker's task: minutes
