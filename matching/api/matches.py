"""REST of a challenge's ranking: GET /api/v1/challenges/{id}/matches/ (the stored ranked matches with their
reasons) and POST …/matches/refresh/ (rank it now). Rules live in matching.services / matching.selectors."""
from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from alliance.models import Studio
from enterprises.selectors import challenge_list
from experts.models import Expert
from jianglian.api.schema import summary

from ..models import Match
from ..selectors import match_list, match_reasons, reason_language
from ..services import challenge_matches_request


class MatchedExpertSerializer(serializers.ModelSerializer):
    """The public face of a ranked expert (contact details never appear in a ranking)."""

    class Meta:
        model = Expert
        fields = ("id", "name", "professional_title", "employer", "province", "city", "skill_tags", "studio")
        read_only_fields = fields


class MatchedStudioSerializer(serializers.ModelSerializer):
    class Meta:
        model = Studio
        fields = ("id", "name", "level", "host_enterprise", "province", "city")
        read_only_fields = fields


class ReasonSerializer(serializers.Serializer):
    signal = serializers.CharField()
    weight = serializers.FloatField()
    value = serializers.FloatField()
    explanation = serializers.CharField()


class MatchSerializer(serializers.ModelSerializer):
    expert = MatchedExpertSerializer(read_only=True, allow_null=True)
    studio = MatchedStudioSerializer(read_only=True, allow_null=True)
    reasons = serializers.SerializerMethodField()

    class Meta:
        model = Match
        fields = ("rank", "score", "kind", "expert", "studio", "reasons", "algorithm_version", "computed_at")
        read_only_fields = fields

    @extend_schema_field(ReasonSerializer(many=True))
    def get_reasons(self, match) -> list[ReasonSerializer]:
        return ReasonSerializer(match_reasons(match.breakdown, self.context.get("language")), many=True).data


class MatchRequestSerializer(serializers.Serializer):
    """The answer to a ranking request: which challenge is being ranked, in which state."""

    challenge = serializers.IntegerField(source="pk", read_only=True)
    status = serializers.CharField(read_only=True,
                                   help_text="open: 重新计算 / recomputed; draft: 预览 / a preview")


@extend_schema(
    summary=summary("需求的匹配结果（本企业及秘书处）", "Ranked matches of a challenge (its enterprise and the secretariat)"),
    parameters=[
        OpenApiParameter("type", OpenApiTypes.STR, enum=list(Match.Kind.values), description="expert (default) | studio"),
        OpenApiParameter("lang", OpenApiTypes.STR, enum=["zh-hans", "en"],
                         description="language of the reasons (default: the request's language)"),
    ],
)
@extend_schema_view(get=extend_schema(operation_id="list_challenge_matches"))
class ChallengeMatchesView(generics.ListAPIView):
    serializer_class = MatchSerializer
    permission_classes = [IsAuthenticated]
    filter_backends = []

    def get_queryset(self):
        kind = self.request.query_params.get("type") or Match.Kind.EXPERT
        if kind not in Match.Kind.values:
            raise serializers.ValidationError({"type": [f"expert | studio, not {kind!r}"]})
        challenge = get_object_or_404(challenge_list(user=self.request.user), pk=self.kwargs["challenge_id"])
        return match_list(user=self.request.user, challenge=challenge, kind=kind)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "language": reason_language(self.request.query_params.get("lang"))}


@extend_schema(
    summary=summary("立即计算需求的匹配（本企业及秘书处；草稿为预览）",
                    "Rank a challenge now (its enterprise and the secretariat; a draft gets a preview)"),
    description="征集中的需求：重新计算；草稿：计算预览（仅本企业和秘书处可见，发布时被正式结果取代）；"
                "已结对、已解决或已关闭的需求不再计算（409 `challenge_not_rankable`）。计算在后台进行，完成后以 GET …/matches/ 读取。"
                " / Open: recomputed; draft: a preview (seen by its enterprise and the secretariat only, replaced on "
                "publishing); paired, resolved or closed: no longer ranked (409 `challenge_not_rankable`). The "
                "computation is queued; read the result with GET …/matches/.",
    request=None,
    responses={202: MatchRequestSerializer},
)
class ChallengeMatchesRequestView(generics.GenericAPIView):
    serializer_class = MatchRequestSerializer
    permission_classes = [IsAuthenticated]
    filter_backends = []

    @extend_schema(operation_id="refresh_challenge_matches")
    def post(self, request, challenge_id):
        challenge = get_object_or_404(challenge_list(user=request.user), pk=challenge_id)
        challenge = challenge_matches_request(user=request.user, challenge=challenge)
        return Response(MatchRequestSerializer(challenge).data, status=status.HTTP_202_ACCEPTED)


urlpatterns = [
    path("challenges/<int:challenge_id>/matches/", ChallengeMatchesView.as_view(), name="challenge-matches"),
    path("challenges/<int:challenge_id>/matches/refresh/", ChallengeMatchesRequestView.as_view(),
         name="challenge-matches-refresh"),
]
