"""GraphQL types of enterprises and their challenges."""
import graphene
from graphene_django.filter import TypedFilter

from enterprises import filters, selectors
from enterprises.models import Challenge, Enterprise
from experts.graphql.types import SkillType
from jianglian.filters import GlobalIDFilter
from jianglian.graphql.enums import CategoryEnum, IndustryEnum, ProvinceEnum, enum_from_choices
from jianglian.graphql.types import CountableConnection, JLObjectType, Node
from matching.graphql.types import matches_field

EnterpriseSizeEnum = enum_from_choices(Enterprise.Size, "EnterpriseSize", "企业规模")
ChallengeStatusEnum = enum_from_choices(Challenge.Status, "ChallengeStatus", "需求状态")
RegionStrictnessEnum = enum_from_choices(Challenge.RegionStrictness, "RegionStrictness", "地区要求")


class EnterpriseFilter(filters.EnterpriseFilter):
    province = TypedFilter(input_type=ProvinceEnum)
    industry = TypedFilter(input_type=IndustryEnum)
    size = TypedFilter(input_type=EnterpriseSizeEnum)


class ChallengeFilter(filters.ChallengeFilter):
    province = TypedFilter(field_name="enterprise__province", input_type=ProvinceEnum)
    preferred_province = TypedFilter(input_type=ProvinceEnum)
    category = TypedFilter(input_type=CategoryEnum)
    status = TypedFilter(input_type=ChallengeStatusEnum)
    enterprise = GlobalIDFilter(field_name="enterprise", type_name="Enterprise")


class EnterpriseType(JLObjectType):
    """Verified enterprises are public; an unverified one is seen by its staff and the secretariat."""

    province = ProvinceEnum(required=True)
    industry = IndustryEnum(required=True)
    size = EnterpriseSizeEnum(required=True)

    class Meta:
        model = Enterprise
        name = "Enterprise"
        interfaces = (Node,)
        connection_class = CountableConnection
        fields = (
            "id", "name", "credit_code", "province", "city", "industry", "size", "description",
            "verified", "verified_at", "created_at",
        )

    @classmethod
    def visible(cls, info):
        return selectors.enterprise_list(user=info.context.user)


class ChallengeType(JLObjectType):
    """Open, paired and resolved challenges are public; drafts and closed ones only to their enterprise."""

    enterprise = graphene.Field(EnterpriseType, required=True)
    category = CategoryEnum(required=True)
    skills = graphene.List(graphene.NonNull(SkillType), required=True)
    preferred_province = ProvinceEnum()
    region_strictness = RegionStrictnessEnum(required=True)
    status = ChallengeStatusEnum(required=True)
    matches = matches_field()

    class Meta:
        model = Challenge
        name = "Challenge"
        interfaces = (Node,)
        connection_class = CountableConnection
        fields = (
            "id", "enterprise", "title", "description", "category", "skills", "preferred_province",
            "preferred_city", "region_strictness", "status", "created_at", "updated_at", "published_at",
            "closed_at",
        )

    unscoped = frozenset({"enterprise"})  # whoever sees a challenge sees who posted it

    @classmethod
    def visible(cls, info):
        return selectors.challenge_list(user=info.context.user)

    def resolve_enterprise(root, info):
        return root.enterprise

    def resolve_skills(root, info):
        return root.skills.all()

    def resolve_preferred_province(root, info):
        return root.preferred_province or None
