"""GraphQL of studio invitations (issue 12 §2): `studioInvitations`, `inviteStudio`, `assignStudioInvitation`,
`declineStudioInvitation`, `withdrawStudioInvitation`. They translate and call matching.pairings.services."""
import graphene

from enterprises.graphql.challenges import ChallengeType
from experts.graphql.experts import ExpertType
from jianglian.graphql.enums import enum_from_choices
from jianglian.graphql.mutations import Load, ServiceMutation
from jianglian.graphql.types import ConnectionField, CountableConnection, Node, VisibleObjectType

from ..filters import StudioInvitationFilter
from ..models import StudioInvitation
from ..pairings import selectors, services
from .pairings import PairingType

StudioInvitationStatusEnum = enum_from_choices(StudioInvitation.Status, "StudioInvitationStatus", "工作室邀请状态")
ACTIONS = tuple(selectors.STUDIO_INVITATION_REFUSALS)
StudioInvitationActionEnum = graphene.Enum("StudioInvitationAction", [(name.upper(), name) for name in ACTIONS])


class StudioInvitationType(VisibleObjectType):
    """An enterprise's invitation to a studio; the studio's lead or managers (or the secretariat) assign the member
    who takes it, whose one-on-one agreement (`pairing`) names the studio. Seen by the enterprise, the studio and
    the secretariat."""

    status = StudioInvitationStatusEnum(required=True)
    challenge = graphene.Field(ChallengeType, required=True)
    studio = graphene.Field("alliance.graphql.studios.StudioType", required=True)
    pairing = graphene.Field(PairingType, description="指派后成员的结对意向书 / the assigned member's agreement")
    actions = graphene.List(graphene.NonNull(StudioInvitationActionEnum), required=True,
                            description="调用方现在可执行的操作 / what the caller may do now")

    unscoped = frozenset({"challenge", "studio", "pairing"})

    class Meta:
        model = StudioInvitation
        name = "StudioInvitation"
        interfaces = (Node,)
        connection_class = CountableConnection
        fields = ("id", "status", "challenge", "studio", "message", "goals", "start_date", "end_date", "proposed_at",
                  "expires_at", "answered_at", "note", "pairing")

    @classmethod
    def visible(cls, info):
        return selectors.studio_invitation_list(user=info.context.user)

    def resolve_challenge(root, info):
        return root.challenge

    def resolve_studio(root, info):
        return root.studio

    def resolve_pairing(root, info):
        return root.pairing

    def resolve_actions(root, info):
        allowed = selectors.studio_invitation_actions(info.context.user, root)
        return [name for name in ACTIONS if name in allowed]


class StudioInvitationQueries(graphene.ObjectType):
    studio_invitations = ConnectionField(StudioInvitationType, filterset_class=StudioInvitationFilter,
                                         description="工作室邀请：企业看自己发出的，工作室看收到的，秘书处看全部")


class _Payload(ServiceMutation):
    class Meta:
        abstract = True

    studio_invitation = graphene.Field(StudioInvitationType, required=True)


INVITATION = Load(StudioInvitationType, to="invitation")


class InviteStudio(_Payload):
    """Enterprise staff invite a studio to pair on one of their open challenges."""

    class Meta:
        name = "InviteStudioPayload"
        service = services.studio_invite
        load = {"challenge": Load(ChallengeType), "studio": Load("alliance.graphql.studios.StudioType")}

    class Arguments:
        challenge = graphene.ID(required=True)
        studio = graphene.ID(required=True)
        message = graphene.String()
        goals = graphene.String()
        start_date = graphene.Date()
        end_date = graphene.Date()


class AssignStudioInvitation(_Payload):
    """The studio's lead or managers (or the secretariat) assign the member who takes the invitation."""

    class Meta:
        name = "AssignStudioInvitationPayload"
        service = services.studio_invitation_assign
        load = {"id": INVITATION, "expert": Load(ExpertType)}

    class Arguments:
        id = graphene.ID(required=True)
        expert = graphene.ID(required=True)


class DeclineStudioInvitation(_Payload):
    """The studio (or the secretariat for it) declines, with a note."""

    class Meta:
        name = "DeclineStudioInvitationPayload"
        service = services.studio_invitation_decline
        load = {"id": INVITATION}

    class Arguments:
        id = graphene.ID(required=True)
        note = graphene.String()


class WithdrawStudioInvitation(_Payload):
    """The enterprise withdraws its invitation before the studio assigns a member."""

    class Meta:
        name = "WithdrawStudioInvitationPayload"
        service = services.studio_invitation_withdraw
        load = {"id": INVITATION}

    class Arguments:
        id = graphene.ID(required=True)
        note = graphene.String()


class StudioInvitationMutations(graphene.ObjectType):
    invite_studio = InviteStudio.Field()
    assign_studio_invitation = AssignStudioInvitation.Field()
    decline_studio_invitation = DeclineStudioInvitation.Field()
    withdraw_studio_invitation = WithdrawStudioInvitation.Field()
