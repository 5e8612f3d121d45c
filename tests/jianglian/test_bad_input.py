"""Hostile input is the caller's error, never the server's. Each case below was a 500 (REST) or an
INTERNAL_SERVER_ERROR (GraphQL), found by a long schemathesis run (CONTRACT_EXAMPLES) or a hand probe, on
SQLite, PostgreSQL or both. Now bad values answer 400 on their field (GraphQL: BAD_USER_INPUT with `fields`),
ids no row can have answer 404 (NOT_FOUND), and nothing is stored.
"""
import json

import pytest
from graphql_relay import to_global_id
from rest_framework.test import APIClient

from alliance.models import OutreachEvent
from enterprises.models import Challenge
from experts.models import Expert
from jianglian.graphql import errors
from tests import factories
from tests.gql import run

pytestmark = pytest.mark.django_db

NUL = "\x00"
SURROGATE = "\ud800"  # a lone UTF-16 surrogate: valid in a JSON string escape, not encodable in UTF-8

UPDATE_PROFILE = "mutation($input: ExpertProfileInput!) { updateExpertProfile(input: $input) { expert { bio } } }"
CREATE_CHALLENGE = ("mutation($input: CreateChallengeInput!) { createChallenge(input: $input) "
                    "{ challenge { title } } }")


# --- REST: list filters ------------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/api/v1/experts/", "/api/v1/challenges/", "/api/v1/studios/"])
@pytest.mark.parametrize("value", ["²", "١٢", str(2**63), "9" * 40])
def test_a_skill_filter_that_is_no_storable_id_is_read_as_a_skill_code(path, value):
    """`?skill=` takes an id or a code; '²' passes str.isdigit() but int() refuses it (was a 500)."""
    factories.make_challenge(skills=[factories.make_skill()])

    response = APIClient().get(path, {"skill": value})

    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_a_skill_filter_still_takes_an_ascii_id_or_a_code():
    skill = factories.make_skill(code="distillation")
    expert = factories.make_expert(skills=[skill])
    factories.make_expert()

    by_id = APIClient().get("/api/v1/experts/", {"skill": str(skill.pk)}).json()
    by_code = APIClient().get("/api/v1/experts/", {"skill": "distillation"}).json()

    assert [e["id"] for e in by_id["results"]] == [expert.pk]
    assert [e["id"] for e in by_code["results"]] == [expert.pk]


# --- REST: request bodies ----------------------------------------------------------------------
@pytest.mark.parametrize("body", ["[" * 100_000 + "]" * 100_000, '{"a":' * 100_000 + "1" + "}" * 100_000])
def test_a_body_nested_deeper_than_the_parser_follows_is_a_400_and_stores_nothing(enterprise_user, client_for, body):
    user, _ = enterprise_user

    response = client_for(user).post("/api/v1/challenges/", data=body, content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {"detail": "请求体嵌套过深 / The request body is nested too deeply.",
                               "code": "parse_error", "errors": {}}
    assert not Challenge.objects.exists()


def test_a_nested_body_is_a_400_even_before_authentication_views_read_it():
    response = APIClient().post("/api/v1/auth/token/", data="[" * 100_000, content_type="application/json")

    assert response.status_code == 400 and response.json()["code"] == "parse_error"


@pytest.mark.parametrize("body, field", [
    ('{"title": "t", "description": "d", "category": "\\ud800"}', "category"),  # "“\ud800” is not a valid choice."
    ('{"title": "t", "description": "d", "category": "green", "\\udfff": 1}', "\ufffd"),  # an unknown field
])
def test_a_lone_surrogate_echoed_by_a_message_is_answered_as_the_replacement_character(enterprise_user, client_for,
                                                                                       body, field):
    """UTF-8 cannot encode a lone surrogate: the 400 itself failed while rendering (a 500)."""
    user, _ = enterprise_user

    response = client_for(user).post("/api/v1/challenges/", data=body, content_type="application/json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]
    assert "\ufffd" in response.content.decode()  # where the surrogate was echoed
    assert not Challenge.objects.exists()


@pytest.mark.parametrize("value", [NUL, f"精馏{NUL}塔", SURROGATE])
def test_text_no_database_can_store_is_a_400_on_its_field(enterprise_user, client_for, value):
    user, enterprise = enterprise_user

    response = client_for(user).post("/api/v1/challenges/", data=json.dumps(
        {"title": value, "description": "d", "category": "green"}), content_type="application/json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["title"]
    assert not Challenge.objects.exists()


# --- REST: ids in the path ---------------------------------------------------------------------
@pytest.mark.parametrize("pk", [str(2**63), str(2**64), "9" * 40, "-1", "abc", "%00", "²", "1.5"])
@pytest.mark.parametrize("path", ["/api/v1/experts/{}/", "/api/v1/challenges/{}/", "/api/v1/pairings/{}/",
                                  "/api/v1/challenges/{}/matches/", "/api/v1/studios/{}/suspend/"])
def test_an_id_no_row_can_have_is_a_404(secretariat, client_for, path, pk):
    client = client_for(secretariat)

    response = client.post(path.format(pk), {"reason": "x"}) if "suspend" in path else client.get(path.format(pk))

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


# --- REST: datetimes at the edge of the calendar ---------------------------------------------------
EVENT = {"title": "进校园", "school": "某职业技术学院", "province": "sichuan", "city": "泸州", "format": "lecture",
         "topic": "安全生产"}


@pytest.mark.parametrize("value", ["0001-01-01T00:00:00", "0001-01-01T07:59:59+08:00", "9999-12-31T23:59:59Z",
                                   "9999-12-31T20:00:00-10:00"])
def test_a_datetime_beyond_the_calendar_in_utc_or_local_time_is_a_400_on_its_field(secretariat, client_for, value):
    """A naive 0001-01-01T00:00 raised OverflowError inside DRF (a 500); the others cannot be stored or shown."""
    client = client_for(secretariat)
    event = factories.make_event()

    created = client.post("/api/v1/events/", {**EVENT, "starts_at": value}, format="json")
    updated = client.patch(f"/api/v1/events/{event.pk}/", {"ends_at": value}, format="json")
    listed = client.get("/api/v1/audit/", {"since": value})

    assert (created.status_code, list(created.json()["errors"])) == (400, ["starts_at"])
    assert (updated.status_code, list(updated.json()["errors"])) == (400, ["ends_at"])
    assert (listed.status_code, list(listed.json()["errors"])) == (400, ["since"])
    assert list(OutreachEvent.objects.values_list("pk", "ends_at")) == [(event.pk, None)]


def test_the_first_storable_moment_is_a_past_start_and_the_last_is_accepted(secretariat, client_for):
    """An event is planned ahead (alliance.services: a past start is refused on its field); the last storable
    moment is stored and shown as given."""
    client = client_for(secretariat)

    first = client.post("/api/v1/events/", {**EVENT, "starts_at": "0001-01-01T00:00:00Z"}, format="json")
    last = client.post("/api/v1/events/", {**EVENT, "starts_at": "9999-12-31T23:59:59+08:00"}, format="json")

    assert (first.status_code, list(first.json()["errors"]), last.status_code) == (400, ["starts_at"], 201)
    assert client.get(f"/api/v1/events/{last.json()['id']}/").json()["starts_at"] == "9999-12-31T23:59:59+08:00"


# --- GraphQL: global ids -----------------------------------------------------------------------
@pytest.mark.parametrize("pk", [str(2**63), str(2**64), "-9223372036854775809", "²", "abc"])
def test_a_list_of_global_ids_with_a_pk_no_row_can_have_is_not_found(secretariat, pk):
    """`get_visible_many` filters with `pk__in`, which SQLite cannot compare with 2**63 (was an OverflowError)."""
    event = factories.make_event()
    document = "mutation($id: ID!, $experts: [ID!]!) { inviteExpertsToEvent(id: $id, experts: $experts) { event { id } } }"

    result = run(document, {"id": to_global_id("OutreachEvent", event.pk),
                            "experts": [to_global_id("Expert", factories.make_expert().pk), to_global_id("Expert", pk)]},
                 user=secretariat)

    assert result.code == errors.NOT_FOUND, result
    assert not event.participations.exists()


@pytest.mark.parametrize("pk", [str(2**63), "²"])
def test_skills_given_by_ids_no_row_can_have_are_bad_input_on_skills(enterprise_user, pk):
    user, enterprise = enterprise_user

    result = run(CREATE_CHALLENGE, {"input": {
        "enterprise": to_global_id("Enterprise", enterprise.pk), "title": "t", "description": "d",
        "category": "GREEN", "skills": [to_global_id("Skill", pk)]}}, user=user)

    assert result.code == errors.BAD_USER_INPUT and list(result.errors[0]["extensions"]["fields"]) == ["skills"]
    assert not Challenge.objects.exists()


@pytest.mark.parametrize("pk", [str(2**63), "²", "-1"])
def test_a_node_id_with_a_pk_no_row_can_have_is_not_found(pk):
    result = run("query($id: ID!) { node(id: $id) { id } }", {"id": to_global_id("Skill", pk)})

    assert result.code == errors.NOT_FOUND


# --- GraphQL: filters by global id -------------------------------------------------------------
EXPERTS_OF_STUDIO = "query($studio: ID) { experts(first: 5, studio: $studio) { totalCount } }"


@pytest.mark.parametrize("pk", ["abc", "²", "1.5", "-1", str(2**63), str(2**64)])
@pytest.mark.parametrize("query, argument, type_name", [
    (EXPERTS_OF_STUDIO, "studio", "Studio"),
    ("query($enterprise: ID) { challenges(first: 5, enterprise: $enterprise) { totalCount } }", "enterprise",
     "Enterprise"),
    ("query($studio: ID) { membershipApplications(first: 5, studio: $studio) { totalCount } }", "studio", "Studio"),
])
def test_a_global_id_filter_whose_pk_no_row_can_have_is_bad_input_on_the_field(secretariat, query, argument,
                                                                              type_name, pk):
    result = run(query, {argument: to_global_id(type_name, pk)}, user=secretariat)

    assert result.code == errors.BAD_USER_INPUT, result
    assert list(result.errors[0]["extensions"]["fields"]) == [argument]


def test_a_global_id_filter_refuses_an_id_of_another_type_and_filters_by_its_own():
    studio = factories.make_studio()
    expert = factories.make_expert(studio=studio)
    factories.make_expert()

    wrong_type = run(EXPERTS_OF_STUDIO, {"studio": to_global_id("Expert", expert.pk)})
    filtered = run(EXPERTS_OF_STUDIO, {"studio": to_global_id("Studio", studio.pk)})

    assert wrong_type.code == errors.BAD_USER_INPUT
    assert filtered.ok() == {"experts": {"totalCount": 1}}


# --- GraphQL: text and datetimes no database can store -------------------------------------------
@pytest.mark.parametrize("value, message", [
    (NUL, "不能包含空字符 / Null characters are not allowed."),
    (f"精馏{NUL}", "不能包含空字符 / Null characters are not allowed."),
    (SURROGATE, "不能包含未配对的代理字符 / Unpaired surrogate characters are not allowed."),
], ids=["nul", "nul-inside", "surrogate"])
@pytest.mark.parametrize("field, input_", [("bio", "{}"), ("achievements", "{}"), ("skillTags", "[{}]"),
                                           ("city", "{}")], ids=["bio", "achievements", "skillTags", "city"])
def test_an_expert_profile_text_no_database_can_store_is_bad_input_on_the_field(expert_user, field, input_, value,
                                                                                 message):
    user, expert = expert_user
    before = Expert.objects.values().get(pk=expert.pk)

    result = run(UPDATE_PROFILE, {"input": {field: json.loads(input_.format(json.dumps(value)))}}, user=user)

    assert result.code == errors.BAD_USER_INPUT, result
    assert result.errors[0]["extensions"]["fields"] == {field: [message]}
    assert result.data == {"updateExpertProfile": None}
    assert Expert.objects.values().get(pk=expert.pk) == before


def test_a_nul_in_a_literal_of_the_document_is_bad_input_too(enterprise_user):
    user, enterprise = enterprise_user
    document = ('mutation { createChallenge(input: {enterprise: "%s", title: "a\\u0000b", description: "d", '
                'category: GREEN}) { challenge { title } } }' % to_global_id("Enterprise", enterprise.pk))

    result = run(document, user=user)

    assert result.code == errors.BAD_USER_INPUT
    assert result.errors[0]["extensions"]["fields"] == {"title": ["不能包含空字符 / Null characters are not allowed."]}
    assert not Challenge.objects.exists()


@pytest.mark.parametrize("query, variables, field", [
    ("query($p: String) { skills(first: 5, parent: $p) { totalCount } }", {"p": NUL}, "parent"),
    ("query($c: String) { experts(first: 5, city: $c) { totalCount } }", {"c": SURROGATE}, "city"),
    ("query($q: String!) { search(query: $q) { totalCount } }", {"q": f"精馏{NUL}"}, "query"),
], ids=["filter-parent-nul", "filter-city-surrogate", "search-nul"])
def test_a_query_argument_holding_unstorable_text_is_bad_input_on_it(query, variables, field):
    result = run(query, variables)

    assert result.code == errors.BAD_USER_INPUT, result
    assert list(result.errors[0]["extensions"]["fields"]) == [field]


def test_a_mutation_argument_holding_unstorable_text_is_refused_before_the_mutation_runs(secretariat):
    challenge = factories.make_challenge()

    result = run("mutation($id: ID!, $r: String) { closeChallenge(id: $id, reason: $r) { challenge { status } } }",
                 {"id": to_global_id("Challenge", challenge.pk), "r": f"重复{NUL}"}, user=secretariat)

    assert result.code == errors.BAD_USER_INPUT and list(result.errors[0]["extensions"]["fields"]) == ["reason"]
    assert Challenge.objects.get(pk=challenge.pk).status == Challenge.Status.OPEN


@pytest.mark.parametrize("variables", [{"m": None}, {}], ids=["null", "left-out"])
def test_an_optional_text_argument_sent_as_null_is_no_text_as_when_it_is_left_out(variables):
    """jianglian.graphql.mutations reads a null note, reason or message as "" (the services' "none"), in one place
    for every mutation's optional text arguments (a null message was refused as a duplicate proposal: the
    agreement's NOT NULL column)."""
    from matching.models import PairingAgreement

    parties = factories.make_pairing_parties()

    result = run("mutation($c: ID!, $e: ID!, $m: String) { proposePairing(challenge: $c, expert: $e, message: $m) "
                 "{ pairing { status } } }",
                 {"c": to_global_id("Challenge", parties.challenge.pk), "e": to_global_id("Expert", parties.expert.pk),
                  **variables}, user=parties.enterprise_user)

    assert result.ok()["proposePairing"]["pairing"]["status"] == "PROPOSED"
    assert PairingAgreement.objects.get(challenge=parties.challenge).message == ""


@pytest.mark.parametrize("value", ["0001-01-01T00:00:00", "9999-12-31T23:59:59Z"])
def test_a_datetime_beyond_the_calendar_is_bad_input_on_its_field(secretariat, value):
    created = run("mutation($input: OutreachEventInput!) { createOutreachEvent(input: $input) { event { id } } }",
                  {"input": {"title": "t", "school": "s", "province": "SICHUAN", "city": "c", "format": "LECTURE",
                             "topic": "x", "startsAt": value}}, user=secretariat)
    listed = run("query($since: DateTime) { auditEntries(first: 5, since: $since) { totalCount } }", {"since": value},
                 user=secretariat)

    assert created.code == errors.BAD_USER_INPUT and created.errors[0]["extensions"]["fields"] == {
        "startsAt": ["日期时间超出范围 / Datetime value out of range."]}
    assert listed.code == errors.BAD_USER_INPUT and list(listed.errors[0]["extensions"]["fields"]) == ["since"]
    assert not OutreachEvent.objects.exists()
