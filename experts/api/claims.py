"""REST GET /api/v1/experts/unclaimed/?q=: the secretariat's claim list (issue 12 §1) — catalog entries nobody has
claimed, searched by name, employer or phone (every word), by name, paged with the true count; with the private
contact details the secretariat sends the sign-up link to. Others: 403. Rule: experts.selectors.unclaimed_experts."""
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers

from jianglian.api.permissions import IsSecretariat
from jianglian.api.schema import summary

from ..selectors import unclaimed_experts


class UnclaimedExpertSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    employer = serializers.CharField(read_only=True)
    phone = serializers.CharField(read_only=True, allow_blank=True)
    email = serializers.CharField(read_only=True, allow_blank=True)


@extend_schema(
    summary=summary("未开通账号的劳模工匠（秘书处）", "Catalog entries without an account (secretariat)"),
    description=__doc__,
    parameters=[OpenApiParameter("q", OpenApiTypes.STR, description="姓名、工作单位或电话 / name, employer or phone")],
    responses={200: UnclaimedExpertSerializer(many=True)},
)
class UnclaimedExpertsView(generics.ListAPIView):
    serializer_class = UnclaimedExpertSerializer
    permission_classes = [IsSecretariat]
    filter_backends = []

    def get_queryset(self):
        return unclaimed_experts(user=self.request.user, q=self.request.query_params.get("q", "")[:100])


urlpatterns = [path("experts/unclaimed/", UnclaimedExpertsView.as_view(), name="experts-unclaimed")]
