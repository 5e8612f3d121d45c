"""GraphQL of alliance membership: applications (`membershipApplications`, apply, review) and a member
studio's suspension. They translate input and call alliance.services."""
import graphene

from jianglian.graphql.enums import enum_from_choices
from jianglian.graphql.idempotency import client_mutation_id_argument
from jianglian.graphql.mutations import Load, Role, ServiceMutation
from jianglian.graphql.types import ConnectionField, CountableConnection, VisibleObjectType, Node

from .. import filters, selectors, services
from ..models import MembershipApplication
from .studios import StudioType

ApplicationStatusEnum = enum_from_choices(MembershipApplication.Status, "ApplicationStatus", "入盟申请状态")
ApplicationKindEnum = enum_from_choices(MembershipApplication.Kind, "ApplicationKind", "入盟申请类型")
ReviewDecisionEnum = graphene.Enum(
    "ReviewDecision",
    [("APPROVE", services.ReviewDecision.APPROVE), ("REJECT", services.ReviewDecision.REJECT)],
    description="批准 / 不批准",
)


class MembershipApplicationType(VisibleObjectType):
    """Visible to the secretariat and to the applying studio's lead and managers."""

    status = ApplicationStatusEnum(required=True)
    kind = ApplicationKindEnum(required=True, description="入盟，或暂停后申请恢复成员资格 / membership or reinstatement")
    studio = graphene.Field(StudioType, required=True)

    class Meta:
        model = MembershipApplication
        name = "MembershipApplication"
        interfaces = (Node,)
        connection_class = CountableConnection
        fields = ("id", "studio", "statement", "kind", "status", "submitted_at", "reviewed_at", "review_note")

    @classmethod
    def visible(cls, info):
        return selectors.membership_application_list(user=info.context.user)

    def resolve_studio(root, info):
        return root.studio


class MembershipQueries(graphene.ObjectType):
    membership_applications = ConnectionField(
        MembershipApplicationType, filterset_class=filters.MembershipApplicationFilter,
        description="入盟申请：秘书处看全部，工作室看自己的",
    )


class _ApplicationPayload(ServiceMutation):
    class Meta:
        abstract = True

    application = graphene.Field(MembershipApplicationType, required=True)


APPLICATION = Load(MembershipApplicationType, to="application")


class ApplyForMembership(_ApplicationPayload):
    """A studio's lead or manager asks for the studio to join the alliance."""

    class Meta:
        name = "ApplyForMembershipPayload"
        service = services.membership_apply
        load = {"studio": Load(StudioType)}
        idempotent = True

    class Arguments:
        studio = graphene.ID(required=True)
        statement = graphene.String(required=True)
        client_mutation_id = client_mutation_id_argument()


class WithdrawMembershipApplication(_ApplicationPayload):
    """The applying studio (its lead or managers) withdraws its pending application."""

    class Meta:
        name = "WithdrawMembershipApplicationPayload"
        service = services.membership_withdraw
        load = {"id": APPLICATION}

    class Arguments:
        id = graphene.ID(required=True)


class ReviewMembershipApplication(_ApplicationPayload):
    """Secretariat only: approve or reject a pending application."""

    class Meta:
        name = "ReviewMembershipApplicationPayload"
        permissions = (Role.SECRETARIAT,)
        service = services.membership_review
        load = {"id": APPLICATION}

    class Arguments:
        id = graphene.ID(required=True)
        decision = ReviewDecisionEnum(required=True)
        note = graphene.String()


class _StudioPayload(ServiceMutation):
    class Meta:
        abstract = True

    studio = graphene.Field(StudioType, required=True)


class SuspendStudio(_StudioPayload):
    """Secretariat only: suspend a member studio, with a reason."""

    class Meta:
        name = "SuspendStudioPayload"
        permissions = (Role.SECRETARIAT,)
        service = services.studio_suspend
        load = {"id": Load(StudioType, to="studio")}

    class Arguments:
        id = graphene.ID(required=True)
        reason = graphene.String(required=True)


class ReinstateStudio(_StudioPayload):
    """Secretariat only: lift a suspension."""

    class Meta:
        name = "ReinstateStudioPayload"
        permissions = (Role.SECRETARIAT,)
        service = services.studio_reinstate
        load = {"id": Load(StudioType, to="studio")}

    class Arguments:
        id = graphene.ID(required=True)
        note = graphene.String()


class MembershipMutations(graphene.ObjectType):
    apply_for_membership = ApplyForMembership.Field()
    withdraw_membership_application = WithdrawMembershipApplication.Field()
    review_membership_application = ReviewMembershipApplication.Field()
    suspend_studio = SuspendStudio.Field()
    reinstate_studio = ReinstateStudio.Field()
