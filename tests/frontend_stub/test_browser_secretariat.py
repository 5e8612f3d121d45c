"""The secretariat's pages on a 390 px phone, in a real Chromium: the lists are as wide as the screen, a wide
table scrolls in its own box (the page never pans sideways), and its buttons are reachable in that box."""
import pytest
from django.conf import settings

from tests import factories

from .browser_world import browser, sign_in  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = 390


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_the_claim_list_on_a_phone_scrolls_in_its_box_and_its_link_buttons_are_reachable(browser):
    """Was: a bare table, not in the scrolling box the other lists use, squeezed the employer to one character
    a line and pushed the page to 535 px."""
    secretariat = factories.make_secretariat()
    factories.make_expert(name="欧阳建国", employer="中国石油化工股份有限公司镇海炼化分公司", phone="13905741234",
                          email="ouyang.jianguo.zhenhai@example.com")

    with browser() as open_page:
        page = open_page(secretariat, width=PHONE)
        page.goto("/secretariat/experts/unclaimed/")
        row = page.locator("table.claims tbody tr").first
        assert "欧阳建国" in row.inner_text()

        assert page_width(page) <= PHONE
        assert page.locator(".table-wrap table.claims").count() == 1
        button = row.get_by_role("button", name="生成链接")
        button.scroll_into_view_if_needed()
        assert button.is_visible()
        box = button.bounding_box()
        assert 0 <= box["x"] and box["x"] + box["width"] <= PHONE  # scrolled into the screen, clickable


def test_the_dashboard_in_english_on_a_phone_does_not_pan_sideways(browser):
    """Was 475 px wide: the hidden header of the action column (absolutely positioned, for screen readers) sat
    where the wide English table put it, outside the box that scrolls, and widened the page."""
    secretariat = factories.make_secretariat()
    factories.make_enterprise(verified=False, name="泸州北方化学工业有限公司")  # waits for verification

    with browser() as open_page:
        page = open_page(width=PHONE)
        page.goto("/")
        page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": page.url}])
        sign_in(page, secretariat.username)
        page.goto("/secretariat/")
        assert page.locator("html").get_attribute("lang") == "en"
        assert "泸州北方化学工业有限公司" in page.locator("main").inner_text()

        assert page_width(page) <= PHONE


def test_every_page_names_its_icon_so_browsers_stop_asking_for_a_missing_favicon_ico(browser):
    with browser() as open_page:
        page = open_page(width=PHONE)
        page.goto("/")
        icon = page.locator('link[rel="icon"]').get_attribute("href")
        answer = page.request.get(icon)
        assert answer.status == 200 and "svg" in answer.headers["content-type"]
