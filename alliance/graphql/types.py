"""GraphQL types of the alliance: Studio and MembershipApplication."""
import graphene
from graphene_django.filter import TypedFilter

from alliance import filters, selectors
from alliance.models import MembershipApplication, Studio
from experts.graphql.types import ExpertType, SkillType
from jianglian.filters import GlobalIDFilter
from jianglian.graphql.enums import CategoryEnum, ProvinceEnum, enum_from_choices
from jianglian.graphql.types import CountableConnection, JLObjectType, Node

StudioLevelEnum = enum_from_choices(Studio.Level, "StudioLevel", "工作室级别")
MembershipStatusEnum = enum_from_choices(Studio.MembershipStatus, "MembershipStatus", "联盟成员状态")
ApplicationStatusEnum = enum_from_choices(MembershipApplication.Status, "ApplicationStatus", "入盟申请状态")


class StudioFilter(filters.StudioFilter):
    province = TypedFilter(input_type=ProvinceEnum)
    level = TypedFilter(input_type=StudioLevelEnum)
    category = TypedFilter(field_name="skills__category", input_type=CategoryEnum, distinct=True)
    membership_status = TypedFilter(input_type=MembershipStatusEnum)


class MembershipApplicationFilter(filters.MembershipApplicationFilter):
    status = TypedFilter(input_type=ApplicationStatusEnum)
    studio = GlobalIDFilter(field_name="studio", type_name="Studio")


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


class MembershipApplicationType(JLObjectType):
    """Visible to the secretariat and to the applying studio's lead and managers."""

    status = ApplicationStatusEnum(required=True)
    studio = graphene.Field(StudioType, required=True)

    class Meta:
        model = MembershipApplication
        name = "MembershipApplication"
        interfaces = (Node,)
        connection_class = CountableConnection
        fields = ("id", "studio", "statement", "status", "submitted_at", "reviewed_at", "review_note")

    @classmethod
    def visible(cls, info):
        return selectors.membership_application_list(user=info.context.user)

    def resolve_studio(root, info):
        return root.studio
