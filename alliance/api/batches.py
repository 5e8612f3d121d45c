"""REST /api/v1/membership-batches/ (public; the secretariat publishes) and studio suspension
(POST /api/v1/studios/{id}/suspend/ and …/reinstate/, secretariat). Rules live in alliance.services."""
from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from jianglian.api.permissions import IsSecretariat, IsSecretariatOrReadOnly
from jianglian.api.schema import summary
from jianglian.api.serializers import OutputModelSerializer, StrictInputSerializer, StudioBriefSerializer
from jianglian.api.views import ServiceViewSet

from .. import selectors, services
from ..models import MembershipBatch, Studio
from .serializers import StudioSerializer


class MembershipBatchSerializer(OutputModelSerializer):
    studios = StudioBriefSerializer(many=True, read_only=True)

    prefetch_related = ("studios",)

    class Meta:
        model = MembershipBatch
        fields = ("id", "number", "name", "published_at", "studios")
        read_only_fields = fields


class MembershipBatchPublishSerializer(StrictInputSerializer):
    name = serializers.CharField(max_length=64, help_text="如：首批成员名单 / e.g. 首批成员名单")
    application_ids = serializers.ListField(child=serializers.IntegerField(min_value=1), allow_empty=False,
                                            max_length=1000)


@extend_schema_view(
    list=extend_schema(summary=summary("成员批次（公开）", "Published membership batches (public)")),
    retrieve=extend_schema(summary=summary("成员批次详情", "Retrieve a membership batch")),
    create=extend_schema(summary=summary("发布成员批次（秘书处）", "Publish a membership batch (secretariat)")),
)
class MembershipBatchViewSet(ServiceViewSet):
    output_serializer_class = MembershipBatchSerializer
    create_serializer_class = MembershipBatchPublishSerializer
    permission_classes = [IsSecretariatOrReadOnly]
    ordering_fields = ("number",)
    ordering = ("number",)
    http_method_names = ["get", "post", "head", "options"]

    def select(self):
        return selectors.membership_batch_list()

    def create_object(self, data):
        return services.membership_batch_publish(user=self.request.user, **data)


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
                   request=StudioSuspendSerializer, responses=StudioSerializer)
    def post(self, request, pk):
        return self.change(request, pk, services.studio_suspend)


class StudioReinstateView(_StudioMembershipView):
    def get_serializer_class(self):
        return StudioReinstateSerializer if self.request.method == "POST" else StudioSerializer

    @extend_schema(summary=summary("恢复工作室成员资格（秘书处）", "Reinstate a suspended studio (secretariat)"),
                   request=StudioReinstateSerializer, responses=StudioSerializer)
    def post(self, request, pk):
        return self.change(request, pk, services.studio_reinstate)


router = SimpleRouter()
router.register("membership-batches", MembershipBatchViewSet, basename="membership-batch")
urlpatterns = [
    *router.urls,
    path("studios/<int:pk>/suspend/", StudioSuspendView.as_view(), name="studio-suspend"),
    path("studios/<int:pk>/reinstate/", StudioReinstateView.as_view(), name="studio-reinstate"),
]
