"""REST GET /api/v1/pairings/liaison-queue/: the secretariat's liaison queue (issue 12 §1) — pending invitations
waiting on experts who have no account or no channel to be written to, oldest first, with the expert's phone and
employer (the liaison calls them). Others: 403. The rule is matching.pairings.selectors.liaison_queue; the
answers go through POST …/pairings/{id}/record-response/ and …/paper-agreement/."""
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers

from jianglian.api.permissions import IsSecretariat
from jianglian.api.schema import summary

from ..pairings import selectors
from .pairings import PairingChallengeSerializer, PairingStudioSerializer


class LiaisonExpertSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    employer = serializers.CharField(read_only=True)
    phone = serializers.CharField(read_only=True, allow_blank=True)
    email = serializers.CharField(read_only=True, allow_blank=True)
    has_account = serializers.SerializerMethodField()

    def get_has_account(self, expert) -> bool:
        return expert.user_id is not None


class LiaisonItemSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True, help_text="结对意向书编号 / the agreement's id")
    challenge = PairingChallengeSerializer(read_only=True)
    expert = LiaisonExpertSerializer(read_only=True)
    studio = PairingStudioSerializer(read_only=True, allow_null=True)
    message = serializers.CharField(read_only=True, allow_blank=True)
    proposed_at = serializers.DateTimeField(read_only=True)
    expires_at = serializers.DateTimeField(read_only=True)
    reason = serializers.SerializerMethodField(help_text="no_account: 专家尚未开通账号 / the expert has no account; "
                                                         "no_channel: 没有邮箱和手机号 / no e-mail nor mobile number")

    def get_reason(self, pairing) -> str:
        return "no_account" if pairing.expert.user_id is None else "no_channel"


@extend_schema(summary=summary("联络队列（秘书处）", "The liaison queue (secretariat)"), description=__doc__,
               responses={200: LiaisonItemSerializer(many=True)})
class LiaisonQueueView(generics.ListAPIView):
    serializer_class = LiaisonItemSerializer
    permission_classes = [IsSecretariat]
    filter_backends = []

    def get_queryset(self):
        return selectors.liaison_queue(user=self.request.user)


urlpatterns = [path("pairings/liaison-queue/", LiaisonQueueView.as_view(), name="pairing-liaison-queue")]
