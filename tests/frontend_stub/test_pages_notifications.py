"""The bell and the inbox on every page, the notification settings, where each role lands after signing in, and
the name the header shows."""
import pytest
from django.urls import reverse

from jianglian import inbox
from jianglian.models import Notification, UserPreference
from jianglian.notifications import Kind, notify
from tests import factories

pytestmark = pytest.mark.django_db


def give(user, n):
    enterprise = factories.make_enterprise()
    for i in range(n):
        notify(kind=Kind.ENTERPRISE_VERIFIED, recipients=[user], subject=enterprise,
               context={"enterprise": f"企业{i}"}, event=str(i), link="/me/challenges/")
    return list(Notification.objects.filter(recipient=user).order_by("id"))


@pytest.mark.parametrize("page", ["web:home", "web:experts", "web:notifications", "web:password_change"])
def test_the_bell_shows_the_unread_count_on_every_page(web, page):
    user = factories.make_user()
    give(user, 3)
    html = web(user).get(reverse(page)).content.decode()
    assert 'data-testid="bell"' in html and 'data-testid="unread-count"' in html
    assert '>3</span>' in html


def test_no_badge_without_unread_and_no_bell_for_visitors(web):
    user = factories.make_user()
    assert 'data-testid="unread-count"' not in web(user).get(reverse("web:home")).content.decode()
    assert 'data-testid="bell"' not in web().get(reverse("web:home")).content.decode()


def test_the_inbox_lists_only_mine_newest_first_and_filters_unread(web):
    me, other = factories.make_user(), factories.make_user()
    give(other, 2)
    first, second = give(me, 2)
    inbox.notifications_mark_read(user=me, ids=[first.pk])
    client = web(me)
    response = client.get(reverse("web:notifications"))
    assert [n.pk for n, _title in response.context["rows"]] == [second.pk, first.pk]
    assert "企业认证已通过：企业1" in response.content.decode()
    response = client.get(reverse("web:notifications"), {"unread": "1"})
    assert [n.pk for n, _title in response.context["rows"]] == [second.pk]


def test_opening_a_notification_marks_it_read_and_opens_the_page_to_act_on(web):
    me, other = factories.make_user(), factories.make_user()
    [mine] = give(me, 1)
    [theirs] = give(other, 1)
    client = web(me)
    response = client.get(reverse("web:notification_open", args=[mine.pk]))
    assert (response.status_code, response["Location"]) == (302, "/me/challenges/")
    assert inbox.unread_count(user=me) == 0
    assert client.get(reverse("web:notification_open", args=[theirs.pk])).status_code == 404
    assert inbox.unread_count(user=other) == 1


def test_mark_one_and_mark_all_read(web):
    me, other = factories.make_user(), factories.make_user()
    first, second, third = give(me, 3)
    [theirs] = give(other, 1)
    client = web(me)
    client.post(reverse("web:notifications_mark_read"), {"ids": [first.pk], "next": "/me/notifications/?unread=1"})
    assert inbox.unread_count(user=me) == 2
    response = client.post(reverse("web:notifications_mark_read"), {"ids": [theirs.pk]})
    assert response.status_code == 302 and inbox.unread_count(user=other) == 1 and inbox.unread_count(user=me) == 2
    client.post(reverse("web:notifications_mark_read"))
    assert inbox.unread_count(user=me) == 0 and inbox.unread_count(user=other) == 1


def test_the_inbox_needs_sign_in(web):
    for name in ("web:notifications", "web:notification_settings"):
        response = web().get(reverse(name))
        assert response.status_code == 302 and response["Location"].startswith(reverse("web:login"))
    assert web().post(reverse("web:notifications_mark_read")).status_code == 302


def test_choosing_channels_on_the_settings_page(web):
    user = factories.make_user()
    client = web(user)
    response = client.post(reverse("web:notification_settings"),
                           {"email_enabled": "on", "phone": "138 0013 8000", "language": "en"})
    assert response.status_code == 302
    pref = UserPreference.objects.get(user=user)
    assert (pref.email_enabled, pref.sms_enabled, pref.phone, pref.language) == (True, False, "13800138000", "en")
    bad = client.post(reverse("web:notification_settings"), {"phone": "12", "language": "en"})
    assert bad.status_code == 400 and "phone" in bad.context["form"].errors


def test_the_experts_profile_page_links_to_the_channels(web):
    user, _expert = factories.make_expert_user()
    html = web(user).get(reverse("web:expert_profile")).content.decode()
    assert reverse("web:notification_settings") in html


# --- §4: where each role lands, and the name in the header ---------------------------------------------------


@pytest.mark.parametrize("role, workspace", [
    ("secretariat", "web:secretariat"), ("enterprise", "web:my_challenges"), ("expert", "web:my_invitations"),
])
def test_after_sign_in_each_role_lands_on_its_workspace_unless_a_safe_next_says_otherwise(web, role, workspace):
    user = {"secretariat": lambda: factories.make_secretariat(), "enterprise": lambda: factories.make_enterprise_user()[0],
            "expert": lambda: factories.make_expert_user()[0]}[role]()
    user.set_password("pass-word-123")
    user.save()
    response = web().post(reverse("web:login"), {"username": user.username, "password": "pass-word-123"})
    assert response["Location"] == reverse(workspace)
    response = web().post(reverse("web:login"), {"username": user.username, "password": "pass-word-123",
                                                 "next": "/me/notifications/"})
    assert response["Location"] == "/me/notifications/"
    response = web().post(reverse("web:login"), {"username": user.username, "password": "pass-word-123",
                                                 "next": "//evil.example/"})
    assert response["Location"] == reverse(workspace)


def test_the_header_shows_the_persons_name_not_the_login(web):
    expert_user, expert = factories.make_expert_user(name="黎军")
    staff, enterprise = factories.make_enterprise_user(name="泸州天华化工有限公司")
    secretariat = factories.make_secretariat()
    secretariat.first_name = "王秘书"
    secretariat.save()
    for user, name in ((expert_user, "黎军"), (staff, "泸州天华化工有限公司"), (secretariat, "王秘书")):
        html = web(user).get(reverse("web:home")).content.decode()
        who = html.split('class="who"', 1)[1].split("</a>", 1)[0]
        assert who.endswith(f">{name}") or f">{name}" in who, who
        assert f">{user.username}<" not in html


def test_a_service_day_question_turned_draft_leads_to_its_challenge():
    from types import SimpleNamespace

    from jianglian.notifications import resolve_link

    question = SimpleNamespace(challenge_id=42, _meta=SimpleNamespace(label_lower="alliance.servicedayquestion"))
    assert resolve_link(question, "service_question_draft", None) == reverse("web:challenge", args=[42])
    participation = SimpleNamespace(service_day_id=7, _meta=SimpleNamespace(label_lower="alliance.servicedayexpert"))
    assert resolve_link(participation, "service_day_assigned", None) == reverse("web:service_day", args=[7])
