"""The alliance app's GraphQL: one Query and one Mutation composed of its features."""
import graphene

from .audit import AuditQueries
from .batches import BatchMutations, BatchQueries
from .event_requests import EventRequestMutations, EventRequestQueries
from .events import EventMutations, EventQueries
from .membership import MembershipMutations, MembershipQueries
from .service_days import ServiceDayMutations, ServiceDayQueries
from .studios import StudioMutations, StudioQueries


class AllianceQuery(StudioQueries, MembershipQueries, BatchQueries, EventQueries, EventRequestQueries,
                    ServiceDayQueries, AuditQueries, graphene.ObjectType):
    pass


class AllianceMutation(StudioMutations, MembershipMutations, BatchMutations, EventMutations, EventRequestMutations,
                       ServiceDayMutations, graphene.ObjectType):
    pass
