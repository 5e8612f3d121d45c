"""The in-site inbox: every notification lands in the recipient's inbox, whatever their channels; each user sees,
counts and marks read only their own, through the service, REST (/api/v1/notifications/) and GraphQL
(myNotifications, unreadNotificationCount, markNotificationsRead), at a fixed number of queries."""
import pytest
from django.urls import reverse
from graphql_relay import to_global_id

from jianglian import inbox
from jianglian.models import Notification
from jianglian.notifications import Kind, notify
from jianglian.preferences import preference_update
from tests import factories
from tests.gql import run

LIST_URL = "/api/v1/notifications/"
COUNT_URL = "/api/v1/notifications/unread-count/"
MARK_URL = "/api/v1/notifications/mark-read/"
PREFS_URL = "/api/v1/notifications/preferences/"


def give(user, n, *, start=0):
    """`n` notifications to `user` (an enterprise's verification, one event each), newest last."""
    enterprise = factories.make_enterprise()
    for i in range(start, start + n):
        notify(kind=Kind.ENTERPRISE_VERIFIED, recipients=[user], subject=enterprise,
               context={"enterprise": f"企业{i}"}, event=str(i))
    return list(Notification.objects.filter(recipient=user).order_by("id"))


@pytest.fixture
def alice(db):
    return factories.make_user()


@pytest.fixture
def bob(db):
    return factories.make_user()


# --- the service ---------------------------------------------------------------------------------------


def test_a_notification_lands_in_the_inbox_even_with_every_channel_off(alice):
    preference_update(user=alice, email_enabled=False, sms_enabled=False)
    rows = give(alice, 1)
    assert inbox.unread_count(user=alice) == 1
    assert inbox.notification_title(rows[0], "zh-hans") == "企业认证已通过：企业0"
    assert inbox.notification_title(rows[0], "en") == "Enterprise verified: 企业0"


def test_marking_some_read_leaves_the_others_unread(alice):
    first, second, third = give(alice, 3)
    assert inbox.notifications_mark_read(user=alice, ids=[first.pk, third.pk]) == 2
    assert inbox.unread_count(user=alice) == 1
    assert [n.pk for n in inbox.notification_list(user=alice, unread=True)] == [second.pk]
    assert inbox.notifications_mark_read(user=alice, ids=[first.pk]) == 0  # already read: nothing changes


def test_marking_all_read(alice):
    give(alice, 4)
    assert inbox.notifications_mark_read(user=alice, all=True) == 4
    assert inbox.unread_count(user=alice) == 0


def test_nobody_marks_anothers_notifications(alice, bob):
    [theirs] = give(bob, 1)
    [mine] = give(alice, 1)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        inbox.notifications_mark_read(user=alice, ids=[mine.pk, theirs.pk])
    assert inbox.unread_count(user=bob) == 1 and inbox.unread_count(user=alice) == 1  # nothing changed
    inbox.notifications_mark_read(user=alice, all=True)
    assert inbox.unread_count(user=bob) == 1


# --- REST ----------------------------------------------------------------------------------------------


def test_rest_lists_only_the_callers_notifications_newest_first(alice, bob, token_client_for):
    give(bob, 2)
    mine = give(alice, 3)
    rows = token_client_for(alice).get(LIST_URL).json()["results"]
    assert [row["id"] for row in rows] == [n.pk for n in reversed(mine)]
    assert rows[0]["title"] == "企业认证已通过：企业2" and rows[0]["unread"] is True
    assert rows[0]["url"] == "https://jianglian.test/me/challenges/"  # the enterprise's workspace


def test_rest_filters_unread_and_counts(alice, token_client_for):
    first, *_ = give(alice, 3)
    inbox.notifications_mark_read(user=alice, ids=[first.pk])
    client = token_client_for(alice)
    assert [r["id"] for r in client.get(LIST_URL, {"unread": "true"}).json()["results"]] == [
        n.pk for n in Notification.objects.filter(recipient=alice, read_at__isnull=True).order_by("-id")]
    assert [r["id"] for r in client.get(LIST_URL, {"unread": "false"}).json()["results"]] == [first.pk]
    assert client.get(COUNT_URL).json() == {"unread": 2}


def test_rest_marks_read_by_ids_or_all(alice, token_client_for):
    first, second, third = give(alice, 3)
    client = token_client_for(alice)
    assert client.post(MARK_URL, {"ids": [first.pk]}, format="json").json() == {"marked": 1, "unread": 2}
    assert client.post(MARK_URL, {"all": True}, format="json").json() == {"marked": 2, "unread": 0}


def test_rest_refuses_anothers_ids_and_bad_input(alice, bob, token_client_for):
    [theirs] = give(bob, 1)
    client = token_client_for(alice)
    response = client.post(MARK_URL, {"ids": [theirs.pk]}, format="json")
    assert response.status_code == 400 and "ids" in response.json()["errors"]
    assert client.post(MARK_URL, {"ids": ["x"]}, format="json").status_code == 400
    assert client.post(MARK_URL, {}, format="json").status_code == 400
    assert client.post(MARK_URL, {"all": True, "recipient": bob.pk}, format="json").status_code == 400
    assert client.get(f"{LIST_URL}{theirs.pk}/").status_code == 404
    assert inbox.unread_count(user=bob) == 1


def test_rest_needs_a_signed_in_caller(api_client):
    assert api_client.get(LIST_URL).status_code == 401
    assert api_client.get(COUNT_URL).status_code == 401
    assert api_client.post(MARK_URL, {"all": True}, format="json").status_code == 401


@pytest.mark.parametrize("n", [3, 30])
def test_rest_list_and_count_cost_fixed_queries(alice, n, token_client_for, django_assert_num_queries):
    give(alice, n)
    client = token_client_for(alice)
    # token + user, count, page
    with django_assert_num_queries(3):
        assert len(client.get(LIST_URL, {"page_size": 100}).json()["results"]) == n
    with django_assert_num_queries(2):  # token + user, count
        assert client.get(COUNT_URL).json() == {"unread": n}


def test_rest_preferences_are_the_callers_own(alice, token_client_for):
    client = token_client_for(alice)
    assert client.get(PREFS_URL).json() == {"language": "zh-hans", "email_enabled": True, "sms_enabled": True,
                                            "phone": ""}
    answer = client.patch(PREFS_URL, {"sms_enabled": False, "phone": "+86 138-0013-8000"}, format="json").json()
    assert answer == {"language": "zh-hans", "email_enabled": True, "sms_enabled": False, "phone": "13800138000"}
    bad = client.patch(PREFS_URL, {"phone": "12345"}, format="json")
    assert bad.status_code == 400 and "phone" in bad.json()["errors"]
    assert client.patch(PREFS_URL, {"user": 1}, format="json").status_code == 400


# --- GraphQL -------------------------------------------------------------------------------------------

MY = """query($unread: Boolean) { unreadNotificationCount
  myNotifications(unread: $unread, first: 100) { totalCount edges { node { id kind title url unread createdAt } } } }"""
MARK = """mutation($ids: [ID!], $all: Boolean) { markNotificationsRead(ids: $ids, all: $all) { marked } }"""


def gid(notification):
    return to_global_id("Notification", notification.pk)


def test_graphql_lists_counts_and_marks_read(alice, bob):
    give(bob, 1)
    first, second = give(alice, 2)
    data = run(MY, user=alice).ok()
    assert data["unreadNotificationCount"] == 2
    assert [e["node"]["id"] for e in data["myNotifications"]["edges"]] == [gid(second), gid(first)]
    assert data["myNotifications"]["edges"][0]["node"]["url"] == "https://jianglian.test/me/challenges/"
    assert run(MARK, {"ids": [gid(first)]}, user=alice).ok()["markNotificationsRead"]["marked"] == 1
    data = run(MY, {"unread": True}, user=alice).ok()
    assert [e["node"]["id"] for e in data["myNotifications"]["edges"]] == [gid(second)]
    assert run(MARK, {"all": True}, user=alice).ok()["markNotificationsRead"]["marked"] == 1
    assert run(MY, user=alice).ok()["unreadNotificationCount"] == 0


def test_graphql_refuses_anothers_notifications(alice, bob):
    [theirs] = give(bob, 1)
    assert run(MARK, {"ids": [gid(theirs)]}, user=alice).code == "BAD_USER_INPUT"
    assert run("query($id: ID!) { node(id: $id) { id } }", {"id": gid(theirs)}, user=alice).code == "NOT_FOUND"
    assert run(MY, user=alice).ok()["myNotifications"]["totalCount"] == 0
    assert inbox.unread_count(user=bob) == 1


def test_graphql_needs_a_signed_in_caller(db):
    assert run("{ unreadNotificationCount }").code == "UNAUTHENTICATED"
    assert run(MARK, {"all": True}).code == "UNAUTHENTICATED"


@pytest.mark.parametrize("n", [3, 30])
def test_graphql_list_costs_fixed_queries(alice, n, django_assert_num_queries):
    give(alice, n)
    run("{ __typename }", user=alice)  # the token, created once
    # token + user, the secretariat check of the GraphQL view (error messages), the unread count, the list's
    # count, the page
    with django_assert_num_queries(5):
        data = run(MY, user=alice).ok()
    assert data["myNotifications"]["totalCount"] == len(data["myNotifications"]["edges"]) == n


def test_graphql_preferences(alice):
    mutation = """mutation($input: UpdateNotificationPreferencesInput!) {
      updateNotificationPreferences(input: $input) { preferences { emailEnabled smsEnabled phone language } } }"""
    data = run(mutation, {"input": {"emailEnabled": False, "phone": "13800138000"}}, user=alice).ok()
    assert data["updateNotificationPreferences"]["preferences"] == {
        "emailEnabled": False, "smsEnabled": True, "phone": "13800138000", "language": "zh-hans"}
    bad = run(mutation, {"input": {"phone": "1"}}, user=alice)
    assert bad.code == "BAD_USER_INPUT"
    assert run("{ myNotificationPreferences { emailEnabled } }", user=alice).ok() == {
        "myNotificationPreferences": {"emailEnabled": False}}
