"""The audit trail: every state change records who, when, from → to and a note; only the secretariat reads it."""
import pytest

from alliance import selectors
from jianglian.models import AuditEntry
from jianglian.errors import NotAllowed
from matching.pairings import services as pairing_services
from tests import factories

pytestmark = pytest.mark.django_db
URL = "/api/v1/audit/"


@pytest.fixture
def trail(secretariat):
    parties = factories.make_pairing_parties()
    pairing = pairing_services.pairing_propose(user=parties.enterprise_user, challenge=parties.challenge,
                                               expert=parties.expert, message="你好")
    pairing_services.pairing_decline(user=parties.expert_user, pairing=pairing, note="没空")
    return parties, pairing


def test_an_entry_says_who_when_from_to_and_why(trail):
    parties, pairing = trail
    entry = AuditEntry.objects.get(subject_type="matching.pairingagreement", subject_id=pairing.pk, action="decline")
    assert (entry.actor, entry.from_state, entry.to_state, entry.note) == (parties.expert_user, "proposed",
                                                                          "declined", "没空")
    assert entry.at is not None


def test_only_the_secretariat_lists_the_trail(trail, secretariat):
    parties, _ = trail
    for user in (parties.enterprise_user, parties.expert_user, None):
        with pytest.raises(NotAllowed):
            selectors.audit_entry_list(user=user)
    assert selectors.audit_entry_list(user=secretariat).count() == 2


def test_rest_filters_by_subject_action_and_actor(trail, secretariat, token_client_for):
    parties, pairing = trail
    client = token_client_for(secretariat)
    everything = client.get(URL).json()["results"]
    assert [e["action"] for e in everything] == ["decline", "propose"]  # newest first
    by_subject = client.get(URL, {"subject_type": "matching.pairingagreement", "subject_id": pairing.pk})
    assert len(by_subject.json()["results"]) == 2
    by_actor = client.get(URL, {"actor": parties.enterprise_user.pk}).json()["results"]
    assert [(e["action"], e["actor"]) for e in by_actor] == [("propose", parties.enterprise_user.username)]
    assert [e["action"] for e in client.get(URL, {"action": "decline"}).json()["results"]] == ["decline"]
    since = everything[0]["at"]
    assert client.get(URL, {"until": "2000-01-01T00:00:00Z"}).json()["results"] == []
    assert len(client.get(URL, {"since": "2000-01-01T00:00:00Z"}).json()["results"]) == 2
    assert since
    assert client.get(URL, {"subject_id": "abc"}).status_code == 400


@pytest.mark.parametrize("role", ["anonymous", "enterprise", "expert"])
def test_rest_refuses_everyone_else(trail, token_client_for, role):
    parties, _ = trail
    user = {"anonymous": None, "enterprise": parties.enterprise_user, "expert": parties.expert_user}[role]
    assert token_client_for(user).get(URL).status_code == (401 if user is None else 403)


def test_rest_list_is_a_fixed_number_of_queries(trail, secretariat, token_client_for, django_assert_max_num_queries):
    client = token_client_for(secretariat)
    with django_assert_max_num_queries(5):  # token+user, groups, count, page (actors joined)
        assert len(client.get(URL).json()["results"]) == 2


# --- GraphQL ---------------------------------------------------------------------------------------

AUDIT = """query($type: String, $action: String) { auditEntries(subjectType: $type, action: $action) {
  totalCount edges { node { action fromState toState note actorUsername subjectId } } } }"""


def test_graphql_audit_entries_for_the_secretariat_only(trail, secretariat):
    from tests.gql import run

    parties, pairing = trail
    data = run(AUDIT, {"type": "matching.pairingagreement", "action": "decline"}, user=secretariat).ok()
    [entry] = [e["node"] for e in data["auditEntries"]["edges"]]
    assert entry == {"action": "decline", "fromState": "proposed", "toState": "declined", "note": "没空",
                     "actorUsername": parties.expert_user.username, "subjectId": pairing.pk}
    assert run(AUDIT, {}, user=secretariat).ok()["auditEntries"]["totalCount"] == 2
    assert run(AUDIT, {}, user=parties.enterprise_user).code == "FORBIDDEN"
    assert run(AUDIT, {}).code == "UNAUTHENTICATED"
