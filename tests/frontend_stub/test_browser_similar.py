"""Has this been solved before? on the posting form, in a real Chromium: as soon as a title and a description
are typed, the page asks the REST API (GET /api/v1/challenges/similar/) and lists the solved challenges like it,
with their outcome and solver (issue 11 §3)."""
from decimal import Decimal

import pytest

from search import sync
from tests import factories

from .browser_world import browser, forget_cached_taxonomy, matching_world  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_posting_form_lists_the_solved_challenges_like_the_text_being_typed(browser, matching_world):
    staff, enterprise = factories.make_enterprise_user(name="成都生物发酵有限公司")
    wang = factories.make_expert(name="王建国", studio=factories.make_studio(name="王建国发酵工艺创新工作室"))
    resolved = factories.make_challenge(status="resolved", title="发酵罐夏季染菌率居高不下",
                                        description="夏季发酵罐染菌率高达百分之八。", category="technology")
    factories.make_pairing(challenge=resolved, expert=wang, status="completed", problems_solved=3,
                           savings_yuan=Decimal("1200000"), enterprise_rating=5)
    factories.make_challenge(status="resolved", title="精馏塔蒸汽单耗偏高", description="精馏塔能耗高。")
    sync.rebuild(["challenge"])

    with browser() as open_page:
        page = open_page(staff)
        page.goto("/challenges/new/")
        box = page.locator("#similar-challenges")
        assert box.is_hidden()  # nothing typed yet
        page.get_by_label("标题").fill("发酵罐夏季染菌率高")
        page.wait_for_timeout(500)
        assert box.is_hidden()  # a title alone is not enough
        page.get_by_label("问题描述").fill("每年夏天发酵罐染菌批次增多，损失很大。")

        item = box.locator(".similar-item").first
        item.wait_for()
        assert box.is_visible()
        assert item.get_attribute("data-challenge") == str(resolved.pk)
        assert item.locator("a").inner_text() == "发酵罐夏季染菌率居高不下"
        outcome = item.locator(".similar-outcome").inner_text()
        assert "解决问题 3 个" in outcome and "1,200,000" in outcome and "评分 5/5" in outcome
        assert "王建国（王建国发酵工艺创新工作室）" in outcome
        assert box.locator(".similar-item").count() == 1  # the distillation problem is not like it

        # the text changes to something never solved: the list says so
        page.get_by_label("标题").fill("包装线贴标机频繁停机")
        page.get_by_label("问题描述").fill("贴标机每班停机十几次。")
        box.locator(".similar-empty").wait_for()
        assert box.locator(".similar-item").count() == 0
