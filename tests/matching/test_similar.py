"""Has this been solved before? (issue 11 §3): for a draft or open challenge, or the text typed on the posting
form, the most similar paired and resolved challenges, with their outcome (problems solved, yuan saved, rating)
and the expert (and studio) who solved them. Only what is public about a challenge comes out, never a draft or
private text; through the search backend (embedded here; Elasticsearch's bodies checked against its
specification). matching.similar; REST GET /api/v1/challenges/{id}/similar/ and /api/v1/challenges/similar/;
GraphQL Challenge.similar(first:) and similarChallenges(title:, description:, first:).
"""
from decimal import Decimal

import pytest

from enterprises.models import Challenge
from matching.similar import MAX_FIRST, similar_challenges, similar_to_text
from search import sync
from tests import factories
from tests.gql import gid, run

from .matching_world import taxonomy  # noqa: F401  (a fixture: the taxonomy and a fresh embedded index)

pytestmark = pytest.mark.usefixtures("taxonomy")

FERMENTER = dict(title="发酵罐夏季染菌率高",
                 description="每年夏季发酵罐染菌批次明显增多，怀疑空气过滤器和灭菌操作有问题，损失很大。")
PUBLIC_KEYS = {"id", "title", "category", "category_label", "status", "status_label", "province", "province_label", "city",
               "problems_solved", "savings_yuan", "rating", "expert", "studio", "score"}


@pytest.fixture
def solved(enterprise_user):
    """Four fermentation plants posted the same problem: one resolved it with a ¥1.2 M outcome, one is paired,
    one is still open, one is a draft (and one closed it); an unrelated distillation problem was resolved too.
    The poster (enterprise A, staff `user`) writes its own draft."""
    user, enterprise = enterprise_user
    studio = factories.make_studio(name="王建国发酵工艺创新工作室")
    wang = factories.make_expert(name="王建国", studio=studio)
    li = factories.make_expert(name="李红")
    resolved = factories.make_challenge(
        enterprise=factories.make_enterprise(name="鲁南制药", province="shandong", city="临沂"), status="resolved",
        title="发酵罐夏季染菌率居高不下", description="夏季发酵罐染菌率高达百分之八，空气过滤系统老化。内部备注：供应商纠纷。",
        category="technology")
    factories.make_pairing(challenge=resolved, expert=wang, status="completed", problems_solved=3,
                           savings_yuan=Decimal("1200000.00"), enterprise_rating=5,
                           outcome_summary="更换终端过滤器，优化灭菌曲线（内部资料）")
    paired = factories.make_challenge(enterprise=factories.make_enterprise(name="华北制药"), status="paired",
                                      title="发酵染菌频发", description="发酵罐染菌频发，夏季尤甚。", category="technology")
    factories.make_pairing(challenge=paired, expert=li, status="active")
    open_one = factories.make_challenge(status="open", title="发酵罐染菌怎么办", description="发酵罐染菌。")
    other_draft = factories.make_challenge(status="draft", title="发酵罐染菌草稿", description="发酵罐染菌。")
    closed = factories.make_challenge(status="closed", title="发酵罐染菌已关闭", description="发酵罐染菌。")
    unrelated = factories.make_challenge(status="resolved", title="精馏塔蒸汽单耗偏高", description="精馏塔能耗高。")
    factories.make_pairing(challenge=unrelated, expert=li, status="completed", problems_solved=1)
    mine = factories.make_challenge(enterprise=enterprise, status="draft", **FERMENTER)
    sync.rebuild(["challenge"])
    return user, mine, resolved, paired, (open_one, other_draft, closed, unrelated)


# --- the rule --------------------------------------------------------------------------------------------------

def test_a_draft_finds_the_resolved_and_paired_postings_of_the_same_problem_with_outcome_and_solver(solved):
    user, mine, resolved, paired, others = solved

    found = similar_challenges(user=user, challenge=mine)

    assert [s.challenge for s in found] == [resolved, paired]
    best = found[0]
    assert (best.problems_solved, best.savings_yuan, best.rating) == (3, Decimal("1200000.00"), 5)
    assert (best.expert.name, best.studio.name) == ("王建国", "王建国发酵工艺创新工作室")
    assert (found[1].expert.name, found[1].problems_solved, found[1].studio) == ("李红", None, None)


def test_open_drafts_closed_and_unrelated_challenges_never_come_out(solved):
    user, mine, resolved, paired, (open_one, other_draft, closed, unrelated) = solved
    found = {s.challenge for s in similar_to_text(user=user, title="发酵罐染菌", description="", first=MAX_FIRST)}
    assert found == {resolved, paired}


def test_a_challenge_the_index_still_holds_but_no_longer_public_is_left_out(solved):
    user, mine, resolved, paired, others = solved
    Challenge.objects.filter(pk=paired.pk).update(status="closed")  # no sync: the index is a step behind

    assert [s.challenge for s in similar_challenges(user=user, challenge=mine)] == [resolved]


def test_a_resolved_challenge_without_a_pairing_on_record_still_comes_out_without_a_solver(solved,
                                                                                          django_assert_num_queries):
    user, mine, resolved, paired, others = solved
    paired.pairings.all().delete()  # e.g. resolved offline and recorded by the secretariat

    with django_assert_num_queries(4):  # secretariat?, own enterprises, the pairings, the challenge that has none
        found = similar_challenges(user=user, challenge=mine)

    assert [s.challenge for s in found] == [resolved, paired]
    assert (found[1].expert, found[1].studio, found[1].problems_solved, found[1].rating) == (None, None, None, None)
    assert found[1].challenge.enterprise.name == "华北制药"


def test_the_typed_text_finds_them_too_and_nothing_for_an_empty_text(solved):
    user, mine, resolved, paired, others = solved
    assert [s.challenge for s in similar_to_text(user=user, **FERMENTER)][:2] == [resolved, paired]
    assert similar_to_text(user=user, title="", description="") == []
    assert [s.challenge for s in similar_to_text(user=user, **FERMENTER, first=1)] == [resolved]


def test_an_open_challenge_does_not_find_itself(solved):
    user, mine, resolved, paired, others = solved
    found = similar_challenges(user=user, challenge=resolved)
    assert resolved not in [s.challenge for s in found] and found[0].challenge == paired


# --- REST ---------------------------------------------------------------------------------------------------------

def test_rest_gives_public_facts_outcome_and_solver_only(solved, token_client_for, django_assert_num_queries):
    user, mine, resolved, paired, others = solved
    client = token_client_for(user)
    client.get(f"/api/v1/challenges/{mine.pk}/similar/")
    # token+user, secretariat?, own enterprises, the challenge, the similar ones' pairings (+challenge, solver)
    with django_assert_num_queries(5):
        response = client.get(f"/api/v1/challenges/{mine.pk}/similar/")

    assert response.status_code == 200
    rows = response.json()
    assert [r["id"] for r in rows] == [resolved.pk, paired.pk]
    assert all(set(r) == PUBLIC_KEYS for r in rows)
    assert rows[0] | {"score": None} == {
        "id": resolved.pk, "title": "发酵罐夏季染菌率居高不下", "category": "technology", "category_label": "科技创新",
        "status": "resolved", "status_label": "已解决", "province": "shandong", "province_label": "山东", "city": "临沂",
        "problems_solved": 3,
        "savings_yuan": "1200000.00", "rating": 5, "expert": {"id": resolved.pairings.get().expert_id, "name": "王建国"},
        "studio": {"id": resolved.pairings.get().expert.studio_id, "name": "王建国发酵工艺创新工作室"}, "score": None}
    text = response.content.decode()
    assert "内部" not in text and "空气过滤系统老化" not in text  # no description, no outcome summary


def test_rest_a_draft_is_its_enterprises_alone(solved, token_client_for, other_enterprise_user):
    user, mine, resolved, paired, others = solved
    assert token_client_for(other_enterprise_user[0]).get(f"/api/v1/challenges/{mine.pk}/similar/").status_code == 404
    assert token_client_for(None).get(f"/api/v1/challenges/{mine.pk}/similar/").status_code == 404
    response = token_client_for(None).get(f"/api/v1/challenges/{paired.pk}/similar/")  # a public one: anyone
    assert response.status_code == 200 and response.json()[0]["id"] == resolved.pk


def test_rest_the_posting_form_asks_with_the_typed_text(solved, token_client_for, django_assert_num_queries):
    user, mine, resolved, paired, others = solved
    client = token_client_for(user)
    url = "/api/v1/challenges/similar/"
    client.get(url, {"title": "发酵罐染菌"})
    # token+user, secretariat?, own enterprises, the similar ones' pairings (+challenge, enterprise, solver)
    with django_assert_num_queries(4):
        response = client.get(url, {"title": FERMENTER["title"], "description": FERMENTER["description"]})
    assert [r["id"] for r in response.json()][:2] == [resolved.pk, paired.pk]

    assert client.get(url, {"title": "", "description": ""}).json() == []
    assert len(client.get(url, {"title": "发酵罐染菌", "first": 1}).json()) == 1
    assert token_client_for(None).get(url, {"title": "发酵罐染菌"}).status_code == 401


@pytest.mark.parametrize("params, field", [
    ({"title": "发" * 129}, "title"), ({"title": "x", "description": "y" * 5001}, "description"),
    ({"title": "x", "first": "many"}, "first"), ({"title": "x", "first": -1}, "first"), ({"title": "x", "q": "1"}, "q"),
])
def test_rest_bad_parameters_answer_400_on_the_field(solved, token_client_for, params, field):
    response = token_client_for(solved[0]).get("/api/v1/challenges/similar/", params)
    assert response.status_code == 400 and field in response.json()["errors"]


def test_rest_first_is_capped(solved, token_client_for):
    response = token_client_for(solved[0]).get("/api/v1/challenges/similar/", {"title": "发酵罐染菌", "first": 10**6})
    assert response.status_code == 200 and len(response.json()) <= MAX_FIRST


# --- GraphQL ------------------------------------------------------------------------------------------------------

SIMILAR = """query($id: ID!) { node(id: $id) { ... on Challenge { similar(first: 3) {
  id title category status province city problemsSolved savingsYuan rating expert { name } studio { name } } } } }"""


def test_graphql_challenge_similar(solved, django_assert_num_queries):
    user, mine, resolved, paired, others = solved
    run("{ __typename }", user=user)
    with django_assert_num_queries(5):  # token+user, secretariat?, own enterprises, node, similar ones' pairings
        data = run(SIMILAR, {"id": gid("Challenge", mine)}, user=user).ok()
    rows = data["node"]["similar"]
    assert [r["id"] for r in rows] == [gid("Challenge", resolved), gid("Challenge", paired)]
    assert rows[0] == {"id": gid("Challenge", resolved), "title": "发酵罐夏季染菌率居高不下", "category": "TECHNOLOGY",
                       "status": "resolved", "province": "shandong", "city": "临沂", "problemsSolved": 3,
                       "savingsYuan": "1200000.00", "rating": 5, "expert": {"name": "王建国"},
                       "studio": {"name": "王建国发酵工艺创新工作室"}}


def test_graphql_similar_challenges_for_the_form(solved, other_enterprise_user):
    user, mine, resolved, paired, others = solved
    query = """query($t: String!, $d: String, $n: Int) { similarChallenges(title: $t, description: $d, first: $n) {
        id problemsSolved expert { name } } }"""
    data = run(query, {"t": FERMENTER["title"], "d": FERMENTER["description"], "n": 2}, user=user).ok()
    assert [r["id"] for r in data["similarChallenges"]] == [gid("Challenge", resolved), gid("Challenge", paired)]
    assert run(query, {"t": "发酵罐染菌"}, user=None).code == "UNAUTHENTICATED"
    assert run(query, {"t": "x", "n": -1}, user=user).code == "BAD_USER_INPUT"
    assert run(query, {"t": "发" * 129}, user=user).code == "BAD_USER_INPUT"
    # another enterprise's draft is never reached through the node it would need
    assert run(SIMILAR, {"id": gid("Challenge", mine)}, user=other_enterprise_user[0]).code == "NOT_FOUND"


# --- Elasticsearch: the body the search sends is valid for Elastic's specification ----------------------------------

def test_the_elasticsearch_body_is_valid_and_filters_paired_and_resolved(solved, settings):
    from search import backends
    from search.backends.elasticsearch import ElasticsearchBackend
    from tests.search.es_capture import capturing_client
    from tests.search.es_spec_checker import EsSpec, spec_directory

    directory = spec_directory()
    if not (directory / "schema-8.18.json.gz").exists():
        pytest.skip(f"Elastic's specification not found in {directory} (set ES_SPEC_DIR to the es-spec folder)")
    user, mine, resolved, paired, others = solved
    client, cluster = capturing_client()
    settings.SEARCH_BACKEND = "elasticsearch"
    backends.reset_backends()
    backends._backends["elasticsearch"] = ElasticsearchBackend(client=client, prefix="jl-test")
    try:
        assert similar_challenges(user=user, challenge=mine) == []  # the captured cluster answers no hit
    finally:
        backends.reset_backends()

    [request] = cluster.of("POST", r"/jl-test-challenge/_search")
    assert EsSpec.load(directory).check("search", request.json) == []
    assert {"terms": {"status": ["paired", "resolved"]}} in request.json["query"]["bool"]["filter"]
    assert request.json["size"] == 6


# --- the pages: the challenge page, and the posting form as it is typed (Chromium) ---------------------------------

def test_the_challenge_page_of_a_draft_shows_what_was_solved_before(solved):
    from django.test import Client
    from django.urls import reverse

    user, mine, resolved, paired, others = solved
    client = Client()
    client.force_login(user)
    page = client.get(reverse("web:challenge", args=[mine.pk])).content.decode()

    assert 'data-similar="2"' in page
    assert f'data-challenge="{resolved.pk}"' in page and f'data-challenge="{paired.pk}"' in page
    assert "解决问题 3 个" in page and "节约 ¥1,200,000" in page and "评分 5/5" in page
    assert "王建国发酵工艺创新工作室" in page and "内部" not in page
    # a resolved challenge's own page does not list others (only drafts and open ones ask)
    assert "data-similar" not in client.get(reverse("web:challenge", args=[resolved.pk])).content.decode()
