"""GraphQL endpoint security: CSRF and token handling, document limits, introspection, suggestions,
batching, list caps, error codes, and the exported SDL."""
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from graphql import print_schema

from enterprises.models import Enterprise
from experts.models import Skill
from jianglian.schema import schema
from tests import factories
from tests.gql import gid, run, token_for

pytestmark = pytest.mark.django_db

VERIFY = 'mutation { verifyEnterprise(id: "%s") { enterprise { verified } } }'


@pytest.fixture
def unverified():
    return factories.make_enterprise(verified=False)


def session_client(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


# --- CSRF and authentication ---------------------------------------------------------------------

def test_a_form_encoded_mutation_without_csrf_token_changes_nothing(secretariat, unverified):
    client = session_client(secretariat)
    response = client.post("/graphql/", {"query": VERIFY % gid("Enterprise", unverified)})
    assert response.status_code == 403
    assert Enterprise.objects.get(pk=unverified.pk).verified is False


def test_a_json_mutation_without_csrf_token_changes_nothing(secretariat, unverified):
    client = session_client(secretariat)
    response = client.post("/graphql/", json.dumps({"query": VERIFY % gid("Enterprise", unverified)}),
                           content_type="application/json")
    assert response.status_code == 403
    assert Enterprise.objects.get(pk=unverified.pk).verified is False


def test_the_console_works_for_the_secretariat_with_its_csrf_token(secretariat, unverified):
    client = session_client(secretariat)
    page = client.get("/graphql/", HTTP_ACCEPT="text/html")
    assert page.status_code == 200 and b"graphiql" in page.content.lower()
    token = client.cookies["csrftoken"].value
    response = client.post("/graphql/", json.dumps({"query": VERIFY % gid("Enterprise", unverified)}),
                           content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200, response.content
    assert json.loads(response.content)["data"]["verifyEnterprise"]["enterprise"]["verified"] is True
    schema_query = client.post("/graphql/", json.dumps({"query": "{ __schema { queryType { name } } }"}),
                               content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert json.loads(schema_query.content)["data"]["__schema"]["queryType"]["name"] == "Query"


def test_the_token_endpoint_ignores_session_cookies(secretariat, unverified):
    client = Client()  # CSRF is not checked here: the endpoint is exempt because it ignores the session
    client.force_login(secretariat)
    result = run(VERIFY % gid("Enterprise", unverified), client=client)
    assert result.code == "UNAUTHENTICATED"
    assert Enterprise.objects.get(pk=unverified.pk).verified is False


def test_the_token_endpoint_acts_for_the_token_user(secretariat, unverified):
    result = run(VERIFY % gid("Enterprise", unverified), user=secretariat)
    assert result.ok()["verifyEnterprise"]["enterprise"]["verified"] is True


def test_an_invalid_token_is_unauthenticated():
    response = Client().post("/graphql/api/", json.dumps({"query": "{ __typename }"}),
                             content_type="application/json", HTTP_AUTHORIZATION="Token not-a-real-token")
    assert response.status_code == 401
    assert json.loads(response.content)["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_mutations_over_get_are_refused(secretariat, unverified):
    response = Client().get("/graphql/api/", {"query": VERIFY % gid("Enterprise", unverified)},
                            HTTP_AUTHORIZATION=f"Token {token_for(secretariat)}")
    assert response.status_code == 405
    assert Enterprise.objects.get(pk=unverified.pk).verified is False


def test_the_token_endpoint_has_no_console():
    response = Client().get("/graphql/api/", HTTP_ACCEPT="text/html")
    assert b"graphiql" not in response.content.lower()


# --- limits, checked before execution --------------------------------------------------------------

def run_counting(query, **kwargs):
    """(result, SQL run) — the only SQL allowed before execution is authentication and the role check."""
    with CaptureQueriesContext(connection) as ctx:
        result = run(query, **kwargs)
    domain_tables = ("experts_", "alliance_", "enterprises_", "matching_")
    touched = [q["sql"] for q in ctx.captured_queries if any(t in q["sql"] for t in domain_tables)]
    return result, touched


def test_a_too_deep_query_is_refused_before_execution():
    factories.make_studio(lead=factories.make_expert())
    nested = "name"
    for _ in range(5):
        nested = f"lead {{ studio {{ {nested} }} }}"
    query = "{ studios { edges { node { %s } } } }" % nested
    result, touched = run_counting(query)
    assert result.status_code == 400 and result.code == "GRAPHQL_VALIDATION_FAILED"
    assert result.errors[0]["extensions"]["reason"] == "max_depth"
    assert touched == []


def test_a_query_at_the_depth_limit_runs():
    query = "{ studios { edges { node { lead { studio { lead { studio { lead { studio { name } } } } } } } } } }"
    assert run(query).errors == []


def test_too_many_aliases_are_refused_before_execution():
    aliases = " ".join(f"a{i}: skills {{ totalCount }}" for i in range(settings.GRAPHQL_MAX_ALIASES + 1))
    result, touched = run_counting("{ %s }" % aliases)
    assert result.code == "GRAPHQL_VALIDATION_FAILED" and result.errors[0]["extensions"]["reason"] == "max_aliases"
    assert touched == []


def test_hundreds_of_aliases_hidden_in_fragments_are_counted():
    fragment = "fragment F on Query { %s }" % " ".join(f"x{i}: __typename y{i}: skills {{ totalCount }}"
                                                       for i in range(10))
    query = "{ ...F ...F ...F ...F } " + fragment
    result, touched = run_counting(query)
    assert "max_aliases" in [e["extensions"].get("reason") for e in result.errors]
    assert touched == []


def test_a_costly_fragment_bomb_is_refused_before_execution():
    fragments = ["fragment F0 on Query { skills { edges { node { code name } } } }"]
    for i in range(1, 15):
        fragments.append(f"fragment F{i} on Query {{ ...F{i - 1} ...F{i - 1} }}")
    result, touched = run_counting("{ ...F14 } " + " ".join(fragments))
    assert result.code == "COST_LIMIT_EXCEEDED" and result.errors[0]["extensions"]["reason"] == "max_cost"
    assert touched == []


def test_a_huge_document_is_refused_at_parse_time():
    query = "{ " + "__typename " * (settings.GRAPHQL_MAX_TOKENS + 10) + "}"
    result, touched = run_counting(query)
    assert result.status_code == 400 and result.code == "GRAPHQL_PARSE_FAILED"
    assert "tokens" in result.errors[0]["message"]
    assert touched == []


def test_a_syntax_error_has_a_code():
    assert run("{ skills { ").code == "GRAPHQL_PARSE_FAILED"


def test_batched_operations_are_refused():
    body = json.dumps([{"query": "{ __typename }"}, {"query": "{ __typename }"}])
    response = Client().post("/graphql/api/", body, content_type="application/json")
    assert response.status_code == 400
    assert "data" not in json.loads(response.content)


def test_first_is_capped_at_the_configured_maximum():
    Skill.objects.bulk_create([Skill(code=f"s{i}", name=f"技能{i}") for i in range(105)])
    cap = settings.GRAPHENE["RELAY_CONNECTION_MAX_LIMIT"]
    for args in ("first: 1000000", "last: 1000000", ""):
        query = "{ skills%s { totalCount edges { node { code } } } }" % (f"({args})" if args else "")
        data = run(query).ok()
        assert data["skills"]["totalCount"] == 105
        assert len(data["skills"]["edges"]) == cap


def test_negative_page_sizes_are_bad_input():
    result = run("{ skills(first: -1) { totalCount } }")
    assert result.code == "BAD_USER_INPUT" and "first" in result.errors[0]["extensions"]["fields"]


# --- introspection and suggestions ------------------------------------------------------------------

@pytest.mark.parametrize("query", ["{ __schema { types { name } } }", '{ __type(name: "Expert") { name } }'])
def test_introspection_is_refused_to_anonymous_and_non_secretariat(enterprise_user, expert_user, query):
    for user in (None, enterprise_user[0], expert_user[0]):
        result = run(query, user=user)
        assert result.status_code == 400
        assert set(result.codes) == {"GRAPHQL_VALIDATION_FAILED"}
        assert "data" not in result.body or result.data is None


def test_typename_works_for_everyone():
    assert run("{ __typename }").ok() == {"__typename": "Query"}
    factories.make_skill()
    data = run("{ skills { edges { node { __typename } } } }").ok()
    assert data["skills"]["edges"][0]["node"]["__typename"] == "Skill"


def test_the_secretariat_may_introspect(secretariat):
    data = run("{ __schema { queryType { name } mutationType { name } } }", user=secretariat).ok()
    assert data["__schema"] == {"queryType": {"name": "Query"}, "mutationType": {"name": "Mutation"}}


def test_no_field_suggestions_for_non_staff(enterprise_user):
    for user in (None, enterprise_user[0]):
        result = run("{ challengs { totalCount } }", user=user)
        assert result.code == "GRAPHQL_VALIDATION_FAILED"
        message = result.errors[0]["message"]
        assert "challengs" in message and "Did you mean" not in message
    arg = run('{ skills(categry: GREEN) { totalCount } }')
    assert all("Did you mean" not in e["message"] for e in arg.errors)


def test_the_secretariat_gets_suggestions(secretariat):
    result = run("{ challengs { totalCount } }", user=secretariat)
    assert "Did you mean" in result.errors[0]["message"]


def test_every_error_has_a_code(enterprise_user):
    queries = ["{ nope }", "{", '{ node(id: "x") { id } }', "mutation { publishChallenge(id: \"x\") { challenge { id } } }"]
    for query in queries:
        result = run(query, user=enterprise_user[0])
        assert result.errors and all(result.codes), result


# --- the exported schema -------------------------------------------------------------------------

def test_the_committed_sdl_is_the_current_schema():
    """Regenerate with: python manage.py export_schemas (docs/schema.graphql and docs/openapi.json)"""
    committed = (Path(settings.BASE_DIR) / "docs" / "schema.graphql").read_text(encoding="utf-8")
    assert committed == print_schema(schema.graphql_schema)


def test_graphiqls_full_introspection_query_passes_the_limits_for_the_secretariat(secretariat):
    from graphql import get_introspection_query

    data = run(get_introspection_query(descriptions=True), user=secretariat).ok()
    names = {t["name"] for t in data["__schema"]["types"]}
    assert {"Challenge", "Expert", "Studio", "Enterprise", "MembershipApplication"} <= names


def test_a_fragment_cycle_is_a_validation_error_not_a_crash():
    # graphene's own depth_limit_validator recurses forever here (RecursionError → 500)
    result = run("{ ...A } fragment A on Query { ...A }")
    assert result.status_code == 400 and set(result.codes) == {"GRAPHQL_VALIDATION_FAILED"}


def test_unexpected_exceptions_are_internal_and_hide_their_message(settings):
    from graphql import GraphQLError

    from jianglian.graphql.errors import format_error

    settings.DEBUG = False
    error = GraphQLError("db password is hunter2", path=["x"], original_error=RuntimeError("db password is hunter2"))
    formatted = format_error(error)
    assert formatted["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert "hunter2" not in formatted["message"]
