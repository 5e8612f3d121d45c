"""The enterprises app's GraphQL: one Query and one Mutation composed of its features."""
import graphene

from .challenges import ChallengeMutations, ChallengeQueries
from .enterprises import EnterpriseMutations, EnterpriseQueries


class EnterprisesQuery(EnterpriseQueries, ChallengeQueries, graphene.ObjectType):
    pass


class EnterprisesMutation(EnterpriseMutations, ChallengeMutations, graphene.ObjectType):
    pass
