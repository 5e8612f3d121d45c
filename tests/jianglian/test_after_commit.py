"""A stored write is never a 500: after-commit steps (index update, ranking, e-mail) are isolated.

Each step's failure is logged and left to its own recovery (search reconcile, the ranking catch-up, the
notification flush); the client gets the success its write earned, and the other steps still run. The
broker-down cases use a real Celery app whose broker is a Redis URL nothing listens on (connection refused),
so `.delay()` fails as it does in production when Redis is down.
"""
import logging

import pytest
from celery import Celery
from django.db import transaction

from enterprises.models import Challenge
from jianglian.celery import app
from jianglian.models import NotificationLog
from jianglian.transactions import after_commit, on_commit_collect
from matching.models import PairingAgreement
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

UNREACHABLE_BROKER = "redis://127.0.0.1:1/0"  # port 1: connection refused at once


def broken(_items=None):
    raise ConnectionError("broker unreachable")


def test_a_failing_step_is_logged_and_the_next_steps_still_run(caplog):
    sent = []
    with caplog.at_level(logging.ERROR, logger="jianglian.transactions"):
        with transaction.atomic():
            on_commit_collect("first", [1], broken)
            after_commit("second", lambda: broken())
            on_commit_collect("third", [3], sent.append)
            after_commit("fourth", lambda: sent.append("mail"))
    assert sent == [{3}, "mail"]
    failed = [r for r in caplog.records if "after-commit step" in r.getMessage()]
    assert [r.args[0] for r in failed] == ["first", "second"]
    assert all(r.exc_info for r in failed)  # the traceback is kept for the operator


def test_outside_a_transaction_a_failing_step_is_logged_not_raised(caplog):
    with caplog.at_level(logging.ERROR, logger="jianglian.transactions"):
        on_commit_collect("alone", [1], broken)
        after_commit("alone-too", lambda: broken())
    assert len([r for r in caplog.records if "after-commit step" in r.getMessage()]) == 2


@pytest.fixture
def broker_down():
    """The project's tasks sent to a Redis broker that refuses connections (not eager)."""
    down = Celery("jianglian-broker-down")
    down.config_from_object("django.conf:settings", namespace="CELERY")
    down.conf.update(broker_url=UNREACHABLE_BROKER, broker_write_url=UNREACHABLE_BROKER,
                     broker_read_url=UNREACHABLE_BROKER, task_always_eager=False,
                     task_publish_retry_policy={"max_retries": 1, "interval_start": 0, "interval_step": 0.1})
    down.set_current()
    down.set_default()
    try:
        yield down
    finally:
        app.set_current()
        app.set_default()
        down.close()


def test_every_write_answers_its_success_while_the_broker_is_down(broker_down, token_client_for, caplog):
    parties = factories.make_pairing_parties()
    enterprise = token_client_for(parties.enterprise_user)
    expert = token_client_for(parties.expert_user)
    with caplog.at_level(logging.ERROR, logger="jianglian.transactions"):
        edited = expert.patch(f"/api/v1/experts/{parties.expert.pk}/", {"bio": "主持精馏塔节能改造"}, format="json")
        created = enterprise.post("/api/v1/challenges/", {
            "title": "反应釜温控波动大", "description": "夹套冷却水温度波动。", "category": "technology",
        }, format="json")
        published = enterprise.post(f"/api/v1/challenges/{created.json()['id']}/publish/", {}, format="json")
        proposed = enterprise.post("/api/v1/pairings/", {
            "challenge": parties.challenge.pk, "expert": parties.expert.pk}, format="json")
        accepted = expert.post(f"/api/v1/pairings/{proposed.json()['id']}/accept/", {}, format="json")

    assert [r.status_code for r in (edited, created, published, proposed, accepted)] == [200, 201, 200, 201, 200]
    assert Challenge.objects.get(pk=created.json()["id"]).status == Challenge.Status.OPEN
    assert PairingAgreement.objects.get(pk=proposed.json()["id"]).status == PairingAgreement.Status.ACCEPTED
    assert any("after-commit step" in r.getMessage() for r in caplog.records)
    # The e-mails (and the expert's SMS) wait in the outbox for the flush task (jianglian.flush_notifications).
    pending = NotificationLog.objects.filter(status=NotificationLog.Status.PENDING)
    assert sorted(pending.values_list("kind", "channel")) == [
        ("pairing_accepted", "email"), ("pairing_proposed", "email"), ("pairing_proposed", "sms")]


def test_a_graphql_write_answers_its_success_while_the_broker_is_down(broker_down, enterprise_user):
    from tests.gql import gid, run

    user, enterprise = enterprise_user
    result = run("""mutation($input: CreateChallengeInput!) { createChallenge(input: $input) { challenge { id } } }""",
                 user=user, variables={"input": {"enterprise": gid("Enterprise", enterprise.pk), "title": "废水COD高",
                                                 "description": "生化处理出水不稳定。", "category": "GREEN"}})
    result.ok()
    assert Challenge.objects.filter(enterprise=enterprise, title="废水COD高").count() == 1
