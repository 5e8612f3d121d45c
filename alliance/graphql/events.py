"""GraphQL of campus outreach events (劳模工匠进校园): `outreachEvents` and the events' mutations.
They translate input and call alliance.services / alliance.selectors."""
import graphene

from experts.graphql.experts import ExpertType
from jianglian.graphql.enums import ProvinceEnum, enum_from_choices
from jianglian.graphql.idempotency import client_mutation_id_argument
from jianglian.graphql.mutations import Load, Role, ServiceMutation, given
from jianglian.graphql.types import ConnectionField, CountableConnection, VisibleObjectType, Node

from .. import filters, selectors, services
from ..models import EventParticipation, EventPhoto, OutreachEvent

EventStatusEnum = enum_from_choices(OutreachEvent.Status, "OutreachEventStatus", "进校园活动状态")
EventFormatEnum = enum_from_choices(OutreachEvent.Format, "OutreachEventFormat", "活动形式")
ParticipationStatusEnum = enum_from_choices(EventParticipation.Status, "EventParticipationStatus", "参与状态")


class EventParticipationType(VisibleObjectType):
    status = ParticipationStatusEnum(required=True)
    expert = graphene.Field(ExpertType, required=True)

    unscoped = frozenset({"expert"})

    class Meta:
        model = EventParticipation
        name = "EventParticipation"
        fields = ("id", "expert", "role", "status", "note", "invited_at", "responded_at")

    def resolve_expert(root, info):
        return root.expert


class EventPhotoType(VisibleObjectType):
    url = graphene.String(required=True, description="照片文件（REST） / the photo's bytes (REST)")

    class Meta:
        model = EventPhoto
        name = "EventPhoto"
        fields = ("id", "caption", "content_type", "size", "uploaded_at")

    def resolve_url(root, info):
        from django.urls import reverse

        return reverse("event-photo", kwargs={"pk": root.event_id, "photo_pk": root.pk})


class OutreachEventType(VisibleObjectType):
    """进校园活动. Confirmed and held events are public; planned and cancelled ones are the secretariat's and
    the invited experts'. Participations: all for the secretariat, confirmed ones and one's own for others."""

    status = EventStatusEnum(required=True)
    format = EventFormatEnum(required=True)
    province = ProvinceEnum(required=True)
    participations = graphene.List(graphene.NonNull(EventParticipationType), required=True)
    photos = graphene.List(graphene.NonNull(EventPhotoType), required=True,
                           description="活动照片（通过 REST 上传） / the report's photos (uploaded through REST)")

    class Meta:
        model = OutreachEvent
        name = "OutreachEvent"
        interfaces = (Node,)
        connection_class = CountableConnection
        fields = (
            "id", "title", "school", "province", "city", "starts_at", "ends_at", "format", "topic", "capacity",
            "audience", "status", "requested_by_school", "participations", "audience_count", "report_summary",
            "report_feedback", "photos", "cancel_reason", "created_at",
        )

    @classmethod
    def visible(cls, info):
        return selectors.event_list(user=info.context.user)

    def resolve_participations(root, info):
        return selectors.event_participations_visible(user=info.context.user, event=root)

    def resolve_photos(root, info):
        return root.photos.all()


class EventQueries(graphene.ObjectType):
    outreach_events = ConnectionField(OutreachEventType, filterset_class=filters.OutreachEventFilter,
                                      description="劳模工匠进校园活动")


class OutreachEventFields:
    title = graphene.String()
    school = graphene.String()
    province = ProvinceEnum()
    city = graphene.String()
    starts_at = graphene.DateTime()
    ends_at = graphene.DateTime()
    format = EventFormatEnum()
    topic = graphene.String()
    capacity = graphene.Int()
    audience = graphene.String()
    requested_by_school = graphene.Boolean()


class OutreachEventInput(OutreachEventFields, graphene.InputObjectType):
    title = graphene.String(required=True)
    school = graphene.String(required=True)
    province = ProvinceEnum(required=True)
    city = graphene.String(required=True)
    starts_at = graphene.DateTime(required=True)
    format = EventFormatEnum(required=True)
    topic = graphene.String(required=True)
    client_mutation_id = client_mutation_id_argument()


class UpdateOutreachEventInput(OutreachEventFields, graphene.InputObjectType):
    """Only the fields given change."""


class _EventPayload(ServiceMutation):
    class Meta:
        abstract = True

    event = graphene.Field(OutreachEventType, required=True)


EVENT = Load(OutreachEventType, to="event")


class CreateOutreachEvent(_EventPayload):
    """Secretariat only (a school's request is recorded with requestedBySchool)."""

    class Meta:
        name = "CreateOutreachEventPayload"
        permissions = (Role.SECRETARIAT,)
        idempotent = True

    class Arguments:
        input = OutreachEventInput(required=True)

    @classmethod
    def perform(cls, info, user, **fields):
        return services.event_create(user=user, **given(fields))


class UpdateOutreachEvent(_EventPayload):
    """Secretariat only: change an event's details; only the fields given change."""

    class Meta:
        name = "UpdateOutreachEventPayload"
        permissions = (Role.SECRETARIAT,)
        service = services.event_update
        load = {"id": EVENT}

    class Arguments:
        id = graphene.ID(required=True)
        input = UpdateOutreachEventInput(required=True)


class InviteExpertsToEvent(_EventPayload):
    """Secretariat only: invite experts (each is mailed once)."""

    class Meta:
        name = "InviteExpertsToEventPayload"
        permissions = (Role.SECRETARIAT,)
        load = {"id": EVENT, "experts": Load(ExpertType, many=True)}

    class Arguments:
        id = graphene.ID(required=True)
        experts = graphene.List(graphene.NonNull(graphene.ID), required=True)
        role = graphene.String()

    @classmethod
    def perform(cls, info, user, event, experts, role=""):
        services.event_invite_experts(user=user, event=event, experts=experts, role=role)
        return event


class RespondToEvent(_EventPayload):
    """The invited expert confirms (accept: true) or declines."""

    class Meta:
        name = "RespondToEventPayload"
        load = {"id": EVENT}

    class Arguments:
        id = graphene.ID(required=True)
        accept = graphene.Boolean(required=True)
        note = graphene.String()

    @classmethod
    def perform(cls, info, user, event, accept, note=""):
        services.event_respond(user=user, event=event, accept=accept, note=note)
        return event


class ConfirmEvent(_EventPayload):
    """Secretariat only: the event will take place."""

    class Meta:
        name = "ConfirmEventPayload"
        permissions = (Role.SECRETARIAT,)
        service = services.event_confirm
        load = {"id": EVENT}

    class Arguments:
        id = graphene.ID(required=True)


class HoldEvent(_EventPayload):
    """Secretariat only: the event took place; the report (audience count, summary, feedback)."""

    class Meta:
        name = "HoldEventPayload"
        permissions = (Role.SECRETARIAT,)
        service = services.event_hold
        load = {"id": EVENT}

    class Arguments:
        id = graphene.ID(required=True)
        audience_count = graphene.Int(required=True)
        summary = graphene.String(required=True)
        feedback = graphene.String()


class CancelEvent(_EventPayload):
    """Secretariat only: call the event off, with a reason."""

    class Meta:
        name = "CancelEventPayload"
        permissions = (Role.SECRETARIAT,)
        service = services.event_cancel
        load = {"id": EVENT}

    class Arguments:
        id = graphene.ID(required=True)
        reason = graphene.String(required=True)


class EventMutations(graphene.ObjectType):
    create_outreach_event = CreateOutreachEvent.Field()
    update_outreach_event = UpdateOutreachEvent.Field()
    invite_experts_to_event = InviteExpertsToEvent.Field()
    respond_to_event = RespondToEvent.Field()
    confirm_event = ConfirmEvent.Field()
    hold_event = HoldEvent.Field()
    cancel_event = CancelEvent.Field()
