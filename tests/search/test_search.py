"""Full-text search through the APIs (search.selectors.search_visible, REST GET /api/v1/search/, GraphQL
`search(query, types, filters, first, after)`): what anyone may find, the same hits and rules in both, and
the error shape of each when something is wrong. The engine (text pipeline, backends, sync) is specified in
the other test_search_* modules.
"""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from graphql_relay import cursor_to_offset

from enterprises.models import Challenge
from experts.models import Expert
from jianglian.choices import Honour, Province
from search import sync
from tests import factories
from tests.gql import run

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("index_dir")]

URL = "/api/v1/search/"


@pytest.fixture
def indexed():
    distillation = factories.make_skill(code="distillation-x", name="精馏节能")
    wang = factories.make_expert(name="王建国", bio="主持精馏塔节能改造。", skills=[distillation],
                                 honours=[Honour.GREAT_CRAFTSMAN], phone="13811112222", email="wang@example.com")
    li = factories.make_expert(name="李明", bio="精馏操作培训。", province=Province.JIANGSU, city="南京")
    studio = factories.make_studio(name="精馏创新工作室")
    enterprise_user, enterprise = factories.make_enterprise_user()
    public = factories.make_challenge(enterprise=enterprise, title="精馏塔液泛", status=Challenge.Status.OPEN)
    draft = factories.make_challenge(enterprise=enterprise, title="精馏塔草稿", status=Challenge.Status.DRAFT)
    sync.rebuild()
    return {"wang": wang, "li": li, "studio": studio, "public": public, "draft": draft,
            "enterprise_user": enterprise_user}


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
def indexed_for_graphql():
    wang = factories.make_expert(name="王建国", bio="主持精馏塔节能改造。", honours=[Honour.GREAT_CRAFTSMAN],
                                 phone="13811112222", email="wang@example.com")
    li = factories.make_expert(name="李明", bio="精馏操作培训。", province=Province.JIANGSU, city="南京")
    studio = factories.make_studio(name="精馏创新工作室")
    public = factories.make_challenge(title="精馏塔液泛", status=Challenge.Status.OPEN)
    factories.make_challenge(title="精馏塔草稿", status=Challenge.Status.DRAFT)
    sync.rebuild()
    return {"wang": wang, "li": li, "studio": studio, "public": public}


# --- finding experts, studios and public challenges, with highlights and facets ------------------------------

def test_experts_are_found_with_highlights_and_facets(client_for, indexed):
    response = client_for().get(URL, {"q": "精馏塔"})

    assert response.status_code == 200
    body = response.json()
    assert body["type"] == "expert" and body["count"] == 2
    first = body["results"][0]
    assert first["id"] == indexed["wang"].pk
    assert first["object"]["name"] == "王建国"
    assert "<em>精馏塔</em>" in first["highlights"]["bio"]
    assert {"value": "sichuan", "count": 1} in body["facets"]["province"]


def test_studios_and_challenges_are_searched_by_type(client_for, indexed):
    studios = client_for().get(URL, {"q": "精馏", "type": "studio"}).json()
    challenges = client_for().get(URL, {"q": "精馏塔", "type": "challenge"}).json()

    assert [r["id"] for r in studios["results"]] == [indexed["studio"].pk]
    assert [r["id"] for r in challenges["results"]] == [indexed["public"].pk]


def test_experts_are_found_with_highlights_and_without_private_fields(indexed_for_graphql):
    data = run(SEARCH, {"q": "精馏塔"}).ok()["search"]

    assert data["totalCount"] == 2
    first = data["edges"][0]["node"]
    assert first["type"] == "EXPERT" and first["expert"]["name"] == "王建国"
    assert first["expert"]["phone"] is None and first["expert"]["email"] is None
    assert {"field": "bio", "snippet": "主持<em>精馏塔</em>节能改造。"} in first["highlights"]
    province = next(f for f in data["facets"] if f["field"] == "province")
    assert {"value": "sichuan", "count": 1} in province["values"]


def test_several_types_are_searched_at_once_and_drafts_never_appear(indexed_for_graphql):
    data = run(SEARCH, {"q": "精馏 草稿", "types": ["EXPERT", "STUDIO", "CHALLENGE"], "first": 50}).ok()["search"]

    kinds = sorted(edge["node"]["type"] for edge in data["edges"])
    assert kinds == ["CHALLENGE", "EXPERT", "EXPERT", "STUDIO"]
    titles = [e["node"]["challenge"]["title"] for e in data["edges"] if e["node"]["challenge"]]
    assert titles == ["精馏塔液泛"]


def test_filters_narrow_the_results(client_for, indexed):
    body = client_for().get(URL, {"q": "精馏", "province": "jiangsu"}).json()
    by_honour = client_for().get(URL, {"q": "精馏", "honour": Honour.GREAT_CRAFTSMAN}).json()
    both_cities = client_for().get(URL, {"city": "成都,南京"}).json()

    assert [r["id"] for r in body["results"]] == [indexed["li"].pk]
    assert [r["id"] for r in by_honour["results"]] == [indexed["wang"].pk]
    assert both_cities["count"] == 2


def test_filters_narrow_the_hits(indexed_for_graphql):
    data = run(SEARCH, {"q": "精馏", "filters": {"province": ["jiangsu"]}}).ok()["search"]

    assert [e["node"]["expert"]["name"] for e in data["edges"]] == ["李明"]


# --- nothing a list would not show: no contact detail in a hit, never a draft --------------------------------

def test_no_contact_detail_is_in_any_hit_whoever_asks(client_for, indexed, secretariat):
    for user in (None, secretariat, indexed["enterprise_user"]):
        raw = client_for(user).get(URL, {"q": "王建国"}).content.decode()

        assert "13811112222" not in raw and "wang@example.com" not in raw
        assert "phone" not in raw and "email" not in raw


def test_the_secretariat_sees_contact_details_through_the_expert_type(indexed_for_graphql, secretariat):
    node = run(SEARCH, {"q": "王建国"}, user=secretariat).ok()["search"]["edges"][0]["node"]

    assert node["expert"]["phone"] == "13811112222"


@pytest.mark.parametrize("who", ["anonymous", "owner", "secretariat"])
def test_a_draft_challenge_is_never_found_even_by_its_own_enterprise(client_for, indexed, secretariat, who):
    user = {"anonymous": None, "owner": indexed["enterprise_user"], "secretariat": secretariat}[who]

    body = client_for(user).get(URL, {"q": "草稿", "type": "challenge", "status": "draft"}).json()

    assert body["count"] == 0 and body["results"] == []


# --- pages and cursors ---------------------------------------------------------------------------------------

def test_pages_are_capped(client_for, indexed):
    assert client_for().get(URL, {"page_size": 1000000}).status_code == 400
    body = client_for().get(URL, {"q": "精馏", "page_size": 1, "page": 2}).json()
    assert len(body["results"]) == 1 and body["page"] == 2


def test_cursors_page_through_the_hits(indexed_for_graphql):
    first_page = run(SEARCH, {"q": "精馏", "first": 1}).ok()["search"]
    second_page = run(SEARCH, {"q": "精馏", "first": 1, "after": first_page["pageInfo"]["endCursor"]}).ok()["search"]

    assert first_page["pageInfo"]["hasNextPage"] is True
    assert second_page["pageInfo"]["hasNextPage"] is False
    names = [p["edges"][0]["node"]["expert"]["name"] for p in (first_page, second_page)]
    assert sorted(names) == ["李明", "王建国"]


def walk(types, first=1, limit=10):
    """Every hit, page after page through endCursor, and the number of pages it took."""
    seen, after = [], None
    for pages in range(1, limit + 1):
        page = run(SEARCH, {"q": "精馏", "types": types, "first": first, "after": after}).ok()["search"]
        seen += [(edge["node"]["type"], edge["cursor"]) for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            return seen, pages
        after = page["pageInfo"]["endCursor"]
    raise AssertionError("the pages never end")


def test_cursors_page_through_hits_of_several_types_as_one_page_shows_them(indexed_for_graphql):
    types = ["EXPERT", "STUDIO", "CHALLENGE"]
    one_page = run(SEARCH, {"q": "精馏", "types": types, "first": 20}).ok()["search"]

    seen, pages = walk(types)

    assert seen == [(edge["node"]["type"], edge["cursor"]) for edge in one_page["edges"]]
    assert pages == one_page["totalCount"] == 4
    assert [cursor_to_offset(cursor) for _type, cursor in seen] == [0, 1, 2, 3]  # graphql-relay's offset cursors


def test_a_hit_whose_row_is_gone_leaves_a_gap_not_a_shift(indexed_for_graphql):
    Expert.objects.filter(pk=indexed_for_graphql["wang"].pk).delete()  # the index is a step behind (no commit here)

    seen, pages = walk(["EXPERT"])

    assert len(seen) == 1 and pages == 2  # one page is empty or holds the one left, and the pages end


def test_first_is_capped_and_bad_cursors_are_refused(indexed_for_graphql):
    assert len(run(SEARCH, {"q": "", "first": 1000000}).ok()["search"]["edges"]) == 2
    assert run(SEARCH, {"q": "精馏", "after": "not-a-cursor"}).code == "BAD_USER_INPUT"


# --- bad input and an unavailable backend --------------------------------------------------------------------

@pytest.mark.parametrize("params", [{"type": "user"}, {"page": 0}, {"q": "x" * 201}, {"phone": "138"}])
def test_bad_parameters_answer_400_in_the_error_shape(client_for, indexed, params):
    response = client_for().get(URL, params)

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


@pytest.mark.parametrize("q", ['"', "(((", "a:b", "*", "\\", "精馏 AND OR NOT", "<script>alert(1)</script>"])
def test_any_query_text_answers_200(client_for, indexed, q):
    response = client_for().get(URL, {"q": q})

    assert response.status_code == 200
    assert "<script>" not in response.content.decode()


@pytest.mark.parametrize("q", ['"', "(((", "a:b", "*", "AND OR"])
def test_any_query_text_answers(indexed_for_graphql, q):
    run(SEARCH, {"q": q}).ok()


@pytest.mark.parametrize("failure", ["unreachable_elasticsearch", "unreadable_embedded_index"])
def test_an_unavailable_backend_answers_503_not_500(client_for, settings, tmp_path, failure):
    from search.backends import reset_backends

    if failure == "unreachable_elasticsearch":  # a loopback port that refuses, and no embedded index kept
        settings.SEARCH_BACKEND, settings.ELASTICSEARCH_URL = "elasticsearch", "http://127.0.0.1:9"
        settings.SEARCH_KEEP_EMBEDDED = False
    else:  # the index directory is a file
        (tmp_path / "not-a-directory").write_text("")
        settings.SEARCH_BACKEND, settings.SEARCH_INDEX_DIR = "embedded", tmp_path / "not-a-directory"
    reset_backends()
    try:
        response = client_for().get(URL, {"q": "精馏"})
    finally:
        reset_backends()

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.json()["code"] == "search_unavailable"


# --- a fixed number of queries whatever the hits -------------------------------------------------------------

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
def test_the_number_of_queries_does_not_grow_with_the_hits(indexed_for_graphql, query, types):
    skills = [factories.make_skill(), factories.make_skill()]
    for n in range(6):
        factories.make_expert(name=f"精馏专家{n}", bio="精馏", skills=skills, honours=[Honour.GREAT_CRAFTSMAN],
                              studio=indexed_for_graphql["studio"])
        factories.make_studio(name=f"精馏工作室{n}", lead=indexed_for_graphql["li"], skills=skills)
    sync.rebuild()

    def count(first):
        with CaptureQueriesContext(connection) as queries:
            run(query, {"q": "精馏", "types": types, "first": first}).ok()
        return len(queries)

    count(1)  # warm-up: the first read of a query loads the skill taxonomy (search.query readers), once
    assert count(14) == count(2)
