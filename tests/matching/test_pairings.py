"""Pairing agreements (结对意向书: matching.pairings.services / selectors / tasks / documents, REST
/api/v1/pairings/, GraphQL `pairings`, `myPairings` and one mutation per transition): each rule's service,
REST and GraphQL cases side by side. Races on PostgreSQL are in test_pairings_concurrency.

Given an enterprise with an open challenge and an expert accepting pairings, the enterprise proposes, the
expert accepts or declines, both sign, and the agreement is completed or terminated; an unanswered proposal
expires. Each rule is written once, as a `*_refusal` selector in matching.pairings.selectors: the services
enforce it (raising the very refusal the selector names), the pages offer a button exactly when it allows
the action, and both APIs list it (REST `actions` / `refusals`, GraphQL `Pairing.actions` / `refusals`).
Only the parties and the secretariat see an agreement (others get 404 / NOT_FOUND); a forbidden action on a
visible agreement answers 403 / FORBIDDEN; an illegal or lost transition 409 / CONFLICT.
"""
import io
from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from pypdf import PdfReader

from jianglian.models import AuditEntry
from enterprises.models import Challenge
from matching.pairings.selectors import can_see_contact
from jianglian.errors import Conflict, DomainError, IllegalTransition, NotAllowed
from jianglian.models import NotificationLog
from matching.models import PairingAgreement
from matching.pairings import selectors, services, tasks
from tests import factories
from tests.gql import gid, run

pytestmark = pytest.mark.django_db

Status = PairingAgreement.Status
URL = "/api/v1/pairings/"


def detail(pairing, suffix=""):
    return f"{URL}{pairing.pk}/{suffix}"


def post(client, url, data=None):
    return client.post(url, data or {}, format="json")


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


@pytest.fixture
def proposed(parties):
    return services.pairing_propose(user=parties.enterprise_user, challenge=parties.challenge, expert=parties.expert,
                                    message="请帮忙", goals="蒸汽单耗降低10%")


@pytest.fixture
def pairing(parties):
    return services.pairing_propose(user=parties.enterprise_user, challenge=parties.challenge, expert=parties.expert)


def audit_trail(pairing):
    return list(AuditEntry.objects.filter(subject_type="matching.pairingagreement", subject_id=pairing.pk)
                .order_by("id").values_list("action", "from_state", "to_state"))


def notifications(kind):
    return list(NotificationLog.objects.filter(kind=kind, channel="email").values_list("recipient_id", flat=True))


def fresh(user):
    """The user as a new request loads it (per-request role caches empty)."""
    return get_user_model().objects.get(pk=user.pk)


# --- who may do what in each state: one table of rules, enforced by the services, shown by both APIs ---------

# Given an enterprise with an open challenge and an invited expert, and four bystanders — staff of
# another enterprise, another expert, the secretariat and an anonymous visitor — each state of the
# agreement allows each of them exactly the transitions in ALLOWED.

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


LEGAL = {
    Status.PROPOSED: {"accept", "decline", "withdraw"},
    Status.ACCEPTED: {"sign", "terminate"},
    Status.ACTIVE: {"complete", "terminate"},
    Status.COMPLETED: {"rate"},
}


TRANSITION_CALLS = {
    "accept": lambda p, s: services.pairing_accept(user=s.expert_user, pairing=p),
    "decline": lambda p, s: services.pairing_decline(user=s.expert_user, pairing=p),
    "withdraw": lambda p, s: services.pairing_withdraw(user=s.enterprise_user, pairing=p),
    "sign": lambda p, s: services.pairing_sign(user=s.expert_user, pairing=p),
    "complete": lambda p, s: services.pairing_complete(user=s.expert_user, pairing=p, summary="完成"),
    "rate": lambda p, s: services.pairing_rate(user=s.expert_user, pairing=p, rating=5),
    "terminate": lambda p, s: services.pairing_terminate(user=s.expert_user, pairing=p, reason="原因"),
}


@pytest.mark.parametrize("status", list(Status))
@pytest.mark.parametrize("action", list(TRANSITION_CALLS))
def test_every_transition_is_legal_or_refused_without_a_change(parties, status, action):
    challenge_status = {Status.ACTIVE: Challenge.Status.PAIRED, Status.COMPLETED: Challenge.Status.RESOLVED}.get(
        status, Challenge.Status.OPEN)
    Challenge.objects.filter(pk=parties.challenge.pk).update(status=challenge_status)
    pairing = factories.make_pairing(challenge=parties.challenge, expert=parties.expert, status=status)
    if action in LEGAL.get(status, ()):
        TRANSITION_CALLS[action](pairing, parties)
        assert AuditEntry.objects.filter(subject_id=pairing.pk, action=action).exists()
    else:
        with pytest.raises(IllegalTransition):
            TRANSITION_CALLS[action](pairing, parties)
        pairing.refresh_from_db()
        assert pairing.status == status
        assert not AuditEntry.objects.filter(subject_id=pairing.pk).exists()


# API clients show the same buttons as the web pages: REST `actions` and GraphQL `Pairing.actions` are
# pairing_actions for the caller, in lifecycle order; every action listed succeeds through that API and every
# other one is refused with the reason the agreement states (REST `refusals` on a single agreement, GraphQL
# `Pairing.refusals`). A list costs the same number of SQL queries for 2 agreements as for 10.

STATES = ("proposed", "proposed past its expiry", "accepted", "accepted, signed by the expert", "active",
          "completed", "declined")


SEE_IT = (OWNER, INVITED, SECRETARIAT)  # the parties and the secretariat
BYSTANDERS = (OTHER_ENTERPRISE, OTHER_EXPERT)


def allowed_by_the_table(state, role) -> list[str]:
    return [action for action in ACTIONS if role in ALLOWED[state].get(action, ())]


def rolled_back(call):
    """`call()`'s answer; whatever it changed is undone, so every action is tried on the same state."""
    with transaction.atomic():
        answer = call()
        transaction.set_rollback(True)
    return answer


REST_INPUT = {
    "accept": {"note": "乐意"}, "decline": {}, "withdraw": {}, "sign": {}, "complete": {"summary": "能耗下降"},
    "rate": {"rating": 4}, "terminate": {"reason": "双方协商"},
}


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", SEE_IT)
def test_rest_actions_are_the_pages_actions_and_each_listed_one_succeeds_and_no_other(
        world, role, state, token_client_for):
    pairing = agreement_in(world, state)
    user, client = world.users[role], token_client_for(world.users[role])

    shown = client.get(detail(pairing)).json()
    listed = {row["id"]: row for row in client.get(URL).json()["results"]}

    assert shown["actions"] == [a for a in ACTIONS if a in selectors.pairing_actions(user, pairing)]
    assert shown["actions"] == allowed_by_the_table(state, role)
    assert listed[pairing.pk]["actions"] == shown["actions"] and "refusals" not in listed[pairing.pk]
    assert set(shown["refusals"]) == set(ACTIONS) - set(shown["actions"])
    for action in ACTIONS:
        response = rolled_back(lambda: client.post(detail(pairing, f"{action}/"), REST_INPUT[action], format="json"))
        if action in shown["actions"]:
            assert response.status_code == 200, (action, response.json())
        else:
            assert response.status_code in (403, 409), (action, response.status_code)
            body = response.json()
            assert {"code": body["code"], "detail": body["detail"]} == shown["refusals"][action], action


def test_an_expired_invitation_says_why_the_expert_cannot_accept_it(world, token_client_for):
    pairing = agreement_in(world, "proposed past its expiry")

    shown = token_client_for(world.users[INVITED]).get(detail(pairing)).json()

    assert shown["actions"] == ["decline"]
    assert shown["refusals"]["accept"] == {"code": "expired", "detail": "邀请已过期。"}


def test_the_answer_of_a_transition_carries_what_the_caller_may_do_next(world, token_client_for):
    pairing = agreement_in(world, "proposed")

    body = token_client_for(world.users[INVITED]).post(detail(pairing, "accept/"), {}, format="json").json()

    assert (body["status"], body["actions"]) == ("accepted", ["sign", "terminate"])
    assert set(body["refusals"]) == {"accept", "decline", "withdraw", "complete", "rate"}


@pytest.mark.parametrize("role", BYSTANDERS)
def test_bystanders_see_no_agreement_and_no_action_of_it(world, role, token_client_for):
    pairing = agreement_in(world, "accepted")
    client = token_client_for(world.users[role])

    assert selectors.pairing_actions(world.users[role], pairing) == frozenset()
    assert client.get(URL).json()["results"] == []
    assert client.get(detail(pairing)).status_code == 404
    for action in ACTIONS:
        assert client.post(detail(pairing, f"{action}/"), REST_INPUT[action], format="json").status_code == 404


def test_anonymous_callers_see_nothing(world, token_client_for):
    pairing = agreement_in(world, "proposed")
    assert selectors.pairing_actions(world.users[ANONYMOUS], pairing) == frozenset()
    assert token_client_for(None).get(detail(pairing)).status_code == 401


def test_the_schema_documents_the_action_names_and_the_refusals(api_client):
    schema = api_client.get("/api/schema/?format=json").json()["components"]["schemas"]

    assert schema["PairingActionEnum"]["enum"] == list(ACTIONS)
    for action in ACTIONS:
        assert f"`{action}` - " in schema["PairingActionEnum"]["description"]
    pairing = schema["Pairing"]
    assert pairing["properties"]["actions"]["items"] == {"$ref": "#/components/schemas/PairingActionEnum"}
    assert "actions" in pairing["required"] and "refusals" not in pairing["required"]  # lists leave it out
    assert set(schema["PairingRefusals"]["properties"]) == set(ACTIONS)
    assert set(schema["PairingRefusal"]["properties"]) == {"code", "detail"}


NODE = """query($id: ID!) { node(id: $id) { ... on Pairing { actions refusals { action reason message } } } }"""
LIST = "{ pairings { edges { node { id actions } } } }"
MUTATIONS = {
    "accept": "respondToPairing(id: $id, accept: true, note: \"乐意\")",
    "decline": "respondToPairing(id: $id, accept: false)",
    "withdraw": "withdrawPairing(id: $id)",
    "sign": "signPairing(id: $id)",
    "complete": "completePairing(id: $id, outcome: {summary: \"能耗下降\"})",
    "rate": "ratePairing(id: $id, rating: 4)",
    "terminate": "terminatePairing(id: $id, reason: \"双方协商\")",
}


def mutation(action):
    return f"mutation($id: ID!) {{ result: {MUTATIONS[action]} {{ pairing {{ status actions }} }} }}"


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", SEE_IT)
def test_graphql_actions_are_the_pages_actions_and_each_listed_one_succeeds_and_no_other(world, role, state):
    pairing = agreement_in(world, state)
    user, pid = world.users[role], gid("Pairing", pairing)

    shown = run(NODE, {"id": pid}, user=user).ok()["node"]
    listed = {row["node"]["id"]: row["node"] for row in run(LIST, user=user).ok()["pairings"]["edges"]}

    expected = [a for a in ACTIONS if a in selectors.pairing_actions(user, pairing)]
    assert shown["actions"] == [a.upper() for a in expected] == listed[pid]["actions"]
    assert expected == allowed_by_the_table(state, role)
    refusals = {r["action"].lower(): r for r in shown["refusals"]}
    assert set(refusals) == set(ACTIONS) - set(expected)
    for action in ACTIONS:
        result = rolled_back(lambda: run(mutation(action), {"id": pid}, user=user))
        if action in expected:
            assert not result.errors, (action, result.errors)
        else:
            error = result.errors[0]
            assert error["extensions"]["code"] in ("FORBIDDEN", "CONFLICT"), (action, error)
            assert (error["extensions"]["reason"], error["message"]) == (
                refusals[action]["reason"], refusals[action]["message"]), action


def test_a_mutation_payload_carries_what_the_caller_may_do_next(world):
    pairing = agreement_in(world, "proposed")

    result = run(mutation("accept"), {"id": gid("Pairing", pairing)}, user=world.users[INVITED]).ok()["result"]

    assert result["pairing"] == {"status": "ACCEPTED", "actions": ["SIGN", "TERMINATE"]}


@pytest.mark.parametrize("role", (*BYSTANDERS, ANONYMOUS))
def test_graphql_bystanders_and_anonymous_callers_see_no_agreement(world, role):
    pairing = agreement_in(world, "accepted")
    user = None if role == ANONYMOUS else world.users[role]

    assert run(LIST, user=user).ok()["pairings"]["edges"] == []
    assert run(NODE, {"id": gid("Pairing", pairing)}, user=user).code == "NOT_FOUND"


MIX = ("proposed", "accepted", "accepted, signed by the expert", "active", "completed", "declined")


def agreements(world, n):
    """`n` agreements of the world's enterprise and expert, in a mix of states, each on its own challenge."""
    for i in range(n):
        status, challenge_status, fields = _state(MIX[i % len(MIX)])
        challenge = factories.make_challenge(enterprise=world.enterprise, status=challenge_status)
        factories.make_pairing(challenge=challenge, expert=world.expert, status=status, **fields)
    # and one of another enterprise, which only the secretariat sees
    factories.make_pairing(status="active", activated_at=timezone.now() - timedelta(days=1))


# The same for REST and GraphQL: token + user, groups (is_secretariat), the caller's enterprise ids and expert
# (the per-request role caches: the parties' list filter reads them, so the rules ask no more; for the
# secretariat it is the rules that read them, once per request), count, page, and for the enterprise the
# ids of the experts whose contact it may see.
LIST_QUERIES = {OWNER: 7, INVITED: 6, SECRETARIAT: 6}


@pytest.mark.parametrize("n", [2, 10])
@pytest.mark.parametrize("role", SEE_IT)
def test_a_rest_list_with_actions_costs_the_same_queries_for_2_or_10_agreements(
        world, role, n, token_client_for, django_assert_num_queries):
    agreements(world, n)
    client = token_client_for(world.users[role])

    with django_assert_num_queries(LIST_QUERIES[role]):
        rows = client.get(URL).json()["results"]

    assert len(rows) == n + (role == SECRETARIAT)
    assert any(row["actions"] for row in rows)


GRAPHQL_LIST = """{ pairings { totalCount edges { node { id status actions refusals { action reason }
  challenge { id title } expert { id name phone } } } } }"""


@pytest.mark.parametrize("n", [2, 10])
@pytest.mark.parametrize("role", SEE_IT)
def test_a_graphql_list_with_actions_costs_the_same_queries_for_2_or_10_agreements(
        world, role, n, django_assert_num_queries):
    agreements(world, n)
    user = world.users[role]
    run("{ __typename }", user=user)  # the token, created once

    with django_assert_num_queries(LIST_QUERIES[role]):
        result = run(GRAPHQL_LIST, user=user).ok()["pairings"]

    assert result["totalCount"] == len(result["edges"]) == n + (role == SECRETARIAT)
    assert any(edge["node"]["actions"] for edge in result["edges"])


# --- proposing: staff of the challenge's enterprise invite an expert to an open challenge --------------------

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
        "without an account (invited through a link)": (factories.make_expert(), None),
        "the enterprise's own staff": (staff_expert, "own_staff"),
    }


def test_an_expert_may_be_invited_when_accepting_and_not_the_enterprises_staff_account_or_not(world):
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


def test_the_enterprises_staff_and_conflicts_are_read_once_per_challenge_page(world, django_assert_num_queries):
    experts = [factories.make_expert_user()[1] for _ in range(5)]
    challenge = Challenge.objects.select_related("enterprise").get(pk=world.challenge.pk)
    # the staff, then the conflicts of interest (matching.conflicts: group, employer, accounts, declarations)
    with django_assert_num_queries(5):
        assert all(selectors.invitee_refusal(challenge, expert) is None for expert in experts)


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


def test_an_expert_without_an_account_is_invited_through_a_link_not_an_inbox(parties):
    expert = factories.make_expert()
    pairing = services.pairing_propose(user=parties.enterprise_user, challenge=parties.challenge, expert=expert)
    assert pairing.status == Status.PROPOSED
    assert pairing.invitation_links.count() == 1
    assert notifications("pairing_proposed") == []  # nobody's account: the link goes to the entry's channels


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


# --- answering: the invited expert accepts or declines; the enterprise withdraws before ----------------------

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


# --- unanswered proposals expire (beat task), with one reminder before ---------------------------------------

@pytest.fixture
def eager_celery():
    """Tasks run in-process here, also when CI points Celery at a real broker (CELERY_BROKER_URL)."""
    from jianglian.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


def proposal(parties, *, expires_in):
    pairing = services.pairing_propose(user=parties.enterprise_user, challenge=parties.challenge,
                                       expert=parties.expert)
    PairingAgreement.objects.filter(pk=pairing.pk).update(expires_at=timezone.now() + expires_in)
    return pairing


@pytest.mark.usefixtures("eager_celery")
def test_the_beat_schedule_runs_expiry_and_reminders():
    tasks_scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"matching.pairings.expire_proposals", "matching.pairings.send_expiry_reminders",
            "jianglian.flush_notifications"} <= tasks_scheduled


@pytest.mark.usefixtures("eager_celery")
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


@pytest.mark.usefixtures("eager_celery")
def test_answered_proposals_never_expire(parties):
    pairing = proposal(parties, expires_in=timedelta(days=1))
    services.pairing_accept(user=parties.expert_user, pairing=pairing)
    assert services.pairing_expire_due(now=timezone.now() + timedelta(days=30)) == 0
    pairing.refresh_from_db()
    assert pairing.status == Status.ACCEPTED


@pytest.mark.usefixtures("eager_celery")
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
    assert NotificationLog.objects.filter(kind="pairing_expiry_reminder", channel="email").count() == 1
    assert [m.to for m in mailoutbox] == [[parties.expert_user.email or parties.expert.email]]
    assert "即将过期" in mailoutbox[0].subject


@pytest.mark.usefixtures("eager_celery")
def test_no_reminder_for_an_answered_or_expired_proposal(parties):
    answered = proposal(parties, expires_in=timedelta(days=1))
    services.pairing_decline(user=parties.expert_user, pairing=answered)
    proposal(parties, expires_in=-timedelta(hours=1))
    assert services.pairing_send_reminders() == 0


# --- signing: both sides; with both signatures the agreement is active and the challenge paired --------------

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


# --- completing (the outcome), rating, terminating -----------------------------------------------------------

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


# --- who sees an agreement: its parties and the secretariat; the expert's contact opens on acceptance --------

def test_the_parties_and_the_secretariat_see_it_nobody_else(parties, pairing):
    other_staff, _ = factories.make_enterprise_user()
    other_expert, _ = factories.make_expert_user()
    seen = {
        "enterprise": parties.enterprise_user, "expert": parties.expert_user,
        "secretariat": factories.make_secretariat(), "other enterprise": other_staff,
        "other expert": other_expert, "anonymous": AnonymousUser(),
    }
    visible = {who: list(selectors.pairing_list(user=user)) for who, user in seen.items()}
    assert visible == {"enterprise": [pairing], "expert": [pairing], "secretariat": [pairing],
                       "other enterprise": [], "other expert": [], "anonymous": []}
    for who in ("other enterprise", "other expert", "anonymous"):
        with pytest.raises(PairingAgreement.DoesNotExist):
            selectors.pairing_get(user=seen[who], pairing_id=pairing.pk)


def test_my_pairings_lists_an_experts_invitations_by_status(parties, pairing):
    second = services.pairing_propose(user=parties.enterprise_user,
                                      challenge=factories.make_challenge(enterprise=parties.enterprise),
                                      expert=parties.expert)
    services.pairing_decline(user=parties.expert_user, pairing=second)
    assert list(selectors.my_pairings(user=parties.expert_user, status="proposed")) == [pairing]
    assert set(selectors.my_pairings(user=parties.expert_user)) == {pairing, second}
    assert list(selectors.my_pairings(user=factories.make_secretariat())) == []


def test_listing_is_one_query_whatever_the_number(parties, pairing, django_assert_num_queries):
    for _ in range(3):
        services.pairing_propose(user=parties.enterprise_user,
                                 challenge=factories.make_challenge(enterprise=parties.enterprise),
                                 expert=parties.expert)
    user = fresh(parties.enterprise_user)
    selectors.pairing_list(user=user)  # resolves the caller's roles
    with django_assert_num_queries(1):
        rows = list(selectors.pairing_list(user=user))
        assert {(p.challenge.enterprise.name, p.expert.name) for p in rows}


def test_contact_opens_on_acceptance_and_stays_open(parties, pairing):
    assert not can_see_contact(fresh(parties.enterprise_user), parties.expert)
    services.pairing_accept(user=parties.expert_user, pairing=pairing)
    assert can_see_contact(fresh(parties.enterprise_user), parties.expert)
    services.pairing_terminate(user=parties.expert_user, pairing=pairing, reason="时间冲突")
    assert can_see_contact(fresh(parties.enterprise_user), parties.expert)
    assert not can_see_contact(fresh(factories.make_enterprise_user()[0]), parties.expert)


def test_a_declined_or_withdrawn_proposal_reveals_nothing(parties, pairing):
    services.pairing_decline(user=parties.expert_user, pairing=pairing)
    assert not can_see_contact(fresh(parties.enterprise_user), parties.expert)
    again = services.pairing_propose(user=parties.enterprise_user, challenge=parties.challenge, expert=parties.expert)
    services.pairing_withdraw(user=parties.enterprise_user, pairing=again)
    assert not can_see_contact(fresh(parties.enterprise_user), parties.expert)


def test_an_outsider_sees_nothing_and_changes_nothing(proposed, token_client_for):
    for outsider in (factories.make_enterprise_user()[0], factories.make_expert_user()[0]):
        client = token_client_for(outsider)
        assert client.get(URL).json()["results"] == []
        assert client.get(detail(proposed)).status_code == 404
        for action in ("accept", "decline", "withdraw", "sign", "terminate"):
            assert post(client, detail(proposed, f"{action}/"), {"reason": "x"}).status_code == 404
        assert client.get(detail(proposed, "document/")).status_code == 404
    proposed.refresh_from_db()
    assert proposed.status == Status.PROPOSED


def test_anonymous_callers_must_log_in(proposed, token_client_for):
    client = token_client_for(None)
    assert client.get(URL).status_code == 401
    assert post(client, detail(proposed, "accept/")).status_code == 401


def test_the_secretariat_sees_every_agreement(proposed, token_client_for, secretariat):
    client = token_client_for(secretariat)
    assert [r["id"] for r in client.get(URL).json()["results"]] == [proposed.pk]
    assert client.get(detail(proposed)).status_code == 200


def test_the_experts_contact_shows_once_accepted(parties, proposed, token_client_for):
    enterprise = token_client_for(parties.enterprise_user)
    assert enterprise.get(detail(proposed)).json()["expert"]["phone"] is None
    post(token_client_for(parties.expert_user), detail(proposed, "accept/"))
    contact = enterprise.get(detail(proposed)).json()["expert"]
    assert (contact["phone"], contact["email"]) == (parties.expert.phone, parties.expert.email)


def test_list_filters_by_status_in_a_fixed_number_of_queries(parties, token_client_for, django_assert_max_num_queries):
    for _ in range(5):
        services.pairing_propose(user=parties.enterprise_user, expert=parties.expert,
                                 challenge=factories.make_challenge(enterprise=parties.enterprise))
    client = token_client_for(parties.expert_user)
    # token + user, expert_of, enterprise_ids, groups (is_secretariat), count, page, contact ids
    with django_assert_max_num_queries(8):
        response = client.get(URL, {"status": "proposed"})
    assert len(response.json()["results"]) == 5
    assert client.get(URL, {"status": "active"}).json()["results"] == []


MINE = "query($status: PairingStatus) { myPairings(status: $status) { totalCount edges { node { id status } } } }"


def test_my_pairings_lists_the_experts_invitations_by_status(parties):
    propose_through_graphql(parties)
    other = services.pairing_propose(user=parties.enterprise_user, expert=parties.expert,
                                     challenge=factories.make_challenge(enterprise=parties.enterprise))
    services.pairing_decline(user=parties.expert_user, pairing=other)
    mine = run(MINE, {"status": "PROPOSED"}, user=parties.expert_user).ok()["myPairings"]
    assert mine["totalCount"] == 1
    assert run(MINE, {}, user=parties.expert_user).ok()["myPairings"]["totalCount"] == 2
    assert run(MINE, {}, user=factories.make_expert_user()[0]).ok()["myPairings"]["totalCount"] == 0
    assert run(MINE, {}).ok()["myPairings"]["totalCount"] == 0


def test_outsiders_get_not_found_and_wrong_sides_forbidden(parties):
    pairing = propose_through_graphql(parties)
    outsider = factories.make_enterprise_user()[0]
    assert run(SIGN, {"id": pairing["id"]}, user=outsider).code == "NOT_FOUND"
    assert run("query($id: ID!) { node(id: $id) { id } }", {"id": pairing["id"]}, user=outsider).code == "NOT_FOUND"
    assert run(RESPOND, {"id": pairing["id"], "accept": True}, user=parties.enterprise_user).code == "FORBIDDEN"
    assert run(RESPOND, {"id": pairing["id"], "accept": True}).code == "UNAUTHENTICATED"
    other_enterprise_user, _ = factories.make_enterprise_user()
    result = run(PROPOSE, {"challenge": gid("Challenge", parties.challenge), "expert": gid("Expert", parties.expert)},
                 user=other_enterprise_user)
    assert result.code == "FORBIDDEN"
    assert PairingAgreement.objects.count() == 1


# --- the whole lifecycle through each API, and its errors ----------------------------------------------------

def test_the_whole_lifecycle_through_rest(parties, token_client_for):
    enterprise, expert = token_client_for(parties.enterprise_user), token_client_for(parties.expert_user)
    response = post(enterprise, URL, {"challenge": parties.challenge.pk, "expert": parties.expert.pk,
                                      "message": "请帮忙", "start_date": "2026-03-01", "end_date": "2026-09-30"})
    assert response.status_code == 201, response.json()
    pairing = PairingAgreement.objects.get(pk=response.json()["id"])
    assert response.json()["status"] == "proposed" and response.json()["expert"]["phone"] is None

    steps = [
        (expert, "accept", {"note": "乐意"}, "accepted"),
        (enterprise, "sign", None, "accepted"),
        (expert, "sign", None, "active"),
        (enterprise, "complete", {"summary": "蒸汽单耗下降12%", "problems_solved": 2, "savings_yuan": "350000.00",
                                  "workers_trained": 30, "rating": 5}, "completed"),
        (expert, "rate", {"rating": 4}, "completed"),
    ]
    for client, action, data, expected in steps:
        response = post(client, detail(pairing, f"{action}/"), data)
        assert response.status_code == 200, (action, response.json())
        assert response.json()["status"] == expected
    body = response.json()
    assert (body["savings_yuan"], body["enterprise_rating"], body["expert_rating"]) == ("350000.00", 5, 4)
    assert body["challenge"]["status"] == "resolved"


def test_privileged_fields_cannot_be_posted(parties, token_client_for):
    response = post(token_client_for(parties.enterprise_user), URL, {
        "challenge": parties.challenge.pk, "expert": parties.expert.pk, "status": "active",
        "proposed_by": parties.expert_user.pk,
    })
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"status", "proposed_by"}
    assert not PairingAgreement.objects.exists()


def test_a_party_doing_the_other_sides_action_is_forbidden(parties, proposed, token_client_for):
    response = post(token_client_for(parties.enterprise_user), detail(proposed, "accept/"))
    assert response.status_code == 403 and response.json()["code"] == "forbidden"


def test_illegal_and_lost_transitions_answer_409(parties, proposed, token_client_for):
    expert = token_client_for(parties.expert_user)
    assert post(expert, detail(proposed, "sign/")).json()["code"] == "illegal_transition"
    other_user, other = factories.make_expert_user()
    rival = factories.make_pairing(challenge=parties.challenge, expert=other)
    assert post(expert, detail(proposed, "accept/")).status_code == 200
    response = post(token_client_for(other_user), detail(rival, "accept/"))
    assert (response.status_code, response.json()["code"]) == (409, "challenge_taken")


def test_bad_outcome_values_answer_400(parties, token_client_for):
    pairing = services.pairing_accept(user=parties.expert_user, pairing=services.pairing_propose(
        user=parties.enterprise_user, challenge=parties.challenge, expert=parties.expert))
    services.pairing_sign(user=parties.expert_user, pairing=pairing)
    services.pairing_sign(user=parties.enterprise_user, pairing=pairing)
    response = post(token_client_for(parties.expert_user), detail(pairing, "complete/"),
                    {"summary": "ok", "rating": 9, "savings_yuan": "-5"})
    assert response.status_code == 400 and {"rating", "savings_yuan"} <= set(response.json()["errors"])


PAIRING = "pairing { id status expert { id name phone } challenge { id status } enterpriseRating expertRating }"
PROPOSE = f"""mutation($challenge: ID!, $expert: ID!) {{
  proposePairing(challenge: $challenge, expert: $expert, message: "请帮忙") {{ {PAIRING} }} }}"""


RESPOND = f"mutation($id: ID!, $accept: Boolean!) {{ respondToPairing(id: $id, accept: $accept, note: \"好\") {{ {PAIRING} }} }}"
SIGN = f"mutation($id: ID!) {{ signPairing(id: $id) {{ {PAIRING} }} }}"
COMPLETE = f"""mutation($id: ID!) {{ completePairing(id: $id, outcome: {{summary: "完成", problemsSolved: 2,
  savingsYuan: "12000.50", workersTrained: 8, rating: 5}}) {{ pairing {{ id status savingsYuan challenge {{ status }} }} }} }}"""


RATE = f"mutation($id: ID!) {{ ratePairing(id: $id, rating: 4) {{ {PAIRING} }} }}"
TERMINATE = f"mutation($id: ID!) {{ terminatePairing(id: $id, reason: \"暂停\") {{ {PAIRING} }} }}"
WITHDRAW = f"mutation($id: ID!) {{ withdrawPairing(id: $id) {{ {PAIRING} }} }}"


def propose_through_graphql(parties):
    data = run(PROPOSE, {"challenge": gid("Challenge", parties.challenge), "expert": gid("Expert", parties.expert)},
               user=parties.enterprise_user).ok()
    return data["proposePairing"]["pairing"]


def test_the_whole_lifecycle_through_graphql(parties):
    pairing = propose_through_graphql(parties)
    assert pairing["status"] == "PROPOSED" and pairing["expert"]["phone"] is None
    pid = {"id": pairing["id"]}
    accepted = run(RESPOND, {**pid, "accept": True}, user=parties.expert_user).ok()["respondToPairing"]["pairing"]
    assert accepted["status"] == "ACCEPTED"
    enterprise_view = run(SIGN, pid, user=parties.enterprise_user).ok()["signPairing"]["pairing"]
    assert enterprise_view["expert"]["phone"] == parties.expert.phone  # contact visible once accepted
    active = run(SIGN, pid, user=parties.expert_user).ok()["signPairing"]["pairing"]
    assert (active["status"], active["challenge"]["status"]) == ("ACTIVE", "PAIRED")
    done = run(COMPLETE, pid, user=parties.enterprise_user).ok()["completePairing"]["pairing"]
    assert (done["status"], done["challenge"]["status"], done["savingsYuan"]) == ("COMPLETED", "RESOLVED", "12000.50")
    rated = run(RATE, pid, user=parties.expert_user).ok()["ratePairing"]["pairing"]
    assert (rated["enterpriseRating"], rated["expertRating"]) == (5, 4)


def test_decline_withdraw_and_terminate(parties):
    first = propose_through_graphql(parties)
    declined = run(RESPOND, {"id": first["id"], "accept": False}, user=parties.expert_user).ok()
    assert declined["respondToPairing"]["pairing"]["status"] == "DECLINED"
    second = propose_through_graphql(parties)
    assert run(WITHDRAW, {"id": second["id"]}, user=parties.enterprise_user).ok()["withdrawPairing"]["pairing"][
        "status"] == "WITHDRAWN"
    third = propose_through_graphql(parties)
    run(RESPOND, {"id": third["id"], "accept": True}, user=parties.expert_user).ok()
    assert run(TERMINATE, {"id": third["id"]}, user=factories.make_secretariat()).ok()["terminatePairing"][
        "pairing"]["status"] == "TERMINATED"


def test_conflicts_answer_conflict_with_the_reason(parties):
    pairing = propose_through_graphql(parties)
    duplicate = run(PROPOSE, {"challenge": gid("Challenge", parties.challenge),
                              "expert": gid("Expert", parties.expert)}, user=parties.enterprise_user)
    assert duplicate.code == "CONFLICT" and duplicate.errors[0]["extensions"]["reason"] == "duplicate_proposal"
    rival_user, rival = factories.make_expert_user()
    rival_pairing = factories.make_pairing(challenge=parties.challenge, expert=rival)
    run(RESPOND, {"id": pairing["id"], "accept": True}, user=parties.expert_user).ok()
    lost = run(RESPOND, {"id": gid("Pairing", rival_pairing), "accept": True}, user=rival_user)
    assert lost.code == "CONFLICT" and lost.errors[0]["extensions"]["reason"] == "challenge_taken"
    assert run(SIGN, {"id": gid("Pairing", rival_pairing)}, user=rival_user).code == "CONFLICT"


def test_a_bad_outcome_is_bad_user_input(parties):
    pairing = propose_through_graphql(parties)
    for user, query in ((parties.expert_user, RESPOND), (parties.expert_user, SIGN), (parties.enterprise_user, SIGN)):
        run(query, {"id": pairing["id"], "accept": True} if query is RESPOND else {"id": pairing["id"]}, user=user).ok()
    bad = run("""mutation($id: ID!) { completePairing(id: $id, outcome: {summary: "x", rating: 7}) { pairing { id } } }""",
              {"id": pairing["id"]}, user=parties.expert_user)
    assert bad.code == "BAD_USER_INPUT" and "rating" in bad.errors[0]["extensions"]["fields"]


# --- the printable agreement (HTML and PDF) ------------------------------------------------------------------

def signed(parties, proposed):
    services.pairing_accept(user=parties.expert_user, pairing=proposed)
    services.pairing_sign(user=parties.expert_user, pairing=proposed)
    return services.pairing_sign(user=parties.enterprise_user, pairing=proposed)


def test_the_document_renders_as_html_with_parties_goals_and_signatures(parties, proposed, token_client_for):
    pairing = signed(parties, proposed)
    response = token_client_for(parties.enterprise_user).get(detail(pairing, "document/"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    for text in ("结对意向书", parties.enterprise.name, parties.enterprise.credit_code, parties.expert.name,
                 parties.challenge.title, "蒸汽单耗降低10%", f"JL-PA-{pairing.pk:06d}"):
        assert text in html
    assert "未签署" not in html and "（未生效）" not in html


@pytest.mark.parametrize("how", ["query", "accept"])
def test_the_document_renders_as_a_pdf_that_parses(parties, proposed, token_client_for, how):
    pairing = signed(parties, proposed)
    client = token_client_for(parties.expert_user)
    if how == "query":
        response = client.get(detail(pairing, "document/"), {"format": "pdf"})
    else:
        response = client.get(detail(pairing, "document/"), HTTP_ACCEPT="application/pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages)
    for expected in ("结对意向书", parties.enterprise.name, parties.expert.name, parties.challenge.title):
        assert expected in text
    assert reader.metadata.title == f"结对意向书 JL-PA-{pairing.pk:06d}"


def test_an_unsigned_document_says_it_is_not_in_force(parties, proposed, token_client_for):
    html = token_client_for(parties.expert_user).get(detail(proposed, "document/")).content.decode()
    assert "（未生效）" in html and "未签署" in html


def test_a_document_error_is_json(proposed, token_client_for):
    response = token_client_for(factories.make_user()).get(detail(proposed, "document/"), {"format": "pdf"})
    assert response.status_code == 404 and response["Content-Type"] == "application/json"
    assert response.json()["code"] == "not_found"


# --- input references go through the same selectors in both APIs ---------------------------------------------

def test_another_enterprises_draft_is_not_found_as_an_input_in_both_apis(parties, token_client_for):
    """REST resolved `challenge` against the whole table (403 from the service) while GraphQL answered NOT_FOUND:
    both look it up through enterprises.selectors.challenge_list now."""
    draft = factories.make_challenge(status="draft")  # another enterprise's: invisible to this one
    rest = post(token_client_for(parties.enterprise_user), URL, {"challenge": draft.pk, "expert": parties.expert.pk})
    graphql = run(PROPOSE, {"challenge": gid("Challenge", draft), "expert": gid("Expert", parties.expert)},
                  user=parties.enterprise_user)

    assert (rest.status_code, graphql.code) == (404, "NOT_FOUND")
    assert not PairingAgreement.objects.filter(challenge=draft).exists()


def test_an_input_reference_that_is_no_integer_is_a_400_on_its_field(parties, token_client_for):
    response = post(token_client_for(parties.enterprise_user), URL, {"challenge": "abc", "expert": parties.expert.pk})

    assert response.status_code == 400 and "challenge" in response.json()["errors"]
