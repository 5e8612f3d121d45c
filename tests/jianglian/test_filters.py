"""Integer filters of every list (REST and GraphQL): garbage or numbers no row can hold are a 400 on the field."""
import base64

import pytest

from tests import factories
from tests.gql import run

pytestmark = pytest.mark.django_db

TOO_BIG = str(2**63)  # one past the largest database integer: SQLite would raise OverflowError


@pytest.mark.parametrize("path, param", [
    ("/api/v1/experts/", "studio"),
    ("/api/v1/challenges/", "enterprise"),
    ("/api/v1/studios/", "batch"),
    ("/api/v1/events/", "expert"),
    ("/api/v1/membership-applications/", "studio"),
])
@pytest.mark.parametrize("value", [TOO_BIG, "²", "-1", "1.5", "abc"])
def test_an_integer_filter_refuses_what_is_not_a_storable_integer(secretariat, client_for, path, param, value):
    response = client_for(secretariat).get(path, {param: value})

    assert response.status_code == 400
    assert param in response.json()["errors"]


@pytest.mark.parametrize("path, param", [
    ("/api/v1/experts/", "studio"), ("/api/v1/events/", "expert"), ("/api/v1/challenges/", "enterprise"),
])
def test_the_largest_storable_integer_is_a_valid_filter_that_finds_nothing(secretariat, client_for, path, param):
    response = client_for(secretariat).get(path, {param: str(2**63 - 1)})

    assert response.status_code == 200
    assert response.json()["count"] == 0


@pytest.mark.parametrize("path, known", [("/api/v1/events/", "planned"), ("/api/v1/pairings/", "proposed")])
def test_an_unknown_status_is_refused_and_a_known_one_filters(secretariat, client_for, path, known):
    client = client_for(secretariat)

    refused = client.get(path, {"status": "nonsense"})

    assert refused.status_code == 400 and "status" in refused.json()["errors"]
    assert client.get(path, {"status": known}).status_code == 200


@pytest.mark.parametrize("params", [{"subject_id": TOO_BIG}, {"actor": "²"}, {"since": "2026-13-45T25:00:00"},
                                    {"until": "yesterday"}])
def test_the_audit_trail_refuses_bad_filters_on_the_field(secretariat, client_for, params):
    response = client_for(secretariat).get("/api/v1/audit/", params)

    assert response.status_code == 400
    assert set(params) <= set(response.json()["errors"])


def test_the_audit_trail_filters_by_time_and_actor(secretariat, client_for):
    response = client_for(secretariat).get("/api/v1/audit/", {"actor": secretariat.pk, "since": "2020-01-01T00:00:00Z"})

    assert response.status_code == 200


def test_graphql_integer_filters_are_integers(secretariat):
    factories.make_studio()

    assert run("{ auditEntries(first: 5, actor: 1) { totalCount } }", user=secretariat).ok()["auditEntries"] == {
        "totalCount": 0}
    for not_an_integer in ("1.5", str(2**31), '"1"'):  # GraphQL's Int is 32-bit
        refused = run(f"{{ auditEntries(first: 5, actor: {not_an_integer}) {{ totalCount }} }}", user=secretariat)
        assert refused.codes == ["GRAPHQL_VALIDATION_FAILED"]


@pytest.mark.parametrize("expert_id", [str(2**63), "-1", "x"])
def test_outreach_events_filtered_by_an_expert_id_no_row_can_have_find_nothing(expert_id):
    global_id = base64.b64encode(f"Expert:{expert_id}".encode()).decode()

    result = run(f'{{ outreachEvents(first: 5, expert: "{global_id}") {{ totalCount }} }}')

    assert result.ok()["outreachEvents"] == {"totalCount": 0}


# --- yes/no filters ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("path, param", [
    ("/api/v1/experts/", "accepting_pairings"), ("/api/v1/skills/", "top_level"), ("/api/v1/enterprises/", "mine"),
    ("/api/v1/notifications/", "unread"),
])
@pytest.mark.parametrize("value", ["maybe", "是", "2", "yes please"])
def test_a_yes_no_filter_refuses_what_is_neither(secretariat, client_for, path, param, value):
    """Was: `?accepting_pairings=maybe` answered every expert, as if there were no filter."""
    response = client_for(secretariat).get(path, {param: value})

    assert response.status_code == 400
    assert response.json()["errors"][param] == ["应为 true 或 false / Must be true or false."]


@pytest.mark.parametrize("value, found", [("true", ["接受"]), ("True", ["接受"]), ("1", ["接受"]), ("false", ["不接受"]),
                                          ("0", ["不接受"]), ("", ["不接受", "接受"])])
def test_a_yes_no_filter_takes_true_false_and_their_usual_spellings(client_for, value, found):
    factories.make_expert(name="接受", accepting_pairings=True)
    factories.make_expert(name="不接受", accepting_pairings=False)

    response = client_for().get("/api/v1/experts/", {"accepting_pairings": value, "ordering": "name"})

    assert response.status_code == 200
    assert sorted(e["name"] for e in response.json()["results"]) == found


def test_graphql_yes_no_filters_stay_booleans():
    factories.make_expert(name="接受", accepting_pairings=True)
    factories.make_expert(name="不接受", accepting_pairings=False)

    result = run("{ experts(acceptingPairings: true) { edges { node { name } } } }")

    assert not result.errors
    assert [e["node"]["name"] for e in result.data["experts"]["edges"]] == ["接受"]
