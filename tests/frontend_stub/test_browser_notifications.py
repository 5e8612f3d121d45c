"""The bell in a real Chromium: an expert answers an invitation, and the enterprise's bell shows the unread
answer on every page; opening it leads to the agreement and the badge goes away. Signing in lands each on their
workspace, with their name in the header."""
import pytest

from matching.models import PairingAgreement
from tests import factories

from .browser_world import browser  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_enterprises_bell_shows_the_experts_answer(browser):
    parties = factories.make_pairing_parties(name="黎军")
    parties.enterprise.name = "泸州天华化工有限公司"
    parties.enterprise.save()
    pairing = factories.make_pairing(challenge=parties.challenge, expert=parties.expert)

    with browser() as open_page:
        expert = open_page(parties.expert_user, width=390)  # a phone
        assert expert.url.endswith("/me/invitations/")  # the expert lands on the invitations
        assert expert.locator(".who").inner_text() == "黎军"
        expert.goto(f"/pairings/{pairing.pk}/")
        expert.locator("main").get_by_role("button", name="接受").first.click()
        expert.wait_for_load_state()

        staff = open_page(parties.enterprise_user)
        assert staff.url.endswith("/me/challenges/")  # the enterprise lands on its challenges
        assert staff.locator(".who").inner_text() == "泸州天华化工有限公司"
        badge = staff.get_by_test_id("unread-count")
        assert badge.inner_text() == "1"
        staff.goto("/experts/")
        assert staff.get_by_test_id("unread-count").inner_text() == "1"  # on every page

        staff.get_by_test_id("bell").click()
        staff.wait_for_url("**/me/notifications/")
        item = staff.locator(".notification.unread").first
        assert "黎军 已接受结对邀请" in item.inner_text()
        item.locator("a").first.click()
        staff.wait_for_url(f"**/pairings/{pairing.pk}/")
        assert staff.get_by_test_id("unread-count").count() == 0  # read: no badge

    assert PairingAgreement.objects.get(pk=pairing.pk).status == "accepted"
