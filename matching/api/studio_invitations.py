"""REST /api/v1/studio-invitations/ (issue 12 §2): an enterprise invites a ranked studio (create); the studio's lead
or managers, or the secretariat, assign the member who takes it (…/{id}/assign/) or decline; the enterprise may
withdraw before that. The assigned member's one-on-one agreement is an ordinary pairing naming the studio
(`pairing`). Rules: matching.pairings.services / selectors."""
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.routers import SimpleRouter

from alliance.selectors import studio_list
from enterprises.selectors import challenge_list
from experts.selectors import expert_list
from jianglian.api.schema import summary
from jianglian.api.serializers import OutputModelSerializer, StrictInputSerializer, VisibleReferenceField
from jianglian.api.views import ServiceViewSet

from ..models import StudioInvitation
from ..pairings import selectors, services
from .pairings import PairingChallengeSerializer, PairingPartySerializer, PairingStudioSerializer

ACTIONS = tuple(selectors.STUDIO_INVITATION_REFUSALS)


class StudioInvitationPairingSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    status = serializers.CharField(read_only=True)
    expert = PairingPartySerializer(read_only=True, help_text="指派的成员 / the member assigned")


@extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=ACTIONS)))
class StudioInvitationActionsField(serializers.Field):
    """What the caller may do to the invitation now (assign, decline, withdraw)."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, invitation):
        allowed = selectors.studio_invitation_actions(getattr(self.context.get("request"), "user", None), invitation)
        return [name for name in ACTIONS if name in allowed]


class StudioInvitationSerializer(OutputModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    challenge = PairingChallengeSerializer(read_only=True)
    studio = PairingStudioSerializer(read_only=True)
    pairing = StudioInvitationPairingSerializer(read_only=True, allow_null=True,
                                                help_text="指派后成员的结对意向书 / the assigned member's agreement")
    actions = StudioInvitationActionsField(help_text="调用方现在可执行的操作 / what the caller may do now")

    select_related = ("challenge__enterprise", "studio", "pairing__expert")

    class Meta:
        model = StudioInvitation
        fields = ("id", "status", "status_label", "challenge", "studio", "message", "goals", "start_date",
                  "end_date", "proposed_at", "expires_at", "answered_at", "note", "pairing", "actions")
        read_only_fields = fields


class StudioInviteSerializer(StrictInputSerializer):
    challenge = VisibleReferenceField(challenge_list)
    studio = VisibleReferenceField(studio_list)
    message = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    goals = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    start_date = serializers.DateField(required=False, allow_null=True)
    end_date = serializers.DateField(required=False, allow_null=True)


class StudioAssignSerializer(StrictInputSerializer):
    expert = VisibleReferenceField(expert_list, help_text="承接的工作室成员 / the member who takes it")


class StudioNoteSerializer(StrictInputSerializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


@extend_schema_view(
    list=extend_schema(summary=summary("工作室邀请（企业、工作室、秘书处）", "Studio invitations (enterprise, studio, secretariat)")),
    retrieve=extend_schema(summary=summary("工作室邀请详情", "Retrieve a studio invitation")),
    create=extend_schema(summary=summary("邀请工作室结对（企业）", "Invite a studio to pair (enterprise staff)")),
)
class StudioInvitationViewSet(ServiceViewSet):
    output_serializer_class = StudioInvitationSerializer
    create_serializer_class = StudioInviteSerializer
    permission_classes = [IsAuthenticated]
    ordering_fields = ("proposed_at", "id")
    ordering = ("-proposed_at", "-id")
    http_method_names = ["get", "post", "head", "options"]

    def select(self):
        return selectors.studio_invitation_list(user=self.request.user)

    def create_object(self, data):
        return services.studio_invite(user=self.request.user, **data)

    @extend_schema(summary=summary("指派承接成员（工作室领衔人、管理账号或秘书处）",
                                   "Assign the member who takes it (the studio's lead or managers, or the secretariat)"),
                   request=StudioAssignSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        invitation = self.get_object()
        data = self.read_input(StudioAssignSerializer)
        return self.respond(services.studio_invitation_assign(user=request.user, invitation=invitation, **data))

    @extend_schema(summary=summary("婉拒工作室邀请（工作室或秘书处）", "Decline (the studio, or the secretariat)"),
                   request=StudioNoteSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        invitation = self.get_object()
        data = self.read_input(StudioNoteSerializer)
        return self.respond(services.studio_invitation_decline(user=request.user, invitation=invitation, **data))

    @extend_schema(summary=summary("撤回工作室邀请（企业）", "Withdraw (the enterprise)"), request=StudioNoteSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        invitation = self.get_object()
        data = self.read_input(StudioNoteSerializer)
        return self.respond(services.studio_invitation_withdraw(user=request.user, invitation=invitation, **data))


router = SimpleRouter()
router.register("studio-invitations", StudioInvitationViewSet, basename="studio-invitation")
urlpatterns = router.urls
