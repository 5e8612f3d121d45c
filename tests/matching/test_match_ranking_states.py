"""Which challenges the engine ranks (matching.selectors.RANKED_STATES / ranking_refusal).

- open: live — ranked on publishing, recomputed on request, when a candidate changes and when it reopens;
- draft: a preview, computed only when its enterprise (or the secretariat) asks; readable by them alone;
- paired, resolved, closed: frozen — the last ranking stays readable, nothing recomputes it, and asking
  answers 409 / CONFLICT `challenge_not_rankable`.
"""
import pytest
from django.db import transaction

from enterprises import services as challenges
from enterprises.models import Challenge
from jianglian.errors import IllegalTransition, NotAllowed
from matching import services
from matching.models import Match
from matching.pairings import services as pairings
from matching.selectors import match_list
from tests import factories
from tests.gql import gid, run

from .matching_world import index_everything, taxonomy  # noqa: F401

pytestmark = pytest.mark.usefixtures("taxonomy")

FROZEN = [Challenge.Status.PAIRED, Challenge.Status.RESOLVED, Challenge.Status.CLOSED]


@pytest.fixture
def world(enterprise_user):
    """Enterprise A (user, enterprise), a seal expert the engine ranks first for a leaking pump, indexed."""
    user, enterprise = enterprise_user
    seal_user, seal_master = factories.make_expert_user(name="密封师傅", bio="擅长机械密封选型与改进，主持离心泵密封改造。")
    factories.make_expert(name="精馏专家", bio="主持完成精馏塔节能改造。")
    index_everything()
    return user, enterprise, seal_user, seal_master


def leaking_pump(enterprise, status=Challenge.Status.OPEN):
    return factories.make_challenge(enterprise=enterprise, status=status, title="输送泵老是漏料",
                                    description="几台输送泵隔三差五往外滴料。")


def ranking(challenge):
    return list(Match.objects.filter(challenge=challenge, kind="expert").order_by("rank")
                .values_list("expert__name", "computed_at"))


def committed(django_capture_on_commit_callbacks, action):
    """Run `action` in a transaction and its on-commit work (eager Celery) as a commit would."""
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        return action()


# --- the service and the task ------------------------------------------------------------------------------

@pytest.mark.parametrize("status", FROZEN)
def test_a_paired_resolved_or_closed_challenge_is_not_ranked_and_keeps_its_last_ranking(world, status):
    _, enterprise, _, _ = world
    challenge = leaking_pump(enterprise)
    services.challenge_matches_compute(challenge=challenge)
    before = ranking(challenge)
    Challenge.objects.filter(pk=challenge.pk).update(status=status)

    with pytest.raises(IllegalTransition) as refused:
        services.challenge_matches_compute(challenge=challenge)

    assert refused.value.code == "challenge_not_rankable"
    assert ranking(challenge) == before and before[0][0] == "密封师傅"


def test_a_computation_queued_before_the_challenge_closed_stores_nothing(world, django_capture_on_commit_callbacks):
    user, enterprise, _, _ = world
    challenge = leaking_pump(enterprise)
    services.challenge_matches_compute(challenge=challenge)
    before = ranking(challenge)

    def edit_then_close():
        challenges.challenge_update(user=user, challenge=challenge, description="输送泵和计量泵都在漏。")  # queues
        challenges.challenge_close(user=user, challenge=challenge, reason="已自行解决")

    committed(django_capture_on_commit_callbacks, edit_then_close)  # the queued task runs after the close

    assert ranking(challenge) == before


def test_the_task_skips_a_challenge_that_is_no_longer_rankable(world):
    from matching.tasks import compute_challenge_matches

    _, enterprise, _, _ = world
    closed = leaking_pump(enterprise, status=Challenge.Status.CLOSED)
    assert compute_challenge_matches(closed.pk) == 0
    assert not Match.objects.filter(challenge=closed).exists()
    assert compute_challenge_matches(leaking_pump(enterprise).pk) > 0


def test_an_experts_change_re_ranks_open_challenges_only(world, django_capture_on_commit_callbacks):
    user, enterprise, _, _ = world
    open_one, closed, draft = (leaking_pump(enterprise) for _ in range(3))
    for challenge in (open_one, closed, draft):
        services.challenge_matches_compute(challenge=challenge)
    challenges.challenge_close(user=user, challenge=closed)
    Challenge.objects.filter(pk=draft.pk).update(status=Challenge.Status.DRAFT)  # a draft with a preview
    frozen = {c.pk: ranking(c) for c in (closed, draft)}
    newcomer = factories.make_expert(name="泵修能手", bio="长期从事精馏操作。")
    index_everything()

    def learns_seals():
        newcomer.bio = "擅长机械密封维修，主持完成多台离心泵密封改造，泵与机械密封专家。"
        newcomer.save()

    committed(django_capture_on_commit_callbacks, learns_seals)

    assert "泵修能手" in [name for name, _ in ranking(open_one)]
    assert {c.pk: ranking(c) for c in (closed, draft)} == frozen


def test_a_challenge_reopened_after_its_pairing_ended_is_ranked_afresh(world, django_capture_on_commit_callbacks):
    user, enterprise, _, _ = world
    challenge = leaking_pump(enterprise)
    services.challenge_matches_compute(challenge=challenge)
    # invited from outside the ranking, so that the expert's own refresh does not touch this challenge
    auditor_user, auditor = factories.make_expert_user(name="审计师", bio="负责企业财务审计与内控制度建设。")
    index_everything()
    assert not Match.objects.filter(challenge=challenge, expert=auditor).exists()
    pairing = pairings.pairing_propose(user=user, challenge=challenge, expert=auditor)
    pairings.pairing_accept(user=auditor_user, pairing=pairing)
    pairings.pairing_sign(user=auditor_user, pairing=pairing)
    pairings.pairing_sign(user=user, pairing=pairing)
    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.PAIRED
    paired_ranking = ranking(challenge)

    committed(django_capture_on_commit_callbacks,
              lambda: pairings.pairing_terminate(user=user, pairing=pairing, reason="设备停产，暂停合作"))

    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.OPEN
    reranked = ranking(challenge)
    assert reranked[0][0] == "密封师傅" and reranked[0][1] > paired_ranking[0][1]


# --- asking for a ranking: a refresh or a draft's preview ----------------------------------------------------

def test_the_enterprise_previews_its_draft_and_publishing_replaces_the_preview(
        world, other_enterprise_user, django_capture_on_commit_callbacks):
    user, enterprise, _, _ = world
    draft = leaking_pump(enterprise, status=Challenge.Status.DRAFT)

    committed(django_capture_on_commit_callbacks,
              lambda: services.challenge_matches_request(user=user, challenge=draft))

    preview = ranking(draft)
    assert preview[0][0] == "密封师傅"
    assert [m.expert.name for m in match_list(user=user, challenge=draft)][:1] == ["密封师傅"]
    with pytest.raises(NotAllowed):
        match_list(user=other_enterprise_user[0], challenge=draft)

    committed(django_capture_on_commit_callbacks, lambda: challenges.challenge_publish(user=user, challenge=draft))
    assert ranking(draft)[0][1] > preview[0][1]


def test_only_its_enterprise_and_the_secretariat_may_ask(world, other_enterprise_user, expert_user, secretariat):
    user, enterprise, _, _ = world
    challenge = leaking_pump(enterprise)
    for outsider in (other_enterprise_user[0], expert_user[0], None):
        with pytest.raises(NotAllowed):
            services.challenge_matches_request(user=outsider, challenge=challenge)
    assert services.challenge_matches_request(user=secretariat, challenge=challenge) == challenge


# --- REST: POST /api/v1/challenges/{id}/matches/refresh/ ------------------------------------------------------

def refresh_url(challenge):
    return f"/api/v1/challenges/{challenge.pk}/matches/refresh/"


def test_rest_refreshes_an_open_challenge_and_previews_a_draft(world, client_for, django_capture_on_commit_callbacks):
    user, enterprise, _, _ = world
    client = client_for(user)
    for status in (Challenge.Status.OPEN, Challenge.Status.DRAFT):
        challenge = leaking_pump(enterprise, status=status)
        with django_capture_on_commit_callbacks(execute=True):  # the computation runs once the request commits
            response = client.post(refresh_url(challenge))
        assert response.status_code == 202, response.json()
        assert response.json() == {"challenge": challenge.pk, "status": status}
        listed = client.get(f"/api/v1/challenges/{challenge.pk}/matches/").json()["results"]
        assert listed[0]["expert"]["name"] == "密封师傅"


@pytest.mark.parametrize("status", FROZEN)
def test_rest_answers_409_for_a_frozen_challenge_and_still_shows_its_last_ranking(world, client_for, status):
    user, enterprise, _, _ = world
    challenge = leaking_pump(enterprise)
    services.challenge_matches_compute(challenge=challenge)
    before = ranking(challenge)
    Challenge.objects.filter(pk=challenge.pk).update(status=status)
    client = client_for(user)

    response = client.post(refresh_url(challenge))

    assert response.status_code == 409
    assert response.json()["code"] == "challenge_not_rankable"
    assert ranking(challenge) == before
    listed = client.get(f"/api/v1/challenges/{challenge.pk}/matches/")
    assert listed.status_code == 200 and listed.json()["results"][0]["expert"]["name"] == "密封师傅"


def test_rest_refuses_outsiders(world, client_for, other_enterprise_user):
    _, enterprise, _, _ = world
    challenge = leaking_pump(enterprise)
    draft = leaking_pump(enterprise, status=Challenge.Status.DRAFT)
    other = client_for(other_enterprise_user[0])
    assert other.post(refresh_url(challenge)).status_code == 403
    assert other.post(refresh_url(draft)).status_code == 404  # another enterprise's draft is invisible
    assert client_for(None).post(refresh_url(challenge)).status_code in (401, 403)
    assert not Match.objects.exists()


# --- GraphQL: refreshChallengeMatches(challenge:) -------------------------------------------------------------

REFRESH = """mutation($challenge: ID!) { refreshChallengeMatches(challenge: $challenge) {
  challenge { id status matches(first: 1) { rank expert { name } } } } }"""


def test_graphql_refreshes_an_open_challenge_and_previews_a_draft(world, django_capture_on_commit_callbacks):
    user, enterprise, _, _ = world
    for status in (Challenge.Status.OPEN, Challenge.Status.DRAFT):
        challenge = leaking_pump(enterprise, status=status)
        with django_capture_on_commit_callbacks(execute=True):  # the computation runs once the request commits
            run(REFRESH, {"challenge": gid("Challenge", challenge)}, user=user).ok()
        read = run("""query($id: ID!) { node(id: $id) { ... on Challenge { status matches(first: 1) {
                     expert { name } } } } }""", {"id": gid("Challenge", challenge)}, user=user).ok()["node"]
        assert read == {"status": status.upper(), "matches": [{"expert": {"name": "密封师傅"}}]}


@pytest.mark.parametrize("status", FROZEN)
def test_graphql_answers_conflict_for_a_frozen_challenge(world, status):
    user, enterprise, _, _ = world
    challenge = leaking_pump(enterprise, status=status)
    result = run(REFRESH, {"challenge": gid("Challenge", challenge)}, user=user)
    assert result.code == "CONFLICT"
    assert result.errors[0]["extensions"]["reason"] == "challenge_not_rankable"
    assert not Match.objects.filter(challenge=challenge).exists()


def test_graphql_refuses_outsiders_with_codes(world, other_enterprise_user):
    _, enterprise, _, _ = world
    challenge = {"challenge": gid("Challenge", leaking_pump(enterprise))}
    draft = {"challenge": gid("Challenge", leaking_pump(enterprise, status=Challenge.Status.DRAFT))}
    assert run(REFRESH, challenge, user=other_enterprise_user[0]).code == "FORBIDDEN"
    assert run(REFRESH, draft, user=other_enterprise_user[0]).code == "NOT_FOUND"
    assert run(REFRESH, challenge).code == "UNAUTHENTICATED"
    assert not Match.objects.exists()
