"""The matching app's GraphQL: one Query and one Mutation composed of its features."""
import graphene

from .matches import MatchMutations, MatchQueries
from .pairings import PairingMutations, PairingQueries


class MatchingQuery(MatchQueries, PairingQueries, graphene.ObjectType):
    pass


class MatchingMutation(MatchMutations, PairingMutations, graphene.ObjectType):
    pass
