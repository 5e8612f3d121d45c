"""E-mail notifications: recorded with the state change, sent by Celery after commit, exactly once per event,
in the recipient's language (zh-hans or English)."""
import os
import time

import pytest
from django.conf import settings
from django.db import connections, transaction

from alliance import services as alliance_services
from alliance.services import ReviewDecision
from jianglian import notifications
from jianglian.models import NotificationLog, UserPreference
from jianglian.notifications import Kind
from jianglian.tasks import flush_notifications, send_notification
from matching.pairings import services as pairing_services
from tests import factories

SAMPLE = dict(
    pairing_id=7, challenge="精馏塔蒸汽单耗偏高", enterprise="泸天化股份", expert="王师傅", message="请帮忙诊断",
    note="乐意效劳", expires_at="2026-05-01 09:00", signed_side="expert", application_id=3, studio="精馏节能工作室",
    decision="approved", event_id=2, title="走进四川化工职院", school="四川化工职业技术学院", city="泸州",
    starts_at="2026-05-08 14:00", topic="精馏节能", role="主讲",
)


@pytest.fixture(autouse=True)
def eager_celery():
    """Tasks run in-process here, also when CI points Celery at a real broker (CELERY_BROKER_URL)."""
    from jianglian.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.mark.parametrize("kind", Kind.ALL)
def test_every_notification_has_a_chinese_and_an_english_template(kind):
    zh_subject, zh_body = notifications.render(kind, "zh-hans", SAMPLE)
    en_subject, en_body = notifications.render(kind, "en", SAMPLE)
    assert zh_subject.startswith("【匠联】") and en_subject.startswith("[Jianglian]")
    assert "匠联" in zh_body and "Jianglian" in en_body
    assert "{{" not in zh_body + en_body and "\n" not in zh_subject + en_subject


@pytest.fixture
def parties(db):
    parties = factories.make_pairing_parties()
    parties.expert_user.email = "wang@example.com"
    parties.expert_user.save()
    parties.enterprise_user.email = "staff@example.com"
    parties.enterprise_user.save()
    return parties


def propose(parties):
    return pairing_services.pairing_propose(user=parties.enterprise_user, challenge=parties.challenge,
                                            expert=parties.expert, message="请帮忙诊断精馏塔")


def test_a_proposal_mails_the_expert_after_commit_in_chinese_by_default(parties, mailoutbox,
                                                                       django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        pairing = propose(parties)
        assert mailoutbox == []  # nothing leaves before commit
    for callback in callbacks:
        callback()
    [mail] = mailoutbox
    assert mail.to == ["wang@example.com"]
    assert mail.subject == f"【匠联】{parties.enterprise.name} 邀请您结对：{parties.challenge.title}"
    assert "请帮忙诊断精馏塔" in mail.body and f"JL-PA-{pairing.pk}" in mail.body
    log = NotificationLog.objects.get()
    assert (log.status, log.language, log.to_email) == ("sent", "zh-hans", "wang@example.com")


def test_the_recipients_language_is_used(parties, mailoutbox, django_capture_on_commit_callbacks):
    UserPreference.objects.create(user=parties.expert_user, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        propose(parties)
    [mail] = mailoutbox
    assert mail.subject.startswith(f"[Jianglian] {parties.enterprise.name} invites you to a pairing")


def test_a_rolled_back_change_sends_nothing(parties, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            propose(parties)
            raise RuntimeError("the request failed after the proposal")
    assert mailoutbox == [] and not NotificationLog.objects.exists()


def test_a_redelivered_task_does_not_send_twice(parties, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        propose(parties)
    log = NotificationLog.objects.get()
    assert send_notification.delay(log.pk).get() is False
    assert notifications.deliver(log.pk) is False
    assert len(mailoutbox) == 1


def test_the_same_event_reported_twice_is_recorded_once(parties):
    pairing = propose(parties)
    notifications.notify(kind=Kind.PAIRING_PROPOSED, recipients=[parties.expert_user], subject=pairing, context={})
    assert NotificationLog.objects.count() == 1


def test_a_lost_task_is_sent_by_the_flush_beat_task(parties, mailoutbox):
    propose(parties)  # on_commit callbacks never run under the plain db fixture: the task is "lost"
    NotificationLog.objects.update(created_at=NotificationLog.objects.get().created_at.replace(year=2000))
    assert flush_notifications() == 1
    assert flush_notifications() == 0
    assert len(mailoutbox) == 1


def test_a_recipient_without_an_address_is_skipped(parties, mailoutbox):
    parties.expert_user.email = ""
    parties.expert_user.save()
    parties.expert.email = ""
    parties.expert.save()
    propose(parties)
    assert notifications.deliver(NotificationLog.objects.get().pk) is False
    assert NotificationLog.objects.get().status == "skipped" and mailoutbox == []


# --- a real Celery worker over Redis -----------------------------------------------------------------

LIVE_BROKER = os.environ.get("NOTIFICATIONS_TEST_BROKER_URL", "redis://127.0.0.1:6379/7")
LIVE_QUEUE = "jianglian-notifications-test"


def redis_reachable() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(LIVE_BROKER, socket_connect_timeout=1).ping())
    except Exception:  # noqa: BLE001 — any failure means "no Redis here"
        return False


from celery.contrib.pytest import (  # noqa: E402,F401 — the fixtures celery_worker needs
    celery_app, celery_enable_logging, celery_parameters, celery_worker, celery_worker_parameters,
    celery_worker_pool, use_celery_app_trap,
)


@pytest.fixture(scope="session")
def celery_includes():
    """Every task module: the services also queue search and matching tasks, which the worker then runs too."""
    from django.apps import apps

    modules = ["matching.pairings.tasks"]
    for config in apps.get_app_configs():
        try:
            __import__(f"{config.name}.tasks")
        except ModuleNotFoundError:
            continue
        modules.append(f"{config.name}.tasks")
    return modules


@pytest.fixture(scope="session")
def celery_config():
    return {
        "broker_url": LIVE_BROKER, "result_backend": LIVE_BROKER, "task_default_queue": LIVE_QUEUE,
        "task_acks_late": True, "task_serializer": "json", "accept_content": ["json"],
        "broker_connection_retry_on_startup": False,
    }


@pytest.fixture
def live_app(celery_app):
    """The test app, current for this thread so services queue to it; worker DB connections closed per task."""
    from celery.signals import task_postrun

    def close_connections(**_):
        connections.close_all()

    celery_app.set_current()
    celery_app.set_default()
    celery_app.control.purge()
    task_postrun.connect(close_connections, weak=False)
    yield celery_app
    task_postrun.disconnect(close_connections)


def wait_until_settled(timeout=30.0):
    deadline = time.monotonic() + timeout
    while NotificationLog.objects.filter(status="pending").exists():
        assert time.monotonic() < deadline, "notifications still pending"
        time.sleep(0.1)


@pytest.mark.celery_live
@pytest.mark.skipif(not redis_reachable(), reason=f"needs Redis at {LIVE_BROKER} for a real Celery worker")
@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="needs PostgreSQL: the in-memory SQLite test database refuses a second writer thread (table locked)",
)
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_each_event_exactly_once(live_app, celery_worker, mailoutbox):
    # Given the parties of a pairing, a studio applying, and an outreach event
    parties = factories.make_pairing_parties()
    for user, email in ((parties.expert_user, "wang@example.com"), (parties.enterprise_user, "staff@example.com")):
        user.email = email
        user.save()
    UserPreference.objects.create(user=parties.enterprise_user, language="en")
    declining_user, declining = factories.make_expert_user()
    secretariat = factories.make_secretariat()
    studio = factories.make_studio(lead=parties.expert)
    application = alliance_services.membership_apply(user=parties.expert_user, studio=studio, statement="申请入盟")
    event = factories.make_event()

    # When every kind of event happens once
    pairing = propose(parties)                                                           # proposal received
    other = pairing_services.pairing_propose(user=parties.enterprise_user, challenge=parties.challenge,
                                             expert=declining)
    pairing_services.pairing_decline(user=declining_user, pairing=other, note="出差")      # declined
    pairing_services.pairing_accept(user=parties.expert_user, pairing=pairing)             # accepted
    pairing_services.pairing_sign(user=parties.expert_user, pairing=pairing)               # signature needed
    reminded = factories.make_pairing(challenge=factories.make_challenge(enterprise=parties.enterprise),
                                      expert=parties.expert)
    from datetime import timedelta

    from django.utils import timezone

    type(reminded).objects.filter(pk=reminded.pk).update(expires_at=timezone.now() + timedelta(days=1))
    assert pairing_services.pairing_send_reminders() == 1                                # expiry reminder
    alliance_services.membership_review(user=secretariat, application=application,
                                        decision=ReviewDecision.APPROVE)                 # membership decision
    alliance_services.event_invite_experts(user=secretariat, event=event, experts=[parties.expert])  # invitation

    # Then the worker sends each one exactly once, in the recipient's language
    wait_until_settled()
    kinds = sorted(NotificationLog.objects.values_list("kind", flat=True))
    assert kinds == sorted(["pairing_proposed", "pairing_proposed", "pairing_declined", "pairing_accepted",
                            "pairing_signature_needed", "pairing_expiry_reminder", "membership_decision",
                            "event_invitation"])
    assert NotificationLog.objects.filter(status="sent").count() == 8
    assert len(mailoutbox) == 8
    to_staff = [m.subject for m in mailoutbox if m.to == ["staff@example.com"]]
    assert len(to_staff) == 3 and all(s.startswith("[Jianglian]") for s in to_staff)
    to_expert = [m.subject for m in mailoutbox if m.to == ["wang@example.com"]]
    assert len(to_expert) == 4 and all(s.startswith("【匠联】") for s in to_expert)

    # And a redelivery of every task (as after a lost ack) sends nothing more
    results = [send_notification.delay(log_id) for log_id in NotificationLog.objects.values_list("id", flat=True)]
    assert [r.get(timeout=30) for r in results] == [False] * 8
    assert len(mailoutbox) == 8
