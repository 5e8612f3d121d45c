"""An expert who has no account, reached in a real Chromium (issue 12 §1).

An enterprise publishes a challenge whose top-ranked expert has no account: the card offers the invitation as
to anyone; the expert's e-mail (Django's locmem outbox: the message as sent) carries a one-time link, which opens
on a phone-sized page; there the expert opens the account of their catalog entry and accepts in one visit; the
enterprise then sees the answer on the agreement and its bell.
"""
import re
import time

import pytest
from django.core import mail

from enterprises.services import challenge_create, challenge_publish
from experts.models import Expert, Skill
from jianglian.choices import Category
from matching.models import PairingAgreement
from tests import factories

from .browser_world import browser, forget_cached_taxonomy, matching_world  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DISTILLATION_BIO = "主持完成精馏塔节能改造，热泵精馏项目年节约蒸汽两万吨，擅长精馏塔操作优化，精馏塔蒸汽单耗降低三成。"
PHONE_WIDTH = 390
LINK = re.compile(r"https?://[^/\s]+(/i/[^/\s]+/)")


@pytest.fixture
def ranked(matching_world):
    """An open challenge of a verified enterprise whose top-ranked expert, 黎军, has no account."""
    staff, enterprise = factories.make_enterprise_user(name="成都新材料化工有限公司")
    distillation = Skill.objects.get(code="distillation")
    factories.make_expert(name="黎军", bio=DISTILLATION_BIO, skills=[distillation], email="lijun@example.com",
                          phone="13800138000")
    factories.make_expert_user(name="李明", bio="精馏装置操作与开停车。", skills=[distillation], province="jiangsu",
                               city="南京")
    matching_world()
    challenge = challenge_create(user=staff, enterprise=enterprise, title="精馏塔蒸汽单耗偏高",
                                 description="每生产一吨产品消耗近两吨蒸汽，精馏塔回流比偏大，希望降低能耗。",
                                 category=Category.GREEN, skills=[distillation], preferred_province="sichuan")
    challenge_publish(user=staff, challenge=challenge)  # ranked after commit (Celery in-process)
    return staff, challenge


def sent_link(timeout=10.0) -> str:
    """The invitation link from the e-mail the expert received (the outbox's deep link, as sent)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for message in mail.outbox:
            found = LINK.search(message.body)
            if found and message.to == ["lijun@example.com"]:
                return found.group(1)
        time.sleep(0.1)
    raise AssertionError(f"no invitation link in {[m.subject for m in mail.outbox]}")


def test_an_enterprise_invites_a_top_ranked_expert_without_account_who_claims_and_accepts_on_a_phone(
        browser, ranked):
    staff, challenge = ranked
    with browser() as open_page:
        enterprise_page = open_page(staff)
        enterprise_page.goto(f"/challenges/{challenge.pk}/")
        first = enterprise_page.locator(".match-list .match").first
        assert first.locator("h3 a").inner_text() == "黎军"
        assert first.locator("[data-refusal]").count() == 0  # no "尚未开通账号" any more
        first.get_by_label("邀请留言").fill("请来现场看看精馏塔")
        first.get_by_role("button", name="邀请结对").click()
        enterprise_page.wait_for_url(re.compile(r"/pairings/\d+/$"))
        assert enterprise_page.locator("[data-status=proposed]").is_visible()
        agreement_url = enterprise_page.url

        path = sent_link()
        phone = open_page(width=PHONE_WIDTH)
        phone.goto(path)
        assert phone.locator("[data-invitation=open]").is_visible()
        assert "精馏塔蒸汽单耗偏高" in phone.locator("main").inner_text()
        assert "请来现场看看精馏塔" in phone.locator("main").inner_text()
        # fits the phone: nothing wider than the screen
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
        phone.locator("#id_username").fill("lijun")
        phone.locator("#id_password1").fill("Jianglian-2026!x")
        phone.locator("#id_password2").fill("Jianglian-2026!x")
        phone.get_by_label("接受邀请").check()
        phone.get_by_role("button", name="开通账号并提交答复").click()
        phone.wait_for_url(re.compile(r"/pairings/\d+/$"))
        assert phone.locator("[data-status=accepted]").is_visible()
        assert phone.get_by_role("button", name="签署意向书").is_visible()
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH

        # the link worked once
        again = open_page(width=PHONE_WIDTH)
        again.goto(path)
        assert again.locator("[data-refusal=link_used]").is_visible()

        enterprise_page.goto(agreement_url)
        assert enterprise_page.locator("[data-status=accepted]").is_visible()
        assert "13800138000" in enterprise_page.locator(".facts").inner_text()  # contact shown once accepted
        # the enterprise's bell shows the answer; its inbox leads back to the agreement
        assert enterprise_page.get_by_test_id("unread-count").inner_text() == "1"
        enterprise_page.get_by_test_id("bell").click()
        assert "黎军" in enterprise_page.locator("main").inner_text()

    expert = Expert.objects.select_related("user").get(name="黎军")
    pairing = PairingAgreement.objects.get()
    assert expert.user.username == "lijun"
    assert (pairing.expert, pairing.status, pairing.response_channel) == (expert, "accepted", "link")
