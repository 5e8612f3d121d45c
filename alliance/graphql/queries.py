import graphene

from jianglian.graphql.types import ConnectionField

from .types import MembershipApplicationFilter, MembershipApplicationType, StudioFilter, StudioType


class AllianceQuery(graphene.ObjectType):
    studios = ConnectionField(StudioType, filterset_class=StudioFilter, description="劳模工匠创新工作室")
    membership_applications = ConnectionField(
        MembershipApplicationType, filterset_class=MembershipApplicationFilter,
        description="入盟申请：秘书处看全部，工作室看自己的",
    )
