"""A challenge's ranking (matching.services / selectors, REST /api/v1/challenges/{id}/matches/ and
…/matches/refresh/, GraphQL `challengeMatches`, `Challenge.matches`, `refreshChallengeMatches`): each rule's
service, REST and GraphQL cases side by side. The engine itself is specified in test_ranking, test_profiles
and test_taxonomy; the Celery path with a real worker in test_matches_live.

Which challenges the engine ranks (matching.selectors.RANKED_STATES / ranking_refusal):
- open: live — ranked on publishing, recomputed on request, when a candidate changes and when it reopens;
- draft: a preview, computed only when its enterprise (or the secretariat) asks; readable by them alone;
- paired, resolved, closed: frozen — the last ranking stays readable, nothing recomputes it, and asking
  answers 409 / CONFLICT `challenge_not_rankable`.
Only the enterprise that posted a challenge and the secretariat read its ranking.
"""
import pytest
from django.db import transaction
from datetime import timedelta

from django.utils import timezone

from enterprises import services as challenges
from enterprises.models import Challenge
from experts.services import skill_create, skill_update
from jianglian.errors import IllegalTransition, NotAllowed
from matching import services
from matching.engine import ALGORITHM_VERSION
from matching.models import Match
from matching.pairings import services as pairings
from matching.selectors import match_list
from matching.services import challenge_matches_compute, expert_changed
from tests import factories
from tests.gql import gid, run, token_for

from .matching_world import index_everything, taxonomy  # noqa: F401  (taxonomy is a fixture)


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


# --- computing and storing a ranking -------------------------------------------------------------------------

@pytest.mark.usefixtures("taxonomy")
def test_computing_twice_stores_one_ranking_per_kind():
    seal_studio = factories.make_studio()
    seal_master = factories.make_expert(bio="擅长机械密封选型与改进。", studio=seal_studio)
    factories.make_expert(bio="主持精馏塔节能改造。")
    challenge = factories.make_challenge(title="输送泵老是漏料", description="几台输送泵隔三差五往外滴料。")
    index_everything()

    challenge_matches_compute(challenge=challenge)
    stored = challenge_matches_compute(challenge=challenge)

    rows = list(Match.objects.filter(challenge=challenge).order_by("kind", "rank"))
    assert stored == len(rows)
    experts = [m for m in rows if m.kind == "expert"]
    assert [m.rank for m in experts] == list(range(1, len(experts) + 1))
    assert experts[0].expert_id == seal_master.pk and experts[0].algorithm_version == ALGORITHM_VERSION
    assert [m.studio_id for m in rows if m.kind == "studio"][0] == seal_studio.pk
    assert all(m.breakdown for m in rows)


@pytest.mark.usefixtures("taxonomy")
def test_an_expert_who_learns_a_needed_skill_gets_ranked(django_capture_on_commit_callbacks):
    challenge = factories.make_challenge(title="输送泵老是漏料", description="几台输送泵隔三差五往外滴料。",
                                         skills=[])
    newcomer = factories.make_expert(bio="长期从事精馏操作。")
    index_everything()
    challenge_matches_compute(challenge=challenge)
    assert not Match.objects.filter(challenge=challenge, expert=newcomer).exists()

    newcomer.bio = "擅长机械密封维修，主持完成多台离心泵密封改造。"
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        newcomer.save()  # the receiver queues refresh_expert; eager Celery runs it, which queues the challenge

    assert newcomer.derived_areas.filter(level=3, skill__code="pumps-seals").exists()
    assert Match.objects.get(challenge=challenge, kind="expert", rank=1).expert_id == newcomer.pk
    assert expert_changed(expert_id=newcomer.pk) == 1  # the challenge that needs pumps and seals


@pytest.mark.usefixtures("taxonomy")
def test_many_changes_to_one_expert_in_one_transaction_queue_one_refresh(django_capture_on_commit_callbacks):
    expert = factories.make_expert(bio="长期从事精馏操作。")
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        expert.bio = "擅长机械密封维修。"
        expert.save()
        expert.capacity = 3
        expert.save()
        expert.skills.add(factories.make_skill())
    assert [c.name for c in callbacks if hasattr(c, "name")].count("matching.refresh_expert") == 1


@pytest.mark.usefixtures("taxonomy")
def test_a_skill_added_to_the_taxonomy_reaches_experts_who_already_wrote_about_it(django_capture_on_commit_callbacks):
    secretariat = factories.make_secretariat()
    pioneer = factories.make_expert(bio="主持加氢站储氢罐安全改造。")
    challenge = factories.make_challenge(title="加氢站储氢罐泄漏检测", description="想找做过加氢站储氢罐改造的师傅。",
                                         skills=[])
    index_everything()
    challenge_matches_compute(challenge=challenge)
    before = Match.objects.get(challenge=challenge, kind="expert", expert=pioneer)

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        skill_create(user=secretariat, code="hydrogen", name="氢能储运", category="green", synonyms=["加氢站", "储氢罐"])

    assert pioneer.derived_areas.filter(skill__code="hydrogen", level=3).exists()
    after = Match.objects.get(challenge=challenge, kind="expert", expert=pioneer)  # the open challenge, ranked again
    skill_reason = next(signal for signal in after.breakdown if signal["signal"] == "skill")
    assert "氢能储运" in skill_reason["explanation"]["zh-hans"]
    assert "mastered 氢能储运" in skill_reason["explanation"]["en"]  # no English name yet: the Chinese one
    assert after.score > before.score


@pytest.mark.usefixtures("taxonomy")
def test_an_edited_synonym_is_used_by_the_next_derivation(django_capture_on_commit_callbacks):
    secretariat = factories.make_secretariat()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        skill = skill_create(user=secretariat, code="hydrogen", name="氢能储运", category="green", synonyms=["加氢站"])
    expert = factories.make_expert(bio="擅长储氢罐检修。")
    expert_changed(expert_id=expert.pk)
    assert not expert.derived_areas.filter(skill=skill).exists()

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        skill_update(user=secretariat, skill=skill, synonyms=["加氢站", "储氢罐"])

    assert expert.derived_areas.filter(skill=skill, level=3).exists()


@pytest.mark.usefixtures("taxonomy")
def test_loading_a_changed_taxonomy_queues_one_refresh(django_capture_on_commit_callbacks):
    from experts.models import Skill
    from experts.taxonomy.loader import load_taxonomy

    from experts.taxonomy.data import AREAS

    Skill.objects.filter(code__in=["distillation", "pumps-seals", "vocs"]).update(synonyms=[])  # edits to undo
    added = [{"code": f"new-area-{n}", "name": f"新领域{n}", "name_en": "", "category": "green", "synonyms": [],
              "problems": [], "related": []} for n in range(3)]

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = load_taxonomy(areas=[*AREAS, *added])

    assert (result["created"], result["updated"]) == (3, 3)
    assert [c.name for c in callbacks if getattr(c, "items", None)].count("matching.rerank_after_taxonomy_change") == 1


# --- which challenges are ranked: open ones live, a draft's preview on request, frozen ones never ------------

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


@pytest.mark.usefixtures("taxonomy")
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


@pytest.mark.usefixtures("taxonomy")
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


@pytest.mark.usefixtures("taxonomy")
def test_the_task_skips_a_challenge_that_is_no_longer_rankable(world):
    from matching.tasks import compute_challenge_matches

    _, enterprise, _, _ = world
    closed = leaking_pump(enterprise, status=Challenge.Status.CLOSED)
    assert compute_challenge_matches(closed.pk) == 0
    assert not Match.objects.filter(challenge=closed).exists()
    assert compute_challenge_matches(leaking_pump(enterprise).pk) > 0


@pytest.mark.usefixtures("taxonomy")
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


@pytest.mark.usefixtures("taxonomy")
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


def queued_rankings(callbacks):
    """Challenge ids whose ranking a transaction queued (matching.services.queue_match_computation)."""
    return {pk for c in callbacks if getattr(c, "name", None) == "matching.compute_challenge_matches" for pk in c.items}


@pytest.mark.parametrize("edit", [
    {"description": "输送泵和计量泵都在漏。"}, {"category": "management"}, {"preferred_province": "sichuan"},
])
def test_an_open_challenge_edited_by_its_enterprise_is_ranked_again_once(world, edit,
                                                                         django_capture_on_commit_callbacks):
    user, enterprise, _, _ = world
    challenge, draft = leaking_pump(enterprise), leaking_pump(enterprise, status=Challenge.Status.DRAFT)

    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        challenges.challenge_update(user=user, challenge=challenge, **edit)
        challenges.challenge_update(user=user, challenge=challenge, **edit, title="输送泵总是漏料")
        challenges.challenge_update(user=user, challenge=draft, **edit)

    assert queued_rankings(callbacks) == {challenge.pk}


def test_an_open_challenges_skills_changed_rank_it_again(world, django_capture_on_commit_callbacks):
    user, enterprise, _, _ = world
    challenge = leaking_pump(enterprise)
    seals = factories.make_skill()

    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        challenges.challenge_update(user=user, challenge=challenge, skills=[seals])
    assert queued_rankings(callbacks) == {challenge.pk}

    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        challenges.challenge_update(user=user, challenge=challenge, skills=[seals])  # the same skills
    assert queued_rankings(callbacks) == set()


def test_publishing_ranks_the_challenge_once(world, django_capture_on_commit_callbacks):
    user, enterprise, _, _ = world
    draft = leaking_pump(enterprise, status=Challenge.Status.DRAFT)

    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        challenges.challenge_publish(user=user, challenge=draft)

    assert queued_rankings(callbacks) == {draft.pk}


# --- asking for a ranking now: a refresh, or a draft's preview (its enterprise and the secretariat) ----------

@pytest.mark.usefixtures("taxonomy")
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


@pytest.mark.usefixtures("taxonomy")
def test_only_its_enterprise_and_the_secretariat_may_ask(world, other_enterprise_user, expert_user, secretariat):
    user, enterprise, _, _ = world
    challenge = leaking_pump(enterprise)
    for outsider in (other_enterprise_user[0], expert_user[0], None):
        with pytest.raises(NotAllowed):
            services.challenge_matches_request(user=outsider, challenge=challenge)
    assert services.challenge_matches_request(user=secretariat, challenge=challenge) == challenge


def refresh_url(challenge):
    return f"/api/v1/challenges/{challenge.pk}/matches/refresh/"


@pytest.mark.usefixtures("taxonomy")
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


@pytest.mark.usefixtures("taxonomy")
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


@pytest.mark.usefixtures("taxonomy")
def test_rest_refuses_outsiders(world, client_for, other_enterprise_user):
    _, enterprise, _, _ = world
    challenge = leaking_pump(enterprise)
    draft = leaking_pump(enterprise, status=Challenge.Status.DRAFT)
    other = client_for(other_enterprise_user[0])
    assert other.post(refresh_url(challenge)).status_code == 403
    assert other.post(refresh_url(draft)).status_code == 404  # another enterprise's draft is invisible
    assert client_for(None).post(refresh_url(challenge)).status_code in (401, 403)
    assert not Match.objects.exists()


REFRESH = """mutation($challenge: ID!) { refreshChallengeMatches(challenge: $challenge) {
  challenge { id status matches(first: 1) { rank expert { name } } } } }"""


@pytest.mark.usefixtures("taxonomy")
def test_graphql_refreshes_an_open_challenge_and_previews_a_draft(world, django_capture_on_commit_callbacks):
    user, enterprise, _, _ = world
    for status in (Challenge.Status.OPEN, Challenge.Status.DRAFT):
        challenge = leaking_pump(enterprise, status=status)
        with django_capture_on_commit_callbacks(execute=True):  # the computation runs once the request commits
            run(REFRESH, {"challenge": gid("Challenge", challenge)}, user=user).ok()
        read = run("""query($id: ID!) { node(id: $id) { ... on Challenge { status matches(first: 1) {
                     expert { name } } } } }""", {"id": gid("Challenge", challenge)}, user=user).ok()["node"]
        assert read == {"status": status.upper(), "matches": [{"expert": {"name": "密封师傅"}}]}


@pytest.mark.usefixtures("taxonomy")
@pytest.mark.parametrize("status", FROZEN)
def test_graphql_answers_conflict_for_a_frozen_challenge(world, status):
    user, enterprise, _, _ = world
    challenge = leaking_pump(enterprise, status=status)
    result = run(REFRESH, {"challenge": gid("Challenge", challenge)}, user=user)
    assert result.code == "CONFLICT"
    assert result.errors[0]["extensions"]["reason"] == "challenge_not_rankable"
    assert not Match.objects.filter(challenge=challenge).exists()


@pytest.mark.usefixtures("taxonomy")
def test_graphql_refuses_outsiders_with_codes(world, other_enterprise_user):
    _, enterprise, _, _ = world
    challenge = {"challenge": gid("Challenge", leaking_pump(enterprise))}
    draft = {"challenge": gid("Challenge", leaking_pump(enterprise, status=Challenge.Status.DRAFT))}
    assert run(REFRESH, challenge, user=other_enterprise_user[0]).code == "FORBIDDEN"
    assert run(REFRESH, draft, user=other_enterprise_user[0]).code == "NOT_FOUND"
    assert run(REFRESH, challenge).code == "UNAUTHENTICATED"
    assert not Match.objects.exists()


# --- reading a ranking: its enterprise and the secretariat, in a fixed number of queries ---------------------

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
                                province="sichuan", city="泸州", starts_at=timezone.now() + timedelta(days=1), format="lecture",
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
