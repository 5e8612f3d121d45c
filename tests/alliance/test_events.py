"""Campus outreach events (劳模工匠进校园): planned → confirmed → held / cancelled, run by the secretariat."""
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from alliance import selectors, services
from alliance.filters import OutreachEventFilter
from alliance.models import EventParticipation, OutreachEvent
from jianglian.models import AuditEntry
from jianglian.errors import DomainError, IllegalTransition, NotAllowed
from jianglian.models import NotificationLog
from tests import factories
from tests.gql import gid, run

pytestmark = pytest.mark.django_db
Status = OutreachEvent.Status


@pytest.fixture
def expert_pair():
    return factories.make_expert_user()


def create(secretariat, **overrides):
    fields = dict(title="走进四川化工职院", school="四川化工职业技术学院", province="sichuan", city="泸州",
                  starts_at=timezone.now() - timedelta(hours=2), format="lecture", topic="精馏节能", capacity=300,
                  audience="化工专业学生")
    fields.update(overrides)
    return services.event_create(user=secretariat, allow_past=True, **fields)  # a record: it may have started


def confirmed_event(secretariat, expert_pair):
    event = create(secretariat)
    services.event_invite_experts(user=secretariat, event=event, experts=[expert_pair[1]], role="主讲")
    services.event_respond(user=expert_pair[0], event=event, accept=True)
    return services.event_confirm(user=secretariat, event=event)


def event_trail(event):
    return list(AuditEntry.objects.filter(subject_type="alliance.outreachevent", subject_id=event.pk)
                .order_by("id").values_list("action", "from_state", "to_state"))


def test_the_whole_life_of_an_event_is_audited(secretariat, expert_pair):
    event = confirmed_event(secretariat, expert_pair)
    event = services.event_hold(user=secretariat, event=event, audience_count=260, summary="反响热烈", feedback="希望再来")
    assert (event.status, event.audience_count, event.report_summary, event.report_feedback) == (
        Status.HELD, 260, "反响热烈", "希望再来")
    assert event_trail(event) == [("create", "", "planned"), ("confirm", "planned", "confirmed"),
                                  ("hold", "confirmed", "held")]
    participation = EventParticipation.objects.get(event=event)
    assert list(AuditEntry.objects.filter(subject_type="alliance.eventparticipation", subject_id=participation.pk)
                .order_by("id").values_list("action", "to_state")) == [("invite", "invited"), ("confirm", "confirmed")]


def test_an_invitation_is_mailed_once_and_reinviting_changes_nothing(secretariat, expert_pair):
    event = create(secretariat)
    assert len(services.event_invite_experts(user=secretariat, event=event, experts=[expert_pair[1]])) == 1
    assert services.event_invite_experts(user=secretariat, event=event, experts=[expert_pair[1]]) == []
    [log] = NotificationLog.objects.filter(kind="event_invitation", channel="email")
    assert log.recipient == expert_pair[0] and log.context["school"] == "四川化工职业技术学院"


def test_only_the_secretariat_runs_events(secretariat, expert_pair):
    event = create(secretariat)
    outsider = factories.make_enterprise_user()[0]
    for user in (outsider, expert_pair[0]):
        with pytest.raises(NotAllowed):
            create(user)
        with pytest.raises(NotAllowed):
            services.event_invite_experts(user=user, event=event, experts=[expert_pair[1]])
        with pytest.raises(NotAllowed):
            services.event_confirm(user=user, event=event)
        with pytest.raises(NotAllowed):
            services.event_hold(user=user, event=event, audience_count=1, summary="x")
        with pytest.raises(NotAllowed):
            services.event_cancel(user=user, event=event, reason="x")


def test_only_an_invited_expert_responds_and_only_once(secretariat, expert_pair):
    event = create(secretariat)
    with pytest.raises(NotAllowed):
        services.event_respond(user=expert_pair[0], event=event, accept=True)
    services.event_invite_experts(user=secretariat, event=event, experts=[expert_pair[1]])
    participation = services.event_respond(user=expert_pair[0], event=event, accept=False, note="时间冲突")
    assert (participation.status, participation.note) == (EventParticipation.Status.DECLINED, "时间冲突")
    with pytest.raises(IllegalTransition):
        services.event_respond(user=expert_pair[0], event=event, accept=True)


def test_confirmation_needs_a_confirmed_expert(secretariat, expert_pair):
    event = create(secretariat)
    with pytest.raises(DomainError) as error:
        services.event_confirm(user=secretariat, event=event)
    assert error.value.code == "no_confirmed_expert"


def test_held_only_when_confirmed_started_and_reported(secretariat, expert_pair):
    planned = create(secretariat)
    with pytest.raises(IllegalTransition):
        services.event_hold(user=secretariat, event=planned, audience_count=10, summary="x")
    event = confirmed_event(secretariat, expert_pair)
    with pytest.raises(ValidationError):
        services.event_hold(user=secretariat, event=event, audience_count=10, summary="")
    OutreachEvent.objects.filter(pk=event.pk).update(starts_at=timezone.now() + timedelta(days=3))
    with pytest.raises(IllegalTransition) as error:
        services.event_hold(user=secretariat, event=event, audience_count=10, summary="x")
    assert error.value.code == "not_started"


def test_cancel_with_a_reason_from_planned_or_confirmed_only(secretariat, expert_pair):
    event = confirmed_event(secretariat, expert_pair)
    with pytest.raises(ValidationError):
        services.event_cancel(user=secretariat, event=event, reason="")
    event = services.event_cancel(user=secretariat, event=event, reason="学校临时停课")
    assert (event.status, event.cancel_reason) == (Status.CANCELLED, "学校临时停课")
    assert event_trail(event)[-1] == ("cancel", "confirmed", "cancelled")
    for transition in (
        lambda: services.event_cancel(user=secretariat, event=event, reason="again"),
        lambda: services.event_confirm(user=secretariat, event=event),
        lambda: services.event_invite_experts(user=secretariat, event=event, experts=[factories.make_expert()]),
        lambda: services.event_respond(user=expert_pair[0], event=event, accept=False),
    ):
        with pytest.raises(IllegalTransition):
            transition()


def test_invalid_fields_are_refused(secretariat):
    with pytest.raises(ValidationError) as error:
        create(secretariat, status="held")  # no mass assignment
    assert set(error.value.message_dict) == {"status"}
    with pytest.raises(ValidationError) as error:
        create(secretariat, format="party")
    assert set(error.value.message_dict) == {"format"}
    assert not OutreachEvent.objects.exists()


def test_who_sees_which_events(secretariat, expert_pair):
    planned = create(secretariat, title="筹备中")
    services.event_invite_experts(user=secretariat, event=planned, experts=[expert_pair[1]])
    held = confirmed_event(secretariat, factories.make_expert_user())
    services.event_hold(user=secretariat, event=held, audience_count=100, summary="好")
    hidden = create(secretariat, title="仅秘书处可见")
    assert set(selectors.event_list(user=secretariat)) == {planned, held, hidden}
    assert set(selectors.event_list(user=expert_pair[0])) == {planned, held}
    assert set(selectors.event_list(user=factories.make_user())) == {held}


def test_participation_shows_on_the_experts_profile(secretariat, expert_pair):
    event = confirmed_event(secretariat, expert_pair)
    declined_event = create(secretariat)
    services.event_invite_experts(user=secretariat, event=declined_event, experts=[expert_pair[1]])
    services.event_respond(user=expert_pair[0], event=declined_event, accept=False)
    assert [p.event for p in selectors.expert_outreach_history(expert=expert_pair[1])] == [event]
    by_expert = OutreachEventFilter({"expert": expert_pair[1].pk}, queryset=selectors.event_list(user=None))
    assert list(by_expert.qs) == [event]


# --- REST /api/v1/events/ ----------------------------------------------------------------------------

URL = "/api/v1/events/"
NEW = {"title": "走进泸州职院", "school": "泸州职业技术学院", "province": "sichuan", "city": "泸州",
       "starts_at": "2031-04-10T14:00:00+08:00", "format": "workshop", "topic": "化工安全", "capacity": 120}


def test_the_secretariat_runs_an_event_through_rest(secretariat, expert_pair, token_client_for):
    admin, expert = token_client_for(secretariat), token_client_for(expert_pair[0])
    response = admin.post(URL, NEW, format="json")
    assert response.status_code == 201, response.json()
    event_url = f"{URL}{response.json()['id']}/"
    assert admin.post(event_url + "invite/", {"experts": [expert_pair[1].pk], "role": "主讲"},
                      format="json").status_code == 200
    response = expert.post(event_url + "respond/", {"accept": True, "note": "准时到"}, format="json")
    assert response.status_code == 200 and response.json()["participations"][0]["status"] == "confirmed"
    assert admin.post(event_url + "confirm/").json()["status"] == "confirmed"
    OutreachEvent.objects.filter(pk=response.json()["id"]).update(starts_at=timezone.now() - timedelta(hours=1))
    response = admin.post(event_url + "hold/", {"audience_count": 118, "summary": "座无虚席"}, format="json")
    assert (response.json()["status"], response.json()["audience_count"]) == ("held", 118)
    public = token_client_for(None).get(URL, {"expert": expert_pair[1].pk}).json()["results"]
    assert [e["id"] for e in public] == [response.json()["id"]]


def test_rest_event_writes_are_the_secretariats(expert_pair, token_client_for, secretariat):
    assert token_client_for(None).post(URL, NEW, format="json").status_code == 401
    assert token_client_for(expert_pair[0]).post(URL, NEW, format="json").status_code == 403
    event = create(secretariat)
    response = token_client_for(expert_pair[0]).post(f"{URL}{event.pk}/cancel/", {"reason": "x"}, format="json")
    assert response.status_code == 403  # the declared role is checked before the event is looked up
    response = token_client_for(secretariat).post(URL, {**NEW, "status": "held"}, format="json")
    assert response.status_code == 400 and "status" in response.json()["errors"]


def test_rest_illegal_event_transition_is_409(secretariat, token_client_for):
    event = services.event_cancel(user=secretariat, event=create(secretariat), reason="停课")
    response = token_client_for(secretariat).post(f"{URL}{event.pk}/confirm/")
    assert (response.status_code, response.json()["code"]) == (409, "illegal_transition")


def test_rest_event_list_is_a_fixed_number_of_queries(secretariat, token_client_for, django_assert_max_num_queries):
    for _ in range(4):
        event = create(secretariat)
        services.event_invite_experts(user=secretariat, event=event, experts=[factories.make_expert()])
    client = token_client_for(secretariat)
    with django_assert_max_num_queries(6):  # token+user, groups, count, page, participations+experts
        assert len(client.get(URL).json()["results"]) == 4


# --- GraphQL ---------------------------------------------------------------------------------------

CREATE = """mutation { createOutreachEvent(input: {title: "走进泸州职院", school: "泸州职业技术学院", province: SICHUAN,
  city: "泸州", startsAt: "2031-04-10T14:00:00+08:00", format: WORKSHOP, topic: "化工安全", capacity: 120}) {
  event { id status format } } }"""
EVENT = "event { id status participations { status expert { name } } audienceCount }"


def test_an_event_through_graphql(secretariat, expert_pair):
    assert run(CREATE, user=expert_pair[0]).code == "FORBIDDEN"
    created = run(CREATE, user=secretariat).ok()["createOutreachEvent"]["event"]
    assert (created["status"], created["format"]) == ("PLANNED", "WORKSHOP")
    eid = created["id"]
    invite = f"mutation($id: ID!, $e: [ID!]!) {{ inviteExpertsToEvent(id: $id, experts: $e, role: \"主讲\") {{ {EVENT} }} }}"
    run(invite, {"id": eid, "e": [gid("Expert", expert_pair[1])]}, user=secretariat).ok()
    respond = f"mutation($id: ID!) {{ respondToEvent(id: $id, accept: true) {{ {EVENT} }} }}"
    event = run(respond, {"id": eid}, user=expert_pair[0]).ok()["respondToEvent"]["event"]
    assert event["participations"] == [{"status": "CONFIRMED", "expert": {"name": expert_pair[1].name}}]
    run(f"mutation($id: ID!) {{ confirmEvent(id: $id) {{ {EVENT} }} }}", {"id": eid}, user=secretariat).ok()
    OutreachEvent.objects.update(starts_at=timezone.now() - timedelta(hours=1))  # the day came
    hold = f"""mutation($id: ID!) {{ holdEvent(id: $id, audienceCount: 99, summary: "圆满") {{ {EVENT} }} }}"""
    assert run(hold, {"id": eid}, user=expert_pair[0]).code == "FORBIDDEN"
    held = run(hold, {"id": eid}, user=secretariat).ok()["holdEvent"]["event"]
    assert (held["status"], held["audienceCount"]) == ("HELD", 99)
    cancel = f"""mutation($id: ID!) {{ cancelEvent(id: $id, reason: "x") {{ {EVENT} }} }}"""
    assert run(cancel, {"id": eid}, user=secretariat).code == "CONFLICT"
    listed = run("query($e: String) { outreachEvents(expert: $e) { totalCount } }",
                 {"e": gid("Expert", expert_pair[1])}).ok()
    assert listed["outreachEvents"]["totalCount"] == 1


def test_graphql_hides_planned_events_from_the_public(secretariat):
    event = create(secretariat)
    assert run("{ outreachEvents { totalCount } }").ok()["outreachEvents"]["totalCount"] == 0
    assert run("query($id: ID!) { node(id: $id) { id } }", {"id": gid("OutreachEvent", event)}).code == "NOT_FOUND"
    assert run("{ outreachEvents { totalCount } }", user=secretariat).ok()["outreachEvents"]["totalCount"] == 1


# --- GraphQL updateOutreachEvent: REST's PATCH, the secretariat's -----------------------------------------------

UPDATE = """mutation($id: ID!, $input: UpdateOutreachEventInput!) { updateOutreachEvent(id: $id, input: $input) {
  event { title city format } } }"""


@pytest.mark.parametrize("role, outcome", [
    ("anonymous", "UNAUTHENTICATED"), ("enterprise", "FORBIDDEN"), ("invited_expert", "FORBIDDEN"), ("secretariat", "ok"),
])
def test_update_outreach_event_by_role(secretariat, expert_pair, enterprise_user, role, outcome):
    event = create(secretariat)
    services.event_invite_experts(user=secretariat, event=event, experts=[expert_pair[1]])
    user = {"anonymous": None, "enterprise": enterprise_user[0], "invited_expert": expert_pair[0],
            "secretariat": secretariat}[role]

    result = run(UPDATE, {"id": gid("OutreachEvent", event), "input": {"title": "新主题", "format": "WORKSHOP"}},
                 user=user)

    event.refresh_from_db()
    if outcome == "ok":
        assert result.ok()["updateOutreachEvent"]["event"] == {"title": "新主题", "city": event.city,
                                                               "format": "WORKSHOP"}
        assert (event.title, event.format) == ("新主题", "workshop")
    else:
        assert result.code == outcome
        assert event.title != "新主题"


def test_a_cancelled_event_cannot_be_updated(secretariat):
    event = services.event_cancel(user=secretariat, event=create(secretariat), reason="停课")

    result = run(UPDATE, {"id": gid("OutreachEvent", event), "input": {"title": "新主题"}}, user=secretariat)

    assert result.code == "CONFLICT"
