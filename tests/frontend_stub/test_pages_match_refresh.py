"""The challenge page asks for a ranking now (matching.services.challenge_matches_request): "预览匹配" on a draft,
"重新计算匹配" on an open challenge, offered exactly when matching.selectors.ranking_request_refusal allows it;
and the page says what the ranking it shows is — a draft's preview, a live ranking or a frozen last one.
The last specification clicks the button in a real Chromium (tests.frontend_stub.browser_world)."""
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from enterprises.models import Challenge
from matching.models import Match
from matching.selectors import ranking_request_refusal
from tests import factories
from tests.matching.matching_world import index_everything, taxonomy  # noqa: F401

from .browser_world import browser, forget_cached_taxonomy, matching_world  # noqa: F401
from .conftest import store_matches

pytestmark = pytest.mark.django_db

Status = Challenge.Status
STATES = [Status.DRAFT, Status.OPEN, Status.PAIRED, Status.RESOLVED, Status.CLOSED]
REFRESH_FORM = re.compile(r'<form method="post" action="/challenges/(\d+)/matches/refresh/"')


def refresh_url(challenge):
    return reverse("web:challenge_matches_refresh", args=[challenge.pk])


def page_url(challenge):
    return reverse("web:challenge", args=[challenge.pk])


def stored(challenge):
    return list(Match.objects.filter(challenge=challenge).order_by("pk").values_list("pk", "computed_at"))


# --- the button ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("status", STATES)
def test_the_button_shows_exactly_when_the_selector_allows_asking(
        web, status, enterprise_user, other_enterprise_user, expert_user, secretariat):
    user, enterprise = enterprise_user
    challenge = factories.make_challenge(enterprise=enterprise, status=status)

    for viewer in (user, other_enterprise_user[0], expert_user[0], secretariat, None):
        allowed = ranking_request_refusal(viewer or AnonymousUser(), challenge) is None
        response = web(viewer).get(page_url(challenge))
        if response.status_code == 404:  # a draft or closed challenge is invisible to others
            assert not allowed, viewer
            continue
        html = response.content.decode()
        offered = [int(pk) for pk in REFRESH_FORM.findall(html)]
        assert offered == ([challenge.pk] if allowed else []), (viewer, status)
        if allowed:
            assert ("预览匹配" if status == Status.DRAFT else "重新计算匹配") in html
    # the owner and the secretariat may ask for drafts and open challenges only
    assert (ranking_request_refusal(user, challenge) is None) == (status in (Status.DRAFT, Status.OPEN))


def test_the_button_posts_with_the_pages_csrf_token(enterprise_user, django_capture_on_commit_callbacks):
    user, enterprise = enterprise_user
    challenge = factories.make_challenge(enterprise=enterprise, status=Status.DRAFT)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)

    assert client.post(refresh_url(challenge)).status_code == 403  # no token: refused by CSRF
    html = client.get(page_url(challenge)).content.decode()
    form = html[html.index('action="/challenges/%d/matches/refresh/"' % challenge.pk):]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(refresh_url(challenge), {"csrfmiddlewaretoken": token})

    assert response.status_code == 302 and response.url == page_url(challenge)
    assert callbacks, "the ranking is queued after commit"


# --- asking ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("status, message", [
    (Status.DRAFT, "匹配预览已排队计算"),
    (Status.OPEN, "重新计算匹配已排队"),
])
def test_the_owner_and_the_secretariat_queue_a_ranking_and_are_told_so(
        web, status, message, enterprise_user, secretariat, django_capture_on_commit_callbacks):
    challenge = factories.make_challenge(enterprise=enterprise_user[1], status=status)
    for asker in (enterprise_user[0], secretariat):
        with django_capture_on_commit_callbacks() as callbacks:
            response = web(asker).post(refresh_url(challenge), follow=True)

        assert response.redirect_chain == [(page_url(challenge), 302)]
        assert [str(m) for m in response.context["messages"]] == [f"{message}，稍后刷新本页即可查看。"
                                                                  if status == Status.DRAFT else
                                                                  f"{message}，稍后刷新本页即可查看新的结果。"]
        assert len(callbacks) == 1, asker


def test_a_draft_preview_is_computed_and_shown_as_a_preview(web, taxonomy, enterprise_user,  # noqa: F811
                                                            django_capture_on_commit_callbacks):
    user, enterprise = enterprise_user
    factories.make_expert_user(name="密封师傅", bio="擅长机械密封选型与改进，主持离心泵密封改造。")
    index_everything()
    draft = factories.make_challenge(enterprise=enterprise, status=Status.DRAFT, title="输送泵老是漏料",
                                     description="几台输送泵隔三差五往外滴料。")
    client = web(user)
    before = client.get(page_url(draft))
    assert before.context["ranking"]["experts"] == []
    assert "发布前也可以先预览匹配结果。" in before.content.decode()

    with django_capture_on_commit_callbacks(execute=True):  # Celery is eager: the task runs on commit
        client.post(refresh_url(draft))
    page = client.get(page_url(draft))

    ranking = page.context["ranking"]["experts"]
    assert ranking[0].expert.name == "密封师傅"
    computed = ranking[0].computed_at.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M")
    html = page.content.decode()
    assert 'data-ranking="preview"' in html
    assert f"以下是草稿的匹配预览（计算于 {computed}）" in html
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT  # a preview does not publish


@pytest.mark.parametrize("status", [Status.PAIRED, Status.RESOLVED, Status.CLOSED])
def test_a_frozen_challenge_is_refused_with_the_reason_and_keeps_its_ranking(
        web, status, enterprise_user, django_capture_on_commit_callbacks):
    user, enterprise = enterprise_user
    challenge = factories.make_challenge(enterprise=enterprise, status=status)
    store_matches(challenge, experts=[factories.make_expert()])
    kept = stored(challenge)

    with django_capture_on_commit_callbacks() as callbacks:
        response = web(user).post(refresh_url(challenge), follow=True)

    assert response.status_code == 200 and response.redirect_chain == [(page_url(challenge), 302)]
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert "不再重新计算" in str(list(response.context["messages"])[0])
    assert callbacks == [] and stored(challenge) == kept


def test_others_are_refused_and_nothing_is_queued(web, enterprise_user, other_enterprise_user, expert_user,
                                                  django_capture_on_commit_callbacks):
    enterprise = enterprise_user[1]
    open_challenge = factories.make_challenge(enterprise=enterprise)
    draft = factories.make_challenge(enterprise=enterprise, status=Status.DRAFT)

    with django_capture_on_commit_callbacks() as callbacks:
        assert web(other_enterprise_user[0]).post(refresh_url(open_challenge)).status_code == 403
        assert web(expert_user[0]).post(refresh_url(open_challenge)).status_code == 403
        assert web(other_enterprise_user[0]).post(refresh_url(draft)).status_code == 404  # invisible to them
        anonymous = web().post(refresh_url(open_challenge))
        assert anonymous.status_code == 302 and anonymous.url.startswith(reverse("web:login"))
        assert web(enterprise_user[0]).get(refresh_url(open_challenge)).status_code == 405  # POST only

    assert callbacks == [] and not Match.objects.exists()
    refused = web(other_enterprise_user[0]).post(refresh_url(open_challenge))
    assert "只有发布需求的企业和秘书处可以计算匹配结果" in refused.content.decode()  # the rule's own words


# --- what the page says the ranking is ---------------------------------------------------------------------

COMPUTED = datetime(2026, 3, 2, 1, 30, tzinfo=ZoneInfo("UTC"))  # 09:30 in Beijing


def ranked(enterprise, status):
    challenge = factories.make_challenge(enterprise=enterprise, status=status)
    store_matches(challenge, experts=[factories.make_expert()])
    Match.objects.filter(challenge=challenge).update(computed_at=COMPUTED)
    return challenge


@pytest.mark.parametrize("status, kind, says", [
    (Status.DRAFT, "preview", "以下是草稿的匹配预览（计算于 2026-03-02 09:30）"),
    (Status.OPEN, "live", "匹配结果计算于 2026-03-02 09:30"),
    (Status.PAIRED, "frozen", "需求已结对：以下是最后一次计算的匹配结果（计算于 2026-03-02 09:30），不再重新计算。"),
    (Status.RESOLVED, "frozen", "需求已解决：以下是最后一次计算的匹配结果（计算于 2026-03-02 09:30），不再重新计算。"),
    (Status.CLOSED, "frozen", "需求已关闭：以下是最后一次计算的匹配结果（计算于 2026-03-02 09:30），不再重新计算。"),
])
def test_the_page_says_what_the_shown_ranking_is(web, status, kind, says, enterprise_user, secretariat):
    challenge = ranked(enterprise_user[1], status)
    for viewer in (enterprise_user[0], secretariat):
        html = web(viewer).get(page_url(challenge)).content.decode()
        assert f'data-ranking="{kind}"' in html and says in html, viewer
        assert "发布后，平台会为需求推荐" not in html  # a stored preview is not "after publishing"


def test_the_notes_and_the_button_are_english_under_english(web, enterprise_user):
    draft = ranked(enterprise_user[1], Status.DRAFT)
    frozen = ranked(enterprise_user[1], Status.CLOSED)
    client = web(enterprise_user[0])
    client.cookies["django_language"] = "en"

    draft_page = client.get(page_url(draft)).content.decode()
    closed_page = client.get(page_url(frozen)).content.decode()

    assert "Preview matches" in draft_page
    assert "This is a preview of the draft's matches (computed 2026-03-02 09:30)" in draft_page
    assert "Challenge status: Closed. This is its last ranking (computed 2026-03-02 09:30)" in closed_page
    assert "Recompute matches" not in closed_page


def test_the_query_count_of_the_draft_page_does_not_grow_with_the_preview(web, enterprise_user,
                                                                          django_assert_num_queries):
    user, enterprise = enterprise_user
    draft = factories.make_challenge(enterprise=enterprise, status=Status.DRAFT)
    store_matches(draft, experts=[factories.make_expert()])
    client = web(user)
    client.get(page_url(draft))
    # session, user, roles (2), challenge, skills, matches (2), experts, pairings, studio invitations: the button's
    # rule reads only the roles the page already loaded
    with django_assert_num_queries(13) as first:  # 2 of them: the header's unread count and enterprise name
        client.get(page_url(draft))
    draft.matches.all().delete()
    store_matches(draft, experts=[factories.make_expert() for _ in range(6)], studios=[factories.make_studio()])
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(page_url(draft))


# --- in the browser --------------------------------------------------------------------------------------------

@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_owner_previews_a_draft_in_the_browser(browser, matching_world):  # noqa: F811
    staff, enterprise = factories.make_enterprise_user(name="成都新材料化工有限公司")
    factories.make_expert_user(name="密封师傅", bio="擅长机械密封选型与改进，主持离心泵密封改造。")
    factories.make_expert_user(name="精馏专家", bio="主持完成精馏塔节能改造。")
    matching_world()
    draft = factories.make_challenge(enterprise=enterprise, status=Status.DRAFT, title="输送泵老是漏料",
                                     description="几台输送泵隔三差五往外滴料。")

    with browser() as open_page:
        page = open_page(staff)
        page.goto(page_url(draft))
        assert page.locator("[data-ranking-note=unranked-draft]").is_visible()
        assert page.locator(".match-list .match").count() == 0

        with page.expect_navigation():
            page.get_by_role("button", name="预览匹配").click()

        # Celery runs in-process here: the preview was computed before the page came back
        assert "匹配预览已排队计算" in page.locator(".messages").inner_text()
        assert page.locator("section[data-ranking=preview]").is_visible()
        assert "以下是草稿的匹配预览（计算于" in page.locator("[data-ranking-note=preview]").inner_text()
        first = page.locator(".match-list .match").first
        assert first.get_attribute("data-rank") == "1"
        assert first.locator("h3 a").inner_text() == "密封师傅"
        assert page.locator("[data-status=draft]").is_visible()
        assert page.locator(".invite-form").count() == 0  # nobody is invited from a preview

    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert Match.objects.filter(challenge=draft, kind="expert").order_by("rank").first().expert.name == "密封师傅"
