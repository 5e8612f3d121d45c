"""REST /api/v1/challenges/: an enterprise's problems (drafts, publish, close). Rules live in
enterprises.services.

Input serializers hold only what a caller may set; `status`, `created_by` and dates are decided by the
services. A challenge's enterprise is chosen once, at creation, and the service checks the caller works for it.
"""
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.routers import SimpleRouter

from experts.api.references import SkillBriefSerializer, SkillReferenceField
from jianglian.api.permissions import ReadOnlyOrAuthenticated
from jianglian.api.schema import summary
from jianglian.api.serializers import (
    OutputModelSerializer, StrictInputModelSerializer, StrictInputSerializer, VisibleReferenceField,
)
from jianglian.api.views import ServiceViewSet
from jianglian.roles import enterprise_ids

from .. import selectors, services
from ..filters import ChallengeFilter
from ..models import Challenge, Enterprise
from .enterprises import EnterpriseBriefSerializer


class ChallengeSerializer(OutputModelSerializer):
    enterprise = EnterpriseBriefSerializer(read_only=True)
    category_label = serializers.CharField(source="get_category_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    skills = SkillBriefSerializer(many=True, read_only=True)

    select_related = ("enterprise",)
    prefetch_related = ("skills",)

    class Meta:
        model = Challenge
        fields = ("id", "enterprise", "title", "description", "category", "category_label", "skills",
                  "preferred_province", "preferred_city", "region_strictness", "status", "status_label",
                  "created_at", "updated_at", "published_at", "closed_at")
        read_only_fields = fields


class ChallengeUpdateSerializer(StrictInputModelSerializer):
    skills = SkillReferenceField(many=True, required=False)

    class Meta:
        model = Challenge
        fields = ("title", "description", "category", "skills", "preferred_province", "preferred_city",
                  "region_strictness")


class ChallengeCreateSerializer(ChallengeUpdateSerializer):
    """`enterprise` may be left out when the caller works for exactly one enterprise."""

    enterprise = VisibleReferenceField(selectors.enterprise_list, required=False)

    class Meta(ChallengeUpdateSerializer.Meta):
        fields = ("enterprise", *ChallengeUpdateSerializer.Meta.fields)


class ChallengeCloseSerializer(StrictInputSerializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


@extend_schema_view(
    list=extend_schema(summary=summary(
        "企业需求列表（公开需求及本企业的草稿）", "List challenges (public ones and your enterprise's drafts)")),
    retrieve=extend_schema(summary=summary("企业需求详情", "Retrieve a challenge")),
    create=extend_schema(summary=summary("新建需求草稿", "Create a draft challenge")),
    partial_update=extend_schema(summary=summary("修改需求（本企业）", "Update a challenge (its enterprise)")),
)
class ChallengeViewSet(ServiceViewSet):
    output_serializer_class = ChallengeSerializer
    create_serializer_class = ChallengeCreateSerializer
    update_serializer_class = ChallengeUpdateSerializer
    permission_classes = [ReadOnlyOrAuthenticated]
    filterset_class = ChallengeFilter
    ordering_fields = ("created_at", "published_at", "updated_at", "title", "id")
    ordering = ("-created_at", "-id")

    def select(self):
        return selectors.challenge_list(user=self.request.user)

    def create_object(self, data):
        enterprise = data.pop("enterprise", None)
        if enterprise is None:
            own = enterprise_ids(self.request.user)
            if len(own) != 1:
                raise serializers.ValidationError({"enterprise": [_("请指定发布需求的企业。")]})
            enterprise = Enterprise.objects.get(pk=next(iter(own)))
        return services.challenge_create(user=self.request.user, enterprise=enterprise, **data)

    def update_object(self, instance, data):
        return services.challenge_update(user=self.request.user, challenge=instance, **data)

    @extend_schema(summary=summary("发布需求（草稿 → 征集中）", "Publish a challenge (draft → open)"), request=None)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        challenge = services.challenge_publish(user=request.user, challenge=self.get_object())
        return self.respond(challenge)

    @extend_schema(summary=summary("关闭需求", "Close a challenge"), request=ChallengeCloseSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        challenge = self.get_object()
        data = self.read_input(ChallengeCloseSerializer)
        challenge = services.challenge_close(user=request.user, challenge=challenge, **data)
        return self.respond(challenge)


router = SimpleRouter()
router.register("challenges", ChallengeViewSet, basename="challenge")
urlpatterns = router.urls
