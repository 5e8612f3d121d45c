"""GraphQL of schools' requests for 进校园 events: `eventRequests` (the secretariat's queue; a signed-in requester's
own), `requestOutreachEvent` (anyone; a flood is TOO_MANY_REQUESTS) and `reviewEventRequest` (secretariat).
They translate input and call alliance.services / alliance.selectors."""
import graphene

from jianglian.graphql.enums import ProvinceEnum, enum_from_choices
from jianglian.graphql.mutations import Load, Role, ServiceMutation, given
from jianglian.graphql.types import ConnectionField, CountableConnection, Node, VisibleObjectType
from jianglian.signin import client_ip

from .. import filters, selectors, services
from ..models import EventRequest
from .events import EventFormatEnum, OutreachEventType

EventRequestStatusEnum = enum_from_choices(EventRequest.Status, "EventRequestStatus", "学校申请状态")


class EventRequestDecisionEnum(graphene.Enum):
    """接受（创建活动）或婉拒（原因发送给学校）"""

    ACCEPT = services.RequestDecision.ACCEPT
    DECLINE = services.RequestDecision.DECLINE


class EventRequestType(VisibleObjectType):
    """A school's request for an event: the secretariat's; a signed-in requester sees their own."""

    status = EventRequestStatusEnum(required=True)
    format = EventFormatEnum(required=True)
    province = ProvinceEnum(required=True)
    preferred_dates = graphene.List(graphene.NonNull(graphene.Date), required=True)
    event = graphene.Field(OutreachEventType)

    class Meta:
        model = EventRequest
        name = "EventRequest"
        interfaces = (Node,)
        connection_class = CountableConnection
        fields = ("id", "school", "contact_name", "phone", "email", "province", "city", "topic", "audience",
                  "audience_size", "preferred_dates", "format", "note", "status", "created_at", "reviewed_at",
                  "decline_reason", "event")

    @classmethod
    def visible(cls, info):
        return selectors.event_request_list(user=info.context.user)

    def resolve_preferred_dates(root, info):
        from datetime import date

        return [date.fromisoformat(value) for value in root.preferred_dates]

    def resolve_event(root, info):
        return root.event


class EventRequestQueries(graphene.ObjectType):
    event_requests = ConnectionField(EventRequestType, filterset_class=filters.EventRequestFilter,
                                     description="学校的进校园活动申请（秘书处）")


class RequestOutreachEventInput(graphene.InputObjectType):
    school = graphene.String(required=True)
    contact_name = graphene.String(required=True)
    phone = graphene.String(required=True)
    email = graphene.String()
    province = ProvinceEnum(required=True)
    city = graphene.String(required=True)
    topic = graphene.String(required=True)
    audience = graphene.String(required=True)
    audience_size = graphene.Int()
    preferred_dates = graphene.List(graphene.NonNull(graphene.Date), required=True)
    format = EventFormatEnum(required=True)
    note = graphene.String()


class _RequestPayload(ServiceMutation):
    class Meta:
        abstract = True

    request = graphene.Field(EventRequestType, required=True)


class RequestOutreachEvent(_RequestPayload):
    """A school asks for a campus event (no sign-in needed; a few per hour per address and phone number)."""

    class Meta:
        name = "RequestOutreachEventPayload"
        permissions = (Role.ANYONE,)

    class Arguments:
        input = RequestOutreachEventInput(required=True)

    @classmethod
    def perform(cls, info, user, **fields):
        return services.event_request_submit(user=user, client_address=client_ip(info.context), **given(fields))


class ReviewEventRequest(_RequestPayload):
    """Secretariat only: ACCEPT creates the event from the request (title / startsAt may change it), DECLINE sends
    the reason to the school."""

    class Meta:
        name = "ReviewEventRequestPayload"
        permissions = (Role.SECRETARIAT,)
        service = services.event_request_review
        load = {"id": Load(EventRequestType, to="request")}

    class Arguments:
        id = graphene.ID(required=True)
        decision = EventRequestDecisionEnum(required=True)
        reason = graphene.String()
        title = graphene.String()
        starts_at = graphene.DateTime()


class EventRequestMutations(graphene.ObjectType):
    request_outreach_event = RequestOutreachEvent.Field()
    review_event_request = ReviewEventRequest.Field()
