"""GraphQL: an expert's campus outreach history (劳模工匠进校园), as the REST expert detail shows it.

Everyone who sees an expert sees the same history: the expert's confirmed participations in confirmed or
held events, newest first (alliance.selectors.public_participations). Planned and cancelled events, and
invitations the expert declined or has not answered, are not part of it — not even for the expert or the
secretariat, who follow those through `outreachEvents`. A list of experts with their history costs the same
number of queries whatever its length.
"""
from datetime import timedelta

import pytest
from django.utils import timezone

from alliance import services as events
from tests import factories
from tests.gql import gid, run, token_for

pytestmark = pytest.mark.django_db

HISTORY = """query($id: ID!) { node(id: $id) { ... on Expert {
  outreachHistory { role event { id title school city startsAt format status } } } } }"""


def event_with(secretariat, experts, *, title, days_ago=0, answers=None, role="主讲"):
    """A planned event (days_ago in the past) with `experts` invited; `answers` maps expert → True (confirm) /
    False (decline); experts not in it leave the invitation unanswered. Each expert is (user, expert)."""
    event = events.event_create(
        user=secretariat, title=title, school="四川化工职业技术学院", province="sichuan", city="泸州",
        starts_at=timezone.now() - timedelta(days=days_ago, hours=1), format="training", topic="精馏塔操作",
    )
    events.event_invite_experts(user=secretariat, event=event, experts=[e for _, e in experts], role=role)
    for user, expert in experts:
        answer = (answers or {}).get(expert.pk)
        if answer is not None:
            events.event_respond(user=user, event=event, accept=answer)
    return event


@pytest.fixture
def history(secretariat, expert_user):
    """expert_user's events: two public ones, and four that are not part of the public history."""
    user, expert = expert_user
    colleague = factories.make_expert_user()
    confirm = {expert.pk: True}

    held = event_with(secretariat, [expert_user], title="精馏操作实训进校园", days_ago=30, answers=confirm,
                      role="实训指导")
    events.event_confirm(user=secretariat, event=held)
    events.event_hold(user=secretariat, event=held, audience_count=120, summary="学生动手操作精馏塔。")

    confirmed = event_with(secretariat, [expert_user], title="安全生产讲座", days_ago=2, answers=confirm)
    events.event_confirm(user=secretariat, event=confirmed)

    event_with(secretariat, [expert_user], title="筹备中的讲座", days_ago=1, answers=confirm)  # still planned

    cancelled = event_with(secretariat, [expert_user], title="取消的讲座", days_ago=3, answers=confirm)
    events.event_confirm(user=secretariat, event=cancelled)
    events.event_cancel(user=secretariat, event=cancelled, reason="学校停课")

    declined = event_with(secretariat, [expert_user, colleague], title="婉拒的活动", days_ago=4,
                          answers={expert.pk: False, colleague[1].pk: True})
    events.event_confirm(user=secretariat, event=declined)

    unanswered = event_with(secretariat, [expert_user, colleague], title="未答复的活动", days_ago=5,
                            answers={colleague[1].pk: True})
    events.event_confirm(user=secretariat, event=unanswered)
    return expert, [confirmed, held]


@pytest.fixture
def roles(enterprise_user, expert_user, secretariat):
    return {"anonymous": None, "enterprise": enterprise_user[0], "the expert": expert_user[0],
            "another expert": factories.make_expert_user()[0], "secretariat": secretariat}


@pytest.mark.parametrize("role", ["anonymous", "enterprise", "the expert", "another expert", "secretariat"])
def test_everyone_sees_the_confirmed_and_held_events_the_expert_took_part_in(history, roles, role):
    expert, (confirmed, held) = history
    node = run(HISTORY, {"id": gid("Expert", expert)}, user=roles[role]).ok()["node"]
    assert [(p["event"]["title"], p["event"]["status"], p["role"]) for p in node["outreachHistory"]] == [
        ("安全生产讲座", "CONFIRMED", "主讲"), ("精馏操作实训进校园", "HELD", "实训指导")]
    first = node["outreachHistory"][0]["event"]
    assert (first["id"], first["school"], first["city"], first["format"]) == (
        gid("OutreachEvent", confirmed), "四川化工职业技术学院", "泸州", "TRAINING")


@pytest.mark.parametrize("role", ["anonymous", "enterprise", "the expert", "another expert", "secretariat"])
def test_graphql_and_rest_show_the_same_history(history, roles, role, token_client_for):
    expert, _ = history
    rest = token_client_for(roles[role]).get(f"/api/v1/experts/{expert.pk}/").json()["outreach_events"]
    listed = run("{ experts { edges { node { id outreachHistory { role event { id title startsAt } } } } } }",
                 user=roles[role]).ok()["experts"]["edges"]
    [graphql] = [e["node"]["outreachHistory"] for e in listed if e["node"]["id"] == gid("Expert", expert)]
    assert [(gid("OutreachEvent", e["event_id"]), e["title"], e["role"]) for e in rest] == [
        (p["event"]["id"], p["event"]["title"], p["role"]) for p in graphql]


def test_the_own_profile_carries_the_same_history(history, expert_user):
    user, expert = expert_user
    profile = run("{ myExpertProfile { outreachHistory { event { title } } } }", user=user).ok()["myExpertProfile"]
    assert [p["event"]["title"] for p in profile["outreachHistory"]] == ["安全生产讲座", "精馏操作实训进校园"]


def test_an_expert_without_events_has_an_empty_history():
    expert = factories.make_expert()
    assert run(HISTORY, {"id": gid("Expert", expert)}).ok()["node"] == {"outreachHistory": []}


# --- query counts ----------------------------------------------------------------------------------------

EXPERTS_WITH_HISTORY = """{ experts(first: 100) { totalCount edges { node {
  name outreachHistory { role event { id title school city startsAt format } } } } } }"""


def experts_with_history(secretariat, n):
    """n experts, each confirmed in two held events shared with the others."""
    experts = [factories.make_expert_user() for _ in range(n)]
    for title in ("精馏节能进校园", "安全生产进校园"):
        event = event_with(secretariat, experts, title=title, days_ago=7, answers={e.pk: True for _, e in experts})
        events.event_confirm(user=secretariat, event=event)
        events.event_hold(user=secretariat, event=event, audience_count=80, summary="顺利举办。")
    return experts


@pytest.mark.parametrize("n", [2, 10])
def test_experts_with_their_history_cost_a_fixed_number_of_queries(secretariat, enterprise_user, n,
                                                                   django_assert_num_queries):
    user, _ = enterprise_user
    experts_with_history(secretariat, n)
    token_for(user)
    # token + user, secretariat group, count, page of experts, their participations joined with their events
    with django_assert_num_queries(5):
        edges = run(EXPERTS_WITH_HISTORY, user=user).ok()["experts"]["edges"]
    assert len(edges) == n
    assert all(sorted(p["event"]["title"] for p in e["node"]["outreachHistory"]) == ["安全生产进校园", "精馏节能进校园"]
               for e in edges)


NESTED_UNDER_EVENTS = """{ outreachEvents(first: 50) { edges { node { title participations {
  expert { name outreachHistory { role event { title participations { role } } } } } } } } }"""


@pytest.mark.parametrize("n", [2, 10])
def test_history_nested_under_events_costs_a_fixed_number_of_queries(secretariat, n, django_assert_num_queries):
    experts_with_history(secretariat, n)
    run("{ __typename }")
    # count, events, their participations, the experts, the experts' histories joined with their events,
    # those events' participations
    with django_assert_num_queries(6):
        edges = run(NESTED_UNDER_EVENTS).ok()["outreachEvents"]["edges"]
    histories = [p["expert"]["outreachHistory"] for e in edges for p in e["node"]["participations"]]
    assert len(histories) == 2 * n and all(len(h) == 2 and len(h[0]["event"]["participations"]) == n
                                           for h in histories)
