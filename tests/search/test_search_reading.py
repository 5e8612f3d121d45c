"""The catalog search understands the words matching does (search.query.read_query, with the skill taxonomy
matching registers as a reader): how a query is read, and the classes of query it mends through every way in
(search.selectors.search_visible: REST GET /api/v1/search/ and the web catalog; GraphQL `search`).
Each backend's own ordering of a read query is specified in backend_behaviour.py (embedded and Elasticsearch).
"""
import pytest
from django.urls import reverse

from experts.models import Skill
from experts.taxonomy.loader import load_taxonomy
from search import sync
from search.query import EXPANSION_CREDIT, MAX_NEEDS, PART_CREDIT, read_query
from tests import factories
from tests.gql import run

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("index_dir")]

URL = "/api/v1/search/"


@pytest.fixture
def taxonomy():
    load_taxonomy()
    return {s.code: s for s in Skill.objects.all()}


# --- how a query is read ----------------------------------------------------------------------------------------

def test_the_users_own_words_weigh_one_and_what_they_stand_for_weighs_less(taxonomy):
    read = read_query("机封泄漏")

    assert read.weights["机封"] == read.weights["泄漏"] == 1.0
    stands_for = {t: w for t, w in read.weights.items() if t not in ("机封", "泄漏")}
    assert {"机械密封", "离心泵"} <= stands_for.keys()
    assert all(0 < w < 1.0 for w in stands_for.values())
    assert sum(stands_for.values()) <= 2.0  # together, below two of the user's words


def test_a_recognised_term_is_one_need_met_best_by_the_word_itself(taxonomy):
    (need,) = read_query("污水处理").needs

    assert need.credits["污水处理"] == 1.0
    assert need.credits["处理"] == PART_CREDIT  # a part of the word
    assert need.credits["废水处理"] == EXPANSION_CREDIT  # what it stands for


def test_words_of_asking_are_searched_but_are_not_needs(taxonomy):
    read = read_query("我们厂离心机振动怎么解决，想找专家")

    assert [need.text for need in read.needs] == ["离心机", "振动"]
    assert "解决" in read.weights


def test_each_word_of_a_query_without_taxonomy_terms_is_a_need():
    assert [need.text for need in read_query("丙烯腈 离心机").needs] == ["丙烯腈", "离心机"]


def test_needs_are_bounded():
    words = ["丙烯腈", "离心机", "换热器", "压缩机", "反应釜", "干燥机", "结晶器", "精馏塔", "储罐", "锅炉"]

    assert len(read_query(" ".join(words)).needs) == MAX_NEEDS


@pytest.mark.parametrize("hostile", ["", "   ", "，。！", '"(((', "\x00", "精馏" * 500, "a b c", "的 了 和"])
def test_any_text_is_read_without_error(taxonomy, hostile):
    read = read_query(hostile)

    assert all(need.credits for need in read.needs)
    assert all(token in read.weights for need in read.needs for token in need.credits)


# --- the classes of query it mends, through every way in ---------------------------------------------------------

@pytest.fixture
def seal_leak_world(taxonomy):
    """Seal experts who write as experts do (the skill, never the plant's 机封泄漏), and more profiles that say
    泄漏 in another trade (leak detection of volatile organics) again and again."""
    seals = [factories.make_expert(name=f"密封{n}号", bio="负责本专业设备的检修和技术改造。",
                                   skills=[taxonomy["pumps-seals"]]) for n in range(10)]
    for n in range(10):
        factories.make_expert(name=f"废气{n}号", bio="LDAR泄漏检测与修复，泄漏点消缺。", skill_tags=["LDAR泄漏检测与修复"],
                              skills=[taxonomy["vocs"]])
    sync.rebuild()
    return seals


def test_rest_plain_words_for_a_seal_leak_find_the_seal_experts_first(client_for, seal_leak_world):
    body = client_for().get(URL, {"q": "机封泄漏", "page_size": 10}).json()

    assert {hit["id"] for hit in body["results"]} == {e.pk for e in seal_leak_world}


def test_graphql_plain_words_for_a_seal_leak_find_the_seal_experts_first(seal_leak_world):
    data = run(SEARCH, {"q": "机封泄漏", "first": 10}).ok()["search"]

    assert {edge["node"]["expert"]["name"] for edge in data["edges"]} == {e.name for e in seal_leak_world}


def test_the_web_catalog_finds_the_seal_experts_for_a_seal_leak(web_client, seal_leak_world):
    response = web_client.get(reverse("web:experts"), {"q": "机封泄漏"})

    assert {e.pk for e in response.context["result"].page[:10]} == {e.pk for e in seal_leak_world}


@pytest.fixture
def two_needs_world(taxonomy):
    """One expert who treats wastewater and names COD; more who say wastewater again and again, or COD."""
    both = factories.make_expert(name="甲工", bio="污水处理站改造，出水COD稳定达标。")
    for n in range(3):
        factories.make_expert(name=f"乙工{n}", bio="污水处理，污水处理站运行，污水处理药剂。",
                              skills=[taxonomy["wastewater"]])
        factories.make_expert(name=f"丙工{n}", bio="化验室COD测定，COD快速检测，COD仪校准。")
    sync.rebuild()
    return both


def test_rest_a_two_need_query_ranks_the_full_match_first_and_highlights_latin_words(client_for, two_needs_world):
    body = client_for().get(URL, {"q": "污水处理 COD"}).json()

    first, second = body["results"][:2]
    assert first["id"] == two_needs_world.pk and first["score"] > second["score"]
    assert "<em>COD</em>" in first["highlights"]["bio"]
    assert "<em>污水处理</em>" in first["highlights"]["bio"]


def test_graphql_a_two_need_query_ranks_the_full_match_first_and_highlights_latin_words(two_needs_world):
    edges = run(SEARCH, {"q": "污水处理 COD"}).ok()["search"]["edges"]

    assert edges[0]["node"]["expert"]["name"] == "甲工"
    assert edges[0]["node"]["score"] > edges[1]["node"]["score"]
    snippets = {h["field"]: h["snippet"] for h in edges[0]["node"]["highlights"]}
    assert "<em>COD</em>" in snippets["bio"]


def test_the_web_catalog_ranks_the_full_match_first_and_highlights_latin_words(web_client, two_needs_world):
    response = web_client.get(reverse("web:experts"), {"q": "污水处理 COD"})

    assert response.context["result"].page[0].pk == two_needs_world.pk
    assert "出水<em>COD</em>稳定达标" in response.content.decode()


SEARCH = """
query($q: String!, $first: Int) {
  search(query: $q, types: [EXPERT], first: $first) {
    edges { node { score highlights { field snippet } expert { name } } }
  }
}
"""


@pytest.fixture
def web_client(client):
    return client
