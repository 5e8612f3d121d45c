import graphene

from jianglian.graphql.types import ConnectionField

from .types import ChallengeFilter, ChallengeType, EnterpriseFilter, EnterpriseType


class EnterprisesQuery(graphene.ObjectType):
    enterprises = ConnectionField(EnterpriseType, filterset_class=EnterpriseFilter, description="企业")
    challenges = ConnectionField(ChallengeType, filterset_class=ChallengeFilter, description="企业需求")
    my_enterprises = graphene.List(
        graphene.NonNull(EnterpriseType), required=True, description="The enterprises the caller works for."
    )

    def resolve_my_enterprises(root, info):
        user = info.context.user
        if not user.is_authenticated:
            return []
        return user.enterprises.all()
