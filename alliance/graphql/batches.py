"""GraphQL of membership batches: `membershipBatches` (public) and `publishMembershipBatch` (secretariat).
They translate input and call alliance.services."""
import graphene

from jianglian.graphql.idempotency import client_mutation_id_argument
from jianglian.graphql.mutations import Load, Role, ServiceMutation
from jianglian.graphql.types import ConnectionField, CountableConnection, VisibleObjectType, Node

from .. import filters, services
from ..models import MembershipBatch
from .membership import MembershipApplicationType
from .studios import StudioType


class MembershipBatchType(VisibleObjectType):
    """A published list of member studios (首批, 第二批 …): public."""

    studios = graphene.List(graphene.NonNull(StudioType), required=True)

    class Meta:
        model = MembershipBatch
        name = "MembershipBatch"
        interfaces = (Node,)
        connection_class = CountableConnection
        fields = ("id", "number", "name", "published_at", "studios")

    @classmethod
    def visible(cls, info):
        return MembershipBatch.objects.all()

    def resolve_studios(root, info):
        return root.studios.all()


class BatchQueries(graphene.ObjectType):
    membership_batches = ConnectionField(MembershipBatchType, filterset_class=filters.MembershipBatchFilter,
                                         description="成员批次（公开）")


class PublishMembershipBatch(ServiceMutation):
    """Secretariat only: publish approved applications as the next numbered batch."""

    class Meta:
        name = "PublishMembershipBatchPayload"
        permissions = (Role.SECRETARIAT,)
        load = {"application_ids": Load(MembershipApplicationType, to="applications", many=True)}
        idempotent = True

    class Arguments:
        name = graphene.String(required=True)
        application_ids = graphene.List(graphene.NonNull(graphene.ID), required=True)
        client_mutation_id = client_mutation_id_argument()

    batch = graphene.Field(MembershipBatchType, required=True)

    @classmethod
    def perform(cls, info, user, name, applications):
        return services.membership_batch_publish(user=user, name=name, application_ids=[a.pk for a in applications])


class BatchMutations(graphene.ObjectType):
    publish_membership_batch = PublishMembershipBatch.Field()
