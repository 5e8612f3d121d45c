"""Enterprise pages: my challenges by status, the challenge form, publish / close, ranking with reasons, invite."""
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from enterprises.models import Challenge
from matching.models import PairingAgreement
from matching.pairings.selectors import can_propose
from tests import factories

from .conftest import store_matches

pytestmark = pytest.mark.django_db


def challenge_data(**overrides):
    data = {"title": "反应釜温度波动大", "description": "夏季冷却水温度高时，反应釜温度控制不稳。",
            "category": "technology", "preferred_province": "sichuan", "preferred_city": "成都",
            "region_strictness": "soft"}
    data.update(overrides)
    return data


def test_enterprise_pages_need_sign_in_and_an_enterprise(web, expert_user):
    url = reverse("web:my_challenges")
    assert web().get(url).status_code == 302
    assert web(expert_user[0]).get(url).status_code == 403
    assert web(expert_user[0]).get(reverse("web:challenge_new")).status_code == 403


def test_my_challenges_are_grouped_by_status(web, enterprise_user, other_enterprise_user):
    user, enterprise = enterprise_user
    factories.make_challenge(enterprise=enterprise, status=Challenge.Status.DRAFT, title="草稿一")
    factories.make_challenge(enterprise=enterprise, title="征集一")
    factories.make_challenge(enterprise=other_enterprise_user[1], title="别家的需求")
    client = web(user)

    everything = client.get(reverse("web:my_challenges"))
    drafts = client.get(reverse("web:my_challenges"), {"status": "draft"})

    assert [c.title for c in everything.context["challenges"]] == ["征集一", "草稿一"]
    assert dict((v, n) for v, _, n in everything.context["tabs"])["draft"] == 1
    assert [c.title for c in drafts.context["challenges"]] == ["草稿一"]
    assert "别家的需求" not in everything.content.decode()


def test_my_challenges_link_to_the_export_of_the_tab_shown(web, enterprise_user, other_enterprise_user):
    user, mine = enterprise_user
    factories.make_challenge(enterprise=mine, title="我的草稿", status="draft")
    factories.make_challenge(enterprise=other_enterprise_user[1], title="别人的需求")
    client = web(user)
    html = client.get(reverse("web:my_challenges"), {"status": "draft"}).content.decode()
    link = re.search(r'href="([^"]*challenges/export/\?format=csv[^"]*)"', html).group(1).replace("&amp;", "&")
    assert link == "/api/v1/challenges/export/?format=csv&mine=true&status=draft"
    exported = b"".join(client.get(link).streaming_content).decode("utf-8-sig")
    assert "我的草稿" in exported and "别人的需求" not in exported


def test_my_challenges_query_count_is_fixed(web, enterprise_user, django_assert_num_queries):
    user, enterprise = enterprise_user
    factories.make_challenge(enterprise=enterprise)
    client = web(user)
    client.get(reverse("web:my_challenges"))
    with django_assert_num_queries(10) as first:  # session, user, roles (3), counts, list, enterprises; header: unread, name
        client.get(reverse("web:my_challenges"))
    for _ in range(5):
        factories.make_challenge(enterprise=enterprise)
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(reverse("web:my_challenges"))


def test_posting_a_challenge_saves_a_draft_with_its_skills(web, enterprise_user):
    user, enterprise = enterprise_user
    skill = factories.make_skill(name="反应釜控制")

    response = web(user).post(reverse("web:challenge_new"), challenge_data(skills=[skill.pk]))

    challenge = Challenge.objects.get()
    assert response.status_code == 302 and response.url == reverse("web:challenge", args=[challenge.pk])
    assert (challenge.enterprise, challenge.status, challenge.created_by) == (enterprise, "draft", user)
    assert list(challenge.skills.all()) == [skill]


def test_save_and_publish_opens_the_challenge(web, enterprise_user, django_capture_on_commit_callbacks):
    user, _ = enterprise_user
    with django_capture_on_commit_callbacks() as callbacks:
        web(user).post(reverse("web:challenge_new"), challenge_data(publish="1"))
    assert Challenge.objects.get().status == "open"
    assert callbacks, "publishing queues the match computation after commit"


def test_bad_input_shows_field_errors_and_keeps_what_was_typed(web, enterprise_user):
    user, _ = enterprise_user
    skill = factories.make_skill(name="反应釜控制")

    response = web(user).post(reverse("web:challenge_new"), challenge_data(
        title="", category="", preferred_city="成都市高新区" * 6, skills=[skill.pk],
        description="保留这段描述"))

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"title", "category", "preferred_city"}
    html = response.content.decode()
    assert "保留这段描述" in html
    assert f'<option value="{skill.pk}" selected>' in html
    assert 'aria-invalid="true"' in html
    assert not Challenge.objects.exists()


def test_an_unverified_enterprise_saves_but_cannot_publish(web):
    user, enterprise = factories.make_enterprise_user(verified=False)
    client = web(user)

    response = client.post(reverse("web:challenge_new"), challenge_data(publish="1"), follow=True)

    assert Challenge.objects.get().status == "draft"
    assert "认证后才能发布" in response.content.decode()
    assert "正在等待秘书处认证" in client.get(reverse("web:my_challenges")).content.decode()


def test_editing_keeps_the_challenge_and_only_its_enterprise_may(web, enterprise_user, other_enterprise_user):
    user, enterprise = enterprise_user
    challenge = factories.make_challenge(enterprise=enterprise, status=Challenge.Status.DRAFT)
    url = reverse("web:challenge_edit", args=[challenge.pk])

    assert web(user).get(url).context["form"].initial["title"] == challenge.title
    web(user).post(url, challenge_data(title="新标题"))
    challenge.refresh_from_db()
    assert challenge.title == "新标题"
    assert web(other_enterprise_user[0]).get(url).status_code in (403, 404)
    assert web(other_enterprise_user[0]).post(url, challenge_data(title="篡改")).status_code in (403, 404)
    challenge.refresh_from_db()
    assert challenge.title == "新标题"


def test_publish_and_close_buttons_call_the_services(web, enterprise_user, other_enterprise_user):
    user, enterprise = enterprise_user
    challenge = factories.make_challenge(enterprise=enterprise, status=Challenge.Status.DRAFT)

    assert web(other_enterprise_user[0]).post(reverse("web:challenge_publish", args=[challenge.pk])).status_code \
        in (403, 404)
    web(user).post(reverse("web:challenge_publish", args=[challenge.pk]))
    challenge.refresh_from_db()
    assert challenge.status == "open"
    web(user).post(reverse("web:challenge_close", args=[challenge.pk]), {"reason": "已自行解决"})
    challenge.refresh_from_db()
    assert challenge.status == "closed"
    # closing twice is refused by the service and explained on the page
    response = web(user).post(reverse("web:challenge_close", args=[challenge.pk]), follow=True)
    assert "不能关闭" in response.content.decode()


def test_the_challenge_page_shows_ranked_experts_with_reasons_to_its_enterprise(web, enterprise_user, ranked_challenge):
    challenge, experts = ranked_challenge
    response = web(enterprise_user[0]).get(reverse("web:challenge", args=[challenge.pk]))

    ranking = response.context["ranking"]
    assert [m.expert for m in ranking["experts"]] == experts
    html = response.content.decode()
    assert "掌握所需技能：精馏节能（第1名）" in html and "同城：成都" in html
    assert html.count("邀请结对") == 2


def test_others_see_the_public_challenge_but_not_its_ranking(web, other_enterprise_user, ranked_challenge):
    challenge, experts = ranked_challenge
    for client in (web(), web(other_enterprise_user[0])):
        response = client.get(reverse("web:challenge", args=[challenge.pk]))
        assert response.status_code == 200
        assert response.context["ranking"] is None
        assert "掌握所需技能" not in response.content.decode()


def test_a_draft_is_hidden_from_others(web, enterprise_user, other_enterprise_user):
    challenge = factories.make_challenge(enterprise=enterprise_user[1], status=Challenge.Status.DRAFT)
    assert web(other_enterprise_user[0]).get(reverse("web:challenge", args=[challenge.pk])).status_code == 404
    assert web().get(reverse("web:challenge", args=[challenge.pk])).status_code == 404


def test_challenge_page_query_count_does_not_grow_with_the_ranking(web, enterprise_user, django_assert_num_queries):
    user, enterprise = enterprise_user
    challenge = factories.make_challenge(enterprise=enterprise)
    store_matches(challenge, experts=[factories.make_expert_user()[1] for _ in range(2)],
                  studios=[factories.make_studio()])
    client = web(user)
    client.get(reverse("web:challenge", args=[challenge.pk]))
    # among them: the enterprise's staff and the conflicts of interest (4), whom it cannot invite; the solved
    # challenges like it (matching.similar: none here, so no pairing is read); the studio invitations (one)
    with django_assert_num_queries(18) as first:  # 2 of them: the header's unread count and enterprise name
        client.get(reverse("web:challenge", args=[challenge.pk]))
    challenge.matches.all().delete()
    store_matches(challenge, experts=[factories.make_expert_user()[1] for _ in range(6)],
                  studios=[factories.make_studio() for _ in range(3)])
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(reverse("web:challenge", args=[challenge.pk]))


def test_invite_proposes_a_pairing_to_the_ranked_expert(web, enterprise_user, ranked_challenge):
    challenge, experts = ranked_challenge
    client = web(enterprise_user[0])

    response = client.post(reverse("web:invite", args=[challenge.pk, experts[0].pk]), {"message": "请来现场看看"})

    pairing = PairingAgreement.objects.get()
    assert (pairing.expert, pairing.status, pairing.message) == (experts[0], "proposed", "请来现场看看")
    assert response.url == reverse("web:pairing", args=[pairing.pk])
    page = client.get(reverse("web:challenge", args=[challenge.pk])).content.decode()
    assert "已邀请，等待答复" in page
    # inviting twice is refused by the service, with its message
    again = client.post(reverse("web:invite", args=[challenge.pk, experts[0].pk]), follow=True)
    assert "已向该劳模工匠发出邀请" in again.content.decode()
    assert PairingAgreement.objects.count() == 1


def test_only_the_challenges_enterprise_may_invite(web, other_enterprise_user, ranked_challenge):
    challenge, experts = ranked_challenge
    response = web(other_enterprise_user[0]).post(reverse("web:invite", args=[challenge.pk, experts[0].pk]))
    assert response.status_code == 403
    assert not PairingAgreement.objects.exists()


def test_the_invitation_page_takes_what_the_agreement_will_say(web, enterprise_user, ranked_challenge):
    """Goals, term and deliverables typed at the invitation are the agreement's (and its printed page's)."""
    challenge, experts = ranked_challenge
    client = web(enterprise_user[0])
    url = reverse("web:invite", args=[challenge.pk, experts[0].pk])
    assert url in client.get(reverse("web:challenge", args=[challenge.pk])).content.decode()  # from the ranking
    page = client.get(url).content.decode()
    for name in ("message", "goals", "start_date", "end_date", "deliverables"):
        assert f'name="{name}"' in page

    response = client.post(url, {"message": "请来现场看看", "goals": "蒸汽单耗降低10%", "start_date": "2027-01-04",
                                 "end_date": "2027-06-30", "deliverables": "节能改造方案一份"})

    pairing = PairingAgreement.objects.get()
    assert response.url == reverse("web:pairing", args=[pairing.pk])
    assert (pairing.goals, str(pairing.start_date), str(pairing.end_date), pairing.deliverables) == (
        "蒸汽单耗降低10%", "2027-01-04", "2027-06-30", "节能改造方案一份")
    detail = client.get(response.url).content.decode()
    assert "节能改造方案一份" in detail and "2027-01-04 ~ 2027-06-30" in detail


@pytest.mark.parametrize("data, field", [
    ({"start_date": "2027-06-30", "end_date": "2027-01-04"}, "end_date"),  # the service's rule
    ({"start_date": "下周一"}, "start_date"),  # the form's
])
def test_a_bad_invitation_comes_back_with_field_errors_and_what_was_typed(web, enterprise_user, ranked_challenge,
                                                                          data, field):
    challenge, experts = ranked_challenge
    url = reverse("web:invite", args=[challenge.pk, experts[0].pk])
    response = web(enterprise_user[0]).post(url, {"goals": "降低能耗", **data})
    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]
    assert "降低能耗" in response.content.decode()
    assert not PairingAgreement.objects.exists()


def test_the_invitation_page_is_refused_to_another_enterprise(web, other_enterprise_user, ranked_challenge):
    challenge, experts = ranked_challenge
    assert web(other_enterprise_user[0]).get(reverse("web:invite", args=[challenge.pk, experts[0].pk])).status_code == 403


INVITE = re.compile(r'action="/challenges/(\d+)/invite/(\d+)/"')


@pytest.mark.parametrize("status", [Challenge.Status.OPEN, Challenge.Status.CLOSED])
def test_the_invite_button_shows_exactly_when_the_selector_allows_the_invitation(
        web, status, enterprise_user, other_enterprise_user, expert_user, secretariat):
    user, enterprise = enterprise_user
    own_staff_account, own_staff = factories.make_expert_user(name="本企业员工")
    enterprise.staff.add(own_staff_account)
    experts = [
        factories.make_expert_user(name="可邀请")[1],
        factories.make_expert_user(name="暂停结对", accepting_pairings=False)[1],
        factories.make_expert(name="未开通账号"),
        own_staff,
    ]
    challenge = factories.make_challenge(enterprise=enterprise, status=status)
    store_matches(challenge, experts=experts)

    for viewer in (user, other_enterprise_user[0], expert_user[0], secretariat, None):
        html = web(viewer).get(reverse("web:challenge", args=[challenge.pk])).content.decode()

        offered = {int(e) for c, e in INVITE.findall(html) if int(c) == challenge.pk}
        asker = viewer if viewer is not None else AnonymousUser()
        assert offered == {e.pk for e in experts if can_propose(asker, challenge, e)}, viewer
    owner_page = web(user).get(reverse("web:challenge", args=[challenge.pk])).content.decode()
    if status == Challenge.Status.OPEN:
        assert offered_names(owner_page) == ["可邀请", "未开通账号"]
        assert owner_page.count("尚未开通账号：邀请将以专属链接发送") == 1  # the catalog entry nobody claimed
        for refusal in ("该劳模工匠暂不接受结对。", "不能邀请本企业的员工结对。"):
            assert owner_page.count(refusal) == 1
    else:
        assert offered_names(owner_page) == [] and "data-refusal" not in owner_page


def offered_names(html) -> list[str]:
    """Names of the ranked experts whose card holds an invite form, in rank order."""
    cards = html.split('class="card match"')[1:]
    return [re.search(r'<h3><a href="/experts/\d+/">([^<]+)</a>', card).group(1) for card in cards
            if 'class="invite-form"' in card]
