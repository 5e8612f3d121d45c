"""GraphQL `search(query, types, filters, first, after)`: the same hits and rules as REST."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from enterprises.models import Challenge
from jianglian.choices import Honour, Province
from search import sync
from tests import factories
from tests.gql import run

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("index_dir")]

SEARCH = """
query($q: String!, $types: [SearchType!], $filters: SearchFilters, $first: Int, $after: String) {
  search(query: $q, types: $types, filters: $filters, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    facets { type field values { value count } }
    edges { cursor node { type score highlights { field snippet }
      expert { name phone email studio { name } }
      studio { name }
      challenge { title status } } }
  }
}
"""


@pytest.fixture
def indexed():
    wang = factories.make_expert(name="王建国", bio="主持精馏塔节能改造。", honours=[Honour.GREAT_CRAFTSMAN],
                                 phone="13811112222", email="wang@example.com")
    li = factories.make_expert(name="李明", bio="精馏操作培训。", province=Province.JIANGSU, city="南京")
    studio = factories.make_studio(name="精馏创新工作室")
    public = factories.make_challenge(title="精馏塔液泛", status=Challenge.Status.OPEN)
    factories.make_challenge(title="精馏塔草稿", status=Challenge.Status.DRAFT)
    sync.rebuild()
    return {"wang": wang, "li": li, "studio": studio, "public": public}


def test_experts_are_found_with_highlights_and_without_private_fields(indexed):
    data = run(SEARCH, {"q": "精馏塔"}).ok()["search"]

    assert data["totalCount"] == 2
    first = data["edges"][0]["node"]
    assert first["type"] == "EXPERT" and first["expert"]["name"] == "王建国"
    assert first["expert"]["phone"] is None and first["expert"]["email"] is None
    assert {"field": "bio", "snippet": "主持<em>精馏塔</em>节能改造。"} in first["highlights"]
    province = next(f for f in data["facets"] if f["field"] == "province")
    assert {"value": "sichuan", "count": 1} in province["values"]


def test_the_secretariat_sees_contact_details_through_the_expert_type(indexed, secretariat):
    node = run(SEARCH, {"q": "王建国"}, user=secretariat).ok()["search"]["edges"][0]["node"]

    assert node["expert"]["phone"] == "13811112222"


def test_several_types_are_searched_at_once_and_drafts_never_appear(indexed):
    data = run(SEARCH, {"q": "精馏 草稿", "types": ["EXPERT", "STUDIO", "CHALLENGE"], "first": 50}).ok()["search"]

    kinds = sorted(edge["node"]["type"] for edge in data["edges"])
    assert kinds == ["CHALLENGE", "EXPERT", "EXPERT", "STUDIO"]
    titles = [e["node"]["challenge"]["title"] for e in data["edges"] if e["node"]["challenge"]]
    assert titles == ["精馏塔液泛"]


def test_filters_narrow_the_hits(indexed):
    data = run(SEARCH, {"q": "精馏", "filters": {"province": ["jiangsu"]}}).ok()["search"]

    assert [e["node"]["expert"]["name"] for e in data["edges"]] == ["李明"]


def test_cursors_page_through_the_hits(indexed):
    first_page = run(SEARCH, {"q": "精馏", "first": 1}).ok()["search"]
    second_page = run(SEARCH, {"q": "精馏", "first": 1, "after": first_page["pageInfo"]["endCursor"]}).ok()["search"]

    assert first_page["pageInfo"]["hasNextPage"] is True
    assert second_page["pageInfo"]["hasNextPage"] is False
    names = [p["edges"][0]["node"]["expert"]["name"] for p in (first_page, second_page)]
    assert sorted(names) == ["李明", "王建国"]


def test_first_is_capped_and_bad_cursors_are_refused(indexed):
    assert len(run(SEARCH, {"q": "", "first": 1000000}).ok()["search"]["edges"]) == 2
    assert run(SEARCH, {"q": "精馏", "after": "not-a-cursor"}).code == "BAD_USER_INPUT"


@pytest.mark.parametrize("q", ['"', "(((", "a:b", "*", "AND OR"])
def test_any_query_text_answers(indexed, q):
    run(SEARCH, {"q": q}).ok()


NESTED = """
query($q: String!, $types: [SearchType!], $first: Int) {
  search(query: $q, types: $types, first: $first) {
    edges { node {
      expert { name studio { name } skills { name } honours { honour year } outreachHistory { role event { title } } }
      studio { name lead { name } skills { name } } } }
  }
}
"""


@pytest.mark.parametrize("query, types", [(SEARCH, ["EXPERT"]), (NESTED, ["EXPERT"]), (NESTED, ["STUDIO"])],
                         ids=["flat", "nested-experts", "nested-studios"])
def test_the_number_of_queries_does_not_grow_with_the_hits(indexed, query, types):
    skills = [factories.make_skill(), factories.make_skill()]
    for n in range(6):
        factories.make_expert(name=f"精馏专家{n}", bio="精馏", skills=skills, honours=[Honour.GREAT_CRAFTSMAN],
                              studio=indexed["studio"])
        factories.make_studio(name=f"精馏工作室{n}", lead=indexed["li"], skills=skills)
    sync.rebuild()

    def count(first):
        with CaptureQueriesContext(connection) as queries:
            run(query, {"q": "精馏", "types": types, "first": first}).ok()
        return len(queries)

    assert count(14) == count(2)
