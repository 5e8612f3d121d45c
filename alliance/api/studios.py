"""REST /api/v1/studios/: 劳模工匠创新工作室 (public; registered by their lead or the secretariat).
Rules live in alliance.services."""
from django.db.models import Count
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.routers import SimpleRouter

from experts.api.references import ExpertBriefSerializer, SkillBriefSerializer, SkillReferenceField
from experts.selectors import expert_list
from jianglian.api.permissions import ReadOnlyOrAuthenticated
from jianglian.api.schema import summary
from jianglian.api.serializers import OutputModelSerializer, StrictInputModelSerializer, VisibleReferenceField
from jianglian.api.views import ServiceViewSet

from .. import selectors, services
from ..filters import StudioFilter
from ..models import Studio
from .batches import BatchBriefSerializer


class StudioSerializer(OutputModelSerializer):
    level_label = serializers.CharField(source="get_level_display", read_only=True)
    province_label = serializers.CharField(source="get_province_display", read_only=True)
    membership_status_label = serializers.CharField(source="get_membership_status_display", read_only=True)
    lead = ExpertBriefSerializer(read_only=True, allow_null=True)
    skills = SkillBriefSerializer(many=True, read_only=True)
    batch = BatchBriefSerializer(read_only=True, allow_null=True)
    member_count = serializers.IntegerField(read_only=True, help_text="成员人数 / number of member experts")

    select_related = ("lead", "batch")
    prefetch_related = ("skills",)

    class Meta:
        model = Studio
        fields = (
            "id", "name", "level", "level_label", "host_enterprise", "lead", "province", "province_label", "city",
            "established_year", "skills", "focus", "description", "achievements", "capacity", "membership_status",
            "membership_status_label", "batch", "member_count", "updated_at",
        )
        read_only_fields = fields

    @classmethod
    def optimize(cls, queryset):
        return super().optimize(queryset).annotate(member_count=Count("members", distinct=True))


class StudioCreateSerializer(StrictInputModelSerializer):
    """`lead`: the secretariat names the lead expert; an expert registers the studio they lead themself."""

    lead = VisibleReferenceField(expert_list, required=False, allow_null=True, label="领衔人")
    skills = SkillReferenceField(many=True, required=False)
    focus = serializers.ListField(child=serializers.CharField(max_length=64), required=False)

    class Meta:
        model = Studio
        fields = ("name", "level", "host_enterprise", "lead", "province", "city", "established_year", "skills",
                  "focus", "description", "achievements", "capacity")


class StudioUpdateSerializer(StudioCreateSerializer):
    class Meta(StudioCreateSerializer.Meta):
        fields = ("name", "level", "host_enterprise", "province", "city", "established_year", "skills",
                  "focus", "description", "achievements", "capacity")


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
    filterset_class = StudioFilter
    ordering_fields = ("name", "id", "established_year", "updated_at", "province", "city")
    ordering = ("id",)

    def select(self):
        return selectors.studio_list(user=self.request.user)

    def create_object(self, data):
        return services.studio_create(user=self.request.user, **data)

    def update_object(self, instance, data):
        return services.studio_update(user=self.request.user, studio=instance, **data)


router = SimpleRouter()
router.register("studios", StudioViewSet, basename="studio")
urlpatterns = router.urls
