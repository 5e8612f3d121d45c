"""Every change that alters a conflict of interest ranks the open challenges it touches again (issue 11, left
open: a studio whose host enterprise became the posting enterprise stayed ranked until something else re-ranked).
The facts a conflict is read from (matching.conflicts) — a studio's host enterprise (依托单位) and lead, an expert's
employer, account, studio and declarations, an enterprise's staff accounts and group — are watched in one place
(matching.receivers), whoever writes them: the web pages, REST, GraphQL, the admin. The open challenges touched
are those of the enterprises named before and after the change, and of their groups (conflicts.conflict_scope).
After the re-ranking the enterprise's list simply lacks the studio; only the secretariat sees who was left out.
"""
import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from enterprises import services as enterprises
from enterprises.models import Challenge
from matching.conflicts import conflict_scope, named_enterprise_ids
from matching.models import Match
from matching.services import challenge_matches_compute
from tests import factories
from tests.gql import gid, run

from .matching_world import index_everything, taxonomy  # noqa: F401  (taxonomy is a fixture)

SEAL = "长期从事化工动设备检修，擅长机械密封选型与改进，主持完成多台离心泵密封冲洗方案改造。"
PLANT = "成都蓉新化工有限公司"


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """committed(action): run `action` in a transaction and its on-commit work (eager Celery) as a commit would."""
    def run_committed(action):
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            return action()
    return run_committed


@pytest.fixture
def plant(enterprise_user, taxonomy):  # noqa: F811
    """A plant posting leaking pumps; a seal studio hosted elsewhere, ranked for it; a fitter of the plant who
    belongs to no studio (an expert account)."""
    user, enterprise = enterprise_user
    enterprise.name = PLANT
    enterprise.save()
    studio = factories.make_studio(name="天华密封创新工作室", host_enterprise="泸州天华化工", focus=["机械密封"])
    factories.make_expert(name="天华师傅", bio=SEAL, employer="泸州天华化工", studio=studio)
    fitter_user, fitter = factories.make_expert_user(name="蓉新钳工", bio="熟悉离心泵维修。", employer=PLANT)
    challenge = factories.make_challenge(
        enterprise=enterprise, title="车间几台输送泵老是漏料",
        description="我们车间的几台输送泵隔三差五就往外滴料，换了新件也撑不过一个月。希望有经验的师傅来看看。")
    index_everything()
    challenge_matches_compute(challenge=challenge)
    assert studio_ranked(challenge, studio)
    return user, enterprise, studio, fitter_user, fitter, challenge


def studio_ranked(challenge, studio) -> bool:
    return Match.objects.filter(challenge=challenge, kind="studio", studio=studio).exists()


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def admin_client():
    secretariat = factories.make_secretariat()
    secretariat.is_superuser = True  # admin permissions; the rules themselves check the secretariat role
    secretariat.save()
    return signed_in(secretariat)


def admin_change(client, obj, **changes):
    """POST `obj`'s admin change form as the page would, with `changes` over its current values."""
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    context = client.get(url).context
    form = context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = field.prepare_value(form[name].value())
        data[name] = "" if value is None else value
    for inline in context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update({management.add_prefix(name): value for name, value in management.initial.items()})
    data.update({name: ("" if value is None else value) for name, value in changes.items()})
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


# --- a studio's host enterprise ------------------------------------------------------------------------------

def test_a_studio_rehosted_by_the_posting_enterprise_over_rest_leaves_the_ranking_and_returns_over_graphql(
        plant, secretariat, token_client_for, committed):
    user, enterprise, studio, fitter_user, fitter, challenge = plant

    # when the secretariat records that the studio is now hosted by the plant (full-width brackets or not)
    response = committed(lambda: token_client_for(secretariat).patch(
        f"/api/v1/studios/{studio.pk}/", {"host_enterprise": PLANT}, format="json"))
    assert response.status_code == 200, response.content

    # then the plant's ranking no longer holds the studio, and nothing tells the plant it was left out
    assert not studio_ranked(challenge, studio)
    listed = token_client_for(user).get(f"/api/v1/challenges/{challenge.pk}/matches/?type=studio")
    assert listed.status_code == 200 and studio.name not in listed.content.decode()
    exclusions = f"/api/v1/challenges/{challenge.pk}/studio-exclusions/"
    assert token_client_for(user).get(exclusions).status_code == 403
    # the secretariat sees why
    [row] = token_client_for(secretariat).get(exclusions).json()
    assert row["studio"]["id"] == studio.pk and [r["code"] for r in row["reasons"]] == ["host"]

    # when the host is set back (GraphQL), the studio is ranked again
    mutation = "mutation($id: ID!, $host: String) { updateStudio(id: $id, input: {hostEnterprise: $host}) { studio { id } } }"
    committed(lambda: run(mutation, {"id": gid("Studio", studio), "host": "泸州天华化工"}, user=secretariat).ok())
    assert studio_ranked(challenge, studio)


def test_a_studio_rehosted_in_the_admin_leaves_the_ranking(plant, committed):
    user, enterprise, studio, fitter_user, fitter, challenge = plant

    committed(lambda: admin_change(admin_client(), studio, host_enterprise=PLANT))

    assert not studio_ranked(challenge, studio)


def test_a_studio_whose_host_joins_the_posting_enterprises_group_leaves_the_ranking(plant, secretariat, committed):
    user, enterprise, studio, fitter_user, fitter, challenge = plant
    host = factories.make_enterprise(name="泸州天华化工")

    committed(lambda: enterprises.enterprise_update(user=secretariat, enterprise=host, group=enterprise))

    assert not studio_ranked(challenge, studio)


# --- the studio's members and lead -------------------------------------------------------------------------------

def test_a_member_in_conflict_joining_over_rest_leaves_the_studio_out_and_leaving_in_the_admin_brings_it_back(
        plant, secretariat, token_client_for, committed):
    user, enterprise, studio, fitter_user, fitter, challenge = plant

    # when the plant's fitter joins the studio (the secretariat keeps the roster)
    response = committed(lambda: token_client_for(secretariat).patch(
        f"/api/v1/experts/{fitter.pk}/", {"studio": studio.pk}, format="json"))
    assert response.status_code == 200, response.content

    # then the studio answers as a team with the plant's own fitter in it: left out
    assert not studio_ranked(challenge, studio)
    [row] = token_client_for(secretariat).get(f"/api/v1/challenges/{challenge.pk}/studio-exclusions/").json()
    assert [(r["code"], r["member"]["id"]) for r in row["reasons"]] == [("member", fitter.pk)]

    # when he leaves it (the admin), the studio is ranked again
    committed(lambda: admin_change(admin_client(), fitter, studio=None))
    assert studio_ranked(challenge, studio)


def test_a_lead_in_conflict_named_in_the_admin_leaves_the_studio_out(plant, committed):
    user, enterprise, studio, fitter_user, fitter, challenge = plant

    committed(lambda: admin_change(admin_client(), studio, lead=fitter.pk))

    assert not studio_ranked(challenge, studio)


def test_a_member_declaring_a_conflict_on_the_profile_page_leaves_the_studio_out(plant, committed):
    user, enterprise, studio, fitter_user, fitter, challenge = plant
    member_user = factories.make_user()
    member = studio.members.get()
    member.user = member_user
    member.save()
    client = signed_in(member_user)
    form = client.get(reverse("web:expert_profile")).context["form"]
    data = {name: value for name, value in form.initial.items() if value not in (None, [])}
    data.update(accepting_pairings="on", accepts_remote="on", conflicts=[enterprise.pk])

    response = committed(lambda: client.post(reverse("web:expert_profile"), data))

    assert response.status_code == 302, response.context["form"].errors
    assert not studio_ranked(challenge, studio)


def test_an_experts_account_added_to_the_enterprises_staff_leaves_the_expert_and_the_studio_out(
        plant, committed):
    user, enterprise, studio, fitter_user, fitter, challenge = plant
    member_user = factories.make_user()
    member = studio.members.get()
    member.user = member_user
    member.save()
    assert Match.objects.filter(challenge=challenge, expert=member).exists()

    committed(lambda: admin_change(admin_client(), enterprise, staff=[user.pk, member_user.pk]))

    assert not Match.objects.filter(challenge=challenge, expert=member).exists()
    assert not studio_ranked(challenge, studio)


# --- what a change touches -----------------------------------------------------------------------------------------

def test_the_scope_is_the_open_challenges_of_the_enterprises_named_and_of_their_groups(enterprise_user, secretariat):
    user, enterprise = enterprise_user
    enterprise.name = "成都蓉新化工（集团）有限公司"
    enterprise.save()
    sister = factories.make_enterprise(name="蓉新 新材料有限公司", group=enterprise)
    unrelated = factories.make_enterprise(name="泸州天华化工")
    open_own = factories.make_challenge(enterprise=enterprise)
    open_sister = factories.make_challenge(enterprise=sister)
    factories.make_challenge(enterprise=unrelated)
    draft = factories.make_challenge(enterprise=sister)
    Challenge.objects.filter(pk=draft.pk).update(status=Challenge.Status.DRAFT)

    # any spelling the conflict rule accepts designates the enterprise: spaces, bracket widths
    assert named_enterprise_ids(["成都蓉新化工(集团)有限公司"]) == {enterprise.pk}
    assert named_enterprise_ids(["蓉新新材料有限公司", "蓉新 新材料有限公司"]) == {sister.pk}
    assert named_enterprise_ids(["蓉新化工"]) == set()
    # a name of one member of the group touches the open challenges of the whole group, never a draft
    assert conflict_scope(names=["蓉新新材料有限公司"]) == sorted([open_own.pk, open_sister.pk])
    # an expert touches the enterprises they have a conflict with
    expert = factories.make_expert(employer="泸州天华化工")
    expert.conflicts.set([sister])
    scope = conflict_scope(expert_ids=[expert.pk])
    assert open_own.pk in scope and open_sister.pk in scope and len(scope) == 3
