"""Unanswered proposals expire after PAIRING_PROPOSAL_EXPIRY_DAYS (beat task), with one reminder before."""
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from alliance.models import AuditEntry
from jianglian.models import NotificationLog
from matching.models import PairingAgreement
from matching.pairings import services, tasks
from tests import factories

pytestmark = pytest.mark.django_db
Status = PairingAgreement.Status


@pytest.fixture(autouse=True)
def eager_celery():
    """Tasks run in-process here, also when CI points Celery at a real broker (CELERY_BROKER_URL)."""
    from jianglian.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def parties():
    return factories.make_pairing_parties()


def proposal(parties, *, expires_in):
    pairing = services.pairing_propose(user=parties.enterprise_user, challenge=parties.challenge,
                                       expert=parties.expert)
    PairingAgreement.objects.filter(pk=pairing.pk).update(expires_at=timezone.now() + expires_in)
    return pairing


def test_the_beat_schedule_runs_expiry_and_reminders():
    tasks_scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"matching.pairings.expire_proposals", "matching.pairings.send_expiry_reminders",
            "jianglian.flush_notifications"} <= tasks_scheduled


def test_past_due_proposals_expire_once_and_are_audited(parties):
    due = proposal(parties, expires_in=-timedelta(minutes=1))
    later = services.pairing_propose(user=parties.enterprise_user,
                                     challenge=factories.make_challenge(enterprise=parties.enterprise),
                                     expert=parties.expert)
    assert tasks.expire_proposals() == 1
    assert tasks.expire_proposals() == 0
    due.refresh_from_db()
    later.refresh_from_db()
    assert (due.status, later.status) == (Status.EXPIRED, Status.PROPOSED)
    entry = AuditEntry.objects.get(subject_type="matching.pairingagreement", subject_id=due.pk, action="expire")
    assert (entry.actor, entry.from_state, entry.to_state) == (None, "proposed", "expired")


def test_answered_proposals_never_expire(parties):
    pairing = proposal(parties, expires_in=timedelta(days=1))
    services.pairing_accept(user=parties.expert_user, pairing=pairing)
    assert services.pairing_expire_due(now=timezone.now() + timedelta(days=30)) == 0
    pairing.refresh_from_db()
    assert pairing.status == Status.ACCEPTED


def test_the_reminder_goes_once_inside_the_reminder_window(parties, settings, django_capture_on_commit_callbacks,
                                                          mailoutbox):
    settings.PAIRING_PROPOSAL_REMINDER_DAYS = 3
    soon = proposal(parties, expires_in=timedelta(days=2))
    other = factories.make_challenge(enterprise=parties.enterprise)
    far = services.pairing_propose(user=parties.enterprise_user, challenge=other, expert=parties.expert)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_expiry_reminders() == 1
        assert tasks.send_expiry_reminders() == 0
    soon.refresh_from_db()
    far.refresh_from_db()
    assert soon.reminder_sent_at is not None and far.reminder_sent_at is None
    assert NotificationLog.objects.filter(kind="pairing_expiry_reminder").count() == 1
    assert [m.to for m in mailoutbox] == [[parties.expert_user.email or parties.expert.email]]
    assert "即将过期" in mailoutbox[0].subject


def test_no_reminder_for_an_answered_or_expired_proposal(parties):
    answered = proposal(parties, expires_in=timedelta(days=1))
    services.pairing_decline(user=parties.expert_user, pairing=answered)
    proposal(parties, expires_in=-timedelta(hours=1))
    assert services.pairing_send_reminders() == 0
