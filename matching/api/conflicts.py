"""REST of conflicts of interest: GET /api/v1/challenges/{id}/exclusions/ — the experts left out of a
challenge's ranking and why, for the secretariat only (the enterprise never sees who was left out: 403).
The rule lives in matching.conflicts."""
from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from enterprises.selectors import challenge_list
from jianglian.api.schema import summary

from ..conflicts import REASON_CODES, STUDIO_REASON_CODES, exclusion_list, studio_exclusion_list
from ..selectors import reason_language


class ExcludedExpertSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    employer = serializers.CharField(read_only=True)
    province = serializers.CharField(read_only=True)
    city = serializers.CharField(read_only=True)


class ConflictEnterpriseBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class ConflictReasonSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=REASON_CODES, read_only=True,
                                   help_text="employer: 工作单位 / works there; staff: 企业账号 / holds an account of "
                                             "it; declared: 本人申报 / declared by the expert")
    enterprise = ConflictEnterpriseBriefSerializer(read_only=True)
    same_group = serializers.BooleanField(read_only=True,
                                          help_text="该企业是发布企业同一集团的另一家企业 / another enterprise of the "
                                                    "posting enterprise's group")
    explanation = serializers.SerializerMethodField()

    def get_explanation(self, reason) -> str:
        return reason.explanation(self.context.get("language", "zh-hans"))


class ExclusionSerializer(serializers.Serializer):
    expert = ExcludedExpertSerializer(read_only=True)
    reasons = ConflictReasonSerializer(many=True, read_only=True)


@extend_schema(
    summary=summary("需求的回避名单（秘书处）", "Experts left out of a challenge's ranking, and why (secretariat)"),
    description="因利益冲突未参与排名的劳模工匠：工作单位是发布企业或其同一集团的企业、本人账号是这些企业的账号、"
                "或本人申报了利益冲突。发布企业看不到这份名单（403）。 / Experts never ranked for this challenge: "
                "they work for the posting enterprise or its group, hold an account of one of them, or declared "
                "a conflict of interest. The enterprise never sees this list (403).",
    parameters=[OpenApiParameter("lang", OpenApiTypes.STR, enum=["zh-hans", "en"],
                                 description="language of the explanations (default: the request's language)")],
    responses={200: ExclusionSerializer(many=True)},
)
class ChallengeExclusionsView(generics.GenericAPIView):
    serializer_class = ExclusionSerializer
    permission_classes = [IsAuthenticated]
    filter_backends = []
    pagination_class = None

    def get(self, request, challenge_id):
        challenge = get_object_or_404(challenge_list(user=request.user).select_related("enterprise"), pk=challenge_id)
        exclusions = exclusion_list(user=request.user, challenge=challenge)
        context = {**self.get_serializer_context(), "language": reason_language(request.query_params.get("lang"))}
        return Response(ExclusionSerializer(exclusions, many=True, context=context).data)


class ExcludedStudioSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    host_enterprise = serializers.CharField(read_only=True)
    province = serializers.CharField(read_only=True)
    city = serializers.CharField(read_only=True)


class StudioConflictReasonSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=STUDIO_REASON_CODES, read_only=True,
                                   help_text="host: 依托单位 / its host enterprise; member: 成员存在利益冲突 / a member "
                                             "has a conflict of interest")
    enterprise = ConflictEnterpriseBriefSerializer(read_only=True, allow_null=True,
                                                   help_text="host: the posting enterprise or one of its group")
    same_group = serializers.BooleanField(read_only=True)
    member = ExcludedExpertSerializer(read_only=True, allow_null=True, help_text="member: the member left out")
    explanation = serializers.SerializerMethodField()

    def get_explanation(self, reason) -> str:
        return reason.explanation(self.context.get("language", "zh-hans"))


class StudioExclusionSerializer(serializers.Serializer):
    studio = ExcludedStudioSerializer(read_only=True)
    reasons = StudioConflictReasonSerializer(many=True, read_only=True)


class ChallengeStudioExclusionsView(generics.GenericAPIView):
    serializer_class = StudioExclusionSerializer
    permission_classes = [IsAuthenticated]
    filter_backends = []
    pagination_class = None

    @extend_schema(
        summary=summary("需求的工作室回避名单（秘书处）", "Studios left out of a challenge's ranking, and why (secretariat)"),
        description="因利益冲突未参与排名的创新工作室：依托单位是发布企业或其同一集团的企业，或有成员（含领办人）因利益冲突回避。"
                    "发布企业看不到这份名单（403）。 / Studios never ranked for this challenge: hosted by the posting "
                    "enterprise or its group, or with a member (the lead included) left out for a conflict of interest. "
                    "The enterprise never sees this list (403).",
        parameters=[OpenApiParameter("lang", OpenApiTypes.STR, enum=["zh-hans", "en"],
                                     description="language of the explanations (default: the request's language)")],
        responses={200: StudioExclusionSerializer(many=True)},
        operation_id="list_challenge_studio_exclusions",
    )
    def get(self, request, challenge_id):
        challenge = get_object_or_404(challenge_list(user=request.user).select_related("enterprise"), pk=challenge_id)
        exclusions = studio_exclusion_list(user=request.user, challenge=challenge)
        context = {**self.get_serializer_context(), "language": reason_language(request.query_params.get("lang"))}
        return Response(StudioExclusionSerializer(exclusions, many=True, context=context).data)


urlpatterns = [
    path("challenges/<int:challenge_id>/exclusions/", ChallengeExclusionsView.as_view(), name="challenge-exclusions"),
    path("challenges/<int:challenge_id>/studio-exclusions/", ChallengeStudioExclusionsView.as_view(),
         name="challenge-studio-exclusions"),
]
