"""Every event a party cares about notifies exactly the parties it should: once in the inbox and once per channel
they keep on (e-mail; SMS when a mobile number is known), with the deep link to the page to act on.

Here the tasks run eagerly (the services through their real after-commit path); tests/jianglian/test_notifications.py
runs the same with a real Celery worker on PostgreSQL + Redis."""
from datetime import timedelta

import pytest
from django.utils import timezone

from alliance import services as alliance_services
from alliance.services import ReviewDecision
from enterprises.services import enterprise_verify
from jianglian import sms
from jianglian.models import Notification, NotificationLog
from jianglian.preferences import preference_update
from matching.models import PairingAgreement
from matching.pairings import services as pairings
from tests import factories


@pytest.fixture(autouse=True)
def eager_celery():
    from jianglian.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def world(db, django_capture_on_commit_callbacks):
    parties = factories.make_pairing_parties()
    parties.enterprise_user.email = "staff@example.com"
    parties.enterprise_user.save()
    preference_update(user=parties.enterprise_user, phone="13900139000")  # staff: e-mail and SMS
    parties.expert_user.email = ""  # the expert: the catalog's e-mail and phone
    parties.expert_user.save()
    parties.secretariat = factories.make_secretariat()
    parties.commit = django_capture_on_commit_callbacks
    return parties


def received(kind, **subject):
    """{(username, channel)} of the outbox rows of `kind` (channel "inbox" for the inbox rows)."""
    logs = NotificationLog.objects.filter(kind=kind, **subject).select_related("recipient")
    inbox = Notification.objects.filter(kind=kind).select_related("recipient")
    return sorted([(log.recipient.username if log.recipient else log.to_email or log.to_phone, log.channel)
                   for log in logs] + [(n.recipient.username, "inbox") for n in inbox])


def every_channel(*users, sms_for=None):
    sms_for = users if sms_for is None else sms_for
    rows = [(u.username, "email") for u in users] + [(u.username, "inbox") for u in users]
    return sorted(rows + [(u.username, "sms") for u in sms_for])


def do(world, call):
    with world.commit(execute=True):
        return call()


def test_a_proposal_notifies_the_expert_on_every_channel_with_the_deep_link(world):
    pairing = do(world, lambda: pairings.pairing_propose(user=world.enterprise_user, challenge=world.challenge,
                                                         expert=world.expert))
    assert received("pairing_proposed") == every_channel(world.expert_user)
    assert NotificationLog.objects.filter(kind="pairing_proposed", status="sent").count() == 2
    [text] = sms.outbox
    assert text.to == world.expert.phone and len(text.text) <= 70 and text.text.startswith("【匠联】")
    short = text.text.rsplit(" ", 1)[1]
    assert short.startswith("https://jianglian.test/s/")
    assert Notification.objects.get(kind="pairing_proposed").link == f"/pairings/{pairing.pk}/"


def test_the_answers_notify_the_enterprise(world):
    pairing = do(world, lambda: pairings.pairing_propose(user=world.enterprise_user, challenge=world.challenge,
                                                         expert=world.expert))
    do(world, lambda: pairings.pairing_accept(user=world.expert_user, pairing=pairing))
    assert received("pairing_accepted") == every_channel(world.enterprise_user)
    other_user, other = factories.make_expert_user()
    declined = do(world, lambda: pairings.pairing_propose(user=world.enterprise_user,
                                                          challenge=factories.make_challenge(enterprise=world.enterprise),
                                                          expert=other))
    do(world, lambda: pairings.pairing_decline(user=other_user, pairing=declined, note="出差"))
    assert received("pairing_declined") == every_channel(world.enterprise_user)


def test_signing_asks_the_other_side_then_tells_both_the_agreement_is_active(world):
    pairing = do(world, lambda: pairings.pairing_propose(user=world.enterprise_user, challenge=world.challenge,
                                                         expert=world.expert))
    do(world, lambda: pairings.pairing_accept(user=world.expert_user, pairing=pairing))
    do(world, lambda: pairings.pairing_sign(user=world.expert_user, pairing=pairing))
    assert received("pairing_signature_needed") == every_channel(world.enterprise_user)
    do(world, lambda: pairings.pairing_sign(user=world.enterprise_user, pairing=pairing))
    assert received("pairing_active") == every_channel(world.enterprise_user, world.expert_user)
    # the e-mail carries the one agreement number the pages show
    active_mail = NotificationLog.objects.get(kind="pairing_active", channel="email", recipient=world.enterprise_user)
    assert active_mail.status == "sent" and active_mail.context["number"] == f"JL-PA-{pairing.pk:06d}"


def active_pairing(world):
    pairing = factories.make_pairing(challenge=world.challenge, expert=world.expert, status="accepted")
    do(world, lambda: pairings.pairing_sign(user=world.expert_user, pairing=pairing))
    do(world, lambda: pairings.pairing_sign(user=world.enterprise_user, pairing=pairing))
    return pairing


def test_completion_notifies_the_other_side(world):
    pairing = active_pairing(world)
    do(world, lambda: pairings.pairing_complete(user=world.enterprise_user, pairing=pairing, summary="蒸汽单耗降 12%"))
    assert received("pairing_completed") == every_channel(world.expert_user)


def test_termination_notifies_the_other_side_or_both_when_the_secretariat_ends_it(world):
    pairing = active_pairing(world)
    do(world, lambda: pairings.pairing_terminate(user=world.expert_user, pairing=pairing, reason="企业停产"))
    assert received("pairing_terminated") == every_channel(world.enterprise_user)
    second = factories.make_pairing(challenge=factories.make_challenge(enterprise=world.enterprise),
                                    expert=world.expert, status="accepted")
    do(world, lambda: pairings.pairing_terminate(user=world.secretariat, pairing=second, reason="双方协商"))
    rows = received("pairing_terminated")  # the second time both sides hear of it
    assert rows.count((world.expert_user.username, "inbox")) == 1 and rows.count((world.enterprise_user.username, "inbox")) == 2


def test_a_withdrawn_or_superseded_invitation_notifies_its_expert(world):
    pairing = do(world, lambda: pairings.pairing_propose(user=world.enterprise_user, challenge=world.challenge,
                                                         expert=world.expert))
    do(world, lambda: pairings.pairing_withdraw(user=world.enterprise_user, pairing=pairing))
    assert received("pairing_withdrawn") == every_channel(world.expert_user)

    other_user, other = factories.make_expert_user()
    superseded = do(world, lambda: pairings.pairing_propose(user=world.enterprise_user, challenge=world.challenge,
                                                            expert=other))
    active_pairing(world)
    assert PairingAgreement.objects.get(pk=superseded.pk).status == "withdrawn"
    assert received("pairing_withdrawn") == sorted(every_channel(world.expert_user) + every_channel(other_user))


def test_the_expiry_reminder_goes_to_the_expert_and_the_expiry_to_both(world):
    pairing = do(world, lambda: pairings.pairing_propose(user=world.enterprise_user, challenge=world.challenge,
                                                         expert=world.expert))
    PairingAgreement.objects.filter(pk=pairing.pk).update(expires_at=timezone.now() + timedelta(hours=5))
    with world.commit(execute=True):
        assert pairings.pairing_send_reminders() == 1
        assert pairings.pairing_send_reminders() == 0
    assert received("pairing_expiry_reminder") == every_channel(world.expert_user)
    with world.commit(execute=True):
        assert pairings.pairing_expire_due(now=timezone.now() + timedelta(days=1)) == 1
        assert pairings.pairing_expire_due(now=timezone.now() + timedelta(days=1)) == 0
    assert received("pairing_expired") == every_channel(world.enterprise_user, world.expert_user)


def test_a_membership_decision_reaches_the_applicants_account(world):
    applicant, lead = factories.make_expert_user()
    lead.email = ""
    lead.phone = ""
    lead.save()
    studio = factories.make_studio(lead=lead)
    application = alliance_services.membership_apply(user=applicant, studio=studio, statement="申请入盟")
    do(world, lambda: alliance_services.membership_review(user=world.secretariat, application=application,
                                                          decision=ReviewDecision.REJECT, note="材料不全"))
    rows = received("membership_decision")
    assert rows == [(applicant.username, "email"), (applicant.username, "inbox")]  # no phone: no SMS row
    assert NotificationLog.objects.get(kind="membership_decision").status == "skipped"  # nor any e-mail address
    assert Notification.objects.get(kind="membership_decision").link == f"/studios/{studio.pk}/"


def test_verifying_an_enterprise_notifies_its_staff(world):
    staff = factories.make_user(email="new@example.com")
    enterprise = factories.make_enterprise(staff=[staff], verified=False)
    do(world, lambda: enterprise_verify(user=world.secretariat, enterprise=enterprise))
    do(world, lambda: enterprise_verify(user=world.secretariat, enterprise=enterprise))  # already: nothing more
    assert received("enterprise_verified") == [(staff.username, "email"), (staff.username, "inbox")]


def test_event_invitation_confirmation_cancellation_and_report_due(world):
    declining_user, declining = factories.make_expert_user()
    event = factories.make_event(created_by=world.secretariat)
    do(world, lambda: alliance_services.event_invite_experts(user=world.secretariat, event=event,
                                                             experts=[world.expert, declining]))
    assert received("event_invitation") == every_channel(world.expert_user, declining_user)
    do(world, lambda: alliance_services.event_respond(user=world.expert_user, event=event, accept=True))
    do(world, lambda: alliance_services.event_respond(user=declining_user, event=event, accept=False))
    do(world, lambda: alliance_services.event_confirm(user=world.secretariat, event=event))
    assert received("event_confirmed") == every_channel(world.expert_user)

    from alliance.models import OutreachEvent

    OutreachEvent.objects.filter(pk=event.pk).update(starts_at=timezone.now() - timedelta(hours=3))
    with world.commit(execute=True):
        assert alliance_services.event_report_reminders() == 1
        alliance_services.event_report_reminders()
    assert received("event_report_due") == [(world.secretariat.username, "email"),
                                            (world.secretariat.username, "inbox")]

    other = factories.make_event()
    do(world, lambda: alliance_services.event_invite_experts(user=world.secretariat, event=other,
                                                             experts=[world.expert]))
    do(world, lambda: alliance_services.event_cancel(user=world.secretariat, event=other, reason="学校停课"))
    assert received("event_cancelled") == every_channel(world.expert_user)


def test_channels_follow_the_recipients_preferences(world):
    preference_update(user=world.expert_user, email_enabled=False)
    do(world, lambda: pairings.pairing_propose(user=world.enterprise_user, challenge=world.challenge,
                                               expert=world.expert))
    assert received("pairing_proposed") == [(world.expert_user.username, "inbox"), (world.expert_user.username, "sms")]
    preference_update(user=world.enterprise_user, sms_enabled=False, email_enabled=False)
    pairing = PairingAgreement.objects.get()
    do(world, lambda: pairings.pairing_accept(user=world.expert_user, pairing=pairing))
    assert received("pairing_accepted") == [(world.enterprise_user.username, "inbox")]
