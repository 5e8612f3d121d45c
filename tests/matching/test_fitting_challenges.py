"""An expert's fitting challenges (matching.selectors.fitting_challenges, shown on the expert's 适合我的需求
page): the open challenges where the engine ranked the expert, labelled by rank band — 前 3 名, 前 10 名,
相关领域可协助 — best band first and, within a band, by the expert's own fit (the match score)."""
import pytest
from django.utils import timezone

from enterprises.models import Challenge
from matching.models import Match
from matching.selectors import fitting_challenges, rank_band
from tests import factories
from tests.gql import gid, run

pytestmark = pytest.mark.django_db


def rank_me(challenge, expert, rank, score):
    Match.objects.create(challenge=challenge, kind="expert", expert=expert, rank=rank, score=score,
                         breakdown=[], algorithm_version="test", computed_at=timezone.now())


@pytest.mark.parametrize("rank, band", [(1, "top3"), (3, "top3"), (4, "top10"), (10, "top10"), (11, "related"),
                                        (48, "related")])
def test_rank_bands(rank, band):
    assert rank_band(rank)[0] == band


def test_best_band_first_then_the_experts_own_fit(expert_user):
    user, expert = expert_user
    weak_first = factories.make_challenge(title="第二名但匹配度低")
    strong_first = factories.make_challenge(title="第一名且匹配度高")
    tenth = factories.make_challenge(title="第十名")
    far = factories.make_challenge(title="第四十八名")
    rank_me(far, expert, 48, 0.9)        # a high score far down a strong field is still rank 48
    rank_me(tenth, expert, 10, 0.8)
    rank_me(weak_first, expert, 2, 0.4)
    rank_me(strong_first, expert, 1, 1.2)

    fitting = fitting_challenges(user=user, expert=expert)

    assert [(f.challenge.title, f.band, f.rank) for f in fitting] == [
        ("第一名且匹配度高", "top3", 1), ("第二名但匹配度低", "top3", 2), ("第十名", "top10", 10),
        ("第四十八名", "related", 48)]
    assert [f.band_label for f in fitting] == ["前 3 名", "前 3 名", "前 10 名", "相关领域可协助"]


def test_only_open_challenges_and_only_this_experts_rows(expert_user):
    user, expert = expert_user
    other = factories.make_expert()
    open_one = factories.make_challenge(title="征集中")
    closed = factories.make_challenge(title="已关闭", status=Challenge.Status.CLOSED)
    someone_elses = factories.make_challenge(title="别人的")
    rank_me(open_one, expert, 5, 0.5)
    rank_me(closed, expert, 1, 1.0)
    rank_me(someone_elses, other, 1, 1.0)

    assert [f.challenge.title for f in fitting_challenges(user=user, expert=expert)] == ["征集中"]


# --- REST and GraphQL: the same list, the expert and the secretariat only ----------------------------------------

@pytest.fixture
def ranked(expert_user):
    user, expert = expert_user
    challenges = {}
    for title, rank, score in (("第一名", 1, 1.2), ("第二名", 2, 0.4), ("第十名", 10, 0.8), ("第四十八名", 48, 0.9)):
        challenges[title] = factories.make_challenge(title=title)
        rank_me(challenges[title], expert, rank, score)
    return user, expert, challenges


def test_rest_gives_the_experts_own_list_in_band_order_with_a_fixed_number_of_queries(
        ranked, token_client_for, django_assert_num_queries):
    user, expert, challenges = ranked
    client = token_client_for(user)
    url = f"/api/v1/experts/{expert.pk}/fitting-challenges/"
    client.get(url)
    with django_assert_num_queries(7):  # token+user, expert, own expert, secretariat?, count, matches, skills
        response = client.get(url)
    assert response.status_code == 200, response.content
    rows = response.json()["results"]
    assert [(r["title"], r["rank"], r["band"], r["band_label"]) for r in rows] == [
        ("第一名", 1, "top3", "前 3 名"), ("第二名", 2, "top3", "前 3 名"), ("第十名", 10, "top10", "前 10 名"),
        ("第四十八名", 48, "related", "相关领域可协助")]
    assert rows[0]["id"] == challenges["第一名"].pk and rows[0]["score"] == 1.2
    assert rows[0]["enterprise"]["name"] == challenges["第一名"].enterprise.name
    # one more ranked challenge: the same number of queries
    rank_me(factories.make_challenge(title="第五名"), expert, 5, 0.7)
    with django_assert_num_queries(7):
        assert response.status_code == client.get(url).status_code == 200


def test_rest_the_secretariat_sees_it_anyone_else_is_refused(ranked, token_client_for, secretariat, enterprise_user):
    user, expert, _ = ranked
    url = f"/api/v1/experts/{expert.pk}/fitting-challenges/"
    assert token_client_for(secretariat).get(url).json()["count"] == 4
    other_expert_user, _ = factories.make_expert_user()
    for caller in (enterprise_user[0], other_expert_user):
        response = token_client_for(caller).get(url)
        assert response.status_code == 403 and response.json()["code"] == "forbidden"
    assert token_client_for(None).get(url).status_code == 401
    assert token_client_for(user).get("/api/v1/experts/999999/fitting-challenges/").status_code == 404


FITTING = """query($expert: ID) { fittingChallenges(expert: $expert) {
  rank score band bandLabel challenge { id title } } }"""


def test_graphql_the_callers_own_list_or_an_experts_for_the_secretariat(ranked, secretariat, enterprise_user):
    user, expert, challenges = ranked
    data = run(FITTING, user=user).ok()["fittingChallenges"]
    assert [(r["challenge"]["title"], r["band"], r["bandLabel"]) for r in data] == [
        ("第一名", "TOP3", "前 3 名"), ("第二名", "TOP3", "前 3 名"), ("第十名", "TOP10", "前 10 名"),
        ("第四十八名", "RELATED", "相关领域可协助")]
    assert data[0]["challenge"]["id"] == gid("Challenge", challenges["第一名"])
    as_secretariat = run(FITTING, {"expert": gid("Expert", expert)}, user=secretariat).ok()["fittingChallenges"]
    assert as_secretariat == data
    assert run(FITTING, {"expert": gid("Expert", expert)}, user=enterprise_user[0]).code == "FORBIDDEN"
    assert run(FITTING, user=enterprise_user[0]).code == "NOT_FOUND"   # no expert profile of its own
    assert run(FITTING, user=None).code == "UNAUTHENTICATED"
