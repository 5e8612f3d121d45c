from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated

from jianglian.api.permissions import ReadOnlyOrAuthenticated
from jianglian.api.schema import summary
from jianglian.api.views import ServiceViewSet

from .. import selectors, services
from .filters import MembershipApplicationApiFilter, StudioApiFilter
from .serializers import (
    MembershipApplicationCreateSerializer, MembershipApplicationSerializer, MembershipReviewSerializer,
    StudioCreateSerializer, StudioSerializer, StudioUpdateSerializer,
)


@extend_schema_view(
    list=extend_schema(summary=summary("工作室列表", "List studios")),
    retrieve=extend_schema(summary=summary("工作室详情", "Retrieve a studio")),
    create=extend_schema(summary=summary("登记工作室（领衔人或秘书处）", "Register a studio (its lead or the secretariat)")),
    partial_update=extend_schema(
        summary=summary("修改工作室（领衔人、管理账号或秘书处）", "Update a studio (lead, managers or secretariat)")
    ),
)
class StudioViewSet(ServiceViewSet):
    output_serializer_class = StudioSerializer
    create_serializer_class = StudioCreateSerializer
    update_serializer_class = StudioUpdateSerializer
    permission_classes = [ReadOnlyOrAuthenticated]
    filterset_class = StudioApiFilter
    ordering_fields = ("name", "id", "established_year", "updated_at", "province", "city")
    ordering = ("id",)

    def select(self):
        return selectors.studio_list(user=self.request.user)

    def create_object(self, data):
        return services.studio_create(user=self.request.user, **data)

    def update_object(self, instance, data):
        return services.studio_update(user=self.request.user, studio=instance, **data)


@extend_schema_view(
    list=extend_schema(summary=summary(
        "入盟申请列表（秘书处：全部；工作室：本工作室）", "List membership applications (secretariat: all; studio: its own)")),
    retrieve=extend_schema(summary=summary("入盟申请详情", "Retrieve a membership application")),
    create=extend_schema(summary=summary("申请入盟", "Apply for alliance membership")),
)
class MembershipApplicationViewSet(ServiceViewSet):
    output_serializer_class = MembershipApplicationSerializer
    create_serializer_class = MembershipApplicationCreateSerializer
    permission_classes = [IsAuthenticated]
    filterset_class = MembershipApplicationApiFilter
    ordering_fields = ("submitted_at", "id", "status")
    ordering = ("-submitted_at", "-id")
    http_method_names = ["get", "post", "head", "options"]

    def select(self):
        return selectors.membership_application_list(user=self.request.user)

    def create_object(self, data):
        return services.membership_apply(user=self.request.user, **data)

    @extend_schema(summary=summary("撤回入盟申请", "Withdraw a membership application"), request=None)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        application = services.membership_withdraw(user=request.user, application=self.get_object())
        return self.respond(application, status.HTTP_200_OK)

    @extend_schema(
        summary=summary("审核入盟申请（秘书处）", "Review a membership application (secretariat)"),
        request=MembershipReviewSerializer,
    )
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        application = self.get_object()
        data = self.read_input(MembershipReviewSerializer)
        application = services.membership_review(user=request.user, application=application, **data)
        return self.respond(application, status.HTTP_200_OK)
