"""Concurrent transitions on one agreement, and concurrent refreshes of derived areas, on PostgreSQL.

Over REST with real tokens, each request in its own thread and connection, released together at a barrier:
every answer is a success or a clear 409, never a 500, and the agreement ends in one legal state. Tasks run
eagerly in the requests' after-commit steps, as in development (an expert's areas refreshed by both sides'
commits at once is what hit `expert_area_once` before the refresh took a lock).
SQLite serialises every write transaction, so these run on PostgreSQL only (CI sets DATABASE_URL).
"""
import threading

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from experts.taxonomy.loader import load_taxonomy
from matching.engine.profiles import refresh_expert_areas, refresh_studio_areas
from matching.engine.taxonomy import forget_taxonomy
from matching.models import ExpertArea, PairingAgreement, StudioArea
from tests import factories
from tests.concurrency import POSTGRES_ONLY, together

TRIALS = 10
Status = PairingAgreement.Status

pytestmark = POSTGRES_ONLY


def client_of(user):
    client = APIClient()
    client.raise_request_exception = False  # a server error is an answer (500), as a real client sees it
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def post(client, pairing, action, data=None):
    return lambda: client.post(f"/api/v1/pairings/{pairing.pk}/{action}/", data or {}, format="json").status_code


def fresh_parties():
    parties = factories.make_pairing_parties(bio="主持精馏塔节能改造，熟悉换热网络优化。")
    return parties, client_of(parties.enterprise_user), client_of(parties.expert_user)


def test_both_parties_signing_at_once_both_succeed_and_the_agreement_is_active():
    for _ in range(TRIALS):
        parties, enterprise, expert = fresh_parties()
        pairing = factories.make_pairing(challenge=parties.challenge, expert=parties.expert, status=Status.ACCEPTED)

        answers = together([post(enterprise, pairing, "sign"), post(expert, pairing, "sign")])

        assert sorted(answers) == [200, 200], answers
        pairing.refresh_from_db()
        assert pairing.status == Status.ACTIVE
        assert pairing.expert_signed_at and pairing.enterprise_signed_at


# (state, [(side, action, input)]): two transitions the two parties may each take alone, taken at once.
PAIRS = [
    (Status.PROPOSED, [("expert", "accept", {"note": "乐意"}), ("enterprise", "withdraw", {})]),
    (Status.PROPOSED, [("expert", "decline", {}), ("enterprise", "withdraw", {})]),
    (Status.PROPOSED, [("expert", "accept", {}), ("expert", "decline", {})]),
    (Status.ACCEPTED, [("expert", "sign", {}), ("enterprise", "terminate", {"reason": "另有安排"})]),
    (Status.ACTIVE, [("expert", "complete", {"summary": "能耗下降"}), ("enterprise", "terminate", {"reason": "停产"})]),
    (Status.ACTIVE, [("expert", "complete", {"summary": "能耗下降"}),
                     ("enterprise", "complete", {"summary": "蒸汽单耗下降"})]),
]


@pytest.mark.parametrize("state, moves", PAIRS, ids=[f"{s}:{a[1]}+{b[1]}" for s, (a, b) in PAIRS])
def test_two_transitions_at_once_answer_success_or_409_never_500(state, moves):
    for _ in range(TRIALS // 2):
        parties, enterprise, expert = fresh_parties()
        if state == Status.ACTIVE:
            parties.challenge.status = "paired"
            parties.challenge.save(update_fields=["status"])
        pairing = factories.make_pairing(challenge=parties.challenge, expert=parties.expert, status=state)
        clients = {"expert": expert, "enterprise": enterprise}

        answers = together([post(clients[side], pairing, action, data) for side, action, data in moves])

        assert set(answers) <= {200, 409}, answers
        assert 200 in answers, answers  # one of them always wins
        pairing.refresh_from_db()
        assert pairing.status != state


def test_concurrent_area_refreshes_of_one_expert_store_one_consistent_set():
    load_taxonomy()
    forget_taxonomy()
    expert = factories.make_expert(bio="主持精馏塔节能改造，熟悉换热网络优化，了解污水处理。",
                                   skill_tags=["精馏", "换热器"])
    studio = factories.make_studio(description="精馏与节能")
    expert.studio = studio
    expert.save(update_fields=["studio"])
    expected = refresh_expert_areas([expert.pk])[expert.pk]
    assert len(expected) >= 2  # distillation, heat exchange, wastewater: something to race over
    for _ in range(TRIALS):
        answers = together([lambda: refresh_expert_areas([expert.pk])] * 6
                           + [lambda: refresh_studio_areas([studio.pk])] * 4)

        assert not [a for a in answers if isinstance(a, Exception)], answers
        stored = sorted(ExpertArea.objects.filter(expert=expert).values_list("skill_id", "level"))
        assert stored == sorted(expected)
        assert StudioArea.objects.filter(studio=studio).count() >= 1


def test_a_deadlock_between_two_transactions_is_answered_as_a_conflict_not_a_500():
    """A real deadlock on PostgreSQL (two transactions lock two rows in opposite orders): the loser's error
    becomes REST 409 `concurrent_change` and GraphQL CONFLICT, as a lost race should."""
    from django.db import transaction
    from graphql import GraphQLError

    from jianglian.api.exceptions import exception_handler
    from jianglian.errors import is_transient_conflict
    from jianglian.graphql.errors import describe

    first, second = factories.make_expert(), factories.make_expert()
    barrier = threading.Barrier(2)

    def lock(a, b):
        with transaction.atomic():
            type(a).objects.select_for_update().get(pk=a.pk)
            barrier.wait(timeout=30)
            type(b).objects.select_for_update().get(pk=b.pk)

    answers = together([lambda: lock(first, second), lambda: lock(second, first)])
    [loser] = [a for a in answers if isinstance(a, Exception)]
    assert is_transient_conflict(loser)
    response = exception_handler(loser, {})
    assert (response.status_code, response.data["code"]) == (409, "concurrent_change")
    _, extensions = describe(GraphQLError("x", original_error=loser, path=["signPairing"]))
    assert (extensions["code"], extensions["reason"]) == ("CONFLICT", "concurrent_change")
