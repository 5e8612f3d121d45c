"""REST /api/v1/membership-batches/: the published lists of member studios (public; the secretariat
publishes). Rules live in alliance.services."""
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.routers import SimpleRouter

from jianglian.api.permissions import IsSecretariatOrReadOnly
from jianglian.api.schema import summary
from jianglian.api.serializers import OutputModelSerializer, StrictInputSerializer
from jianglian.api.views import ServiceViewSet

from .. import selectors, services
from ..models import MembershipBatch
from .references import StudioBriefSerializer


class BatchBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = MembershipBatch
        fields = ("id", "number", "name", "published_at")
        read_only_fields = fields


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


router = SimpleRouter()
router.register("membership-batches", MembershipBatchViewSet, basename="membership-batch")
urlpatterns = router.urls
