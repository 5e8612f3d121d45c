"""Conflicts of interest (issue 11 §2): an expert is never ranked for a challenge of their own employer, of an
enterprise of the same group (所属集团), or of an enterprise they declared a conflict with; the enterprise never
sees who was left out; the secretariat does, with the reasons (REST, GraphQL, the challenge page); a pairing
cannot be proposed across a conflict (409 / CONFLICT `conflict_of_interest`). One rule, matching.conflicts, read
by the ranking and by the proposal rule. Enterprise groups: set by the enterprise, verified by the secretariat.
"""
import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from enterprises import services as enterprises
from experts import services as experts
from jianglian.errors import Conflict, IllegalTransition, NotAllowed
from experts.models import Expert
from matching.conflicts import challenge_exclusions, conflict_refusal, excluded_expert_ids, exclusion_list
from matching.models import Match
from matching.pairings import services as pairings
from matching.services import challenge_matches_compute
from tests import factories
from tests.gql import gid, run

from .matching_world import index_everything, taxonomy  # noqa: F401  (taxonomy is a fixture)

SEAL_BIO = "长期从事化工动设备检修，擅长机械密封选型与改进，主持完成多台离心泵密封冲洗方案改造。"


def committed(django_capture_on_commit_callbacks, action):
    """Run `action` in a transaction and its on-commit work (eager Celery) as a commit would."""
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        return action()


def leaking_pumps(enterprise, **fields):
    defaults = dict(title="车间几台输送泵老是漏料",
                    description="我们车间的几台输送泵隔三差五就往外滴料，换了新件也撑不过一个月。希望有经验的师傅来看看。")
    defaults.update(fields)
    return factories.make_challenge(enterprise=enterprise, **defaults)


def ranked_names(challenge):
    return list(Match.objects.filter(challenge=challenge, kind="expert").order_by("rank")
                .values_list("expert__name", flat=True))


@pytest.fixture
def plant(enterprise_user):
    """A plant in 成都 (its staff user, the enterprise) with a leaking-pump challenge; the best seal expert of
    the catalog (an account, in 成都, working elsewhere) and a second one."""
    user, enterprise = enterprise_user
    enterprise.name, enterprise.city = "成都蓉新化工有限公司", "成都"
    enterprise.save()
    seal_user, seal_master = factories.make_expert_user(name="密封师傅", bio=SEAL_BIO, employer="自贡鸿鹤化工",
                                                        city="成都")
    runner_user, runner_up = factories.make_expert_user(name="动设备专家", bio="熟悉离心泵维修与机械密封更换。",
                                                        employer="泸州天华化工", city="泸州")
    return user, enterprise, seal_user, seal_master, runner_up


# --- the case that was found: an expert moved into the posting enterprise stayed #1, with a 同城 bonus -------

@pytest.mark.usefixtures("taxonomy")
def test_an_expert_who_moves_into_the_posting_enterprise_leaves_its_ranking(
        plant, secretariat, django_capture_on_commit_callbacks):
    # given the seal master ranked first for the plant's leaking pumps, with the same-city bonus
    user, enterprise, seal_user, seal_master, runner_up = plant
    challenge = leaking_pumps(enterprise)
    index_everything()
    challenge_matches_compute(challenge=challenge)
    first = Match.objects.get(challenge=challenge, kind="expert", rank=1)
    assert first.expert_id == seal_master.pk
    assert next(e for e in first.breakdown if e["signal"] == "region")["value"] > 0

    # when the secretariat records that the master now works for the plant (a roster update, a new job)
    committed(django_capture_on_commit_callbacks,
              lambda: experts.expert_update(user=secretariat, expert=seal_master, employer="成都蓉新化工有限公司"))

    # then the challenge is ranked again without him: the runner-up leads, ranks stay contiguous
    names = ranked_names(challenge)
    assert "密封师傅" not in names and names[0] == "动设备专家"
    assert list(Match.objects.filter(challenge=challenge, kind="expert").values_list("rank", flat=True)
                .order_by("rank")) == list(range(1, len(names) + 1))
    # the secretariat sees why he was left out
    [excluded] = exclusion_list(user=secretariat, challenge=challenge)
    assert excluded.expert == seal_master
    assert [(r.code, r.enterprise, r.same_group) for r in excluded.reasons] == [("employer", enterprise, False)]
    assert "成都蓉新化工有限公司" in excluded.reasons[0].explanation()
    # and the plant cannot invite him, even by calling the service directly
    with pytest.raises(Conflict) as refused:
        pairings.pairing_propose(user=user, challenge=challenge, expert=seal_master)
    assert refused.value.code == "conflict_of_interest"
    assert "成都蓉新化工有限公司" in str(refused.value)


# --- the rule: employer, group, account, declaration ------------------------------------------------------------

@pytest.mark.usefixtures("taxonomy")
def test_an_expert_of_another_enterprise_of_the_same_group_is_not_ranked(plant, secretariat):
    user, enterprise, seal_user, seal_master, runner_up = plant
    parent = factories.make_enterprise(name="蓉新化工集团有限公司")
    sister = factories.make_enterprise(name="自贡鸿鹤化工")  # the master's employer, now in the same group
    enterprises.enterprise_update(user=user, enterprise=enterprise, group=parent)
    enterprises.enterprise_update(user=secretariat, enterprise=sister, group=parent)
    challenge = leaking_pumps(enterprise)
    index_everything()

    challenge_matches_compute(challenge=challenge)

    assert "密封师傅" not in ranked_names(challenge)
    reasons = challenge_exclusions(challenge)[seal_master.pk]
    assert [(r.code, r.enterprise.name, r.same_group) for r in reasons] == [("employer", "自贡鸿鹤化工", True)]
    assert "同属一个集团" in reasons[0].explanation() and "group" in reasons[0].explanation("en")


@pytest.mark.usefixtures("taxonomy")
def test_the_parent_of_the_group_and_its_experts_count_too(plant):
    user, enterprise, seal_user, seal_master, runner_up = plant
    parent = factories.make_enterprise(name="自贡鸿鹤化工")  # the master works at the group's parent
    enterprises.enterprise_update(user=user, enterprise=enterprise, group=parent)
    challenge = leaking_pumps(enterprise)

    assert set(challenge_exclusions(challenge)) == {seal_master.pk}


@pytest.mark.usefixtures("taxonomy")
def test_a_declared_conflict_and_an_account_of_the_enterprise_leave_the_expert_out(plant):
    user, enterprise, seal_user, seal_master, runner_up = plant
    experts.expert_update(user=seal_user, expert=seal_master, conflicts=[enterprise])
    enterprise.staff.add(runner_up.user)
    challenge = leaking_pumps(enterprise)
    index_everything()

    challenge_matches_compute(challenge=challenge)

    assert not {"密封师傅", "动设备专家"} & set(ranked_names(challenge))
    exclusions = challenge_exclusions(challenge)
    assert [r.code for r in exclusions[seal_master.pk]] == ["declared"]
    assert [r.code for r in exclusions[runner_up.pk]] == ["staff"]


def test_the_employer_is_recognised_whatever_the_spaces_and_bracket_widths(enterprise_user):
    _, enterprise = enterprise_user
    enterprise.name = "四川（成都）蓉新化工有限公司"
    enterprise.save()
    half = factories.make_expert(employer="四川(成都)蓉新化工有限公司")
    spaced = factories.make_expert(employer="四川（成都） 蓉新化工有限公司".replace(" ", ""))
    other = factories.make_expert(employer="四川成都蓉新化工")  # another spelling is not guessed at

    excluded = set(challenge_exclusions(factories.make_challenge(enterprise=enterprise)))

    assert {half.pk, spaced.pk} <= excluded and other.pk not in excluded


def test_experts_of_unrelated_enterprises_are_not_left_out(plant, other_enterprise_user):
    user, enterprise, seal_user, seal_master, runner_up = plant
    _, other = other_enterprise_user
    experts.expert_update(user=seal_user, expert=seal_master, conflicts=[other])

    assert challenge_exclusions(leaking_pumps(enterprise)) == {}


def test_the_exclusions_of_a_challenge_cost_four_queries_whatever_their_number(
        enterprise_user, django_assert_num_queries):
    _, enterprise = enterprise_user
    for _ in range(5):
        factories.make_expert(employer=enterprise.name)
    challenge = factories.make_challenge(enterprise=enterprise)
    challenge = type(challenge).objects.select_related("enterprise").get(pk=challenge.pk)

    with django_assert_num_queries(4):
        assert len(challenge_exclusions(challenge)) == 5
    with django_assert_num_queries(2):  # what the ranking leaves out: the group, one UNION of the reasons
        excluded = excluded_expert_ids(challenge)
    assert excluded == frozenset(challenge_exclusions(challenge))
    everyone = list(Expert.objects.all())
    with django_assert_num_queries(4):  # read once per challenge object: a page asks per ranked expert
        refusals = [conflict_refusal(challenge, expert) for expert in everyone]
    assert [r.code for r in refusals if r is not None] == ["conflict_of_interest"] * 5


# --- changes that touch a conflict rank again ------------------------------------------------------------------

@pytest.mark.usefixtures("taxonomy")
def test_withdrawing_a_declared_conflict_brings_the_expert_back(plant, django_capture_on_commit_callbacks):
    user, enterprise, seal_user, seal_master, runner_up = plant
    experts.expert_update(user=seal_user, expert=seal_master, conflicts=[enterprise])
    challenge = leaking_pumps(enterprise)
    index_everything()
    challenge_matches_compute(challenge=challenge)
    assert "密封师傅" not in ranked_names(challenge)

    committed(django_capture_on_commit_callbacks,
              lambda: experts.expert_update(user=seal_user, expert=seal_master, conflicts=[]))

    assert ranked_names(challenge)[0] == "密封师傅"


@pytest.mark.usefixtures("taxonomy")
def test_joining_a_group_ranks_the_open_challenges_of_the_group_again(plant, django_capture_on_commit_callbacks):
    user, enterprise, seal_user, seal_master, runner_up = plant
    sister = factories.make_enterprise(name="自贡鸿鹤化工")
    challenge = leaking_pumps(enterprise)
    index_everything()
    challenge_matches_compute(challenge=challenge)
    assert ranked_names(challenge)[0] == "密封师傅"

    committed(django_capture_on_commit_callbacks,
              lambda: enterprises.enterprise_update(user=user, enterprise=enterprise, group=sister))
    assert "密封师傅" not in ranked_names(challenge)

    committed(django_capture_on_commit_callbacks,
              lambda: enterprises.enterprise_update(user=user, enterprise=enterprise, group=None))
    assert ranked_names(challenge)[0] == "密封师傅"


# --- groups: set by the enterprise, verified by the secretariat ---------------------------------------------------

def test_a_group_set_by_the_enterprise_waits_for_the_secretariat(enterprise_user, secretariat):
    user, enterprise = enterprise_user
    parent = factories.make_enterprise(name="蓉新化工集团有限公司")

    enterprises.enterprise_update(user=user, enterprise=enterprise, group=parent)
    enterprise.refresh_from_db()
    assert enterprise.group == parent and not enterprise.group_verified

    enterprises.enterprise_group_verify(user=secretariat, enterprise=enterprise)
    enterprise.refresh_from_db()
    assert enterprise.group_verified and enterprise.group_verified_by == secretariat

    # a change by the enterprise needs a new verification; one by the secretariat is verified at once
    other_parent = factories.make_enterprise()
    enterprises.enterprise_update(user=user, enterprise=enterprise, group=other_parent)
    enterprise.refresh_from_db()
    assert not enterprise.group_verified
    enterprises.enterprise_update(user=secretariat, enterprise=enterprise, group=parent)
    enterprise.refresh_from_db()
    assert enterprise.group_verified


def test_only_the_secretariat_verifies_a_group_and_only_an_existing_one(enterprise_user, secretariat):
    user, enterprise = enterprise_user
    with pytest.raises(IllegalTransition) as none:
        enterprises.enterprise_group_verify(user=secretariat, enterprise=enterprise)
    assert none.value.code == "no_group"
    enterprises.enterprise_update(user=user, enterprise=enterprise, group=factories.make_enterprise())
    with pytest.raises(NotAllowed):
        enterprises.enterprise_group_verify(user=user, enterprise=enterprise)


def test_another_enterprise_cannot_set_the_group(enterprise_user, other_enterprise_user):
    _, enterprise = enterprise_user
    outsider, other = other_enterprise_user
    with pytest.raises(NotAllowed):
        enterprises.enterprise_update(user=outsider, enterprise=enterprise, group=other)


def test_groups_are_one_level_deep_and_never_the_enterprise_itself(enterprise_user):
    user, enterprise = enterprise_user
    parent = factories.make_enterprise()
    member = factories.make_enterprise(group=parent)

    for group, field_message in ((enterprise, "自己"), (member, parent.name)):
        with pytest.raises(ValidationError) as refused:
            enterprises.enterprise_update(user=user, enterprise=enterprise, group=group)
        assert field_message in refused.value.message_dict["group"][0]
    factories.make_enterprise(group=enterprise)  # now enterprise heads a group of its own
    with pytest.raises(ValidationError) as refused:
        enterprises.enterprise_update(user=user, enterprise=enterprise, group=parent)
    assert "group" in refused.value.message_dict


def test_declared_conflicts_are_set_by_the_expert_or_the_secretariat_only(plant, secretariat, other_enterprise_user):
    user, enterprise, seal_user, seal_master, runner_up = plant
    experts.expert_update(user=secretariat, expert=seal_master, conflicts=[enterprise])
    assert list(seal_master.conflicts.all()) == [enterprise]
    with pytest.raises(NotAllowed):
        experts.expert_update(user=user, expert=seal_master, conflicts=[])
    with pytest.raises(NotAllowed):
        experts.expert_update(user=runner_up.user, expert=seal_master, conflicts=[])


# --- who sees who was left out: the secretariat, never the enterprise (REST, GraphQL) -----------------------------

EXCLUSIONS_URL = "/api/v1/challenges/{}/exclusions/"


@pytest.fixture
def moved(plant):
    """The plant's challenge, and the seal master now working for the plant (declared a conflict with it too)."""
    user, enterprise, seal_user, seal_master, runner_up = plant
    seal_master.employer = enterprise.name
    seal_master.save()
    seal_master.conflicts.add(enterprise)
    return user, enterprise, seal_master, leaking_pumps(enterprise)


def test_rest_gives_the_secretariat_the_exclusions_with_reasons(moved, secretariat, token_client_for,
                                                                 django_assert_num_queries):
    user, enterprise, seal_master, challenge = moved
    client = token_client_for(secretariat)
    client.get(EXCLUSIONS_URL.format(challenge.pk))
    # token+user, secretariat?, challenge (+enterprise), group, employer, accounts, declarations, experts
    with django_assert_num_queries(8):
        response = client.get(EXCLUSIONS_URL.format(challenge.pk) + "?lang=en")

    assert response.status_code == 200
    [row] = response.json()
    assert row["expert"] == {"id": seal_master.pk, "name": "密封师傅", "employer": enterprise.name,
                             "province": "sichuan", "city": "成都"}
    assert [(r["code"], r["enterprise"]["id"], r["same_group"]) for r in row["reasons"]] == [
        ("employer", enterprise.pk, False), ("declared", enterprise.pk, False)]
    assert row["reasons"][0]["explanation"] == f"works for the posting enterprise, {enterprise.name}"


def test_rest_never_shows_the_enterprise_or_others_who_was_left_out(moved, token_client_for, expert_user,
                                                                    other_enterprise_user):
    user, enterprise, seal_master, challenge = moved
    for caller, status in ((user, 403), (expert_user[0], 403), (other_enterprise_user[0], 403), (None, 401)):
        response = token_client_for(caller).get(EXCLUSIONS_URL.format(challenge.pk))
        assert response.status_code == status, caller
        assert "密封师傅" not in response.content.decode()
    draft = leaking_pumps(enterprise, status="draft")
    assert token_client_for(other_enterprise_user[0]).get(EXCLUSIONS_URL.format(draft.pk)).status_code == 404


def test_rest_refuses_to_propose_across_a_conflict_with_409(moved, token_client_for):
    user, enterprise, seal_master, challenge = moved
    response = token_client_for(user).post("/api/v1/pairings/", {"challenge": challenge.pk, "expert": seal_master.pk},
                                           format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "conflict_of_interest"
    assert enterprise.name in response.json()["detail"]
    assert not seal_master.pairings.exists()


EXCLUSIONS = """query($id: ID!) { node(id: $id) { ... on Challenge { exclusions {
  expert { name employer } reasons { code sameGroup enterprise { name } explanation(lang: "en") } } } } }"""


def test_graphql_gives_the_secretariat_the_exclusions(moved, secretariat):
    user, enterprise, seal_master, challenge = moved
    data = run(EXCLUSIONS, {"id": gid("Challenge", challenge)}, user=secretariat).ok()
    [row] = data["node"]["exclusions"]
    assert row["expert"]["name"] == "密封师傅"
    assert [(r["code"], r["sameGroup"], r["enterprise"]["name"]) for r in row["reasons"]] == [
        ("EMPLOYER", False, enterprise.name), ("DECLARED", False, enterprise.name)]
    assert row["reasons"][1]["explanation"] == f"declared a conflict of interest with {enterprise.name}"

    listed = run("query($c: ID!) { challengeExclusions(challenge: $c) { expert { name } } }",
                 {"c": gid("Challenge", challenge)}, user=secretariat).ok()
    assert listed["challengeExclusions"] == [{"expert": {"name": "密封师傅"}}]


def test_graphql_refuses_the_enterprise_with_forbidden(moved, expert_user):
    user, enterprise, seal_master, challenge = moved
    for caller in (user, expert_user[0]):
        result = run(EXCLUSIONS, {"id": gid("Challenge", challenge)}, user=caller)
        assert result.code == "FORBIDDEN" and "密封师傅" not in str(result.body)
        result = run("query($c: ID!) { challengeExclusions(challenge: $c) { expert { name } } }",
                     {"c": gid("Challenge", challenge)}, user=caller)
        assert result.code == "FORBIDDEN" and "密封师傅" not in str(result.body)


def test_graphql_refuses_to_propose_across_a_conflict_with_conflict(moved):
    user, enterprise, seal_master, challenge = moved
    result = run("""mutation($c: ID!, $e: ID!) { proposePairing(challenge: $c, expert: $e) {
        pairing { id } } }""", {"c": gid("Challenge", challenge), "e": gid("Expert", seal_master)}, user=user)
    assert result.code == "CONFLICT"
    assert result.errors[0]["extensions"]["reason"] == "conflict_of_interest"
    assert enterprise.name in result.errors[0]["message"]


# --- groups and declarations through the APIs -----------------------------------------------------------------------

def test_rest_the_enterprise_sets_its_group_and_the_secretariat_verifies_it(enterprise_user, secretariat,
                                                                            token_client_for):
    user, enterprise = enterprise_user
    parent = factories.make_enterprise(name="蓉新化工集团有限公司")
    url = f"/api/v1/enterprises/{enterprise.pk}/"

    response = token_client_for(user).patch(url, {"group": parent.pk}, format="json")
    assert response.status_code == 200
    assert response.json()["group"] == {"id": parent.pk, "name": "蓉新化工集团有限公司"}
    assert response.json()["group_verified"] is False

    assert token_client_for(user).post(url + "verify-group/").status_code == 403
    response = token_client_for(secretariat).post(url + "verify-group/")
    assert response.status_code == 200 and response.json()["group_verified"] is True

    response = token_client_for(user).patch(url, {"group": enterprise.pk}, format="json")
    assert response.status_code == 400 and "group" in response.json()["errors"]
    unverified = factories.make_enterprise(verified=False)
    response = token_client_for(user).patch(url, {"group": unverified.pk}, format="json")
    assert response.status_code == 400 and "group" in response.json()["errors"]


def test_graphql_the_enterprise_sets_its_group_and_the_secretariat_verifies_it(enterprise_user, secretariat):
    user, enterprise = enterprise_user
    parent = factories.make_enterprise(name="蓉新化工集团有限公司")
    set_group = """mutation($id: ID!, $g: ID) { updateEnterprise(id: $id, input: {group: $g}) {
        enterprise { group { name } groupVerified } } }"""
    data = run(set_group, {"id": gid("Enterprise", enterprise), "g": gid("Enterprise", parent)}, user=user).ok()
    assert data["updateEnterprise"]["enterprise"] == {"group": {"name": "蓉新化工集团有限公司"}, "groupVerified": False}

    verify = "mutation($id: ID!) { verifyEnterpriseGroup(id: $id) { enterprise { groupVerified } } }"
    assert run(verify, {"id": gid("Enterprise", enterprise)}, user=user).code == "FORBIDDEN"
    data = run(verify, {"id": gid("Enterprise", enterprise)}, user=secretariat).ok()
    assert data["verifyEnterpriseGroup"]["enterprise"]["groupVerified"] is True

    result = run(set_group, {"id": gid("Enterprise", enterprise), "g": gid("Enterprise", enterprise)}, user=user)
    assert result.code == "BAD_USER_INPUT" and "group" in result.errors[0]["extensions"]["fields"]
    hidden = factories.make_enterprise(verified=False)
    assert run(set_group, {"id": gid("Enterprise", enterprise), "g": gid("Enterprise", hidden)},
               user=user).code == "NOT_FOUND"
    data = run(set_group, {"id": gid("Enterprise", enterprise), "g": None}, user=user).ok()
    assert data["updateEnterprise"]["enterprise"] == {"group": None, "groupVerified": False}


def test_declared_conflicts_are_private_to_the_expert_and_the_secretariat(plant, secretariat, token_client_for):
    user, enterprise, seal_user, seal_master, runner_up = plant
    url = f"/api/v1/experts/{seal_master.pk}/"
    response = token_client_for(seal_user).patch(url, {"conflicts": [enterprise.pk]}, format="json")
    assert response.status_code == 200
    assert response.json()["conflicts"] == [{"id": enterprise.pk, "name": enterprise.name}]

    assert token_client_for(secretariat).get(url).json()["conflicts"] == [{"id": enterprise.pk, "name": enterprise.name}]
    for caller in (user, runner_up.user, None):
        assert token_client_for(caller).get(url).json()["conflicts"] is None
        rows = token_client_for(caller).get("/api/v1/experts/").json()["results"]
        assert next(row for row in rows if row["id"] == seal_master.pk)["conflicts"] is None

    query = "query($id: ID!) { node(id: $id) { ... on Expert { declaredConflicts { name } } } }"
    assert run(query, {"id": gid("Expert", seal_master)}, user=user).ok()["node"]["declaredConflicts"] is None
    assert run(query, {"id": gid("Expert", seal_master)}, user=seal_user).ok()["node"]["declaredConflicts"] == [
        {"name": enterprise.name}]


def test_graphql_the_expert_declares_and_withdraws_a_conflict(plant):
    user, enterprise, seal_user, seal_master, runner_up = plant
    mutation = """mutation($c: [ID!]) { updateExpertProfile(input: {conflicts: $c}) {
        expert { declaredConflicts { name } } } }"""
    data = run(mutation, {"c": [gid("Enterprise", enterprise)]}, user=seal_user).ok()
    assert data["updateExpertProfile"]["expert"]["declaredConflicts"] == [{"name": enterprise.name}]
    data = run(mutation, {"c": []}, user=seal_user).ok()
    assert data["updateExpertProfile"]["expert"]["declaredConflicts"] == []
    assert run(mutation, {"c": [gid("Enterprise", 999999)]}, user=seal_user).code == "NOT_FOUND"


# --- the web pages ---------------------------------------------------------------------------------------------------

def signed_in(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def test_the_challenge_page_shows_the_secretariat_who_was_left_out_and_never_the_enterprise(moved, secretariat):
    from django.urls import reverse

    user, enterprise, seal_master, challenge = moved
    url = reverse("web:challenge", args=[challenge.pk])

    page = signed_in(secretariat).get(url).content.decode()
    assert 'data-exclusions="1"' in page and f'data-expert="{seal_master.pk}"' in page
    assert 'data-code="employer"' in page and 'data-code="declared"' in page
    assert f"工作单位是发布需求的企业「{enterprise.name}」" in page

    page = signed_in(user).get(url).content.decode()
    assert "data-exclusions" not in page and "密封师傅" not in page


def test_the_expert_declares_conflicts_on_the_profile_page(plant):
    from django.urls import reverse

    user, enterprise, seal_user, seal_master, runner_up = plant
    client = signed_in(seal_user)
    form = client.get(reverse("web:expert_profile")).context["form"]
    data = {name: value for name, value in form.initial.items() if value not in (None, [])}
    data.update(accepting_pairings="on", accepts_remote="on", conflicts=[enterprise.pk])

    response = client.post(reverse("web:expert_profile"), data)

    assert response.status_code == 302, response.context["form"].errors
    assert list(seal_master.conflicts.all()) == [enterprise]
    assert client.get(reverse("web:expert_profile")).context["form"].initial["conflicts"] == [enterprise.pk]


def test_the_secretariat_verifies_a_group_on_its_dashboard(enterprise_user, secretariat):
    from django.urls import reverse

    user, enterprise = enterprise_user
    parent = factories.make_enterprise(name="蓉新化工集团有限公司")
    enterprises.enterprise_update(user=user, enterprise=enterprise, group=parent)
    client = signed_in(secretariat)
    assert f'data-enterprise="{enterprise.pk}"' in client.get(reverse("web:secretariat")).content.decode()

    client.post(reverse("web:verify_enterprise_group", args=[enterprise.pk]))

    enterprise.refresh_from_db()
    assert enterprise.group_verified
    assert f'data-enterprise="{enterprise.pk}"' not in client.get(reverse("web:secretariat")).content.decode()
