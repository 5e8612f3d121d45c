"""Who sees a challenge's matches, and what reading them costs."""
import pytest
from django.utils import timezone

from jianglian.errors import NotAllowed
from matching.models import Match
from matching.selectors import match_list
from tests import factories


def store_matches(challenge, n, kind="expert", make_target=None):
    """Stored Match rows as the engine writes them (the engine itself is specified in test_ranking);
    `make_target()` makes each ranked expert or studio (default: a plain factory one)."""
    now = timezone.now()
    rows = []
    make_target = make_target or (factories.make_expert if kind == "expert" else factories.make_studio)
    for rank in range(1, n + 1):
        target = make_target()
        rows.append(Match(
            challenge=challenge, kind=kind, rank=rank, score=1.0 / rank, algorithm_version="test", computed_at=now,
            expert=target if kind == "expert" else None, studio=target if kind == "studio" else None,
            breakdown=[{"signal": "skill", "weight": 1.0, "value": 1.0 / rank,
                        "explanation": {"zh-hans": "精通 泵与机械密封", "en": "mastered Pumps and mechanical seals"}}],
        ))
    Match.objects.bulk_create(rows)


@pytest.fixture
def posted(enterprise_user):
    user, enterprise = enterprise_user
    challenge = factories.make_challenge(enterprise=enterprise)
    store_matches(challenge, 3)
    return user, challenge


def test_the_enterprise_that_posted_and_the_secretariat_see_the_matches(posted, secretariat):
    user, challenge = posted
    assert [m.rank for m in match_list(user=user, challenge=challenge, kind="expert")] == [1, 2, 3]
    assert match_list(user=secretariat, challenge=challenge, kind="expert").count() == 3


def test_other_enterprises_experts_and_anonymous_users_do_not(posted, other_enterprise_user, expert_user):
    _, challenge = posted
    for outsider in (other_enterprise_user[0], expert_user[0], factories.make_user(), None):
        with pytest.raises(NotAllowed):
            match_list(user=outsider, challenge=challenge, kind="expert")


def test_rest_answers_403_to_an_outsider_and_the_ranking_to_the_enterprise(posted, other_enterprise_user, client_for):
    user, challenge = posted
    url = f"/api/v1/challenges/{challenge.pk}/matches/"

    assert client_for(other_enterprise_user[0]).get(url).status_code == 403
    assert client_for(None).get(url).status_code in (401, 403)

    response = client_for(user).get(url, {"type": "expert", "lang": "en"})
    assert response.status_code == 200
    body = response.json()
    assert [row["rank"] for row in body["results"]] == [1, 2, 3]
    assert body["results"][0]["reasons"] == [
        {"signal": "skill", "weight": 1.0, "value": 1.0, "explanation": "mastered Pumps and mechanical seals"}]
    assert "phone" not in body["results"][0]["expert"]


def test_rest_rejects_an_unknown_type(posted, client_for):
    user, challenge = posted
    response = client_for(user).get(f"/api/v1/challenges/{challenge.pk}/matches/", {"type": "robot"})
    assert response.status_code == 400


def test_studio_matches_are_listed_separately(enterprise_user, client_for):
    user, enterprise = enterprise_user
    challenge = factories.make_challenge(enterprise=enterprise)
    store_matches(challenge, 2, kind="studio")
    body = client_for(user).get(f"/api/v1/challenges/{challenge.pk}/matches/", {"type": "studio"}).json()
    assert [row["studio"]["name"] for row in body["results"]] == list(
        Match.objects.filter(kind="studio").order_by("rank").values_list("studio__name", flat=True))
    assert client_for(user).get(f"/api/v1/challenges/{challenge.pk}/matches/").json()["count"] == 0


@pytest.mark.parametrize("n", [3, 20])
def test_the_matches_list_costs_the_same_queries_for_3_or_20_matches(enterprise_user, token_client_for,
                                                                      django_assert_num_queries, n):
    user, enterprise = enterprise_user
    challenge = factories.make_challenge(enterprise=enterprise)
    store_matches(challenge, n)
    client = token_client_for(user)
    # token with its user, secretariat group, the user's enterprises, the challenge, count, page of matches joined to experts
    with django_assert_num_queries(6):
        response = client.get(f"/api/v1/challenges/{challenge.pk}/matches/")
    assert response.status_code == 200 and len(response.json()["results"]) == n
