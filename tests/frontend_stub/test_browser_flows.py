"""The web pages in a real Chromium against a live server: the three flows of the campaign.

(1) an enterprise posts a challenge, sees ranked experts with reasons and invites the first;
(2) that expert accepts and signs, the enterprise signs, both see the agreement active and print it;
(3) the secretariat approves a membership application and publishes a batch that shows publicly;
and bad input in the challenge form shows field errors and keeps what was typed.
"""
import re

import pytest

from alliance.models import MembershipBatch
from alliance.services import membership_apply
from enterprises.models import Challenge
from experts.models import Skill
from jianglian.choices import Category
from matching.models import PairingAgreement
from matching.pairings.services import pairing_propose
from tests import factories

from .browser_world import browser, forget_cached_taxonomy, matching_world  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DISTILLATION_BIO = "主持完成精馏塔节能改造，热泵精馏项目年节约蒸汽两万吨，擅长精馏塔操作优化。"
SEAL_BIO = "长期从事化工动设备检修，擅长机械密封选型与改进。"


@pytest.fixture
def people(matching_world):
    """A verified enterprise's staff and three experts with accounts, indexed for matching."""
    staff, enterprise = factories.make_enterprise_user(name="成都新材料化工有限公司")
    distillation = Skill.objects.get(code="distillation")
    seals = Skill.objects.get(code="pumps-seals")
    wang_user, wang = factories.make_expert_user(name="王强", bio=DISTILLATION_BIO, skills=[distillation])
    li_user, li = factories.make_expert_user(name="李明", bio="精馏装置操作与开停车。", skills=[distillation],
                                             province="jiangsu", city="南京")
    factories.make_expert_user(name="赵刚", bio=SEAL_BIO, skills=[seals])
    matching_world()
    return {"staff": staff, "enterprise": enterprise, "wang": (wang_user, wang), "li": (li_user, li)}


def pick_skill(page, typed):
    """Type in the skill picker and choose the first suggestion; returns its name."""
    page.get_by_label("所需技能").fill(typed)
    option = page.get_by_role("option", name=re.compile(f"^{typed}")).first
    picked = option.get_attribute("data-name")
    option.click()
    return picked


def test_an_enterprise_posts_a_challenge_sees_ranked_experts_with_reasons_and_invites_the_first(browser, people):
    with browser() as open_page:
        page = open_page(people["staff"])
        page.get_by_role("link", name="我的需求").click()
        page.get_by_role("link", name="发布新需求").click()
        page.get_by_label("标题").fill("精馏塔蒸汽单耗偏高")
        page.get_by_label("问题描述").fill("每生产一吨产品消耗近两吨蒸汽，精馏塔回流比偏大，希望降低能耗。")
        page.get_by_label("类别").select_option(Category.GREEN)
        # skills: search-as-you-type from the taxonomy, picked from the list
        picked = pick_skill(page, "精馏")
        assert page.locator(".chip", has_text=picked).is_visible()
        page.get_by_label("期望地区（省）").select_option("sichuan")
        page.get_by_role("button", name="保存并发布").click()

        # publishing computed the ranking (Celery runs in-process here): ranked experts with their reasons
        page.wait_for_url(re.compile(r"/challenges/\d+/$"))
        assert page.locator("[data-status=open]").is_visible()
        first = page.locator(".match-list .match").first
        assert first.get_attribute("data-rank") == "1"
        assert first.locator("h3 a").inner_text() == "王强"
        reasons = first.locator(".reasons li").all_inner_texts()
        assert any("精馏" in reason for reason in reasons), reasons
        assert page.locator(".match-list .match").count() >= 2

        first.get_by_label("邀请留言").fill("请来现场看看精馏塔")
        first.get_by_role("button", name="邀请结对").click()
        page.wait_for_url(re.compile(r"/pairings/\d+/$"))
        assert page.locator("[data-status=proposed]").is_visible()

    pairing = PairingAgreement.objects.get()
    assert (pairing.expert.name, pairing.message, pairing.challenge.status) == ("王强", "请来现场看看精馏塔", "open")
    assert [s.name for s in pairing.challenge.skills.all()] == [picked]


def test_the_expert_accepts_and_signs_the_enterprise_signs_and_both_print_the_active_agreement(browser, people):
    staff, enterprise = people["staff"], people["enterprise"]
    wang_user, wang = people["wang"]
    challenge = factories.make_challenge(enterprise=enterprise, title="精馏塔蒸汽单耗偏高")
    pairing_propose(user=staff, challenge=challenge, expert=wang, message="请来现场看看")

    with browser() as open_page:
        expert_page = open_page(wang_user)
        expert_page.get_by_role("link", name="结对邀请").click()
        invitation = expert_page.locator(".invitation", has_text="精馏塔蒸汽单耗偏高")
        invitation.get_by_label("回复（可选）").fill("下周二到厂")
        invitation.get_by_role("button", name="接受").click()
        expert_page.wait_for_url(re.compile(r"/pairings/\d+/$"))
        assert expert_page.locator("[data-status=accepted]").is_visible()
        expert_page.get_by_role("button", name="签署意向书").click()
        assert expert_page.locator(".signature[data-side=expert].signed").is_visible()

        enterprise_page = open_page(staff)
        enterprise_page.goto(f"/challenges/{challenge.pk}/")
        enterprise_page.locator(".plain-list a", has_text="王强").click()
        assert wang.phone in enterprise_page.locator(".facts").inner_text()  # contact shown once accepted
        enterprise_page.get_by_role("button", name="签署意向书").click()
        enterprise_page.locator("[data-status=active]").wait_for()  # the form's answer has loaded: no reload mid-POST

        for page in (enterprise_page, expert_page):
            page.reload()
            assert page.locator("[data-status=active]").is_visible()
            assert page.locator(".signature.signed").count() == 2
            with page.expect_popup() as popup:
                page.get_by_role("link", name="打印意向书").click()
            printable = popup.value
            printable.wait_for_load_state()
            assert "结对意向书" in printable.content() and "精馏塔蒸汽单耗偏高" in printable.content()
            assert printable.pdf()[:4] == b"%PDF"  # what "print → save as PDF" produces

    pairing = PairingAgreement.objects.get()
    assert (pairing.status, pairing.response_note) == ("active", "下周二到厂")
    assert Challenge.objects.get(pk=challenge.pk).status == "paired"


def test_the_printed_agreement_fits_a_phone_and_prints_from_its_button(browser, people):
    staff, enterprise = people["staff"], people["enterprise"]
    wang_user, wang = people["wang"]
    challenge = factories.make_challenge(enterprise=enterprise, title="精馏塔蒸汽单耗偏高")
    pairing = pairing_propose(user=staff, challenge=challenge, expert=wang, goals="蒸汽单耗降低10%，" * 12,
                              deliverables="节能改造方案一份；培训班组长20人")

    with browser() as open_page:
        page = open_page(wang_user, width=390)
        page.goto(f"/pairings/{pairing.pk}/print/")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no desktop-wide layout to pan
        assert page.get_by_text("节能改造方案一份；培训班组长20人").is_visible()
        # (a function as the last value would be called by evaluate: end on a number)
        page.evaluate("window.printed = 0; window.print = function () { window.printed += 1; }; 0")
        page.get_by_role("button", name="打印").click()
        assert page.evaluate("window.printed") == 1
        page.emulate_media(media="print")
        assert not page.get_by_role("button", name="打印").is_visible()  # the button stays off the paper


def test_the_secretariat_approves_an_application_and_publishes_a_batch_shown_publicly(browser, transactional_db):
    lead_user, lead = factories.make_expert_user(name="王强")
    studio = factories.make_studio(name="王强精馏创新工作室", lead=lead)
    membership_apply(user=lead_user, studio=studio, statement="十年来完成技改项目四十余项。")
    secretariat = factories.make_secretariat()

    with browser() as open_page:
        page = open_page(secretariat)
        page.get_by_role("link", name="秘书处").click()
        application = page.locator(".application", has_text="王强精馏创新工作室")
        application.get_by_role("button", name="批准", exact=True).click()
        assert "已批准" in page.locator(".messages").inner_text()

        page.get_by_label("批次名称").fill("首批")
        assert page.get_by_label("王强精馏创新工作室").is_checked()
        page.get_by_role("button", name="发布批次").click()
        page.wait_for_url(re.compile(r"/batches/$"))

        public = open_page()
        public.goto("/")
        batch = public.locator(".batch", has_text="首批")
        assert batch.get_by_role("link", name="王强精馏创新工作室").is_visible()
        assert public.locator("[data-figure=member_studios]").inner_text() == "1"

    assert MembershipBatch.objects.get().studios.get() == studio


def test_bad_input_in_the_challenge_form_shows_field_errors_and_keeps_what_was_typed(browser, matching_world):
    staff, _ = factories.make_enterprise_user()
    with browser() as open_page:
        page = open_page(staff)
        page.goto("/challenges/new/")
        page.get_by_label("问题描述").fill("反应釜温度波动大，夏季尤甚。")
        picked = pick_skill(page, "精馏")
        page.get_by_label("期望地区（省）").select_option("sichuan")
        page.get_by_label("期望地区（市）").fill("成都")

        page.get_by_role("button", name="保存草稿").click()

        assert page.locator(".form-errors[role=alert]").is_visible()
        for field in ("title", "category"):
            assert page.locator(f"#field-{field} .errorlist").is_visible(), field
        assert page.get_by_label("标题").get_attribute("aria-invalid") == "true"
        assert page.get_by_label("问题描述").input_value() == "反应釜温度波动大，夏季尤甚。"
        assert page.get_by_label("期望地区（省）").input_value() == "sichuan"
        assert page.get_by_label("期望地区（市）").input_value() == "成都"
        assert page.locator(".chip", has_text=picked).is_visible()
    assert not Challenge.objects.exists()


def test_the_pages_work_on_a_phone(browser, transactional_db):
    with browser() as open_page:
        page = open_page(width=390)
        page.goto("/")
        assert not page.locator("#site-nav").is_visible()
        page.get_by_role("button", name="菜单").click()
        page.locator("#site-nav").get_by_role("link", name="劳模工匠库").click()
        page.wait_for_url(re.compile(r"/experts/"))
        assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the screen


def test_the_language_switch_shows_english(browser, transactional_db):
    with browser() as open_page:
        page = open_page()
        page.goto("/experts/")
        with page.expect_navigation():
            page.get_by_label("语言").select_option("en")
        assert page.locator("html").get_attribute("lang") == "en"
        assert page.get_by_role("heading", level=1).inner_text() != "劳模工匠库"


def test_the_dashboard_opens_graphiql_with_a_saved_operation_that_runs(browser, transactional_db):
    lead_user, lead = factories.make_expert_user(name="王强")
    membership_apply(user=lead_user, studio=factories.make_studio(name="王强精馏创新工作室", lead=lead),
                     statement="申请入盟。")
    secretariat = factories.make_secretariat()

    with browser() as open_page:
        page = open_page(secretariat)
        page.goto("/secretariat/")
        page.get_by_role("link", name=re.compile("待审核的入盟申请")).click()
        page.wait_for_url(re.compile(r"/graphql/\?"))
        page.locator(".graphiql-execute-button").click()
        result = page.locator(".graphiql-response")
        result.get_by_text("王强精馏创新工作室").wait_for()
        assert "PENDING" in result.inner_text()
