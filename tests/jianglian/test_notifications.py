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
from jianglian import sms
from jianglian.models import Notification, NotificationLog, UserPreference
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
    assert "请帮忙诊断精馏塔" in mail.body and pairing.number in mail.body and f"https://jianglian.test/pairings/{pairing.pk}/" in mail.body
    log = NotificationLog.objects.get(channel="email")
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
    log = NotificationLog.objects.get(channel="email")
    assert send_notification.delay(log.pk).get() is False
    assert notifications.deliver(log.pk) is False
    assert len(mailoutbox) == 1


def test_the_same_event_reported_twice_is_recorded_once(parties):
    pairing = propose(parties)
    notifications.notify(kind=Kind.PAIRING_PROPOSED, recipients=[parties.expert_user], subject=pairing, context={})
    assert sorted(NotificationLog.objects.values_list("channel", flat=True)) == ["email", "sms"]
    assert Notification.objects.count() == 1


def test_a_lost_task_is_sent_by_the_flush_beat_task(parties, mailoutbox):
    propose(parties)  # on_commit callbacks never run under the plain db fixture: the task is "lost"
    NotificationLog.objects.update(created_at=NotificationLog.objects.first().created_at.replace(year=2000))
    assert flush_notifications() == 2  # the e-mail and the SMS
    assert flush_notifications() == 0
    assert len(mailoutbox) == 1 and len(sms.outbox) == 1


def test_a_recipient_without_an_address_is_skipped(parties, mailoutbox):
    parties.expert_user.email = ""
    parties.expert_user.save()
    parties.expert.email = ""
    parties.expert.save()
    propose(parties)
    assert notifications.deliver(NotificationLog.objects.get(channel="email").pk) is False
    assert NotificationLog.objects.get(channel="email").status == "skipped" and mailoutbox == []


# --- channels: failures and retries ------------------------------------------------------------------


class FlakySms:
    """An SMS backend that fails as told: `TransientSmsError` `fail_times` times, or always `PermanentSmsError`."""

    sent: list = []
    failures = 0

    def __init__(self, *args, **kwargs):
        pass

    def send(self, message):
        cls = type(self)
        if cls.mode == "permanent":
            raise sms.PermanentSmsError("aliyun 200 isv.MOBILE_NUMBER_ILLEGAL: 非法手机号")
        if cls.failures < cls.fail_times:
            cls.failures += 1
            raise sms.TransientSmsError("aliyun 200 isv.BUSINESS_LIMIT_CONTROL: 流控")
        cls.sent.append(message)
        return "ok"


@pytest.fixture
def flaky_sms(settings):
    settings.SMS_BACKEND = f"{__name__}.FlakySms"
    FlakySms.sent, FlakySms.failures, FlakySms.fail_times, FlakySms.mode = [], 0, 0, "transient"
    return FlakySms


def test_a_permanent_sms_failure_never_blocks_the_email_and_shows_on_the_secretariats_page(
        parties, mailoutbox, flaky_sms, client, django_capture_on_commit_callbacks):
    flaky_sms.mode = "permanent"
    with django_capture_on_commit_callbacks(execute=True):
        propose(parties)
    assert len(mailoutbox) == 1  # the e-mail went out
    text = NotificationLog.objects.get(channel="sms")
    assert (text.status, text.attempts) == ("failed", 1) and "MOBILE_NUMBER_ILLEGAL" in text.last_error
    assert [log.pk for log in notifications.failed_notifications()] == [text.pk]
    client.force_login(factories.make_secretariat())
    page = client.get("/secretariat/").content.decode()
    assert "发送失败的通知" in page and "MOBILE_NUMBER_ILLEGAL" in page


def test_a_transient_sms_failure_is_retried_until_it_goes_out(parties, flaky_sms):
    flaky_sms.fail_times = 2
    propose(parties)
    text = NotificationLog.objects.get(channel="sms")
    for _attempt in range(2):
        with pytest.raises(notifications.DeliveryDeferred):
            notifications.deliver(text.pk)
    text.refresh_from_db()
    assert (text.status, text.attempts) == ("pending", 2) and "BUSINESS_LIMIT_CONTROL" in text.last_error
    assert notifications.deliver(text.pk) is True
    text.refresh_from_db()
    assert (text.status, text.attempts, len(flaky_sms.sent)) == ("sent", 3, 1)


def test_a_message_that_keeps_failing_is_given_up_after_the_last_attempt(parties, flaky_sms, settings):
    settings.NOTIFICATION_MAX_ATTEMPTS = 3
    flaky_sms.fail_times = 99
    propose(parties)
    text = NotificationLog.objects.get(channel="sms")
    for _attempt in range(2):
        with pytest.raises(notifications.DeliveryDeferred):
            notifications.deliver(text.pk)
    assert notifications.deliver(text.pk) is False
    text.refresh_from_db()
    assert (text.status, text.attempts) == ("failed", 3)


def test_the_task_retries_with_exponential_backoff(settings):
    settings.NOTIFICATION_RETRY_BASE_SECONDS = 30
    assert [notifications.retry_delay(n) for n in (1, 2, 3, 4, 10)] == [30, 60, 120, 240, 3600]


def test_in_process_a_deferred_message_waits_for_the_flush(parties, flaky_sms, django_capture_on_commit_callbacks):
    flaky_sms.fail_times = 1
    with django_capture_on_commit_callbacks(execute=True):
        propose(parties)  # eager: the task defers instead of retrying at once
    text = NotificationLog.objects.get(channel="sms")
    assert (text.status, text.attempts) == ("pending", 1)
    NotificationLog.objects.filter(pk=text.pk).update(created_at=text.created_at.replace(year=2000))
    assert flush_notifications() == 1
    assert NotificationLog.objects.get(pk=text.pk).status == "sent"


def test_an_sms_fits_one_segment_and_its_short_link_opens_the_page(parties, client,
                                                                    django_capture_on_commit_callbacks):
    parties.challenge.title = "高温进料泵机械密封平均两个月泄漏一次需要从选型冲洗方案到安装工艺找原因"
    parties.challenge.save()
    with django_capture_on_commit_callbacks(execute=True):
        pairing = propose(parties)
    [text] = sms.outbox
    assert len(text.text) <= 70 and "…" in text.text
    short = text.text.rsplit(" ", 1)[1]
    path = short.removeprefix(settings.SITE_URL)
    response = client.get(path)
    assert (response.status_code, response["Location"]) == (302, f"/pairings/{pairing.pk}/")
    assert client.get("/s/nothere/").status_code == 404


def test_a_contact_without_an_account_gets_email_and_sms_but_no_inbox(parties, mailoutbox,
                                                                      django_capture_on_commit_callbacks):
    pairing = factories.make_pairing(challenge=parties.challenge, expert=parties.expert)
    contact = notifications.Contact(name=f"expert-{parties.expert.pk}", email="li@example.com", phone="13700137000")
    with django_capture_on_commit_callbacks(execute=True):
        rows = notifications.notify(kind=Kind.PAIRING_PROPOSED, recipients=[contact, contact], subject=pairing,
                                    context={"challenge": "精馏", "enterprise": "泸天化", "expert": "李师傅"},
                                    link=f"/pairings/{pairing.pk}/")
    assert sorted(r.channel for r in rows) == ["email", "sms"]
    assert [m.to for m in mailoutbox] == [["li@example.com"]] and [m.to for m in sms.outbox] == ["13700137000"]
    assert not Notification.objects.exists()


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
def test_a_real_worker_sends_each_event_exactly_once_per_channel(live_app, celery_worker, mailoutbox, flaky_sms,
                                                                 settings):
    # Given the parties of a pairing, a studio applying, an outreach event, and an SMS provider that throttles
    # the first two messages (they are retried with backoff)
    settings.NOTIFICATION_RETRY_BASE_SECONDS = 0.2
    flaky_sms.fail_times = 2
    parties = factories.make_pairing_parties()
    for user, email in ((parties.expert_user, "wang@example.com"), (parties.enterprise_user, "staff@example.com")):
        user.email = email
        user.save()
    UserPreference.objects.create(user=parties.enterprise_user, language="en")  # e-mail only: no phone
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
    pairing_services.pairing_sign(user=parties.enterprise_user, pairing=pairing)           # active (both)
    reminded = factories.make_pairing(challenge=factories.make_challenge(enterprise=parties.enterprise),
                                      expert=parties.expert)
    from datetime import timedelta

    from django.utils import timezone

    type(reminded).objects.filter(pk=reminded.pk).update(expires_at=timezone.now() + timedelta(days=1))
    assert pairing_services.pairing_send_reminders() == 1                                # expiry reminder
    alliance_services.membership_review(user=secretariat, application=application,
                                        decision=ReviewDecision.APPROVE)                 # membership decision
    alliance_services.event_invite_experts(user=secretariat, event=event, experts=[parties.expert])  # invitation

    # Then the worker sends each one exactly once per channel, in the recipient's language
    wait_until_settled()
    rows = sorted(NotificationLog.objects.values_list("kind", "channel"))
    expert_sides = ["pairing_proposed", "pairing_proposed", "pairing_active", "pairing_expiry_reminder",
                    "membership_decision", "event_invitation"]  # the two experts: e-mail and SMS each
    staff_side = ["pairing_declined", "pairing_accepted", "pairing_signature_needed", "pairing_active"]
    assert rows == sorted([(k, "email") for k in expert_sides + staff_side] + [(k, "sms") for k in expert_sides])
    assert set(NotificationLog.objects.values_list("status", flat=True)) == {"sent"}
    assert len(mailoutbox) == 10 and len(flaky_sms.sent) == 6 and flaky_sms.failures == 2
    assert NotificationLog.objects.filter(channel="sms", attempts__gt=1).count() >= 1  # retried, sent once
    assert Notification.objects.count() == 10  # one inbox row per event and recipient
    to_staff = [m.subject for m in mailoutbox if m.to == ["staff@example.com"]]
    assert len(to_staff) == 4 and all(s.startswith("[Jianglian]") for s in to_staff)
    to_expert = [m.subject for m in mailoutbox if m.to == ["wang@example.com"]]
    assert len(to_expert) == 5 and all(s.startswith("【匠联】") for s in to_expert)

    # And a redelivery of every task (as after a lost ack) sends nothing more
    results = [send_notification.delay(log_id) for log_id in NotificationLog.objects.values_list("id", flat=True)]
    assert [r.get(timeout=30) for r in results] == [False] * 16
    assert len(mailoutbox) == 10 and len(flaky_sms.sent) == 6
