"""API clients show the same buttons on a pairing agreement (结对意向书) as the web pages.

REST `actions` and GraphQL `Pairing.actions` are matching.pairings.selectors.pairing_actions for the
caller, in lifecycle order; every action listed succeeds through that API and every other one is refused
with the reason the agreement states (REST `refusals` on a single agreement, GraphQL `Pairing.refusals`).
A list costs the same number of SQL queries for 2 agreements as for 10.

Given an enterprise with an open challenge and an invited expert, plus staff of another enterprise,
another expert, the secretariat and an anonymous visitor (the world of test_pairing_selectors, whose
ALLOWED table says what each role may do in each state).
"""
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from matching.models import PairingAgreement
from matching.pairings import selectors
from tests import factories
from tests.gql import gid, run

from .test_pairing_selectors import (  # noqa: F401  (world is a fixture)
    ALLOWED, ANONYMOUS, INVITED, OTHER_ENTERPRISE, OTHER_EXPERT, OWNER, SECRETARIAT, _state, agreement_in, world,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/pairings/"
ACTIONS = tuple(selectors.PAIRING_REFUSALS)  # lifecycle order
STATES = ("proposed", "proposed past its expiry", "accepted", "accepted, signed by the expert", "active",
          "completed", "declined")
SEE_IT = (OWNER, INVITED, SECRETARIAT)  # the parties and the secretariat
BYSTANDERS = (OTHER_ENTERPRISE, OTHER_EXPERT)


def detail(pairing, suffix=""):
    return f"{URL}{pairing.pk}/{suffix}"


def allowed_by_the_table(state, role) -> list[str]:
    return [action for action in ACTIONS if role in ALLOWED[state].get(action, ())]


def rolled_back(call):
    """`call()`'s answer; whatever it changed is undone, so every action is tried on the same state."""
    with transaction.atomic():
        answer = call()
        transaction.set_rollback(True)
    return answer


# --- REST ----------------------------------------------------------------------------------------

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


# --- GraphQL -------------------------------------------------------------------------------------

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


# --- a list costs a fixed number of queries whatever its length ----------------------------------

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
