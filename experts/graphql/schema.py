"""The experts app's GraphQL: one Query and one Mutation composed of its features."""
import graphene

from .experts import ExpertMutations, ExpertQueries
from .skills import SkillMutations, SkillQueries


class ExpertsQuery(ExpertQueries, SkillQueries, graphene.ObjectType):
    pass


class ExpertsMutation(SkillMutations, ExpertMutations, graphene.ObjectType):
    pass
