"""The GraphQL API honours its contract (schemathesis, in-process over WSGI, against /graphql/api/).

For every root field (each query and each mutation), generated documents — sent by an anonymous
caller and by an enterprise user with a token — never cause a server error: no 5xx, and no error
labelled INTERNAL_SERVER_ERROR (which is what errors.py makes of any unexpected exception, including
a value the schema cannot represent). Every answer is a well-formed GraphQL response: a JSON object
with `data` and/or `errors`, every error with a message and a known `extensions.code`.

Schemathesis' own `not_a_server_error` is not used as is: it counts any error that has a `path`
and no Apollo "client" code as a server error, so it would flag the API's deliberate FORBIDDEN /
UNAUTHENTICATED / NOT_FOUND / CONFLICT answers (random IDs, anonymous mutations). The check below
is stricter on what matters (status, INTERNAL_SERVER_ERROR, shape, codes) and exact on the rest.
CONTRACT_EXAMPLES=<n> runs n examples per root field instead of CI's few (see test_api_contract).
"""
import base64
import json

import pytest
import schemathesis
from django.test import Client
from hypothesis import HealthCheck, Phase, settings as hypothesis_settings
from schemathesis.config import SchemathesisConfig

from jianglian.graphql import errors
from jianglian.graphql.limits import COST_LIMIT_EXCEEDED
from jianglian.graphql.views import RESPONSE_TOO_LARGE
from tests import factories, gql
from tests.gql import token_for

# the real WSGI app inside the test transaction, and the REST contract's small seeded catalog
from .test_api_contract import max_examples, seeded, wsgi_app  # noqa: F401

CONFIG = SchemathesisConfig.from_dict({"phases": {"coverage": {"enabled": False}}})
KNOWN_CODES = {
    errors.BAD_USER_INPUT, errors.BAD_REQUEST, errors.UNAUTHENTICATED, errors.FORBIDDEN, errors.NOT_FOUND,
    errors.CONFLICT, errors.PARSE_FAILED, errors.VALIDATION_FAILED,
    COST_LIMIT_EXCEEDED, RESPONSE_TOO_LARGE,  # generated selections can ask for a lot (limits.py)
}
RESPONSE_KEYS = {"data", "errors", "extensions"}


@pytest.fixture
def world(seeded):
    """The REST contract's small catalog (skills, studios, experts, enterprises, challenges) plus a
    child skill and an expert with an account; returns its enterprise user."""
    from experts.models import Skill

    factories.make_skill(parent=Skill.objects.first())
    factories.make_expert_user(skills=Skill.objects.all()[:1])
    return seeded


@pytest.fixture
def graphql_schema(world, wsgi_app):  # noqa: F811
    """The live schema, introspected as the secretariat (nobody else may introspect)."""
    admin = factories.make_secretariat()
    return schemathesis.graphql.from_wsgi(
        "/graphql/api/", wsgi_app, config=CONFIG, headers={"Authorization": f"Token {token_for(admin)}"}
    )


schema = schemathesis.pytest.from_fixture("graphql_schema")

bounded = hypothesis_settings(
    max_examples=max_examples(6), deadline=None, database=None, derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


def assert_valid_graphql_response(case, response):
    label = f"{case.operation.label}\n{case.body}"
    assert response.status_code < 500, f"{response.status_code} for {label}"
    assert response.status_code in (200, 400), f"{response.status_code} for {label}: {response.text[:500]}"
    assert response.headers.get("content-type", [""])[0].startswith("application/json"), label
    body = json.loads(response.content)
    assert isinstance(body, dict) and body and set(body) <= RESPONSE_KEYS, (label, body)
    assert "data" in body or "errors" in body, (label, body)
    if response.status_code == 400:  # refused before execution: no data at all
        assert "data" not in body and body.get("errors"), (label, body)
    else:
        assert "data" in body and (body["data"] is None or isinstance(body["data"], dict)), (label, body)
    for error in body.get("errors", []):
        assert isinstance(error.get("message"), str) and error["message"], (label, error)
        code = (error.get("extensions") or {}).get("code")
        assert code != errors.INTERNAL, f"server error for {label}: {error}"
        assert code in KNOWN_CODES, (label, error)
        assert "Did you mean" not in error["message"], (label, error)  # no suggestions for non-staff
        if "path" in error:
            assert isinstance(error["path"], list) and error["path"], (label, error)
        for location in error.get("locations", []):
            assert set(location) == {"line", "column"}, (label, error)


@schema.parametrize()
@bounded
def test_graphql_honours_its_contract_for_anonymous_callers(case):
    assert_valid_graphql_response(case, case.call())


@schema.parametrize()
@bounded
def test_graphql_honours_its_contract_for_a_token_user(case, world):
    assert_valid_graphql_response(case, case.call(headers={"Authorization": f"Token {token_for(world)}"}))


# --- what the contract run found, pinned ----------------------------------------------------------

PAGE = "query($offset: Int, $after: String, $before: String) { skills(first: 2, offset: $offset, after: $after, before: $before) { edges { cursor node { code } } } }"


@pytest.mark.django_db
@pytest.mark.parametrize("variables, field", [
    ({"offset": 1, "before": "YXJyYXljb25uZWN0aW9uOjM="}, "offset"),  # graphene-django asserted: 500
    ({"offset": 1, "after": "activated_at"}, "after"),  # cursor_to_offset → None, None + 1: 500
    ({"after": base64.b64encode(b"arrayconnection:-5").decode()}, "after"),  # negative slicing: 500
    ({"before": "not a cursor"}, "before"),
])
def test_bad_paging_arguments_are_bad_input_not_server_errors(variables, field):
    factories.make_skill()
    result = gql.run(PAGE, variables)
    assert result.code == errors.BAD_USER_INPUT, result
    assert field in result.errors[0]["extensions"]["fields"]
    assert result.data == {"skills": None}


@pytest.mark.django_db
def test_cursors_the_api_hands_out_still_page():
    codes = [factories.make_skill(code=f"s{i}").code for i in range(5)]
    first = gql.run(PAGE).ok()["skills"]["edges"]
    after = gql.run(PAGE, {"after": first[-1]["cursor"]}).ok()["skills"]["edges"]
    offset_after = gql.run(PAGE, {"after": first[0]["cursor"], "offset": 2}).ok()["skills"]["edges"]
    assert [e["node"]["code"] for e in first + after] == codes[:4]
    assert [e["node"]["code"] for e in offset_after] == codes[3:5]


@pytest.mark.django_db
@pytest.mark.parametrize("body, content_type, message", [
    ({"query": 5}, "application/json", "`query` must be a string."),
    ({"query": ["{ __typename }"]}, "application/json", "`query` must be a string."),
    ({"query": {"a": 1}}, "application/json", "`query` must be a string."),
    ({"query": "{ __typename }", "variables": [1]}, "application/json", "`variables` must be a JSON object."),
    ({"query": "{ __typename }", "variables": "[1]"}, "application/json", "`variables` must be a JSON object."),
    ({"query": "{ __typename }", "variables": 5}, "application/json", "`variables` must be a JSON object."),
    ({"query": "{ __typename }", "operationName": 5}, "application/json", "`operationName` must be a string."),
    ("query=%7B__typename%7D&variables=%5B1%5D", "application/x-www-form-urlencoded",
     "`variables` must be a JSON object."),
    (b"\xff{ __typename }", "application/graphql", "The request body is not valid UTF-8."),
    ('{"query": "{ __typename }", "variables": ' + "[" * 100_000 + "]" * 100_000 + "}", "application/json",
     "POST body sent invalid JSON: nested too deeply."),
], ids=["query-int", "query-list", "query-object", "variables-list", "variables-json-list", "variables-int",
        "operation-name-int", "form-variables-list", "graphql-body-not-utf8", "json-nested-too-deeply"])
def test_malformed_requests_are_400_not_server_errors(body, content_type, message):
    client = Client(raise_request_exception=False)
    data = json.dumps(body) if isinstance(body, dict) else body
    response = client.post("/graphql/api/", data=data, content_type=content_type)
    assert response.status_code == 400, response.content[:300]
    assert json.loads(response.content) == {"errors": [{"message": message, "extensions": {"code": errors.BAD_REQUEST}}]}


@pytest.mark.django_db
def test_variables_that_are_not_an_object_in_a_get_are_400():
    response = Client(raise_request_exception=False).get("/graphql/api/", {"query": "{ __typename }", "variables": "5"})
    assert response.status_code == 400
    assert json.loads(response.content)["errors"][0]["extensions"]["code"] == errors.BAD_REQUEST
    assert gql.run("{ __typename }", {}).ok() == {"__typename": "Query"}  # an empty object is fine


@pytest.mark.django_db
def test_a_value_the_schema_cannot_represent_is_a_server_error_not_the_callers(settings, caplog):
    """graphql-core reports "Enum 'Gender' cannot represent value" as a plain GraphQLError; it must
    not be labelled BAD_REQUEST (the contract run would take it for the client's fault)."""
    from experts.models import Expert

    settings.DEBUG = False
    expert = factories.make_expert()
    Expert.objects.filter(pk=expert.pk).update(gender="unknown")  # bypasses the model's choices
    result = gql.run("{ experts { edges { node { name gender } } } }")
    assert result.code == errors.INTERNAL, result
    assert "unknown" not in result.errors[0]["message"]  # hidden outside DEBUG
    assert result.errors[0]["path"] == ["experts", "edges", 0, "node", "gender"]
    assert result.data["experts"]["edges"][0]["node"] == {"name": expert.name, "gender": None}
    assert "Expert.gender: Enum 'Gender' cannot represent value: 'unknown'" in caplog.text
