from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import IsAuthenticated

from enterprises.selectors import challenge_list
from jianglian.api.schema import summary

from ..models import Match
from ..selectors import match_list, reason_language
from .serializers import MatchSerializer


@extend_schema(
    summary=summary("需求的匹配结果（本企业及秘书处）", "Ranked matches of a challenge (its enterprise and the secretariat)"),
    parameters=[
        OpenApiParameter("type", OpenApiTypes.STR, enum=list(Match.Kind.values), description="expert (default) | studio"),
        OpenApiParameter("lang", OpenApiTypes.STR, enum=["zh-hans", "en"],
                         description="language of the reasons (default: the request's language)"),
    ],
)
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
