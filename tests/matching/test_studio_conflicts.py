"""Conflicts of interest of studios (issue 11 §2, studios): a studio is never ranked for a challenge when its
host enterprise (依托单位) is the posting enterprise or one of its group, or when one of its members (its lead
included) has a conflict of interest with the challenge — a studio answers as a team, and that member's interest
would come with it. The enterprise never sees which studios were left out; the secretariat does, with the
reasons (REST, GraphQL). One rule, matching.conflicts, read by the ranking."""
import pytest

from enterprises import services as enterprises
from matching.conflicts import excluded_studio_ids, studio_exclusion_list, studio_exclusions
from matching.models import Match
from matching.services import challenge_matches_compute
from jianglian.errors import NotAllowed
from tests import factories
from tests.gql import gid, run

from .matching_world import index_everything, taxonomy  # noqa: F401  (taxonomy is a fixture)

SEAL = "长期从事化工动设备检修，擅长机械密封选型与改进，主持完成多台离心泵密封冲洗方案改造。"
URL = "/api/v1/challenges/{}/studio-exclusions/"


@pytest.fixture
def plant(enterprise_user):
    """A plant with a leaking-pump posting, and three seal studios: one hosted by the plant, one whose member
    works for the plant, one unrelated."""
    user, enterprise = enterprise_user
    enterprise.name = "成都蓉新化工有限公司"
    enterprise.save()
    own = factories.make_studio(name="蓉新密封创新工作室", host_enterprise="成都蓉新化工有限公司", focus=["机械密封"])
    factories.make_expert(name="蓉新师傅", bio=SEAL, employer="自贡鸿鹤化工", studio=own)
    with_insider = factories.make_studio(name="鸿鹤密封创新工作室", host_enterprise="自贡鸿鹤化工", focus=["机械密封"])
    factories.make_expert(name="鸿鹤师傅", bio=SEAL, employer="自贡鸿鹤化工", studio=with_insider)
    insider = factories.make_expert(name="调入师傅", bio="熟悉离心泵维修。", employer="成都蓉新化工有限公司",
                                    studio=with_insider)
    free = factories.make_studio(name="天华密封创新工作室", host_enterprise="泸州天华化工", focus=["机械密封"])
    factories.make_expert(name="天华师傅", bio=SEAL, employer="泸州天华化工", studio=free)
    challenge = factories.make_challenge(
        enterprise=enterprise, title="车间几台输送泵老是漏料",
        description="我们车间的几台输送泵隔三差五就往外滴料，换了新件也撑不过一个月。希望有经验的师傅来看看。")
    return user, enterprise, own, with_insider, insider, free, challenge


@pytest.mark.usefixtures("taxonomy")
def test_a_studio_hosted_by_the_posting_enterprise_or_with_a_member_working_there_is_not_ranked(plant):
    user, enterprise, own, with_insider, insider, free, challenge = plant
    index_everything()

    challenge_matches_compute(challenge=challenge)

    ranked = set(Match.objects.filter(challenge=challenge, kind="studio").values_list("studio_id", flat=True))
    assert free.pk in ranked
    assert not {own.pk, with_insider.pk} & ranked
    assert excluded_studio_ids(challenge) == {own.pk, with_insider.pk}
    reasons = studio_exclusions(challenge)
    assert [(r.code, r.enterprise.name, r.same_group) for r in reasons[own.pk]] == [
        ("host", "成都蓉新化工有限公司", False)]
    [member] = reasons[with_insider.pk]
    assert (member.code, member.member.pk, [r.code for r in member.member_reasons]) == ("member", insider.pk,
                                                                                        ["employer"])
    assert "调入师傅" in member.explanation() and "member" in member.explanation("en")


@pytest.mark.usefixtures("taxonomy")
def test_a_studio_hosted_by_an_enterprise_of_the_same_group_is_left_out_too(plant, secretariat):
    user, enterprise, own, with_insider, insider, free, challenge = plant
    parent = factories.make_enterprise(name="蓉新化工集团有限公司")
    sister = factories.make_enterprise(name="泸州天华化工")   # the free studio's host joins the plant's group
    enterprises.enterprise_update(user=user, enterprise=enterprise, group=parent)
    enterprises.enterprise_update(user=secretariat, enterprise=sister, group=parent)

    reasons = studio_exclusions(challenge)[free.pk]
    # its host is of the group; its member, employed there, is left out for the group too
    assert [(r.code, r.same_group) for r in reasons] == [("host", True), ("member", False)]
    assert "同属一个集团" in reasons[0].explanation()


@pytest.mark.usefixtures("taxonomy")
def test_studios_of_unrelated_enterprises_and_members_are_ranked(plant, other_enterprise_user):
    challenge = factories.make_challenge(enterprise=other_enterprise_user[1], title="换热器结垢快")
    assert excluded_studio_ids(challenge) == frozenset()
    assert studio_exclusions(challenge) == {}


def test_only_the_secretariat_reads_the_studios_left_out(plant, secretariat, token_client_for, expert_user):
    user, enterprise, own, with_insider, insider, free, challenge = plant
    response = token_client_for(secretariat).get(URL.format(challenge.pk) + "?lang=en")
    assert response.status_code == 200
    rows = response.json()
    assert [row["studio"]["name"] for row in rows] == ["蓉新密封创新工作室", "鸿鹤密封创新工作室"]
    assert rows[0]["reasons"][0]["code"] == "host" and rows[0]["reasons"][0]["enterprise"]["id"] == enterprise.pk
    assert rows[1]["reasons"][0]["code"] == "member" and rows[1]["reasons"][0]["member"]["id"] == insider.pk
    assert rows[0]["reasons"][0]["explanation"] == "hosted by the posting enterprise, 成都蓉新化工有限公司"
    # the enterprise never sees who was left out
    response = token_client_for(user).get(URL.format(challenge.pk))
    assert response.status_code == 403
    assert token_client_for(expert_user[0]).get(URL.format(challenge.pk)).status_code in (403, 404)
    with pytest.raises(NotAllowed):
        studio_exclusion_list(user=user, challenge=challenge)


def test_graphql_gives_the_secretariat_the_studios_left_out(plant, secretariat):
    user, enterprise, own, with_insider, insider, free, challenge = plant
    query = """query($c: ID!) { challengeStudioExclusions(challenge: $c) {
      studio { name } reasons { code sameGroup enterprise { name } member { name } explanation(lang: "zh-hans") } } }"""
    rows = run(query, {"c": gid("Challenge", challenge)}, user=secretariat).ok()["challengeStudioExclusions"]
    assert [r["studio"]["name"] for r in rows] == ["蓉新密封创新工作室", "鸿鹤密封创新工作室"]
    assert rows[0]["reasons"] == [{"code": "HOST", "sameGroup": False, "enterprise": {"name": "成都蓉新化工有限公司"},
                                   "member": None, "explanation": "依托单位是发布需求的企业「成都蓉新化工有限公司」"}]
    assert rows[1]["reasons"][0]["code"] == "MEMBER" and rows[1]["reasons"][0]["member"] == {"name": "调入师傅"}
    assert run(query, {"c": gid("Challenge", challenge)}, user=user).code == "FORBIDDEN"


@pytest.mark.usefixtures("taxonomy")
def test_the_challenge_page_shows_the_secretariat_the_studios_left_out_and_never_the_enterprise(plant, secretariat):
    from django.test import Client
    from django.urls import reverse

    user, enterprise, own, with_insider, insider, free, challenge = plant
    url = reverse("web:challenge", args=[challenge.pk])
    client = Client()
    client.force_login(secretariat)

    page = client.get(url).content.decode()
    assert 'data-studio-exclusions="2"' in page
    assert f'data-studio="{own.pk}"' in page and f'data-studio="{with_insider.pk}"' in page
    assert f'data-studio="{free.pk}"' not in page
    assert "依托单位是发布需求的企业「成都蓉新化工有限公司」" in page and "成员「调入师傅」存在利益冲突" in page

    client.force_login(user)
    page = client.get(url).content.decode()
    assert "data-studio-exclusions" not in page and "蓉新密封创新工作室" not in page
