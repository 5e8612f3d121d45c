"""The alliance app's GraphQL: one Query and one Mutation composed of its features."""
import graphene

from .audit import AuditQueries
from .batches import BatchMutations, BatchQueries
from .events import EventMutations, EventQueries
from .membership import MembershipMutations, MembershipQueries
from .studios import StudioMutations, StudioQueries


class AllianceQuery(StudioQueries, MembershipQueries, BatchQueries, EventQueries, AuditQueries, graphene.ObjectType):
    pass


class AllianceMutation(StudioMutations, MembershipMutations, BatchMutations, EventMutations, graphene.ObjectType):
    pass
