"""Schools ask for a 进校园 event: anyone submits (a flood is refused), the secretariat accepts (the event is created,
pre-filled) or declines with a reason sent to the school. Service, REST and GraphQL side by side."""
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from alliance import selectors, services
from alliance.models import EventRequest, OutreachEvent
from jianglian import sms
from jianglian.errors import IllegalTransition, NotAllowed, TooManyRequests
from jianglian.models import AuditEntry, NotificationLog
from tests import factories
from tests.gql import gid, run

pytestmark = pytest.mark.django_db
URL = "/api/v1/event-requests/"


def in_days(n: int) -> date:
    return timezone.localdate() + timedelta(days=n)


def form(**overrides):
    fields = dict(school="四川化工职业技术学院", contact_name="王老师", phone="13800138000", email="wang@school.edu.cn",
                  province="sichuan", city="泸州", topic="精馏塔节能操作", audience="化工专业二年级学生",
                  audience_size=180, preferred_dates=[in_days(20), in_days(27)], format="lecture")
    fields.update(overrides)
    return fields


def submit(user=None, address="10.0.0.1", **overrides):
    return services.event_request_submit(user=user, client_address=address, **form(**overrides))


def trail(request):
    return list(AuditEntry.objects.filter(subject_type="alliance.eventrequest", subject_id=request.pk)
                .order_by("id").values_list("action", "to_state"))


# --- submitting -----------------------------------------------------------------------------------------------------

def test_anyone_submits_a_request_and_it_waits_in_the_secretariats_queue(secretariat):
    request = submit()

    assert (request.status, request.requested_by, request.preferred_dates) == (
        "pending", None, [in_days(20).isoformat(), in_days(27).isoformat()])
    assert list(selectors.event_request_list(user=secretariat)) == [request]
    assert trail(request) == [("submit", "pending")]


@pytest.mark.parametrize("dates", [[], [date(2020, 1, 1)], ["today"], [timezone.localdate()],
                                   [date(2031, 1, 1)] * 1 + [date(2031, 1, 2), date(2031, 1, 3), date(2031, 1, 4)]])
def test_preferred_dates_are_one_to_three_days_after_today(dates):
    if dates == ["today"]:
        dates = [timezone.localdate().isoformat()]
    with pytest.raises(ValidationError) as refused:
        submit(preferred_dates=dates)
    assert list(refused.value.message_dict) == ["preferred_dates"]
    assert not EventRequest.objects.exists()


@pytest.mark.parametrize("phone", ["12345", "138001380001", "call me", ""])
def test_a_phone_number_that_is_none_is_refused(phone):
    with pytest.raises(ValidationError) as refused:
        submit(phone=phone)
    assert list(refused.value.message_dict) == ["phone"]


def test_a_landline_with_its_area_code_is_a_phone_number():
    assert submit(phone="0830-3150123").phone == "0830-3150123"


@override_settings(EVENT_REQUESTS_PER_HOUR=3)
def test_a_flood_from_one_address_or_for_one_phone_is_refused_for_an_hour():
    for n in range(3):
        submit(address="10.0.0.1", phone=f"1380013800{n}")
    with pytest.raises(TooManyRequests):
        submit(address="10.0.0.1", phone="13900139000")  # same address
    for n in range(2):
        submit(address=f"10.0.1.{n}", phone="13700137000")
    submit(address="10.0.1.9", phone="13700137000")
    with pytest.raises(TooManyRequests):
        submit(address="10.0.2.1", phone="13700137000")  # same phone from anywhere
    EventRequest.objects.update(created_at=timezone.now() - timedelta(hours=1, minutes=1))
    submit(address="10.0.0.1", phone="13900139000")  # an hour later
    assert EventRequest.objects.count() == 7


# --- reviewing ------------------------------------------------------------------------------------------------------

def test_accepting_creates_the_event_prefilled_and_tells_the_school(secretariat, django_capture_on_commit_callbacks):
    request = submit()

    with django_capture_on_commit_callbacks(execute=True):
        request = services.event_request_accept(user=secretariat, request=request)

    event = request.event
    assert (request.status, event.school, event.city, event.topic, event.audience, event.capacity, event.format,
            event.requested_by_school, event.status) == (
        "accepted", "四川化工职业技术学院", "泸州", "精馏塔节能操作", "化工专业二年级学生", 180, "lecture", True, "planned")
    assert timezone.localtime(event.starts_at).date() == in_days(20)
    assert trail(request) == [("submit", "pending"), ("accept", "accepted")]
    assert [m.to for m in mail.outbox] == [["wang@school.edu.cn"]]
    assert "已接受" in mail.outbox[0].subject


def test_declining_needs_a_reason_which_is_sent_to_the_school_by_mail_and_sms(secretariat,
                                                                             django_capture_on_commit_callbacks):
    request = submit()
    with pytest.raises(ValidationError):
        services.event_request_decline(user=secretariat, request=request, reason="  ")

    with django_capture_on_commit_callbacks(execute=True):
        request = services.event_request_decline(user=secretariat, request=request, reason="本学期专家档期已满")

    assert (request.status, request.decline_reason, request.event) == ("declined", "本学期专家档期已满", None)
    assert [m.to for m in mail.outbox] == [["wang@school.edu.cn"]] and "本学期专家档期已满" in mail.outbox[0].body
    assert [m.to for m in sms.outbox] == ["13800138000"]  # the school's mobile number, no account needed
    with pytest.raises(IllegalTransition):
        services.event_request_accept(user=secretariat, request=request)
    assert not OutreachEvent.objects.exists()


def test_a_landline_gets_no_sms(secretariat, django_capture_on_commit_callbacks):
    request = submit(phone="0830-3150123", email="")
    with django_capture_on_commit_callbacks(execute=True):
        services.event_request_decline(user=secretariat, request=request, reason="时间冲突")
    assert (mail.outbox, sms.outbox) == ([], [])


def test_a_signed_in_requester_sees_their_own_request_and_is_notified_in_the_site(secretariat, expert_user):
    user = factories.make_user()
    request = submit(user=user, email="")
    submit(address="10.9.9.9", phone="13600136000")

    assert list(selectors.event_request_list(user=user)) == [request]
    assert list(selectors.event_request_list(user=expert_user[0])) == []
    assert list(selectors.event_request_list(user=None)) == []
    services.event_request_decline(user=secretariat, request=request, reason="时间冲突")
    assert NotificationLog.objects.filter(recipient=user, kind="event_request_decision", channel="email").count() == 1


def test_only_the_secretariat_reviews(expert_user, enterprise_user):
    request = submit()
    for user in (expert_user[0], enterprise_user[0], factories.make_user()):
        with pytest.raises(NotAllowed):
            services.event_request_accept(user=user, request=request)
        with pytest.raises(NotAllowed):
            services.event_request_decline(user=user, request=request, reason="x")
    assert EventRequest.objects.get().status == "pending"


# --- REST -----------------------------------------------------------------------------------------------------------

def rest_form(**overrides):
    data = form(**overrides)
    data["preferred_dates"] = [str(d) for d in data["preferred_dates"]]
    return data


def test_rest_anyone_submits_and_the_secretariat_reviews(client_for, secretariat):
    anonymous = client_for(None)

    response = anonymous.post(URL, rest_form(), format="json")

    assert response.status_code == 201, response.json()
    assert anonymous.get(URL).status_code == 401  # the queue is not public
    admin = client_for(secretariat)
    assert [r["school"] for r in admin.get(URL, {"status": "pending"}).json()["results"]] == ["四川化工职业技术学院"]
    review = admin.post(f"{URL}{response.json()['id']}/review/", {"decision": "accept", "title": "精馏节能进校园"},
                        format="json")
    assert review.status_code == 200, review.json()
    event = OutreachEvent.objects.get(pk=review.json()["event_id"])
    assert (event.title, event.requested_by_school) == ("精馏节能进校园", True)


def test_rest_bad_input_is_400_on_its_field_and_privileged_fields_are_refused(client_for):
    anonymous = client_for(None)
    past = anonymous.post(URL, rest_form(preferred_dates=["2020-01-01"]), format="json")
    sneaky = anonymous.post(URL, {**rest_form(), "status": "accepted"}, format="json")

    assert (past.status_code, list(past.json()["errors"])) == (400, ["preferred_dates"])
    assert (sneaky.status_code, list(sneaky.json()["errors"])) == (400, ["status"])
    assert not EventRequest.objects.exists()


@override_settings(EVENT_REQUESTS_PER_HOUR=2)
def test_rest_a_form_flood_is_429_with_retry_after(client_for):
    anonymous = client_for(None)
    answers = [anonymous.post(URL, rest_form(phone=f"1380013800{n}"), format="json").status_code for n in range(4)]

    assert answers == [201, 201, 429, 429]
    last = anonymous.post(URL, rest_form(phone="13900000000"), format="json")
    assert (last.json()["code"], last["Retry-After"]) == ("too_many_requests", "3600")
    assert EventRequest.objects.count() == 2


def test_rest_review_is_the_secretariats(client_for, expert_user):
    request = submit()
    answer = client_for(expert_user[0]).post(f"{URL}{request.pk}/review/", {"decision": "decline", "reason": "x"},
                                             format="json")
    assert answer.status_code == 403
    assert EventRequest.objects.get().status == "pending"


def test_rest_queue_is_a_fixed_number_of_queries(client_for, secretariat, django_assert_max_num_queries):
    client = client_for(secretariat)
    for n in range(3):
        submit(address=f"10.0.0.{n}", phone=f"1380013800{n}")
    with django_assert_max_num_queries(4) as three:
        assert client.get(URL).json()["count"] == 3
    for n in range(3, 30):
        submit(address=f"10.0.0.{n}", phone=f"138001380{n:02d}")
    with django_assert_max_num_queries(len(three.captured_queries)):
        assert client.get(URL, {"page_size": 30}).json()["count"] == 30


# --- GraphQL --------------------------------------------------------------------------------------------------------

REQUEST = """mutation($input: RequestOutreachEventInput!) { requestOutreachEvent(input: $input) {
  request { id status school preferredDates } } }"""
REVIEW = """mutation($id: ID!, $decision: EventRequestDecisionEnum!, $reason: String) {
  reviewEventRequest(id: $id, decision: $decision, reason: $reason) { request { status declineReason event { id } } } }"""


def gql_input(**overrides):
    data = rest_form(**overrides)
    data.pop("email")
    return {"school": data["school"], "contactName": data["contact_name"], "phone": data["phone"],
            "province": "SICHUAN", "city": data["city"], "topic": data["topic"], "audience": data["audience"],
            "audienceSize": data["audience_size"], "preferredDates": data["preferred_dates"], "format": "LECTURE"}


def test_graphql_anyone_requests_and_the_secretariat_reviews(secretariat, expert_user):
    created = run(REQUEST, {"input": gql_input()}).ok()["requestOutreachEvent"]["request"]
    assert created["status"] == "PENDING"

    assert run(REVIEW, {"id": created["id"], "decision": "DECLINE", "reason": "x"},
               user=expert_user[0]).code == "FORBIDDEN"
    assert run(REVIEW, {"id": created["id"], "decision": "DECLINE"}, user=secretariat).code == "BAD_USER_INPUT"
    reviewed = run(REVIEW, {"id": created["id"], "decision": "ACCEPT"}, user=secretariat).ok()
    assert reviewed["reviewEventRequest"]["request"]["status"] == "ACCEPTED"
    assert run("{ eventRequests { totalCount } }").ok()["eventRequests"]["totalCount"] == 0
    assert run("{ eventRequests { totalCount } }", user=secretariat).ok()["eventRequests"]["totalCount"] == 1


@override_settings(EVENT_REQUESTS_PER_HOUR=1)
def test_graphql_a_flood_is_too_many_requests_and_a_past_date_bad_input():
    assert run(REQUEST, {"input": gql_input(preferred_dates=[date(2020, 5, 1)])}).code == "BAD_USER_INPUT"
    run(REQUEST, {"input": gql_input()}).ok()
    flood = run(REQUEST, {"input": gql_input(phone="13900139000")})
    assert flood.code == "TOO_MANY_REQUESTS" and flood.errors[0]["extensions"]["retryAfter"] == 3600
    assert EventRequest.objects.count() == 1
