"""REST of an expert's fitting challenges: GET /api/v1/experts/{id}/fitting-challenges/ — the open challenges
where the engine ranked the expert, labelled by rank band (前 3 名, 前 10 名, 相关领域可协助), best band first and
within a band by the expert's own fit. The expert and the secretariat only (403 otherwise). The rule lives in
matching.selectors.fitting_challenge_list; the expert's 适合我的需求 page shows the same list."""
from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import IsAuthenticated

from enterprises.models import Challenge
from experts.selectors import expert_list
from jianglian.api.schema import summary

from ..selectors import RANK_BANDS, fitting_challenge_list


class FittingEnterpriseSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class FittingChallengeSerializer(serializers.Serializer):
    """An open challenge the engine ranked the expert for, with the expert's rank, fit and band."""

    id = serializers.IntegerField(source="challenge.pk", read_only=True)
    title = serializers.CharField(source="challenge.title", read_only=True)
    category = serializers.ChoiceField(source="challenge.category", choices=Challenge._meta.get_field("category").choices,
                                       read_only=True)
    category_label = serializers.CharField(source="challenge.get_category_display", read_only=True)
    enterprise = FittingEnterpriseSerializer(source="challenge.enterprise", read_only=True)
    province = serializers.CharField(source="challenge.enterprise.province", read_only=True)
    city = serializers.CharField(source="challenge.enterprise.city", read_only=True)
    published_at = serializers.DateTimeField(source="challenge.published_at", read_only=True, allow_null=True)
    rank = serializers.IntegerField(read_only=True, help_text="该劳模工匠在本需求的排名 / the expert's rank for it")
    score = serializers.FloatField(read_only=True, help_text="匹配得分 / the expert's own fit (match score)")
    band = serializers.ChoiceField(choices=[code for _, code, _ in RANK_BANDS], read_only=True,
                                   help_text="top3: 前 3 名; top10: 前 10 名; related: 相关领域可协助 (ranks 11–50)")
    band_label = serializers.CharField(read_only=True)


class ExpertFittingChallengesView(generics.ListAPIView):
    serializer_class = FittingChallengeSerializer
    permission_classes = [IsAuthenticated]
    filter_backends = []

    @extend_schema(
        summary=summary("劳模工匠适合的需求", "An expert's fitting challenges"),
        description="引擎为该劳模工匠排了名的征集中需求，按名次分档（前 3 名、前 10 名、相关领域可协助），先好档，同档按本人匹配得分。"
                    "仅本人和秘书处可见。 / The open challenges the engine ranked the expert for, labelled by rank band, "
                    "best band first and within a band by the expert's own fit. The expert and the secretariat only.",
        operation_id="list_expert_fitting_challenges",
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        expert = get_object_or_404(expert_list(user=self.request.user), pk=self.kwargs["expert_id"])
        return fitting_challenge_list(user=self.request.user, expert=expert)


urlpatterns = [
    path("experts/<int:expert_id>/fitting-challenges/", ExpertFittingChallengesView.as_view(),
         name="expert-fitting-challenges"),
]
