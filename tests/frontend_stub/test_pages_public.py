"""Public pages: the home figures, batches, the catalog with facets and snippets, profiles without contacts."""
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from alliance.models import MembershipBatch, Studio
from enterprises.models import Challenge
from jianglian.choices import Category, Honour, Province
from matching.models import PairingAgreement
from tests import factories

pytestmark = pytest.mark.django_db


def test_home_shows_the_alliance_figures(web):
    skill = factories.make_skill()
    factories.make_studio(membership_status=Studio.MembershipStatus.MEMBER)
    factories.make_studio()  # not a member
    expert = factories.make_expert(skills=[skill])
    factories.make_expert()
    open_challenge = factories.make_challenge(title="反应釜温控不稳")
    factories.make_challenge(status=Challenge.Status.DRAFT, title="草稿需求")
    done = factories.make_challenge(status=Challenge.Status.RESOLVED)
    PairingAgreement.objects.create(challenge=done, expert=expert, status="completed", problems_solved=3,
                                    activated_at=timezone.now())

    response = web().get(reverse("web:home"))

    assert response.status_code == 200
    figures = response.context["figures"]
    assert (figures.member_studios, figures.experts, figures.open_challenges) == (1, 2, 1)
    assert (figures.pairings_signed, figures.problems_solved) == (1, 3)
    html = response.content.decode()
    assert 'data-figure="problems_solved">3<' in html
    assert open_challenge.title in html and "草稿需求" not in html


def test_home_query_count_does_not_grow_with_batches(web, django_assert_max_num_queries):
    for n in range(3):
        batch = MembershipBatch.objects.create(number=n + 1, name=f"第{n + 1}批", published_at=timezone.now())
        for _ in range(3):
            factories.make_studio(membership_status=Studio.MembershipStatus.MEMBER, batch=batch)
    with django_assert_max_num_queries(9):
        assert web().get(reverse("web:home")).status_code == 200


def test_batches_page_lists_published_batches_with_their_studios(web):
    batch = MembershipBatch.objects.create(number=1, name="首批", published_at=timezone.now())
    studio = factories.make_studio(name="王强精馏创新工作室", membership_status="member", batch=batch)

    html = web().get(reverse("web:batches")).content.decode()

    assert "首批" in html and studio.name in html


def test_expert_catalog_filters_by_facets_and_counts_them(web, catalog_index):
    distill = factories.make_skill(code="distill", name="精馏节能", category=Category.GREEN)
    safety = factories.make_skill(code="safety", name="安全管理", category=Category.MANAGEMENT)
    factories.make_expert(name="甲", skills=[distill], province=Province.SICHUAN, honours=[Honour.GREAT_CRAFTSMAN])
    factories.make_expert(name="乙", skills=[safety], province=Province.JIANGSU)
    factories.make_expert(name="丙", skills=[distill, safety], province=Province.JIANGSU,
                          honours=[Honour.NATIONAL_MODEL_WORKER])
    catalog_index()
    client = web()

    everyone = client.get(reverse("web:experts")).context["result"]
    by_skill = client.get(reverse("web:experts"), {"skill": "distill"}).context["result"]
    by_both = client.get(reverse("web:experts"), {"skill": "distill", "province": "jiangsu"}).context["result"]
    by_honour = client.get(reverse("web:experts"), {"honour": Honour.GREAT_CRAFTSMAN}).context["result"]

    assert everyone.total == 3
    assert {f.value: f.count for f in everyone.facets["province"]} == {"sichuan": 1, "jiangsu": 2}
    assert {f.value: f.count for f in everyone.facets["skill"]} == {"distill": 2, "safety": 2}
    assert {f.label for f in everyone.facets["honour"]} == {"大国工匠", "全国劳动模范"}
    assert sorted(e.name for e in by_skill.page) == ["丙", "甲"]
    assert [e.name for e in by_both.page] == ["丙"]
    assert [e.name for e in by_honour.page] == ["甲"]


def test_expert_catalog_search_highlights_the_matched_words(web, catalog_index):
    factories.make_expert(name="王强", bio="二十年来专注精馏塔节能改造，蒸汽单耗下降三成。")
    factories.make_expert(name="李明", bio="长期从事制药设备的验证工作。")
    catalog_index()

    response = web().get(reverse("web:experts"), {"q": "精馏节能"})

    names = [e.name for e in response.context["result"].page]
    assert names == ["王强"]
    assert "<em>精馏</em>" in response.content.decode()


def test_catalog_escapes_what_users_typed(web, catalog_index):
    factories.make_expert(name="王强", bio="<script>alert(1)</script> 精馏")
    catalog_index()

    html = web().get(reverse("web:experts"), {"q": "精馏 <b>"}).content.decode()

    assert "<script>alert(1)" not in html
    assert 'value="精馏 &lt;b&gt;"' in html


def test_expert_catalog_query_count_is_fixed(web, catalog_index, django_assert_num_queries):
    skills = [factories.make_skill() for _ in range(3)]
    for _ in range(3):
        factories.make_expert(skills=skills, honours=[Honour.GREAT_CRAFTSMAN])
    catalog_index()
    client = web()
    client.get(reverse("web:experts"))  # warm-up (sessions, content types)
    with django_assert_num_queries(4) as ctx:  # skill names, experts, their skills, their honours
        client.get(reverse("web:experts"))
    for _ in range(6):
        factories.make_expert(skills=skills, honours=[Honour.NATIONAL_MODEL_WORKER])
    catalog_index()
    with django_assert_num_queries(len(ctx.captured_queries)):
        client.get(reverse("web:experts"))


@pytest.mark.parametrize("page, export", [("web:experts", "expert-export"), ("web:studios", "studio-export")])
def test_a_catalog_exports_what_its_filters_select_and_says_a_search_term_is_not_part_of_it(web, catalog_index,
                                                                                              page, export):
    catalog_index()

    filtered = web().get(reverse(page), {"province": "sichuan"}).content.decode()
    searched = web().get(reverse(page), {"province": "sichuan", "q": "精馏"}).content.decode()

    for fmt in ("xlsx", "csv"):
        assert f'href="{reverse(export)}?format={fmt}&amp;province=sichuan"' in filtered
    assert "不含搜索关键词" not in filtered and "不含搜索关键词" in searched


def test_studio_catalog_filters_members(web, catalog_index):
    factories.make_studio(name="普通工作室")
    member = factories.make_studio(name="成员工作室", membership_status=Studio.MembershipStatus.MEMBER)
    catalog_index()

    everyone = web().get(reverse("web:studios")).context["result"]
    members = web().get(reverse("web:studios"), {"membership": "member"}).context["result"]

    assert everyone.total == 2
    assert {f.value: f.count for f in everyone.facets["membership"]} == {"member": 1, "none": 1}
    assert [s.name for s in members.page] == [member.name]


def test_the_catalog_answers_503_with_a_retry_page_when_search_is_unavailable(web, unreachable_search, expert_user):
    factories.make_expert(name="王强", bio="专注精馏塔节能改造。")

    for url in (reverse("web:experts"), reverse("web:studios")):
        for user in (None, expert_user[0]):
            response = web(user).get(url, {"q": "精馏", "page": "2"})

            assert response.status_code == 503
            assert response["Retry-After"] == "30"
            assert "frontend_stub/search_unavailable.html" in [t.name for t in response.templates]
            html = response.content.decode()
            assert "检索服务暂不可用" in html and "请稍后再试" in html
            assert "王强" not in html  # no silent listing from the database


def test_the_search_unavailable_page_is_english_under_english(web, unreachable_search):
    response = web().get(reverse("web:experts"), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 503
    html = response.content.decode()
    assert "Search is unavailable" in html and "try again shortly" in html
    assert "检索服务暂不可用" not in html


def test_an_unreachable_elasticsearch_is_answered_from_the_kept_embedded_index(web, catalog_index, settings):
    from search.backends import reset_backends

    factories.make_expert(name="王强", bio="专注精馏塔节能改造。")
    catalog_index()
    settings.SEARCH_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    settings.SEARCH_KEEP_EMBEDDED = True
    reset_backends()

    response = web().get(reverse("web:experts"), {"q": "精馏"})

    assert response.status_code == 200
    assert [e.name for e in response.context["result"].page] == ["王强"]


def test_the_catalog_lists_what_the_index_holds_never_the_database_directly(web, catalog_index):
    catalog_index()
    factories.make_expert(name="王强", bio="专注精馏塔节能改造。")  # saved, not yet indexed

    before = web().get(reverse("web:experts"), {"q": "精馏"}).context["result"]
    catalog_index()
    after = web().get(reverse("web:experts"), {"q": "精馏"}).context["result"]

    assert (before.total, list(before.page)) == (0, [])
    assert [e.name for e in after.page] == ["王强"]


def test_the_catalog_pages_through_the_index(web, catalog_index, settings):
    from frontend_stub import catalog

    for n in range(catalog.PER_PAGE + 2):
        factories.make_expert(name=f"专家{n:02d}", bio="精馏")
    catalog_index()
    client = web()

    first = client.get(reverse("web:experts"))
    second = client.get(reverse("web:experts"), {"page": 2})

    assert first.context["result"].total == catalog.PER_PAGE + 2
    assert len(first.context["result"].page) == catalog.PER_PAGE
    assert [e.name for e in second.context["result"].page] == ["专家12", "专家13"]
    assert 'rel="next" href="?page=2"' in first.content.decode()
    assert 'rel="prev" href="?page=1"' in second.content.decode()
    assert "第 2 / 2 页" in second.content.decode()


def test_studio_catalog_highlights_and_shows_lead_and_skills(web, catalog_index):
    skill = factories.make_skill(code="distill", name="精馏节能")
    lead = factories.make_expert(name="王强")
    factories.make_studio(name="王强精馏创新工作室", lead=lead, skills=[skill],
                          description="依托装置开展精馏塔节能改造。")
    factories.make_studio(name="制剂工作室", description="片剂工艺。")
    catalog_index()

    response = web().get(reverse("web:studios"), {"q": "精馏"})

    result = response.context["result"]
    assert [s.name for s in result.page] == ["王强精馏创新工作室"]
    assert {f.value: f.count for f in result.facets["skill"]} == {"distill": 1}
    html = response.content.decode()
    assert "<em>精馏</em>" in html and "领衔人 王强" in html and "<li>精馏节能</li>" in html


def test_studio_catalog_query_count_is_fixed(web, catalog_index, django_assert_num_queries):
    skills = [factories.make_skill() for _ in range(2)]
    for _ in range(2):
        factories.make_studio(lead=factories.make_expert(), skills=skills)
    catalog_index()
    client = web()
    client.get(reverse("web:studios"))  # warm-up
    with django_assert_num_queries(3) as ctx:  # studios with their leads, their skills, skill names
        client.get(reverse("web:studios"))
    for _ in range(5):
        factories.make_studio(lead=factories.make_expert(), skills=skills)
    catalog_index()
    with django_assert_num_queries(len(ctx.captured_queries)):
        client.get(reverse("web:studios"))


def test_expert_profile_never_shows_private_contact_details(web, enterprise_user, secretariat):
    expert = factories.make_expert(name="王强", phone="13812345678", email="wangqiang@example.com")

    for user in (None, enterprise_user[0], secretariat):
        html = web(user).get(reverse("web:expert", args=[expert.pk])).content.decode()
        assert "王强" in html
        assert "13812345678" not in html and "wangqiang@example.com" not in html


def test_expert_profile_lists_the_campus_events_they_took_part_in(web):
    from alliance.models import EventParticipation, OutreachEvent

    expert = factories.make_expert(name="王强")
    event = OutreachEvent.objects.create(
        title="精馏操作实训", school="四川化工职业技术学院", province=Province.SICHUAN, city="泸州",
        starts_at=timezone.now(), format=OutreachEvent.Format.TRAINING, topic="精馏塔操作", status="held",
    )
    planned = OutreachEvent.objects.create(
        title="尚未确认的讲座", school="某大学", province=Province.SICHUAN, city="成都",
        starts_at=timezone.now(), format=OutreachEvent.Format.LECTURE, topic="x",
    )
    EventParticipation.objects.create(event=event, expert=expert, status="confirmed", role="实训指导")
    EventParticipation.objects.create(event=planned, expert=expert, status="confirmed")

    html = web().get(reverse("web:expert", args=[expert.pk])).content.decode()

    assert "四川化工职业技术学院" in html and "实训指导" in html
    assert "尚未确认的讲座" not in html


def test_studio_profile_shows_lead_and_members(web):
    lead = factories.make_expert(name="王强", phone="13812345678")
    studio = factories.make_studio(name="王强精馏创新工作室", lead=lead)
    lead.studio = studio
    lead.save()

    html = web().get(reverse("web:studio", args=[studio.pk])).content.decode()

    assert studio.name in html and "王强" in html and "13812345678" not in html


def test_skill_suggestions_answer_json_for_the_picker(web):
    factories.make_skill(code="distillation-energy", name="精馏节能", name_en="Distillation energy saving")
    factories.make_skill(code="gmp", name="GMP 验证")

    data = json.loads(web().get(reverse("web:skill_suggestions"), {"q": "精馏"}).content)

    assert [s["name"] for s in data["results"]] == ["精馏节能"]
    assert set(data["results"][0]) == {"id", "code", "name", "name_en", "category"}


def test_skill_suggestions_find_a_skill_by_a_chinese_synonym_on_every_database(web):
    factories.make_skill(code="mechanical-seal", name="机械密封", synonyms=["机封", "端面密封"])
    factories.make_skill(code="pumps", name="泵类维修", synonyms=["离心泵"])

    data = json.loads(web().get(reverse("web:skill_suggestions"), {"q": "机封"}).content)

    assert [s["code"] for s in data["results"]] == ["mechanical-seal"]


def test_unknown_profile_is_404(web):
    assert web().get(reverse("web:expert", args=[999999])).status_code == 404
    assert web().get(reverse("web:studio", args=[999999])).status_code == 404


def test_language_switch_shows_english(web):
    client = web()
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()
