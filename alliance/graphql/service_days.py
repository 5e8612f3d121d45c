"""GraphQL of 劳模工匠助企行 service days (现场服务): `serviceDays`, `serviceDayQuestions`, `createServiceDay`,
`updateServiceDay`, `addServiceDayParticipants`, `holdServiceDay`, `cancelServiceDay`, `logServiceDayQuestion` and
`convertQuestionToChallenge`. They translate input and call alliance.services / alliance.selectors."""
import graphene

from enterprises.graphql.challenges import ChallengeType
from enterprises.graphql.enterprises import EnterpriseType
from experts.graphql.experts import ExpertType
from jianglian.graphql.enums import CategoryEnum, ProvinceEnum, enum_from_choices
from jianglian.graphql.idempotency import client_mutation_id_argument
from jianglian.graphql.mutations import Load, Role, ServiceMutation, given
from jianglian.graphql.types import ConnectionField, CountableConnection, Node, VisibleObjectType

from .. import filters, selectors, services
from ..models import ServiceDay, ServiceDayExpert, ServiceDayQuestion

ServiceDayStatusEnum = enum_from_choices(ServiceDay.Status, "ServiceDayStatus", "现场服务状态")
VenueKindEnum = enum_from_choices(ServiceDay.VenueKind, "ServiceDayVenueKind", "现场服务地点类型")


class ServiceDayExpertType(VisibleObjectType):
    expert = graphene.Field(ExpertType, required=True)

    unscoped = frozenset({"expert"})

    class Meta:
        model = ServiceDayExpert
        name = "ServiceDayExpert"
        fields = ("id", "expert", "role", "added_at")

    def resolve_expert(root, info):
        return root.expert


class ServiceDayQuestionType(VisibleObjectType):
    """One enterprise's question at a service day: seen by the secretariat, the day's experts and that enterprise."""

    category = CategoryEnum(required=True)
    enterprise = graphene.Field(EnterpriseType, required=True)
    answered_by = graphene.Field(ExpertType)
    challenge = graphene.Field(ChallengeType, description="转成的需求（草稿或已发布） / the challenge it became")
    service_day = graphene.Field(lambda: ServiceDayType, required=True)

    unscoped = frozenset({"enterprise", "answered_by", "service_day"})

    class Meta:
        model = ServiceDayQuestion
        name = "ServiceDayQuestion"
        interfaces = (Node,)
        connection_class = CountableConnection
        fields = ("id", "service_day", "enterprise", "topic", "description", "category", "solved_on_site",
                  "workers_trained", "answered_by", "logged_at", "challenge")

    @classmethod
    def visible(cls, info):
        return selectors.service_question_list(user=info.context.user)

    def resolve_enterprise(root, info):
        return root.enterprise

    def resolve_answered_by(root, info):
        return root.answered_by

    def resolve_challenge(root, info):
        return root.challenge

    def resolve_service_day(root, info):
        return root.service_day


class ServiceDayType(VisibleObjectType):
    """A service day: planned and held ones are public with their figures; questions only for those at the day."""

    status = ServiceDayStatusEnum(required=True)
    venue_kind = VenueKindEnum(required=True)
    province = ProvinceEnum(required=True)
    participations = graphene.List(graphene.NonNull(ServiceDayExpertType), required=True)
    enterprises = graphene.List(graphene.NonNull(EnterpriseType), required=True)
    questions = graphene.List(graphene.NonNull(ServiceDayQuestionType), required=True,
                              description="秘书处、参与专家：全部；企业：本企业的 / all for the secretariat and its experts")
    questions_logged = graphene.Int(required=True)
    questions_solved = graphene.Int(required=True, description="现场解决 / solved on the spot")
    workers_trained = graphene.Int(required=True)

    class Meta:
        model = ServiceDay
        name = "ServiceDay"
        interfaces = (Node,)
        connection_class = CountableConnection
        fields = ("id", "title", "venue", "venue_kind", "province", "city", "starts_at", "ends_at", "description",
                  "status", "participations", "enterprises", "questions", "report_summary", "cancel_reason",
                  "created_at")

    @classmethod
    def visible(cls, info):
        return selectors.with_question_figures(selectors.service_day_list(user=info.context.user))

    def resolve_participations(root, info):
        return root.participations.all()

    def resolve_enterprises(root, info):
        return root.enterprises.all()

    def resolve_questions(root, info):
        return root.questions.all()


class ServiceDayQueries(graphene.ObjectType):
    service_days = ConnectionField(ServiceDayType, filterset_class=filters.ServiceDayFilter,
                                   description="劳模工匠助企行现场服务")
    service_day_questions = ConnectionField(ServiceDayQuestionType, filterset_class=filters.ServiceDayQuestionFilter,
                                            description="现场服务记录的问题")


class ServiceDayFields:
    title = graphene.String()
    venue = graphene.String()
    venue_kind = VenueKindEnum()
    province = ProvinceEnum()
    city = graphene.String()
    starts_at = graphene.DateTime()
    ends_at = graphene.DateTime()
    description = graphene.String()


class ServiceDayInput(ServiceDayFields, graphene.InputObjectType):
    title = graphene.String(required=True)
    venue = graphene.String(required=True)
    province = ProvinceEnum(required=True)
    city = graphene.String(required=True)
    starts_at = graphene.DateTime(required=True)
    experts = graphene.List(graphene.NonNull(graphene.ID))
    enterprises = graphene.List(graphene.NonNull(graphene.ID))
    client_mutation_id = client_mutation_id_argument()


class UpdateServiceDayInput(ServiceDayFields, graphene.InputObjectType):
    """Only the fields given change."""


class _DayPayload(ServiceMutation):
    class Meta:
        abstract = True

    service_day = graphene.Field(ServiceDayType, required=True)


DAY = Load(ServiceDayType, to="day")
EXPERTS = Load(ExpertType, many=True)
ENTERPRISES = Load(EnterpriseType, many=True)


class CreateServiceDay(_DayPayload):
    """Secretariat only: a service day with its experts (each notified) and enterprises."""

    class Meta:
        name = "CreateServiceDayPayload"
        permissions = (Role.SECRETARIAT,)
        idempotent = True
        load = {"experts": EXPERTS, "enterprises": ENTERPRISES}

    class Arguments:
        input = ServiceDayInput(required=True)

    @classmethod
    def perform(cls, info, user, **fields):
        return services.service_day_create(user=user, **given(fields))


class UpdateServiceDay(_DayPayload):
    """Secretariat only: change a planned day's details; only the fields given change."""

    class Meta:
        name = "UpdateServiceDayPayload"
        permissions = (Role.SECRETARIAT,)
        service = services.service_day_update
        load = {"id": DAY}

    class Arguments:
        id = graphene.ID(required=True)
        input = UpdateServiceDayInput(required=True)


class AddServiceDayParticipants(_DayPayload):
    """Secretariat only: add experts and enterprises to a planned day."""

    class Meta:
        name = "AddServiceDayParticipantsPayload"
        permissions = (Role.SECRETARIAT,)
        load = {"id": DAY, "experts": EXPERTS, "enterprises": ENTERPRISES}

    class Arguments:
        id = graphene.ID(required=True)
        experts = graphene.List(graphene.NonNull(graphene.ID))
        enterprises = graphene.List(graphene.NonNull(graphene.ID))
        role = graphene.String()

    @classmethod
    def perform(cls, info, user, day, experts=None, enterprises=None, role=""):
        return services.service_day_add_participants(user=user, day=day, experts=experts or (),
                                                     enterprises=enterprises or (), role=role)


class HoldServiceDay(_DayPayload):
    """Secretariat only: the day took place; its summary."""

    class Meta:
        name = "HoldServiceDayPayload"
        permissions = (Role.SECRETARIAT,)
        service = services.service_day_hold
        load = {"id": DAY}

    class Arguments:
        id = graphene.ID(required=True)
        summary = graphene.String(required=True)


class CancelServiceDay(_DayPayload):
    """Secretariat only: call a planned day off, with a reason (its experts are told)."""

    class Meta:
        name = "CancelServiceDayPayload"
        permissions = (Role.SECRETARIAT,)
        service = services.service_day_cancel
        load = {"id": DAY}

    class Arguments:
        id = graphene.ID(required=True)
        reason = graphene.String(required=True)


class _QuestionPayload(ServiceMutation):
    class Meta:
        abstract = True

    question = graphene.Field(ServiceDayQuestionType, required=True)


class LogServiceDayQuestionInput(graphene.InputObjectType):
    enterprise = graphene.ID(required=True)
    topic = graphene.String(required=True)
    description = graphene.String()
    category = CategoryEnum(required=True)
    solved_on_site = graphene.Boolean()
    workers_trained = graphene.Int()
    answered_by = graphene.ID()


class LogServiceDayQuestion(_QuestionPayload):
    """The secretariat or an expert taking part in the day logs an enterprise's question."""

    class Meta:
        name = "LogServiceDayQuestionPayload"
        load = {"id": DAY, "enterprise": Load(EnterpriseType), "answered_by": Load(ExpertType)}

    class Arguments:
        id = graphene.ID(required=True, description="the service day")
        input = LogServiceDayQuestionInput(required=True)

    @classmethod
    def perform(cls, info, user, day, **fields):
        return services.service_day_log_question(user=user, day=day, **given(fields))


class ConvertQuestionToChallenge(_QuestionPayload):
    """A question not solved on the spot becomes a draft challenge of its enterprise (which reviews and publishes
    it); the secretariat or an expert of the day."""

    class Meta:
        name = "ConvertQuestionToChallengePayload"
        service = services.service_question_convert
        load = {"id": Load(ServiceDayQuestionType, to="question")}

    class Arguments:
        id = graphene.ID(required=True)


class ServiceDayMutations(graphene.ObjectType):
    create_service_day = CreateServiceDay.Field()
    update_service_day = UpdateServiceDay.Field()
    add_service_day_participants = AddServiceDayParticipants.Field()
    hold_service_day = HoldServiceDay.Field()
    cancel_service_day = CancelServiceDay.Field()
    log_service_day_question = LogServiceDayQuestion.Field()
    convert_question_to_challenge = ConvertQuestionToChallenge.Field()
