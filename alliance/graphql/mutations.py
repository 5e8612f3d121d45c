"""Membership mutations. They translate input and call alliance.services."""
import graphene

from alliance import services
from jianglian.graphql.types import get_visible, require_login

from .types import MembershipApplicationType, StudioType

ReviewDecisionEnum = graphene.Enum(
    "ReviewDecision",
    [("APPROVE", services.ReviewDecision.APPROVE), ("REJECT", services.ReviewDecision.REJECT)],
    description="批准 / 不批准",
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


class AllianceMutation(graphene.ObjectType):
    apply_for_membership = ApplyForMembership.Field()
    review_membership_application = ReviewMembershipApplication.Field()
