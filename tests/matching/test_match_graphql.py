"""GraphQL: challengeMatches(challenge:, first:, type:) with the same permissions as REST."""
import pytest

from tests import factories
from tests.gql import gid, run, token_for

from .test_match_access import store_matches

QUERY = """
query($challenge: ID!, $first: Int, $type: MatchKind) {
  challengeMatches(challenge: $challenge, first: $first, type: $type) {
    rank score kind
    expert { name skills { name } }
    studio { name }
    reasons(lang: "en") { signal weight value explanation }
  }
}
"""


@pytest.fixture
def posted(enterprise_user):
    user, enterprise = enterprise_user
    challenge = factories.make_challenge(enterprise=enterprise)
    store_matches(challenge, 3)
    return user, challenge


def test_the_enterprise_reads_its_ranking_with_reasons(posted):
    user, challenge = posted
    data = run(QUERY, {"challenge": gid("Challenge", challenge), "first": 2}, user=user).ok()
    rows = data["challengeMatches"]
    assert [r["rank"] for r in rows] == [1, 2]
    assert rows[0]["kind"] == "EXPERT" and rows[0]["studio"] is None
    assert rows[0]["reasons"] == [
        {"signal": "skill", "weight": 1.0, "value": 1.0, "explanation": "mastered Pumps and mechanical seals"}]


def test_the_secretariat_reads_it_too_and_outsiders_are_refused(posted, secretariat, other_enterprise_user):
    _, challenge = posted
    variables = {"challenge": gid("Challenge", challenge)}
    assert len(run(QUERY, variables, user=secretariat).ok()["challengeMatches"]) == 3
    assert run(QUERY, variables, user=other_enterprise_user[0]).code == "FORBIDDEN"
    assert run(QUERY, variables).code == "UNAUTHENTICATED"


@pytest.mark.parametrize("n", [3, 15])
def test_the_ranking_costs_the_same_queries_whatever_its_length(enterprise_user, django_assert_num_queries, n):
    user, enterprise = enterprise_user
    challenge = factories.make_challenge(enterprise=enterprise)
    store_matches(challenge, n)
    variables = {"challenge": gid("Challenge", challenge), "first": 20}
    token_for(user)
    # token + user, secretariat group, enterprises, the challenge, matches with experts/studios,
    # experts' skills (only what is selected is prefetched: no honours, no studios' skills)
    with django_assert_num_queries(6):
        rows = run(QUERY, variables, user=user).ok()["challengeMatches"]
    assert len(rows) == n


RANKED_PROFILES = """
query($challenge: ID!) {
  challengeMatches(challenge: $challenge, first: 50) {
    rank
    expert { name honours { honour } studio { name } outreachHistory { role event { title } } }
  }
}
"""


@pytest.mark.parametrize("n", [2, 10])
def test_ranked_experts_with_their_profiles_cost_the_same_queries_whatever_their_number(
        enterprise_user, secretariat, django_assert_num_queries, n):
    from alliance import services as events
    from django.utils import timezone

    user, enterprise = enterprise_user
    challenge = factories.make_challenge(enterprise=enterprise)
    accounts = {}

    def expert_with_account():
        account, expert = factories.make_expert_user(studio=factories.make_studio())
        accounts[expert.pk] = account
        return expert

    store_matches(challenge, n, make_target=expert_with_account)
    ranked = [m.expert for m in challenge.matches.select_related("expert")]
    event = events.event_create(user=secretariat, title="精馏节能进校园", school="某职业技术学院",
                                province="sichuan", city="泸州", starts_at=timezone.now(), format="lecture",
                                topic="精馏节能")
    events.event_invite_experts(user=secretariat, event=event, experts=ranked, role="主讲")
    for expert in ranked:
        events.event_respond(user=accounts[expert.pk], event=event, accept=True)
    events.event_confirm(user=secretariat, event=event)
    token_for(user)
    # token + user, secretariat group, enterprises, the challenge, matches with experts/studios,
    # experts' honours, experts' studios, experts' outreach history joined with its events
    with django_assert_num_queries(8):
        rows = run(RANKED_PROFILES, {"challenge": gid("Challenge", challenge)}, user=user).ok()["challengeMatches"]
    assert len(rows) == n
    assert all(r["expert"]["outreachHistory"] == [{"role": "主讲", "event": {"title": "精馏节能进校园"}}] for r in rows)


NESTED = """
query($id: ID!) {
  node(id: $id) {
    ... on Challenge { title matches(first: 2) { rank expert { name } reasons(lang: "zh-hans") { signal explanation } } }
  }
}
"""


def test_a_challenge_node_carries_its_matches_for_its_enterprise_only(posted, other_enterprise_user):
    user, challenge = posted
    variables = {"id": gid("Challenge", challenge)}
    matches = run(NESTED, variables, user=user).ok()["node"]["matches"]
    assert [m["rank"] for m in matches] == [1, 2]
    assert matches[0]["reasons"][0]["signal"] == "skill"
    assert run(NESTED, variables, user=other_enterprise_user[0]).code == "FORBIDDEN"
