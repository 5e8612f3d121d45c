"""劳模工匠助企行 service days (现场服务): the secretariat plans a day with experts and enterprises; on the day the
secretariat or a participating expert logs each enterprise's question; one not solved on the spot becomes a draft
challenge of that enterprise, linked to the day, which the enterprise publishes. Service, REST, GraphQL."""
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from alliance import selectors, services
from alliance.models import ServiceDay, ServiceDayQuestion
from enterprises.models import Challenge
from enterprises.services import challenge_publish
from jianglian.errors import IllegalTransition, NotAllowed
from jianglian.models import AuditEntry, NotificationLog
from jianglian.reports import campaign_report
from tests import factories
from tests.gql import gid, run

pytestmark = pytest.mark.django_db
URL = "/api/v1/service-days/"


@pytest.fixture
def people(secretariat, enterprise_user, other_enterprise_user):
    """The secretariat, two experts of the day (with accounts), one expert not in it, two enterprises at the day."""
    (expert_a_user, expert_a), (expert_b_user, expert_b) = factories.make_expert_user(), factories.make_expert_user()
    outsider = factories.make_expert_user()
    return dict(secretariat=secretariat, expert_a=(expert_a_user, expert_a), expert_b=(expert_b_user, expert_b),
                outsider=outsider, enterprise_a=enterprise_user, enterprise_b=other_enterprise_user)


def plan_day(people, *, starts_in=timedelta(days=7), **overrides):
    fields = dict(title="泸州化工园区助企行", venue="泸州国家高新区化工园区", venue_kind="park", province="sichuan",
                  city="泸州", starts_at=timezone.now() + starts_in)
    fields.update(overrides)
    return services.service_day_create(
        user=people["secretariat"], experts=[people["expert_a"][1], people["expert_b"][1]],
        enterprises=[people["enterprise_a"][1], people["enterprise_b"][1]], **fields)


def day_of_today(people):
    day = plan_day(people)
    ServiceDay.objects.filter(pk=day.pk).update(starts_at=timezone.now() - timedelta(hours=1))  # the day came
    day.refresh_from_db()
    return day


def log(people, day, who="expert_a", enterprise="enterprise_a", **overrides):
    fields = dict(topic="换热器结垢严重", description="循环水换热器三个月结垢一次，清洗停车损失大。", category="technology",
                  solved_on_site=False, workers_trained=12)
    fields.update(overrides)
    user = people[who][0] if isinstance(people[who], tuple) else people[who]
    return services.service_day_log_question(user=user, day=day, enterprise=people[enterprise][1], **fields)


# --- planning -------------------------------------------------------------------------------------------------------

def test_the_secretariat_plans_a_day_and_its_experts_are_told(people):
    day = plan_day(people)

    assert (day.status, day.participations.count(), day.enterprises.count()) == ("planned", 2, 2)
    assert NotificationLog.objects.filter(kind="service_day_assigned", channel="email").count() == 2
    assert list(AuditEntry.objects.filter(subject_type="alliance.serviceday", subject_id=day.pk)
                .values_list("action", flat=True).order_by("id")) == ["create", "add_enterprises"]


def test_a_day_in_the_past_is_refused(people):
    with pytest.raises(ValidationError) as refused:
        plan_day(people, starts_in=-timedelta(hours=1))
    assert list(refused.value.message_dict) == ["starts_at"]
    assert not ServiceDay.objects.exists()


def test_only_the_secretariat_plans_reports_and_cancels(people):
    day = plan_day(people)
    for who in ("expert_a", "enterprise_a"):
        user = people[who][0]
        with pytest.raises(NotAllowed):
            plan_day({**people, "secretariat": user})
        with pytest.raises(NotAllowed):
            services.service_day_cancel(user=user, day=day, reason="x")
        with pytest.raises(NotAllowed):
            services.service_day_hold(user=user, day=day, summary="x")
    assert ServiceDay.objects.get().status == "planned"


def test_cancelling_tells_the_experts(people):
    day = services.service_day_cancel(user=people["secretariat"], day=plan_day(people), reason="园区停电检修")
    assert (day.status, day.cancel_reason) == ("cancelled", "园区停电检修")
    assert NotificationLog.objects.filter(kind="service_day_cancelled", channel="email").count() == 2
    with pytest.raises(IllegalTransition):
        log(people, day, who="secretariat")


# --- logging questions ----------------------------------------------------------------------------------------------

def test_a_participating_expert_logs_questions_on_the_day_and_not_before(people):
    day = plan_day(people)
    with pytest.raises(IllegalTransition):
        log(people, day)
    day = day_of_today(people)

    question = log(people, day)

    assert (question.enterprise, question.answered_by, question.workers_trained, question.logged_by) == (
        people["enterprise_a"][1], people["expert_a"][1], 12, people["expert_a"][0])
    assert AuditEntry.objects.filter(subject_type="alliance.servicedayquestion", action="log").count() == 1


def test_who_logs_and_for_which_enterprise(people):
    day = day_of_today(people)
    with pytest.raises(NotAllowed):
        log(people, day, who="outsider")
    with pytest.raises(NotAllowed):
        log(people, day, who="enterprise_a")
    stranger = factories.make_enterprise()
    with pytest.raises(ValidationError):
        services.service_day_log_question(user=people["secretariat"], day=day, enterprise=stranger, topic="x",
                                          category="green")
    with pytest.raises(ValidationError):
        log(people, day, who="secretariat", answered_by=people["outsider"][1])
    with pytest.raises(ValidationError):
        log(people, day, who="secretariat", workers_trained=-1)
    assert log(people, day, who="secretariat", solved_on_site=True).answered_by is None
    assert ServiceDayQuestion.objects.count() == 1


def test_questions_are_seen_by_those_at_the_day_only(people):
    day = day_of_today(people)
    a, b = log(people, day), log(people, day, enterprise="enterprise_b", topic="VOCs 治理")

    def seen(user):
        return set(selectors.service_question_list(user=user))

    assert seen(people["secretariat"]) == seen(people["expert_b"][0]) == {a, b}
    assert seen(people["enterprise_a"][0]) == {a}
    assert seen(people["outsider"][0]) == seen(None) == set()


# --- a question becomes a challenge ---------------------------------------------------------------------------------

def test_an_unsolved_question_becomes_a_draft_the_enterprise_publishes(people):
    day = day_of_today(people)
    question = log(people, day)

    question = services.service_question_convert(user=people["expert_b"][0], question=question)

    challenge = question.challenge
    assert (challenge.enterprise, challenge.status, challenge.title, challenge.category) == (
        people["enterprise_a"][1], "draft", "换热器结垢严重", "technology")
    assert "泸州化工园区助企行" in challenge.description
    assert challenge.service_day_question.service_day == day  # the link back to the day
    assert NotificationLog.objects.filter(kind="service_question_draft", channel="email",
                                          recipient=people["enterprise_a"][0]).count() == 1
    published = challenge_publish(user=people["enterprise_a"][0], challenge=challenge)
    assert published.status == "open"
    with pytest.raises(IllegalTransition):
        services.service_question_convert(user=people["secretariat"], question=question)


def test_a_solved_question_or_an_outsider_does_not_convert(people):
    day = day_of_today(people)
    solved = log(people, day, solved_on_site=True)
    with pytest.raises(IllegalTransition):
        services.service_question_convert(user=people["secretariat"], question=solved)
    unsolved = log(people, day)
    for who in ("outsider", "enterprise_a"):
        with pytest.raises(NotAllowed):
            services.service_question_convert(user=people[who][0], question=unsolved)
    assert not Challenge.objects.exists()


# --- reporting and the campaign's figures ---------------------------------------------------------------------------

def test_the_campaign_report_counts_held_days(people):
    day = day_of_today(people)
    log(people, day, solved_on_site=True, workers_trained=30)
    log(people, day, enterprise="enterprise_b", workers_trained=5, category="green")
    services.service_question_convert(user=people["secretariat"], question=ServiceDayQuestion.objects.last())
    other = day_of_today(people)  # planned but never held: not counted
    log(people, other)
    with pytest.raises(ValidationError):
        services.service_day_hold(user=people["secretariat"], day=day, summary="")
    services.service_day_hold(user=people["secretariat"], day=day, summary="解答 2 个问题")
    today = timezone.localdate()

    def totals(**filters):
        return campaign_report(user=people["secretariat"], date_from=today - timedelta(days=1), date_to=today,
                               **filters).totals()

    figures = totals()
    assert {code: figures[code] for code in (
        "service_days_held", "service_day_enterprises", "service_day_questions", "service_day_questions_solved",
        "service_day_workers_trained", "expert_participations")} == {
        "service_days_held": 1, "service_day_enterprises": 2, "service_day_questions": 2,
        "service_day_questions_solved": 1, "service_day_workers_trained": 35, "expert_participations": 2}
    green = totals(category="green")
    assert (green["service_day_questions"], green["service_day_questions_solved"], green["service_days_held"]) == (
        1, 0, None)  # a day has no category: its own figures do not apply
    assert totals(province="shandong")["service_days_held"] == 0
    by_province = campaign_report(user=people["secretariat"], date_from=today, date_to=today).metric(
        "service_day_workers_trained").by_province
    assert [(row.key, row.value) for row in by_province] == [("sichuan", 35)]


# --- REST -----------------------------------------------------------------------------------------------------------

def test_rest_a_whole_day(people, client_for):
    admin = client_for(people["secretariat"])
    starts = (timezone.now() + timedelta(days=3)).isoformat()
    created = admin.post(URL, {"title": "园区助企行", "venue": "宜宾三江新区", "province": "sichuan", "city": "宜宾",
                               "starts_at": starts, "experts": [people["expert_a"][1].pk],
                               "enterprises": [people["enterprise_a"][1].pk]}, format="json")
    assert created.status_code == 201, created.json()
    day_url = f"{URL}{created.json()['id']}/"
    added = admin.post(day_url + "participants/", {"experts": [people["expert_b"][1].pk],
                                                   "enterprises": [people["enterprise_b"][1].pk]}, format="json")
    assert [e["expert"]["id"] for e in added.json()["experts"]] == [people["expert_a"][1].pk, people["expert_b"][1].pk]
    ServiceDay.objects.update(starts_at=timezone.now() - timedelta(hours=1))

    expert = client_for(people["expert_a"][0])
    logged = expert.post(day_url + "questions/", {"enterprise": people["enterprise_a"][1].pk, "topic": "废水 COD 超标",
                                                   "category": "green", "workers_trained": 8}, format="json")
    assert logged.status_code == 201, logged.json()
    converted = expert.post(f"{day_url}questions/{logged.json()['id']}/convert/")
    assert converted.status_code == 200, converted.json()
    challenge = Challenge.objects.get(pk=converted.json()["challenge_id"])
    assert (challenge.status, challenge.enterprise) == ("draft", people["enterprise_a"][1])

    public = client_for(None).get(day_url).json()
    assert (public["questions_logged"], public["workers_trained"]) == (1, 8)
    assert client_for(None).get(day_url + "questions/").json()["count"] == 0  # questions are not public
    assert client_for(people["enterprise_b"][0]).get(day_url + "questions/").json()["count"] == 0
    assert client_for(people["enterprise_a"][0]).get(day_url + "questions/").json()["count"] == 1


def test_rest_refusals(people, client_for):
    day = day_of_today(people)
    question = log(people, day)
    outsider, enterprise = client_for(people["outsider"][0]), client_for(people["enterprise_a"][0])
    day_url = f"{URL}{day.pk}/"
    body = {"enterprise": people["enterprise_a"][1].pk, "topic": "x", "category": "green"}

    assert outsider.post(URL, {"title": "x"}, format="json").status_code == 403
    assert outsider.post(day_url + "questions/", body, format="json").status_code == 403
    assert enterprise.post(f"{day_url}questions/{question.pk}/convert/").status_code == 403
    assert outsider.post(f"{day_url}questions/{question.pk}/convert/").status_code == 404  # not theirs to see
    assert client_for(None).post(day_url + "questions/", body, format="json").status_code == 401
    bad = client_for(people["secretariat"]).post(day_url + "questions/", {**body, "workers_trained": -3,
                                                                           "solved_on_site": "maybe"}, format="json")
    assert (bad.status_code, sorted(bad.json()["errors"])) == (400, ["solved_on_site", "workers_trained"])
    assert ServiceDayQuestion.objects.count() == 1 and not Challenge.objects.exists()


def test_rest_list_is_a_fixed_number_of_queries(people, client_for, django_assert_max_num_queries):
    client = client_for(None)
    plan_day(people)
    with django_assert_max_num_queries(5) as one:
        assert client.get(URL).json()["count"] == 1
    for n in range(9):
        plan_day(people, title=f"第{n}场")
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get(URL).json()["count"] == 10


# --- GraphQL --------------------------------------------------------------------------------------------------------

CREATE = """mutation($input: ServiceDayInput!) { createServiceDay(input: $input) { serviceDay { id status
  participations { expert { name } } enterprises { name } } } }"""
LOG = """mutation($id: ID!, $input: LogServiceDayQuestionInput!) { logServiceDayQuestion(id: $id, input: $input) {
  question { id solvedOnSite workersTrained challenge { id } } } }"""
CONVERT = """mutation($id: ID!) { convertQuestionToChallenge(id: $id) { question { challenge { status title } } } }"""


def test_graphql_a_day_a_question_and_its_challenge(people):
    variables = {"input": {"title": "助企行", "venue": "某园区", "province": "SICHUAN", "city": "泸州",
                           "startsAt": (timezone.now() + timedelta(days=2)).isoformat(),
                           "experts": [gid("Expert", people["expert_a"][1])],
                           "enterprises": [gid("Enterprise", people["enterprise_a"][1])]}}
    assert run(CREATE, variables, user=people["expert_a"][0]).code == "FORBIDDEN"
    created = run(CREATE, variables, user=people["secretariat"]).ok()["createServiceDay"]["serviceDay"]
    assert created["status"] == "PLANNED" and len(created["participations"]) == 1
    ServiceDay.objects.update(starts_at=timezone.now() - timedelta(hours=1))

    question_input = {"enterprise": gid("Enterprise", people["enterprise_a"][1]), "topic": "精馏塔液泛",
                      "category": "TECHNOLOGY", "workersTrained": 6}
    assert run(LOG, {"id": created["id"], "input": question_input}, user=people["outsider"][0]).code == "FORBIDDEN"
    logged = run(LOG, {"id": created["id"], "input": question_input}, user=people["expert_a"][0]).ok()
    question = logged["logServiceDayQuestion"]["question"]
    assert (question["workersTrained"], question["challenge"]) == (6, None)
    converted = run(CONVERT, {"id": question["id"]}, user=people["expert_a"][0]).ok()
    assert converted["convertQuestionToChallenge"]["question"]["challenge"] == {"status": "DRAFT", "title": "精馏塔液泛"}
    assert run(CONVERT, {"id": question["id"]}, user=people["expert_a"][0]).code == "CONFLICT"
    listed = run("{ serviceDays { edges { node { questionsLogged workersTrained questions { id } } } } }").ok()
    assert listed["serviceDays"]["edges"][0]["node"] == {"questionsLogged": 1, "workersTrained": 6, "questions": []}


def test_graphql_day_list_is_a_fixed_number_of_queries(people, django_assert_max_num_queries):
    query = """{ serviceDays(first: 20) { edges { node { title questionsLogged participations { expert { name } }
      enterprises { name } questions { topic enterprise { name } } } } } }"""
    plan_day(people)
    with django_assert_max_num_queries(12) as one:
        run(query, user=people["secretariat"]).ok()
    for n in range(5):
        plan_day(people, title=f"第{n}场")
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(run(query, user=people["secretariat"]).ok()["serviceDays"]["edges"]) == 6
