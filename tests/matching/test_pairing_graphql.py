"""GraphQL pairings: the same services as REST — proposePairing, respondToPairing, signPairing,
completePairing, ratePairing, terminatePairing, withdrawPairing, myPairings(status:)."""
import pytest

from matching.models import PairingAgreement
from matching.pairings import services
from tests import factories
from tests.gql import gid, run

pytestmark = pytest.mark.django_db

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
MINE = "query($status: PairingStatus) { myPairings(status: $status) { totalCount edges { node { id status } } } }"


@pytest.fixture
def parties():
    return factories.make_pairing_parties()


def propose(parties):
    data = run(PROPOSE, {"challenge": gid("Challenge", parties.challenge), "expert": gid("Expert", parties.expert)},
               user=parties.enterprise_user).ok()
    return data["proposePairing"]["pairing"]


def test_the_whole_lifecycle_through_graphql(parties):
    pairing = propose(parties)
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
    first = propose(parties)
    declined = run(RESPOND, {"id": first["id"], "accept": False}, user=parties.expert_user).ok()
    assert declined["respondToPairing"]["pairing"]["status"] == "DECLINED"
    second = propose(parties)
    assert run(WITHDRAW, {"id": second["id"]}, user=parties.enterprise_user).ok()["withdrawPairing"]["pairing"][
        "status"] == "WITHDRAWN"
    third = propose(parties)
    run(RESPOND, {"id": third["id"], "accept": True}, user=parties.expert_user).ok()
    assert run(TERMINATE, {"id": third["id"]}, user=factories.make_secretariat()).ok()["terminatePairing"][
        "pairing"]["status"] == "TERMINATED"


def test_my_pairings_lists_the_experts_invitations_by_status(parties):
    propose(parties)
    other = services.pairing_propose(user=parties.enterprise_user, expert=parties.expert,
                                     challenge=factories.make_challenge(enterprise=parties.enterprise))
    services.pairing_decline(user=parties.expert_user, pairing=other)
    mine = run(MINE, {"status": "PROPOSED"}, user=parties.expert_user).ok()["myPairings"]
    assert mine["totalCount"] == 1
    assert run(MINE, {}, user=parties.expert_user).ok()["myPairings"]["totalCount"] == 2
    assert run(MINE, {}, user=factories.make_expert_user()[0]).ok()["myPairings"]["totalCount"] == 0
    assert run(MINE, {}).ok()["myPairings"]["totalCount"] == 0


def test_outsiders_get_not_found_and_wrong_sides_forbidden(parties):
    pairing = propose(parties)
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


def test_conflicts_answer_conflict_with_the_reason(parties):
    pairing = propose(parties)
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
    pairing = propose(parties)
    for user, query in ((parties.expert_user, RESPOND), (parties.expert_user, SIGN), (parties.enterprise_user, SIGN)):
        run(query, {"id": pairing["id"], "accept": True} if query is RESPOND else {"id": pairing["id"]}, user=user).ok()
    bad = run("""mutation($id: ID!) { completePairing(id: $id, outcome: {summary: "x", rating: 7}) { pairing { id } } }""",
              {"id": pairing["id"]}, user=parties.expert_user)
    assert bad.code == "BAD_USER_INPUT" and "rating" in bad.errors[0]["extensions"]["fields"]
