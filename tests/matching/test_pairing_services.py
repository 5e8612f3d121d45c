"""Pairing agreements (结对意向书): one service per transition, with every rule in it.

Given an enterprise with an open challenge and an expert accepting pairings, the enterprise proposes,
the expert accepts or declines, both sign, and the agreement is completed or terminated.
"""
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from alliance.models import AuditEntry
from enterprises.models import Challenge
from jianglian.errors import Conflict, DomainError, IllegalTransition, NotAllowed
from jianglian.models import NotificationLog
from matching.models import PairingAgreement
from matching.pairings import services
from tests import factories

pytestmark = pytest.mark.django_db
Status = PairingAgreement.Status


@pytest.fixture
def parties():
    return factories.make_pairing_parties()


def propose(parties, **kwargs):
    kwargs.setdefault("message", "想请您帮忙诊断精馏塔能耗。")
    return services.pairing_propose(user=parties.enterprise_user, challenge=parties.challenge,
                                    expert=parties.expert, **kwargs)


def accepted(parties):
    pairing = propose(parties)
    return services.pairing_accept(user=parties.expert_user, pairing=pairing, note="乐意效劳")


def active(parties):
    pairing = accepted(parties)
    services.pairing_sign(user=parties.expert_user, pairing=pairing)
    return services.pairing_sign(user=parties.enterprise_user, pairing=pairing)


def audit_trail(pairing):
    return list(AuditEntry.objects.filter(subject_type="matching.pairingagreement", subject_id=pairing.pk)
                .order_by("id").values_list("action", "from_state", "to_state"))


def notifications(kind):
    return list(NotificationLog.objects.filter(kind=kind).values_list("recipient_id", flat=True))


# --- propose -----------------------------------------------------------------------------------


def test_enterprise_staff_propose_with_a_message_and_an_expiry_from_settings(parties, settings):
    settings.PAIRING_PROPOSAL_EXPIRY_DAYS = 10
    pairing = propose(parties, goals="蒸汽单耗降低10%")
    assert (pairing.status, pairing.message, pairing.goals) == (Status.PROPOSED, "想请您帮忙诊断精馏塔能耗。", "蒸汽单耗降低10%")
    assert pairing.proposed_by == parties.enterprise_user
    assert abs(timedelta(days=10) - (pairing.expires_at - pairing.proposed_at)) < timedelta(seconds=5)
    assert audit_trail(pairing) == [("propose", "", "proposed")]
    assert notifications("pairing_proposed") == [parties.expert_user.pk]


@pytest.mark.parametrize("who", ["other_enterprise", "the_expert", "secretariat", "anonymous"])
def test_only_staff_of_the_challenges_enterprise_propose(parties, who):
    from django.contrib.auth.models import AnonymousUser

    user = {
        "other_enterprise": lambda: factories.make_enterprise_user()[0],
        "the_expert": lambda: parties.expert_user,
        "secretariat": factories.make_secretariat,
        "anonymous": AnonymousUser,
    }[who]()
    with pytest.raises(NotAllowed):
        services.pairing_propose(user=user, challenge=parties.challenge, expert=parties.expert)
    assert not PairingAgreement.objects.exists()


@pytest.mark.parametrize("status", [Challenge.Status.DRAFT, Challenge.Status.PAIRED, Challenge.Status.RESOLVED,
                                    Challenge.Status.CLOSED])
def test_only_an_open_challenge_can_be_proposed(parties, status):
    Challenge.objects.filter(pk=parties.challenge.pk).update(status=status)
    with pytest.raises(IllegalTransition):
        propose(parties)


def test_an_expert_not_accepting_pairings_cannot_be_invited(parties):
    parties.expert.accepting_pairings = False
    parties.expert.save()
    with pytest.raises(DomainError) as error:
        propose(parties)
    assert error.value.code == "expert_not_accepting"


def test_an_expert_without_an_account_cannot_be_invited(parties):
    expert = factories.make_expert()
    with pytest.raises(DomainError) as error:
        services.pairing_propose(user=parties.enterprise_user, challenge=parties.challenge, expert=expert)
    assert error.value.code == "expert_without_account"


def test_the_enterprise_cannot_pair_with_its_own_staff(parties):
    parties.enterprise.staff.add(parties.expert_user)
    with pytest.raises(DomainError) as error:
        propose(parties)
    assert error.value.code == "own_staff"


def test_one_open_proposal_per_challenge_and_expert(parties):
    propose(parties)
    with pytest.raises(Conflict) as error:
        propose(parties)
    assert error.value.code == "duplicate_proposal"
    assert PairingAgreement.objects.count() == 1


def test_a_declined_expert_may_be_invited_again(parties):
    pairing = propose(parties)
    services.pairing_decline(user=parties.expert_user, pairing=pairing)
    assert propose(parties).status == Status.PROPOSED


def test_no_new_proposal_while_the_challenge_is_held(parties):
    accepted(parties)
    other_user, other = factories.make_expert_user()
    with pytest.raises(Conflict) as error:
        services.pairing_propose(user=parties.enterprise_user, challenge=parties.challenge, expert=other)
    assert error.value.code == "challenge_taken"


def test_end_date_before_start_date_is_refused(parties):
    today = timezone.localdate()
    with pytest.raises(ValidationError):
        propose(parties, start_date=today, end_date=today - timedelta(days=1))


# --- accept / decline / withdraw ----------------------------------------------------------------


def test_the_invited_expert_accepts_with_a_note_and_the_enterprise_is_told(parties):
    pairing = accepted(parties)
    assert (pairing.status, pairing.response_note) == (Status.ACCEPTED, "乐意效劳")
    assert pairing.responded_at is not None
    assert audit_trail(pairing)[-1] == ("accept", "proposed", "accepted")
    assert notifications("pairing_accepted") == [parties.enterprise_user.pk]


@pytest.mark.parametrize("who", ["enterprise", "other_expert", "secretariat"])
def test_only_the_invited_expert_answers(parties, who):
    pairing = propose(parties)
    user = {"enterprise": parties.enterprise_user, "other_expert": factories.make_expert_user()[0],
            "secretariat": factories.make_secretariat()}[who]
    for answer in (services.pairing_accept, services.pairing_decline):
        with pytest.raises(NotAllowed):
            answer(user=user, pairing=pairing)
    pairing.refresh_from_db()
    assert pairing.status == Status.PROPOSED


def test_an_expired_proposal_cannot_be_accepted_even_before_the_beat_task_ran(parties):
    pairing = propose(parties)
    PairingAgreement.objects.filter(pk=pairing.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(IllegalTransition) as error:
        services.pairing_accept(user=parties.expert_user, pairing=pairing)
    assert error.value.code == "expired"


def test_a_second_expert_cannot_accept_once_the_challenge_is_held(parties):
    first = accepted(parties)
    other_user, other = factories.make_expert_user()
    second = factories.make_pairing(challenge=parties.challenge, expert=other)  # proposed before the acceptance
    with pytest.raises(Conflict) as error:
        services.pairing_accept(user=other_user, pairing=second)
    assert error.value.code == "challenge_taken"
    assert list(PairingAgreement.objects.filter(status__in=PairingAgreement.HOLDING_STATES)) == [first]


def test_an_expert_at_capacity_cannot_accept_another(parties):
    parties.expert.capacity = 1
    parties.expert.save()
    accepted(parties)
    other_challenge = factories.make_challenge(enterprise=parties.enterprise)
    second = services.pairing_propose(user=parties.enterprise_user, challenge=other_challenge, expert=parties.expert)
    with pytest.raises(Conflict) as error:
        services.pairing_accept(user=parties.expert_user, pairing=second)
    assert error.value.code == "capacity_reached"


def test_terminating_frees_capacity(parties):
    parties.expert.capacity = 1
    parties.expert.save()
    first = accepted(parties)
    other_challenge = factories.make_challenge(enterprise=parties.enterprise)
    second = services.pairing_propose(user=parties.enterprise_user, challenge=other_challenge, expert=parties.expert)
    services.pairing_terminate(user=parties.expert_user, pairing=first, reason="时间冲突")
    assert services.pairing_accept(user=parties.expert_user, pairing=second).status == Status.ACCEPTED


def test_the_expert_declines_with_a_note_and_the_enterprise_is_told(parties):
    pairing = services.pairing_decline(user=parties.expert_user, pairing=propose(parties), note="近期出差")
    assert (pairing.status, pairing.response_note) == (Status.DECLINED, "近期出差")
    assert audit_trail(pairing)[-1] == ("decline", "proposed", "declined")
    assert notifications("pairing_declined") == [parties.enterprise_user.pk]


def test_the_enterprise_withdraws_before_acceptance(parties):
    pairing = services.pairing_withdraw(user=parties.enterprise_user, pairing=propose(parties), note="已另行解决")
    assert pairing.status == Status.WITHDRAWN
    assert audit_trail(pairing)[-1] == ("withdraw", "proposed", "withdrawn")


def test_the_enterprise_cannot_withdraw_after_acceptance_and_the_expert_never_withdraws(parties):
    pairing = propose(parties)
    with pytest.raises(NotAllowed):
        services.pairing_withdraw(user=parties.expert_user, pairing=pairing)
    services.pairing_accept(user=parties.expert_user, pairing=pairing)
    with pytest.raises(IllegalTransition):
        services.pairing_withdraw(user=parties.enterprise_user, pairing=pairing)


# --- sign ---------------------------------------------------------------------------------------


def test_one_signature_keeps_it_accepted_and_asks_the_other_side(parties):
    pairing = services.pairing_sign(user=parties.expert_user, pairing=accepted(parties))
    assert (pairing.status, pairing.enterprise_signed_at) == (Status.ACCEPTED, None)
    assert pairing.expert_signed_at is not None
    assert notifications("pairing_signature_needed") == [parties.enterprise_user.pk]


def test_both_signatures_activate_the_agreement_and_pair_the_challenge(parties):
    loser_user, loser = factories.make_expert_user()
    other_proposal = services.pairing_propose(user=parties.enterprise_user, challenge=parties.challenge, expert=loser)
    pairing = accepted(parties)
    services.pairing_sign(user=parties.enterprise_user, pairing=pairing)
    assert notifications("pairing_signature_needed") == [parties.expert_user.pk]
    pairing = services.pairing_sign(user=parties.expert_user, pairing=pairing)
    assert pairing.status == Status.ACTIVE and pairing.activated_at is not None
    assert pairing.enterprise_signed_by == parties.enterprise_user
    parties.challenge.refresh_from_db()
    assert parties.challenge.status == Challenge.Status.PAIRED
    other_proposal.refresh_from_db()
    assert other_proposal.status == Status.WITHDRAWN
    assert audit_trail(other_proposal)[-1] == ("supersede", "proposed", "withdrawn")
    assert AuditEntry.objects.filter(subject_type="enterprises.challenge", subject_id=parties.challenge.pk,
                                     action="pair", from_state="open", to_state="paired").exists()


def test_a_side_signs_once_and_strangers_never(parties):
    pairing = accepted(parties)
    services.pairing_sign(user=parties.expert_user, pairing=pairing)
    with pytest.raises(IllegalTransition) as error:
        services.pairing_sign(user=parties.expert_user, pairing=pairing)
    assert error.value.code == "already_signed"
    for stranger in (factories.make_enterprise_user()[0], factories.make_secretariat()):
        with pytest.raises(NotAllowed):
            services.pairing_sign(user=stranger, pairing=pairing)


def test_an_agreement_on_a_closed_challenge_cannot_take_effect(parties):
    pairing = accepted(parties)
    services.pairing_sign(user=parties.expert_user, pairing=pairing)
    Challenge.objects.filter(pk=parties.challenge.pk).update(status=Challenge.Status.CLOSED)
    with pytest.raises(IllegalTransition):
        services.pairing_sign(user=parties.enterprise_user, pairing=pairing)
    pairing.refresh_from_db()
    assert (pairing.status, pairing.enterprise_signed_at) == (Status.ACCEPTED, None)


# --- complete / rate / terminate ----------------------------------------------------------------


def test_completion_records_the_outcome_and_resolves_the_challenge(parties):
    pairing = services.pairing_complete(
        user=parties.enterprise_user, pairing=active(parties), summary="蒸汽单耗下降12%", problems_solved=3,
        savings_yuan=Decimal("1250000.50"), workers_trained=40, rating=5,
    )
    pairing.refresh_from_db()
    assert pairing.status == Status.COMPLETED and pairing.ended_at is not None
    assert (pairing.outcome_summary, pairing.problems_solved, pairing.savings_yuan, pairing.workers_trained) == (
        "蒸汽单耗下降12%", 3, Decimal("1250000.50"), 40)
    assert (pairing.enterprise_rating, pairing.expert_rating) == (5, None)
    parties.challenge.refresh_from_db()
    assert parties.challenge.status == Challenge.Status.RESOLVED
    services.pairing_rate(user=parties.expert_user, pairing=pairing, rating=4)
    pairing.refresh_from_db()
    assert pairing.expert_rating == 4
    with pytest.raises(IllegalTransition):
        services.pairing_rate(user=parties.expert_user, pairing=pairing, rating=3)
    assert [a for a, *_ in audit_trail(pairing)] == ["propose", "accept", "sign", "sign", "complete", "rate"]


@pytest.mark.parametrize("outcome,field", [
    (dict(summary=""), "summary"),
    (dict(summary="ok", rating=6), "rating"),
    (dict(summary="ok", savings_yuan=Decimal("-1")), "savings_yuan"),
])
def test_an_invalid_outcome_changes_nothing(parties, outcome, field):
    pairing = active(parties)
    with pytest.raises(ValidationError) as error:
        services.pairing_complete(user=parties.expert_user, pairing=pairing, **outcome)
    assert field in error.value.message_dict
    pairing.refresh_from_db()
    assert pairing.status == Status.ACTIVE


def test_only_the_parties_complete(parties):
    pairing = active(parties)
    with pytest.raises(NotAllowed):
        services.pairing_complete(user=factories.make_secretariat(), pairing=pairing, summary="x")


def test_terminating_an_active_agreement_reopens_the_challenge(parties):
    pairing = services.pairing_terminate(user=parties.enterprise_user, pairing=active(parties), reason="项目暂停")
    assert (pairing.status, pairing.termination_reason) == (Status.TERMINATED, "项目暂停")
    parties.challenge.refresh_from_db()
    assert parties.challenge.status == Challenge.Status.OPEN
    assert audit_trail(pairing)[-1] == ("terminate", "active", "terminated")
    # the enterprise may now pair with someone else
    other_user, other = factories.make_expert_user()
    again = services.pairing_propose(user=parties.enterprise_user, challenge=parties.challenge, expert=other)
    assert services.pairing_accept(user=other_user, pairing=again).status == Status.ACCEPTED


def test_the_secretariat_may_terminate_but_needs_a_reason(parties):
    pairing = accepted(parties)
    secretariat = factories.make_secretariat()
    with pytest.raises(ValidationError):
        services.pairing_terminate(user=secretariat, pairing=pairing, reason="  ")
    pairing = services.pairing_terminate(user=secretariat, pairing=pairing, reason="违反联盟规定")
    assert pairing.status == Status.TERMINATED
    parties.challenge.refresh_from_db()
    assert parties.challenge.status == Challenge.Status.OPEN


def test_a_stranger_cannot_terminate(parties):
    with pytest.raises(NotAllowed):
        services.pairing_terminate(user=factories.make_expert_user()[0], pairing=accepted(parties), reason="x")


# --- the whole transition table ------------------------------------------------------------------

LEGAL = {
    Status.PROPOSED: {"accept", "decline", "withdraw"},
    Status.ACCEPTED: {"sign", "terminate"},
    Status.ACTIVE: {"complete", "terminate"},
    Status.COMPLETED: {"rate"},
}
ACTIONS = {
    "accept": lambda p, s: services.pairing_accept(user=s.expert_user, pairing=p),
    "decline": lambda p, s: services.pairing_decline(user=s.expert_user, pairing=p),
    "withdraw": lambda p, s: services.pairing_withdraw(user=s.enterprise_user, pairing=p),
    "sign": lambda p, s: services.pairing_sign(user=s.expert_user, pairing=p),
    "complete": lambda p, s: services.pairing_complete(user=s.expert_user, pairing=p, summary="完成"),
    "rate": lambda p, s: services.pairing_rate(user=s.expert_user, pairing=p, rating=5),
    "terminate": lambda p, s: services.pairing_terminate(user=s.expert_user, pairing=p, reason="原因"),
}


@pytest.mark.parametrize("status", list(Status))
@pytest.mark.parametrize("action", list(ACTIONS))
def test_every_transition_is_legal_or_refused_without_a_change(parties, status, action):
    challenge_status = {Status.ACTIVE: Challenge.Status.PAIRED, Status.COMPLETED: Challenge.Status.RESOLVED}.get(
        status, Challenge.Status.OPEN)
    Challenge.objects.filter(pk=parties.challenge.pk).update(status=challenge_status)
    pairing = factories.make_pairing(challenge=parties.challenge, expert=parties.expert, status=status)
    if action in LEGAL.get(status, ()):
        ACTIONS[action](pairing, parties)
        assert AuditEntry.objects.filter(subject_id=pairing.pk, action=action).exists()
    else:
        with pytest.raises(IllegalTransition):
            ACTIONS[action](pairing, parties)
        pairing.refresh_from_db()
        assert pairing.status == status
        assert not AuditEntry.objects.filter(subject_id=pairing.pk).exists()
