"""REST of alliance membership: /api/v1/membership-applications/ (apply, withdraw, the secretariat reviews)
and a member studio's suspension (POST /api/v1/studios/{id}/suspend/ and …/reinstate/, secretariat).
Rules live in alliance.services."""
from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from jianglian.api.permissions import IsSecretariat
from jianglian.api.schema import summary
from jianglian.api.serializers import OutputModelSerializer, StrictInputSerializer, VisibleReferenceField
from jianglian.api.views import ServiceViewSet

from .. import selectors, services
from ..filters import MembershipApplicationFilter
from ..models import MembershipApplication, Studio
from ..services import ReviewDecision
from .batches import BatchBriefSerializer
from .references import StudioBriefSerializer
from .studios import StudioSerializer


class MembershipApplicationSerializer(OutputModelSerializer):
    studio = StudioBriefSerializer(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    batch = BatchBriefSerializer(read_only=True, allow_null=True)

    select_related = ("studio", "batch")

    class Meta:
        model = MembershipApplication
        fields = ("id", "studio", "statement", "kind", "status", "status_label", "submitted_at", "reviewed_at",
                  "review_note", "batch")
        read_only_fields = fields


class MembershipApplicationCreateSerializer(StrictInputSerializer):
    studio = VisibleReferenceField(selectors.studio_list)
    statement = serializers.CharField(max_length=5000)


class MembershipReviewSerializer(StrictInputSerializer):
    decision = serializers.ChoiceField(choices=ReviewDecision.ALL)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


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
    filterset_class = MembershipApplicationFilter
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
    @action(detail=True, methods=["post"], permission_classes=[IsSecretariat])
    def review(self, request, pk=None):
        application = self.get_object()
        data = self.read_input(MembershipReviewSerializer)
        application = services.membership_review(user=request.user, application=application, **data)
        return self.respond(application, status.HTTP_200_OK)


class StudioSuspendSerializer(StrictInputSerializer):
    reason = serializers.CharField(max_length=2000)


class StudioReinstateSerializer(StrictInputSerializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class _StudioMembershipView(GenericAPIView):
    permission_classes = [IsSecretariat]
    serializer_class = StudioSerializer

    def change(self, request, pk, service):
        studio = get_object_or_404(selectors.studio_list(user=request.user), pk=pk)
        serializer = self.get_serializer_class()(data=request.data)
        serializer.is_valid(raise_exception=True)
        service(user=request.user, studio=studio, **serializer.validated_data)
        fresh = StudioSerializer.optimize(Studio.objects.filter(pk=studio.pk)).get()
        return Response(StudioSerializer(fresh, context={"request": request}).data, status=status.HTTP_200_OK)


class StudioSuspendView(_StudioMembershipView):
    def get_serializer_class(self):
        return StudioSuspendSerializer if self.request.method == "POST" else StudioSerializer

    @extend_schema(summary=summary("暂停工作室成员资格（秘书处）", "Suspend a member studio (secretariat)"),
                   request=StudioSuspendSerializer, responses=StudioSerializer, operation_id="suspend_studio")
    def post(self, request, pk):
        return self.change(request, pk, services.studio_suspend)


class StudioReinstateView(_StudioMembershipView):
    def get_serializer_class(self):
        return StudioReinstateSerializer if self.request.method == "POST" else StudioSerializer

    @extend_schema(summary=summary("恢复工作室成员资格（秘书处）", "Reinstate a suspended studio (secretariat)"),
                   request=StudioReinstateSerializer, responses=StudioSerializer, operation_id="reinstate_studio")
    def post(self, request, pk):
        return self.change(request, pk, services.studio_reinstate)


router = SimpleRouter()
router.register("membership-applications", MembershipApplicationViewSet, basename="membership-application")
urlpatterns = [
    *router.urls,
    path("studios/<int:pk>/suspend/", StudioSuspendView.as_view(), name="studio-suspend"),
    path("studios/<int:pk>/reinstate/", StudioReinstateView.as_view(), name="studio-reinstate"),
]
