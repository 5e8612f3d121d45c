"""Who may do what to a pairing agreement (结对意向书) now: the `can_*` selectors.

Each rule is written once, in matching.pairings.selectors; the services enforce it (raising the very
refusal the selector names) and the pages offer a button exactly when it allows the action.

Given an enterprise with an open challenge and an invited expert, and four bystanders — staff of
another enterprise, another expert, the secretariat and an anonymous visitor — each state of the
agreement allows each of them exactly the transitions in the tables below.
"""
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone

from enterprises.models import Challenge
from jianglian.errors import DomainError
from matching.models import PairingAgreement
from matching.pairings import selectors, services
from tests import factories

pytestmark = pytest.mark.django_db

OWNER, OTHER_ENTERPRISE, INVITED, OTHER_EXPERT, SECRETARIAT, ANONYMOUS = ROLES = (
    "enterprise owner", "other enterprise", "invited expert", "other expert", "secretariat", "anonymous",
)
PARTIES = {OWNER, INVITED}

# state → {action: the roles allowed}; an action left out is allowed to nobody.
ALLOWED = {
    "proposed": {"accept": {INVITED}, "decline": {INVITED}, "withdraw": {OWNER}},
    "proposed past its expiry": {"decline": {INVITED}, "withdraw": {OWNER}},
    "proposed on a closed challenge": {"decline": {INVITED}, "withdraw": {OWNER}},
    "accepted": {"sign": PARTIES, "terminate": PARTIES | {SECRETARIAT}},
    "accepted, signed by the expert": {"sign": {OWNER}, "terminate": PARTIES | {SECRETARIAT}},
    "active": {"complete": PARTIES, "terminate": PARTIES | {SECRETARIAT}},
    "completed": {"rate": PARTIES},
    "completed, rated by the enterprise": {"rate": {INVITED}},
    "declined": {},
    "withdrawn": {},
    "expired": {},
    "terminated": {},
}
ACTIONS = tuple(selectors.PAIRING_REFUSALS)


def _state(name):
    """(pairing status, challenge status, extra pairing fields) of a state in ALLOWED."""
    now = timezone.now()
    return {
        "proposed": ("proposed", "open", {}),
        "proposed past its expiry": ("proposed", "open", {"expires_at": now - timedelta(hours=1)}),
        "proposed on a closed challenge": ("proposed", "closed", {}),
        "accepted": ("accepted", "open", {}),
        "accepted, signed by the expert": ("accepted", "open", {"expert_signed_at": now}),
        "active": ("active", "paired", {"expert_signed_at": now, "enterprise_signed_at": now, "activated_at": now}),
        "completed": ("completed", "resolved", {"outcome_summary": "蒸汽单耗下降 18%", "ended_at": now}),
        "completed, rated by the enterprise": ("completed", "resolved", {"outcome_summary": "蒸汽单耗下降 18%",
                                                                        "ended_at": now, "enterprise_rating": 5}),
        "declined": ("declined", "open", {}),
        "withdrawn": ("withdrawn", "open", {}),
        "expired": ("expired", "open", {}),
        "terminated": ("terminated", "open", {"termination_reason": "双方协商", "ended_at": now}),
    }[name]


@pytest.fixture
def world():
    parties = factories.make_pairing_parties()
    users = {
        OWNER: parties.enterprise_user,
        OTHER_ENTERPRISE: factories.make_enterprise_user()[0],
        INVITED: parties.expert_user,
        OTHER_EXPERT: factories.make_expert_user()[0],
        SECRETARIAT: factories.make_secretariat(),
        ANONYMOUS: AnonymousUser(),
    }
    return SimpleNamespace(users=users, **vars(parties))


def agreement_in(world, state) -> PairingAgreement:
    status, challenge_status, fields = _state(state)
    Challenge.objects.filter(pk=world.challenge.pk).update(status=challenge_status)
    pairing = factories.make_pairing(challenge=world.challenge, expert=world.expert, status=status, **fields)
    return PairingAgreement.objects.select_related("challenge__enterprise", "expert").get(pk=pairing.pk)


CALLS = {
    "accept": lambda user, pairing: services.pairing_accept(user=user, pairing=pairing, note="乐意"),
    "decline": lambda user, pairing: services.pairing_decline(user=user, pairing=pairing),
    "withdraw": lambda user, pairing: services.pairing_withdraw(user=user, pairing=pairing),
    "sign": lambda user, pairing: services.pairing_sign(user=user, pairing=pairing),
    "complete": lambda user, pairing: services.pairing_complete(user=user, pairing=pairing, summary="能耗下降"),
    "rate": lambda user, pairing: services.pairing_rate(user=user, pairing=pairing, rating=4),
    "terminate": lambda user, pairing: services.pairing_terminate(user=user, pairing=pairing, reason="双方协商"),
}


def service_refusal(action, user, pairing) -> DomainError | None:
    """What the service says when `user` does `action` (None: it did it); the change is rolled back."""
    with transaction.atomic():
        try:
            CALLS[action](user, pairing)
        except DomainError as refused:
            return refused
        transaction.set_rollback(True)
    return None


# --- what each role may do in each state ----------------------------------------------------------


@pytest.mark.parametrize("state", ALLOWED)
def test_each_state_allows_each_role_exactly_its_transitions(world, state):
    pairing = agreement_in(world, state)

    allowed = {role: selectors.pairing_actions(world.users[role], pairing) for role in ROLES}

    assert allowed == {role: {a for a, roles in ALLOWED[state].items() if role in roles} for role in ROLES}
    for role in ROLES:
        for action in ACTIONS:
            can = getattr(selectors, f"can_{action}")
            assert can(world.users[role], pairing) == (action in allowed[role]), (role, action)


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("state", ALLOWED)
def test_the_service_does_it_exactly_when_the_selector_allows_it_and_refuses_with_its_reason(world, state, action):
    pairing = agreement_in(world, state)
    refusal = getattr(selectors, f"{action}_refusal")

    for role in ROLES:
        expected, actual = refusal(world.users[role], pairing), service_refusal(action, world.users[role], pairing)
        if expected is None:
            assert actual is None, (role, actual)
        else:
            assert (type(actual), actual.code, str(actual)) == (type(expected), expected.code, str(expected)), role


def test_an_expired_invitation_cannot_be_accepted_but_can_still_be_declined(world):
    pairing = agreement_in(world, "proposed past its expiry")

    refusal = selectors.accept_refusal(world.users[INVITED], pairing)

    assert refusal.code == "expired" and str(refusal) == "邀请已过期。"
    assert selectors.can_decline(world.users[INVITED], pairing)


def test_each_party_rates_into_its_own_field(world):
    pairing = agreement_in(world, "completed")

    assert selectors.rating_field(world.users[INVITED], pairing) == "expert_rating"
    assert selectors.rating_field(world.users[OWNER], pairing) == "enterprise_rating"


def test_a_list_page_may_ask_per_row_without_queries(world, django_assert_num_queries):
    agreement_in(world, "accepted")
    factories.make_pairing(challenge=factories.make_challenge(enterprise=world.enterprise), expert=world.expert)
    pairings = list(PairingAgreement.objects.select_related("challenge__enterprise", "expert"))
    for role in ROLES:
        selectors.pairing_actions(world.users[role], pairings[0])  # fills the per-request role caches
        with django_assert_num_queries(0):
            for pairing in pairings:
                selectors.pairing_actions(world.users[role], pairing)


# --- inviting -------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", Challenge.Status.values)
def test_only_the_challenges_enterprise_may_invite_and_only_while_it_is_open(world, status):
    Challenge.objects.filter(pk=world.challenge.pk).update(status=status)
    world.challenge.refresh_from_db()

    allowed = {role for role in ROLES if selectors.can_propose_on(world.users[role], world.challenge)}

    assert allowed == ({OWNER} if status == Challenge.Status.OPEN else set())
    refusals = {role: selectors.proposal_refusal(world.users[role], world.challenge).code
                for role in ROLES if role not in allowed}
    assert refusals == {role: "forbidden" for role in ROLES if role != OWNER} | (
        {} if status == Challenge.Status.OPEN else {OWNER: "challenge_not_open"})


def _invitees(world):
    staff_user, staff_expert = factories.make_expert_user(name="本企业员工")
    world.enterprise.staff.add(staff_user)
    return {
        "accepting, with an account": (world.expert, None),
        "not accepting pairings": (factories.make_expert_user(accepting_pairings=False)[1], "expert_not_accepting"),
        "without an account": (factories.make_expert(), "expert_without_account"),
        "the enterprise's own staff": (staff_expert, "own_staff"),
    }


def test_an_expert_may_be_invited_when_accepting_with_an_account_and_not_the_enterprises_staff(world):
    for name, (expert, code) in _invitees(world).items():
        refusal = selectors.invitee_refusal(world.challenge, expert)
        assert (refusal.code if refusal else None) == code, name
        assert selectors.can_propose(world.users[OWNER], world.challenge, expert) == (code is None), name


def test_the_propose_service_refuses_exactly_what_the_selector_refuses(world):
    invitees = _invitees(world)
    for role in ROLES:
        for name, (expert, _) in invitees.items():
            challenge = Challenge.objects.select_related("enterprise").get(pk=world.challenge.pk)
            expected = selectors.propose_refusal(world.users[role], challenge, expert)
            with transaction.atomic():
                try:
                    services.pairing_propose(user=world.users[role], challenge=challenge, expert=expert)
                    actual = None
                    transaction.set_rollback(True)
                except DomainError as refused:
                    actual = refused
            if expected is None:
                assert actual is None, (role, name)
            else:
                assert (type(actual), actual.code) == (type(expected), expected.code), (role, name)


def test_the_enterprises_staff_are_read_once_per_challenge_page(world, django_assert_num_queries):
    experts = [factories.make_expert_user()[1] for _ in range(5)]
    challenge = Challenge.objects.select_related("enterprise").get(pk=world.challenge.pk)
    with django_assert_num_queries(1):
        assert all(selectors.invitee_refusal(challenge, expert) is None for expert in experts)
