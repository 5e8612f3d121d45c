"""GraphQL of studios (劳模工匠创新工作室): the Studio type and `studios(…)`."""
import graphene

from experts.graphql.experts import ExpertType
from experts.graphql.skills import SkillType
from jianglian.graphql.enums import CategoryEnum, ProvinceEnum, enum_from_choices
from jianglian.graphql.types import ConnectionField, CountableConnection, JLObjectType, Node

from .. import filters, selectors
from ..models import Studio

StudioLevelEnum = enum_from_choices(Studio.Level, "StudioLevel", "工作室级别")
MembershipStatusEnum = enum_from_choices(Studio.MembershipStatus, "MembershipStatus", "联盟成员状态")


class StudioType(JLObjectType):
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
