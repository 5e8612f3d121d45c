import graphene

from jianglian.graphql.types import ConnectionField
from jianglian.roles import expert_of

from .types import ExpertFilter, ExpertType, SkillFilter, SkillType


class ExpertsQuery(graphene.ObjectType):
    experts = ConnectionField(ExpertType, filterset_class=ExpertFilter, description="劳模工匠库")
    skills = ConnectionField(SkillType, filterset_class=SkillFilter, description="技能分类")
    my_expert_profile = graphene.Field(ExpertType, description="The caller's own expert entry, if any.")

    def resolve_my_expert_profile(root, info):
        return expert_of(info.context.user)
