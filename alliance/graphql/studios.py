"""GraphQL of studios (劳模工匠创新工作室): the Studio type, `studios(…)`, `createStudio` and `updateStudio`.
They translate input and call alliance.services / selectors."""
import graphene

from experts.graphql.experts import ExpertType
from experts.graphql.skills import SkillType, skills_from_ids
from jianglian.graphql.enums import CategoryEnum, ProvinceEnum, enum_from_choices
from jianglian.graphql.mutations import Load, ServiceMutation, given
from jianglian.graphql.types import ConnectionField, CountableConnection, VisibleObjectType, Node

from .. import filters, selectors, services
from ..models import Studio

StudioLevelEnum = enum_from_choices(Studio.Level, "StudioLevel", "工作室级别")
MembershipStatusEnum = enum_from_choices(Studio.MembershipStatus, "MembershipStatus", "联盟成员状态")


class StudioType(VisibleObjectType):
    level = StudioLevelEnum(required=True)
    province = ProvinceEnum(required=True)
    membership_status = MembershipStatusEnum(required=True)
    lead = graphene.Field(ExpertType, description="领衔人")
    members = graphene.List(graphene.NonNull(ExpertType), required=True, description="成员")
    skills = graphene.List(graphene.NonNull(SkillType), required=True, description="研究方向")
    focus = graphene.List(graphene.NonNull(graphene.String), required=True)

    class Meta:
        model = Studio
        name = "Studio"
        interfaces = (Node,)
        connection_class = CountableConnection
        fields = (
            "id", "name", "level", "host_enterprise", "lead", "members", "province", "city", "established_year",
            "skills", "focus", "description", "achievements", "capacity", "membership_status",
            "created_at", "updated_at",
        )

    @classmethod
    def visible(cls, info):
        return selectors.studio_list(user=info.context.user)

    def resolve_lead(root, info):
        return root.lead

    def resolve_members(root, info):
        return root.members.all()

    def resolve_skills(root, info):
        return root.skills.all()


class StudioQueries(graphene.ObjectType):
    studios = ConnectionField(StudioType, filterset_class=filters.StudioFilter, description="劳模工匠创新工作室")


class StudioFields:
    name = graphene.String()
    level = StudioLevelEnum()
    host_enterprise = graphene.String(description="依托单位")
    province = ProvinceEnum()
    city = graphene.String()
    established_year = graphene.Int()
    skills = graphene.List(graphene.NonNull(graphene.ID), description="研究方向：Skill ids")
    focus = graphene.List(graphene.NonNull(graphene.String))
    description = graphene.String()
    achievements = graphene.String()
    capacity = graphene.Int()


class CreateStudioInput(StudioFields, graphene.InputObjectType):
    name = graphene.String(required=True)
    host_enterprise = graphene.String(required=True, description="依托单位")
    province = ProvinceEnum(required=True)
    city = graphene.String(required=True)
    lead = graphene.ID(description="领衔人 (Expert id): the secretariat names one; an expert registers their own studio")


class UpdateStudioInput(StudioFields, graphene.InputObjectType):
    """Only the fields given change."""


class CreateStudio(ServiceMutation):
    """An expert registers the studio they lead; the secretariat registers any studio (naming its lead)."""

    class Meta:
        name = "CreateStudioPayload"
        load = {"lead": Load(ExpertType), "skills": skills_from_ids}

    class Arguments:
        input = CreateStudioInput(required=True)

    studio = graphene.Field(StudioType, required=True)

    @classmethod
    def perform(cls, info, user, **fields):
        return services.studio_create(user=user, **given(fields))


class UpdateStudio(ServiceMutation):
    """The studio's lead, its manager accounts or the secretariat."""

    class Meta:
        name = "UpdateStudioPayload"
        service = services.studio_update
        load = {"id": Load(StudioType, to="studio"), "skills": skills_from_ids}

    class Arguments:
        id = graphene.ID(required=True)
        input = UpdateStudioInput(required=True)

    studio = graphene.Field(StudioType, required=True)


class StudioMutations(graphene.ObjectType):
    create_studio = CreateStudio.Field()
    update_studio = UpdateStudio.Field()
