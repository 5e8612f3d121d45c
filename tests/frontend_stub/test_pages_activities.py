"""The campaign's activities on the site: the public pages (activities, an event and its report, a service day and
its figures, the schools' request form), the secretariat's pages (events, the invite picker, requests, service
days), and logging a service day's questions. The rules are alliance.services'; here, that the pages reach them."""
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from alliance import services
from alliance.models import EventPhoto, EventRequest, OutreachEvent, ServiceDay, ServiceDayQuestion
from enterprises.models import Challenge
from tests import factories
from tests.images import GIF, JPEG, PNG

pytestmark = pytest.mark.django_db


def future(days=10):
    return timezone.now() + timedelta(days=days)


def local(value):
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def event_of(secretariat, **overrides):
    fields = dict(title="走进泸州职院", school="泸州职业技术学院", province="sichuan", city="泸州", starts_at=future(),
                  format="lecture", topic="精馏塔节能操作")
    fields.update(overrides)
    return services.event_create(user=secretariat, **fields)


def held_event(secretariat, expert_pair, **overrides):
    event = event_of(secretariat, **overrides)
    services.event_invite_experts(user=secretariat, event=event, experts=[expert_pair[1]], role="主讲")
    services.event_respond(user=expert_pair[0], event=event, accept=True)
    services.event_confirm(user=secretariat, event=event)
    OutreachEvent.objects.filter(pk=event.pk).update(starts_at=timezone.now() - timedelta(hours=3))
    return services.event_report(user=secretariat, event=OutreachEvent.objects.get(pk=event.pk), audience_count=150,
                                 summary="学生提问踊跃", photos=[(PNG, "合影")])


# --- public pages ---------------------------------------------------------------------------------------------------

def test_the_public_pages_show_upcoming_and_past_activities_with_their_reports(web, secretariat, expert_user):
    held = held_event(secretariat, expert_user)
    planned = event_of(secretariat, title="筹备中的活动")  # not public until confirmed
    day = services.service_day_create(user=secretariat, title="泸州园区助企行", venue="泸州化工园区", province="sichuan",
                                      city="泸州", starts_at=future(5))

    page = web().get(reverse("web:activities")).content.decode()

    assert "泸州园区助企行" in page and "走进泸州职院" in page and "筹备中的活动" not in page
    detail = web().get(reverse("web:event", args=[held.pk])).content.decode()
    assert "学生提问踊跃" in detail and "150" in detail and expert_user[1].name in detail
    photo = EventPhoto.objects.get()
    assert reverse("event-photo", args=[held.pk, photo.pk]) in detail
    assert web().get(reverse("web:event", args=[planned.pk])).status_code == 404
    assert web().get(reverse("web:service_day", args=[day.pk])).status_code == 200
    home = web().get(reverse("web:home")).content.decode()
    assert "泸州园区助企行" in home  # the next activities


def test_the_experts_profile_lists_their_activities(web, secretariat, expert_user):
    held_event(secretariat, expert_user)
    services.service_day_create(user=secretariat, title="宜宾园区助企行", venue="宜宾三江新区", province="sichuan",
                                city="宜宾", starts_at=future(3), experts=[expert_user[1]])

    page = web().get(reverse("web:expert", args=[expert_user[1].pk])).content.decode()

    assert "走进泸州职院" in page and "宜宾园区助企行" in page


def test_the_activities_page_is_a_fixed_number_of_queries(web, secretariat, django_assert_max_num_queries):
    client = web()
    event_of(secretariat)
    with django_assert_max_num_queries(8) as first:
        client.get(reverse("web:activities"))
    for n in range(6):
        event = event_of(secretariat, title=f"活动{n}")
        OutreachEvent.objects.filter(pk=event.pk).update(status="confirmed")
        services.service_day_create(user=secretariat, title=f"服务日{n}", venue="园区", province="sichuan",
                                    city="泸州", starts_at=future(n + 1))
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(reverse("web:activities"))


# --- a school asks ------------------------------------------------------------------------------------------------

def request_form(client, **overrides):
    page = client.get(reverse("web:event_request"))
    data = {"school": "四川化工职业技术学院", "contact_name": "王老师", "phone": "13800138000", "email": "",
            "province": "sichuan", "city": "泸州", "topic": "精馏节能", "audience": "化工专业学生", "audience_size": "80",
            "date_1": (timezone.localdate() + timedelta(days=30)).isoformat(), "date_2": "", "date_3": "",
            "format": "lecture", "note": "", "website": "", "stamp": page.context["form"].initial["stamp"]}
    data.update(overrides)
    return data


def sent_later(data, seconds=5):
    """The form as a person sends it: a few seconds after the page was shown."""
    from django.core import signing

    from frontend_stub.activity_forms import FORM_SALT

    data["stamp"] = signing.dumps(timezone.now().timestamp() - seconds, salt=FORM_SALT)
    return data


def test_a_school_asks_through_the_public_form(web):
    client = web()
    response = client.post(reverse("web:event_request"), sent_later(request_form(client)))
    assert response.status_code == 302
    assert EventRequest.objects.get().school == "四川化工职业技术学院"


def test_a_date_in_the_past_keeps_what_was_typed_with_the_error_on_its_field(web):
    client = web()
    response = client.post(reverse("web:event_request"), sent_later(request_form(client, date_1="2020-03-01")))
    assert response.status_code == 400
    assert response.context["form"].errors["date_1"] == ["希望的日期须晚于今天。"]
    assert "四川化工职业技术学院" in response.content.decode()
    assert not EventRequest.objects.exists()


def test_a_bot_filling_the_honeypot_or_sending_at_once_stores_nothing(web):
    client = web()
    assert client.post(reverse("web:event_request"),
                       sent_later(request_form(client, website="http://spam.example"))).status_code == 302
    assert client.post(reverse("web:event_request"), request_form(client)).status_code == 302  # sent at once
    assert not EventRequest.objects.exists()


@override_settings(EVENT_REQUESTS_PER_HOUR=2)
def test_a_school_form_flood_is_refused_with_429(web):
    client = web()
    answers = [client.post(reverse("web:event_request"),
                           sent_later(request_form(client, phone=f"1380013800{n}"))).status_code for n in range(4)]
    assert answers == [302, 302, 429, 429]
    assert EventRequest.objects.count() == 2


def test_the_secretariat_accepts_a_request_into_a_prefilled_event_or_declines_it(web, secretariat):
    accepted = services.event_request_submit(client_address="10.0.0.1", school="甲校", contact_name="王", phone="13800138000",
                                             province="sichuan", city="泸州", topic="安全", audience="学生",
                                             preferred_dates=[timezone.localdate() + timedelta(days=9)],
                                             format="training")
    declined = services.event_request_submit(client_address="10.0.0.2", school="乙校", contact_name="李", phone="13900139000",
                                             province="sichuan", city="宜宾", topic="环保", audience="学生",
                                             preferred_dates=[timezone.localdate() + timedelta(days=9)],
                                             format="lecture")
    client = web(secretariat)
    assert "甲校" in client.get(reverse("web:manage_activities")).content.decode()

    response = client.post(reverse("web:request_accept", args=[accepted.pk]))
    event = OutreachEvent.objects.get()
    assert response["Location"] == reverse("web:event_edit", args=[event.pk])
    assert (event.school, event.format, event.requested_by_school) == ("甲校", "training", True)
    client.post(reverse("web:request_decline", args=[declined.pk]), {"reason": "档期已满"})
    assert EventRequest.objects.get(pk=declined.pk).decline_reason == "档期已满"


# --- the secretariat runs an event ----------------------------------------------------------------------------------

def test_create_edit_invite_with_the_picker_and_see_the_answers(web, secretariat):
    client = web(secretariat)
    form = {"title": "走进宜宾职院", "school": "宜宾职业技术学院", "province": "sichuan", "city": "宜宾",
            "starts_at": local(future(20)), "ends_at": "", "format": "workshop", "topic": "化工安全", "capacity": "120",
            "audience": "学生"}
    past = client.post(reverse("web:event_new"), {**form, "starts_at": "2020-01-01T09:00"})
    assert past.status_code == 400 and "starts_at" in past.context["form"].errors
    response = client.post(reverse("web:event_new"), form)
    event = OutreachEvent.objects.get()
    assert response["Location"] == reverse("web:manage_event", args=[event.pk])
    client.post(reverse("web:event_edit", args=[event.pk]), {**form, "capacity": "200"})
    assert OutreachEvent.objects.get().capacity == 200

    wang = factories.make_expert_user(name="王强")
    li = factories.make_expert_user(name="李明", skills=[factories.make_skill(name="化工安全管理")])
    searched = client.get(reverse("web:manage_event", args=[event.pk]), {"q": "王"})
    assert [e.name for e, _ in searched.context["picks"]] == ["王强"]
    assert [e.name for e, _ in client.get(reverse("web:manage_event", args=[event.pk]),
                                          {"q": "化工安全"}).context["picks"]] == ["李明"]
    client.post(reverse("web:event_invite", args=[event.pk]), {"experts": [wang[1].pk, li[1].pk], "role": "主讲"})
    services.event_respond(user=wang[0], event=event, accept=True)
    services.event_respond(user=li[0], event=event, accept=False, note="出差")

    page = client.get(reverse("web:manage_event", args=[event.pk]))
    assert {s: [p.expert.name for p in rows] for s, rows in page.context["by_status"].items()} == {
        "invited": [], "confirmed": ["王强"], "declined": ["李明"]}


def test_the_picker_finds_experts_by_a_chinese_synonym_or_their_own_tags_on_every_database(web, secretariat):
    """Synonyms and self-declared tags are JSON lists: SQLite keeps them with \\u escapes, PostgreSQL as the
    characters; the picker finds 机封 and 隔膜泵 alike on both (the PostgreSQL suite runs this too)."""
    event = event_of(secretariat)
    seals = factories.make_skill(name="机械密封", synonyms=["机封", "Mechanical Seal"])
    sealer = factories.make_expert_user(name="赵师傅", skills=[seals])[1]
    pumper = factories.make_expert_user(name="钱师傅", skill_tags=["隔膜泵检修", "DCS操作"])[1]
    factories.make_expert_user(name="孙师傅", skill_tags=["精馏"])
    client = web(secretariat)

    def picked(q):
        return [e.name for e, _ in client.get(reverse("web:manage_event", args=[event.pk]), {"q": q}).context["picks"]]

    assert picked("机封") == [sealer.name]
    assert picked("mechanical seal") == [sealer.name]  # ASCII words, any case, as before
    assert picked("隔膜泵") == [pumper.name]
    assert picked("dcs操作") == [pumper.name]  # mixed ASCII and Chinese
    assert picked("密封圈") == []


def test_the_report_with_photos_and_a_photo_that_is_not_an_image(web, secretariat, expert_user):
    event = event_of(secretariat)
    services.event_invite_experts(user=secretariat, event=event, experts=[expert_user[1]])
    services.event_respond(user=expert_user[0], event=event, accept=True)
    services.event_confirm(user=secretariat, event=event)
    OutreachEvent.objects.filter(pk=event.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    client = web(secretariat)
    url = reverse("web:event_report", args=[event.pk])

    bad = client.post(url, {"audience_count": "90", "summary": "很好",
                            "photos": [SimpleUploadedFile("a.jpg", GIF, "image/jpeg")]})
    assert bad.status_code == 400 and "photos" in bad.context["report_form"].errors
    assert OutreachEvent.objects.get().status == "confirmed" and not EventPhoto.objects.exists()
    good = client.post(url, {"audience_count": "90", "summary": "很好",
                             "photos": [SimpleUploadedFile("a.jpg", JPEG, "image/jpeg"),
                                        SimpleUploadedFile("b.png", PNG, "image/png")]})
    assert good["Location"] == reverse("web:event", args=[event.pk])
    assert EventPhoto.objects.count() == 2 and OutreachEvent.objects.get().status == "held"


def test_cancelling_from_the_page_needs_a_reason(web, secretariat):
    event = event_of(secretariat)
    client = web(secretariat)
    client.post(reverse("web:event_cancel", args=[event.pk]), {"reason": ""})
    assert OutreachEvent.objects.get().status == "planned"
    client.post(reverse("web:event_cancel", args=[event.pk]), {"reason": "学校停课"})
    assert OutreachEvent.objects.get().status == "cancelled"


# --- service days ---------------------------------------------------------------------------------------------------

def test_a_service_day_from_the_pages_to_a_challenge_the_enterprise_publishes(web, secretariat, enterprise_user):
    expert_user, expert = factories.make_expert_user()
    client = web(secretariat)
    response = client.post(reverse("web:service_day_new"), {
        "title": "泸州园区助企行", "venue": "泸州化工园区", "venue_kind": "park", "province": "sichuan", "city": "泸州",
        "starts_at": local(future(2)), "ends_at": "", "description": ""})
    day = ServiceDay.objects.get()
    assert response["Location"] == reverse("web:manage_service_day", args=[day.pk])
    client.post(reverse("web:service_day_participants", args=[day.pk]),
                {"experts": [expert.pk], "enterprises": [enterprise_user[1].pk]})
    assert (day.participations.count(), day.enterprises.count()) == (1, 1)
    ServiceDay.objects.update(starts_at=timezone.now() - timedelta(hours=1))

    expert_client = web(expert_user)
    page = expert_client.get(reverse("web:service_day", args=[day.pk]))
    assert page.context["loggable"]
    logged = expert_client.post(reverse("web:service_day_log", args=[day.pk]), {
        "enterprise": enterprise_user[1].pk, "topic": "循环水换热器结垢", "description": "", "category": "technology",
        "workers_trained": "10", "answered_by": ""})
    assert logged.status_code == 302
    question = ServiceDayQuestion.objects.get()
    expert_client.post(reverse("web:service_question_convert", args=[day.pk, question.pk]))
    challenge = Challenge.objects.get()
    assert (challenge.status, challenge.enterprise) == ("draft", enterprise_user[1])

    staff = web(enterprise_user[0])
    assert staff.post(reverse("web:challenge_publish", args=[challenge.pk])).status_code == 302
    assert Challenge.objects.get().status == "open"
    assert "循环水换热器结垢" in staff.get(reverse("web:service_day", args=[day.pk])).content.decode()


def test_only_those_at_the_day_log_and_bad_input_keeps_the_form(web, secretariat, enterprise_user):
    day = services.service_day_create(user=secretariat, title="助企行", venue="园区", province="sichuan", city="泸州",
                                      starts_at=future(1), enterprises=[enterprise_user[1]])
    ServiceDay.objects.update(starts_at=timezone.now() - timedelta(hours=1))
    outsider = factories.make_expert_user()
    url = reverse("web:service_day_log", args=[day.pk])
    body = {"enterprise": enterprise_user[1].pk, "topic": "废水", "category": "green", "workers_trained": "-1"}

    assert web(outsider[0]).post(url, body).status_code == 403
    assert web(enterprise_user[0]).post(url, body).status_code == 403
    bad = web(secretariat).post(url, body)
    assert bad.status_code == 400 and "workers_trained" in bad.context["question_form"].errors
    assert not ServiceDayQuestion.objects.exists()
