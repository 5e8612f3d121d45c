"""The matching app's GraphQL: one Query and one Mutation composed of its features."""
import graphene

from .conflicts import ConflictQueries
from .fitting import FittingQueries
from .matches import MatchMutations, MatchQueries
from .pairings import PairingMutations, PairingQueries
from .similar import SimilarQueries
from .studio_invitations import StudioInvitationMutations, StudioInvitationQueries


class MatchingQuery(MatchQueries, ConflictQueries, SimilarQueries, FittingQueries, PairingQueries,
                    StudioInvitationQueries, graphene.ObjectType):
    pass


class MatchingMutation(MatchMutations, PairingMutations, StudioInvitationMutations, graphene.ObjectType):
    pass
