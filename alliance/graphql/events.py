"""GraphQL of campus outreach events (劳模工匠进校园): `outreachEvents` and the events' mutations.
They translate input and call alliance.services / alliance.selectors."""
import graphene

from experts.graphql.experts import ExpertType
from jianglian.graphql.enums import ProvinceEnum, enum_from_choices
from jianglian.graphql.types import (
    ConnectionField, CountableConnection, JLObjectType, Node, get_visible_many, load_visible, require_login,
)

from .. import filters, selectors, services
from ..models import EventParticipation, OutreachEvent

EventStatusEnum = enum_from_choices(OutreachEvent.Status, "OutreachEventStatus", "进校园活动状态")
EventFormatEnum = enum_from_choices(OutreachEvent.Format, "OutreachEventFormat", "活动形式")
ParticipationStatusEnum = enum_from_choices(EventParticipation.Status, "EventParticipationStatus", "参与状态")


class EventParticipationType(JLObjectType):
    status = ParticipationStatusEnum(required=True)
    expert = graphene.Field(ExpertType, required=True)

    unscoped = frozenset({"expert"})

    class Meta:
        model = EventParticipation
        name = "EventParticipation"
        fields = ("id", "expert", "role", "status", "note", "invited_at", "responded_at")

    def resolve_expert(root, info):
        return root.expert


class OutreachEventType(JLObjectType):
    """进校园活动. Confirmed and held events are public; planned and cancelled ones are the secretariat's and
    the invited experts'. Participations: all for the secretariat, confirmed ones and one's own for others."""

    status = EventStatusEnum(required=True)
    format = EventFormatEnum(required=True)
    province = ProvinceEnum(required=True)
    participations = graphene.List(graphene.NonNull(EventParticipationType), required=True)

    class Meta:
        model = OutreachEvent
        name = "OutreachEvent"
        interfaces = (Node,)
        connection_class = CountableConnection
        fields = (
            "id", "title", "school", "province", "city", "starts_at", "ends_at", "format", "topic", "capacity",
            "audience", "status", "requested_by_school", "participations", "audience_count", "report_summary",
            "report_feedback", "cancel_reason", "created_at",
        )

    @classmethod
    def visible(cls, info):
        return selectors.event_list(user=info.context.user)

    def resolve_participations(root, info):
        return selectors.event_participations_visible(user=info.context.user, event=root)


class EventQueries(graphene.ObjectType):
    outreach_events = ConnectionField(OutreachEventType, filterset_class=filters.OutreachEventFilter,
                                      description="劳模工匠进校园活动")


class OutreachEventInput(graphene.InputObjectType):
    title = graphene.String(required=True)
    school = graphene.String(required=True)
    province = ProvinceEnum(required=True)
    city = graphene.String(required=True)
    starts_at = graphene.DateTime(required=True)
    ends_at = graphene.DateTime()
    format = EventFormatEnum(required=True)
    topic = graphene.String(required=True)
    capacity = graphene.Int()
    audience = graphene.String()
    requested_by_school = graphene.Boolean()


def _enum_values(data: dict) -> dict:
    return {k: getattr(v, "value", v) for k, v in data.items() if v is not None}


class _EventPayload(graphene.Mutation):
    class Meta:
        abstract = True

    event = graphene.Field(OutreachEventType, required=True)


class CreateOutreachEvent(_EventPayload):
    """Secretariat only (a school's request is recorded with requestedBySchool)."""

    class Meta:
        name = "CreateOutreachEventPayload"

    class Arguments:
        input = OutreachEventInput(required=True)

    def mutate(root, info, input):
        user = require_login(info)
        return CreateOutreachEvent(event=services.event_create(user=user, **_enum_values(dict(input))))


class InviteExpertsToEvent(_EventPayload):
    """Secretariat only: invite experts (each is mailed once)."""

    class Meta:
        name = "InviteExpertsToEventPayload"

    class Arguments:
        id = graphene.ID(required=True)
        experts = graphene.List(graphene.NonNull(graphene.ID), required=True)
        role = graphene.String()

    def mutate(root, info, id, experts, role=""):
        event = load_visible(info, OutreachEventType, id)
        services.event_invite_experts(user=info.context.user, event=event,
                                      experts=get_visible_many(info, ExpertType, experts), role=role or "")
        return InviteExpertsToEvent(event=event)


class RespondToEvent(_EventPayload):
    """The invited expert confirms (accept: true) or declines."""

    class Meta:
        name = "RespondToEventPayload"

    class Arguments:
        id = graphene.ID(required=True)
        accept = graphene.Boolean(required=True)
        note = graphene.String()

    def mutate(root, info, id, accept, note=""):
        event = load_visible(info, OutreachEventType, id)
        services.event_respond(user=info.context.user, event=event, accept=accept, note=note or "")
        return RespondToEvent(event=event)


class ConfirmEvent(_EventPayload):
    class Meta:
        name = "ConfirmEventPayload"

    class Arguments:
        id = graphene.ID(required=True)

    def mutate(root, info, id):
        event = load_visible(info, OutreachEventType, id)
        return ConfirmEvent(event=services.event_confirm(user=info.context.user, event=event))


class HoldEvent(_EventPayload):
    """Secretariat only: the event took place; the report (audience count, summary, feedback)."""

    class Meta:
        name = "HoldEventPayload"

    class Arguments:
        id = graphene.ID(required=True)
        audience_count = graphene.Int(required=True)
        summary = graphene.String(required=True)
        feedback = graphene.String()

    def mutate(root, info, id, audience_count, summary, feedback=""):
        event = load_visible(info, OutreachEventType, id)
        return HoldEvent(event=services.event_hold(user=info.context.user, event=event,
                                                   audience_count=audience_count, summary=summary,
                                                   feedback=feedback or ""))


class CancelEvent(_EventPayload):
    class Meta:
        name = "CancelEventPayload"

    class Arguments:
        id = graphene.ID(required=True)
        reason = graphene.String(required=True)

    def mutate(root, info, id, reason):
        event = load_visible(info, OutreachEventType, id)
        return CancelEvent(event=services.event_cancel(user=info.context.user, event=event,
                                                       reason=reason))


class EventMutations(graphene.ObjectType):
    create_outreach_event = CreateOutreachEvent.Field()
    invite_experts_to_event = InviteExpertsToEvent.Field()
    respond_to_event = RespondToEvent.Field()
    confirm_event = ConfirmEvent.Field()
    hold_event = HoldEvent.Field()
    cancel_event = CancelEvent.Field()
