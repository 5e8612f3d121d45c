from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action

from jianglian.api.permissions import IsSecretariat, ReadOnlyOrAuthenticated
from jianglian.api.schema import summary
from jianglian.api.views import ServiceViewSet
from jianglian.roles import enterprise_ids

from .. import selectors, services
from ..models import Enterprise
from .filters import ChallengeApiFilter, EnterpriseApiFilter
from .serializers import (
    ChallengeCloseSerializer, ChallengeCreateSerializer, ChallengeSerializer, ChallengeUpdateSerializer,
    EnterpriseRegisterSerializer, EnterpriseSerializer, EnterpriseUpdateSerializer,
)


@extend_schema_view(
    list=extend_schema(summary=summary("企业列表（已认证企业及本企业）", "List enterprises (verified ones and your own)")),
    retrieve=extend_schema(summary=summary("企业详情", "Retrieve an enterprise")),
    create=extend_schema(summary=summary("注册企业", "Register an enterprise")),
    partial_update=extend_schema(summary=summary("修改企业信息（本企业或秘书处）", "Update an enterprise (its staff or the secretariat)")),
)
class EnterpriseViewSet(ServiceViewSet):
    output_serializer_class = EnterpriseSerializer
    create_serializer_class = EnterpriseRegisterSerializer
    update_serializer_class = EnterpriseUpdateSerializer
    permission_classes = [ReadOnlyOrAuthenticated]
    filterset_class = EnterpriseApiFilter
    ordering_fields = ("name", "id", "created_at", "province", "city")
    ordering = ("id",)

    def select(self):
        return selectors.enterprise_list(user=self.request.user)

    def create_object(self, data):
        return services.enterprise_register(user=self.request.user, **data)

    def update_object(self, instance, data):
        return services.enterprise_update(user=self.request.user, enterprise=instance, **data)

    @extend_schema(summary=summary("认证企业（秘书处）", "Verify an enterprise (secretariat)"), request=None)
    @action(detail=True, methods=["post"], permission_classes=[IsSecretariat])
    def verify(self, request, pk=None):
        enterprise = services.enterprise_verify(user=request.user, enterprise=self.get_object())
        return self.respond(enterprise)


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
    filterset_class = ChallengeApiFilter
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
