"""GraphQL cost (issue 14 §6): list sizes multiply through the selection, a query over the caller's budget is
refused before execution (COST_LIMIT_EXCEEDED), anonymous callers have a lower budget, an answer over the size
cap is replaced by RESPONSE_TOO_LARGE; the operations the site itself offers pass."""
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from graphql import get_introspection_query, parse, validate

from frontend_stub.graphql_examples import EXAMPLE_OPERATIONS
from jianglian.graphql.limits import query_cost
from jianglian.graphql.views import validation_rules_for
from jianglian.schema import schema
from tests import factories
from tests.gql import run

from .test_graphql_security import run_counting

pytestmark = pytest.mark.django_db

# The audit's query: 30 aliases × studios(first: 100) { members { studio { members } } }, anonymous.
AMPLIFIED = "{ %s }" % " ".join(
    f"s{i}: studios(first: 100) {{ edges {{ node {{ name members {{ name studio {{ name members {{ name bio }} }} }} }} }} }}"
    for i in range(30))


def cost(query, variables=None):
    return query_cost(schema.graphql_schema, parse(query), variables=variables)


def readme_graphql_queries():
    """The GraphQL documents of the README's curl examples (`"query": "…"`)."""
    readme = (Path(settings.BASE_DIR) / "README.md").read_text(encoding="utf-8")
    return [q.replace('\\"', '"') for q in re.findall(r'"query":\s*"((?:[^"\\]|\\.)*)"', readme)]


# --- how the cost is counted ------------------------------------------------------------------------

def test_each_field_costs_one_times_the_page_it_sits_in():
    # a connection's page is its edges: studios 1 + totalCount 1
    assert cost("{ studios(first: 3) { totalCount } }") == 1 + 1
    # studios 1 + (edges 1 + 3 × (node 1 + name 1))
    assert cost("{ studios(first: 3) { totalCount edges { node { name } } } }") == 1 + 1 + (1 + 3 * 2)
    # a paged list (challengeMatches: [Match!]!): each item, page times
    assert cost('{ challengeMatches(challenge: "x", first: 5) { rank score } }') == 1 + 5 * 2


def test_page_sizes_multiply_through_nested_lists():
    members = settings.GRAPHQL_LIST_SIZES["Studio.members"]
    skills = settings.GRAPHQL_LIST_SIZES["Expert.skills"]
    query = "{ studios(first: 2) { edges { node { members { name skills { name } } } } } }"
    assert cost(query) == 1 + (1 + 2 * (1 + (1 + members * (1 + (1 + skills * 1)))))


def test_without_first_the_argument_default_or_the_page_cap_counts_and_never_more():
    cap = settings.GRAPHENE["RELAY_CONNECTION_MAX_LIMIT"]
    assert cost("{ skills { edges { node { name } } } }") == 1 + 1 + cap * 2
    assert cost("{ skills(first: 1000000) { edges { node { name } } } }") == 1 + 1 + cap * 2
    assert cost('{ challengeMatches(challenge: "x") { rank } }') == 1 + 20  # the argument's default
    assert cost('query($n: Int) { challengeMatches(challenge: "x", first: $n) { rank } }') == 1 + 20
    assert cost('{ search(query: "x") { facets { field } edges { node { score } } } }') == \
        1 + (1 + settings.GRAPHQL_DEFAULT_LIST_SIZE) + (1 + 20 * 2)


def test_variables_and_fragments_keep_their_multipliers():
    by_literal = cost("{ studios(first: 7) { edges { node { name lead { name } } } } }")
    assert cost("query($n: Int) { studios(first: $n) { edges { node { name lead { name } } } } }", {"n": 7}) \
        == by_literal
    assert cost("query($n: Int = 7) { studios(first: $n) { edges { node { name lead { name } } } } }") \
        == by_literal
    assert cost("{ studios(first: 7) { edges { node { ...S } } } } fragment S on Studio { name lead { name } }") \
        == by_literal
    assert cost("{ studios(first: 7) { edges { node { ... on Studio { name lead { name } } } } } }") == by_literal


# --- refused before execution -----------------------------------------------------------------------

def test_the_audits_amplified_query_is_refused_before_execution(enterprise_user):
    factories.make_studio(lead=factories.make_expert())
    for user in (None, enterprise_user[0]):
        result, touched = run_counting(AMPLIFIED, user=user)
        assert result.status_code == 400 and result.code == "COST_LIMIT_EXCEEDED"
        extensions = result.errors[0]["extensions"]
        assert extensions["reason"] == "max_cost"
        assert extensions["cost"]["requested"] > 1_000_000
        assert extensions["cost"]["maximum"] == (settings.GRAPHQL_MAX_COST if user else
                                                 settings.GRAPHQL_MAX_COST_ANONYMOUS)
        assert "data" not in result.body or result.data is None
        assert touched == []


def test_one_alias_of_it_is_refused_too():
    one = "{ studios(first: 100) { edges { node { members { studio { members { name } } } } } } }"
    assert run(one).code == "COST_LIMIT_EXCEEDED"


def test_anonymous_callers_have_the_lower_budget(enterprise_user):
    # 1 + 1 + 100 × (1 + n) with n scalar fields: between the two budgets
    fields = " ".join(["name", "bio", "employer", "province", "city"] * 50)
    query = "{ experts(first: 100) { edges { node { %s } } } }" % fields
    assert settings.GRAPHQL_MAX_COST_ANONYMOUS < cost(query) <= settings.GRAPHQL_MAX_COST
    assert run(query).code == "COST_LIMIT_EXCEEDED"
    assert run(query, user=enterprise_user[0]).errors == []


def test_mutations_are_measured_too(enterprise_user):
    query = ('mutation { publishChallenge(id: "x") { challenge { matches(first: 100) { expert { skills { name } '
             'studio { members { name skills { name } outreachHistory { role } } } } } } } }')
    result, touched = run_counting(query, user=enterprise_user[0])
    assert "COST_LIMIT_EXCEEDED" in result.codes and touched == []


# --- the answer's size ------------------------------------------------------------------------------

def test_an_answer_over_the_size_cap_is_replaced_by_one_error(settings):
    for i in range(5):
        factories.make_skill(name=f"技能{i}", description="长" * 300)
    settings.GRAPHQL_MAX_RESPONSE_BYTES = 2000
    result = run("{ skills { edges { node { name description } } } }")
    assert result.status_code == 200 and result.code == "RESPONSE_TOO_LARGE"
    assert result.data is None
    assert result.errors[0]["extensions"]["maximum"] == 2000 and result.errors[0]["extensions"]["size"] > 2000
    settings.GRAPHQL_MAX_RESPONSE_BYTES = 100_000
    assert len(run("{ skills { edges { node { name description } } } }").ok()["skills"]["edges"]) == 5


# --- what the site itself asks -------------------------------------------------------------------------

@pytest.mark.parametrize("operation", EXAMPLE_OPERATIONS, ids=[op["title"].split(" / ")[-1] for op in EXAMPLE_OPERATIONS])
def test_the_consoles_saved_operations_pass_the_limits(secretariat, operation):
    variables = json.loads(operation.get("variables") or "{}")
    document = parse(operation["query"])
    assert validate(schema.graphql_schema, document, validation_rules_for(secretariat, variables)) == []
    assert cost(operation["query"], variables) <= settings.GRAPHQL_MAX_COST


def test_the_consoles_saved_queries_run_in_the_console(secretariat):
    client = Client()
    client.force_login(secretariat)
    for operation in EXAMPLE_OPERATIONS:
        if operation["query"].lstrip().startswith("query"):
            response = client.post("/graphql/", json.dumps({"query": operation["query"]}),
                                   content_type="application/json")
            body = json.loads(response.content)
            assert response.status_code == 200 and "errors" not in body, body


def test_graphiqls_introspection_costs_nothing(secretariat):
    assert cost(get_introspection_query(descriptions=True)) == 0
    assert run(get_introspection_query(descriptions=True), user=secretariat).errors == []


def test_the_readmes_queries_pass_anonymous_and_signed_in(enterprise_user):
    queries = [q for q in readme_graphql_queries() if not q.lstrip().startswith("mutation")]
    assert queries, "the README shows GraphQL queries"
    for query in queries:
        assert cost(query) <= settings.GRAPHQL_MAX_COST_ANONYMOUS, query
        for user in (None, enterprise_user[0]):
            assert "COST_LIMIT_EXCEEDED" not in run(query, user=user).codes
