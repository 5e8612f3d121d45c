"""GraphQL of alliance membership: applications (`membershipApplications`, apply, review) and a member
studio's suspension. They translate input and call alliance.services."""
import graphene

from jianglian.graphql.enums import enum_from_choices
from jianglian.graphql.types import ConnectionField, CountableConnection, JLObjectType, Node, get_visible, require_login

from .. import filters, selectors, services
from ..models import MembershipApplication
from .studios import StudioType

ApplicationStatusEnum = enum_from_choices(MembershipApplication.Status, "ApplicationStatus", "入盟申请状态")
ReviewDecisionEnum = graphene.Enum(
    "ReviewDecision",
    [("APPROVE", services.ReviewDecision.APPROVE), ("REJECT", services.ReviewDecision.REJECT)],
    description="批准 / 不批准",
)


class MembershipApplicationType(JLObjectType):
    """Visible to the secretariat and to the applying studio's lead and managers."""

    status = ApplicationStatusEnum(required=True)
    studio = graphene.Field(StudioType, required=True)

    class Meta:
        model = MembershipApplication
        name = "MembershipApplication"
        interfaces = (Node,)
        connection_class = CountableConnection
        fields = ("id", "studio", "statement", "status", "submitted_at", "reviewed_at", "review_note")

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


class ApplyForMembership(graphene.Mutation):
    """A studio's lead or manager asks for the studio to join the alliance."""

    class Meta:
        name = "ApplyForMembershipPayload"

    class Arguments:
        studio = graphene.ID(required=True)
        statement = graphene.String(required=True)

    application = graphene.Field(MembershipApplicationType, required=True)

    def mutate(root, info, studio, statement):
        user = require_login(info)
        studio = get_visible(info, StudioType, studio)
        application = services.membership_apply(user=user, studio=studio, statement=statement)
        return ApplyForMembership(application=application)


class ReviewMembershipApplication(graphene.Mutation):
    """Secretariat only: approve or reject a pending application."""

    class Meta:
        name = "ReviewMembershipApplicationPayload"

    class Arguments:
        id = graphene.ID(required=True)
        decision = ReviewDecisionEnum(required=True)
        note = graphene.String()

    application = graphene.Field(MembershipApplicationType, required=True)

    def mutate(root, info, id, decision, note=""):
        user = require_login(info)
        application = get_visible(info, MembershipApplicationType, id)
        decision = getattr(decision, "value", decision)
        application = services.membership_review(user=user, application=application, decision=decision, note=note or "")
        return ReviewMembershipApplication(application=application)


class SuspendStudio(graphene.Mutation):
    """Secretariat only: suspend a member studio, with a reason."""

    class Meta:
        name = "SuspendStudioPayload"

    class Arguments:
        id = graphene.ID(required=True)
        reason = graphene.String(required=True)

    studio = graphene.Field(StudioType, required=True)

    def mutate(root, info, id, reason):
        user = require_login(info)
        return SuspendStudio(studio=services.studio_suspend(user=user, studio=get_visible(info, StudioType, id),
                                                            reason=reason))


class ReinstateStudio(graphene.Mutation):
    """Secretariat only: lift a suspension."""

    class Meta:
        name = "ReinstateStudioPayload"

    class Arguments:
        id = graphene.ID(required=True)
        note = graphene.String()

    studio = graphene.Field(StudioType, required=True)

    def mutate(root, info, id, note=""):
        user = require_login(info)
        return ReinstateStudio(studio=services.studio_reinstate(user=user, studio=get_visible(info, StudioType, id),
                                                                note=note or ""))


class MembershipMutations(graphene.ObjectType):
    apply_for_membership = ApplyForMembership.Field()
    review_membership_application = ReviewMembershipApplication.Field()
    suspend_studio = SuspendStudio.Field()
    reinstate_studio = ReinstateStudio.Field()
