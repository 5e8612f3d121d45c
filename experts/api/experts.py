"""REST /api/v1/experts/: the 劳模工匠库. Rules live in experts.services.

Private contact details (phone, email, birth year) are filled only for the experts in
`context["contact_visible_ids"]` (computed once per request by
`matching.pairings.selectors.contact_visible_expert_ids`; None = all, for the secretariat); for everyone
else they are null and `contact_visible` is false.
"""
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers
from rest_framework.routers import SimpleRouter

from alliance.api.references import StudioBriefSerializer
from alliance.selectors import prefetch_outreach_history, studio_list
from jianglian.api.permissions import ReadOnlyOrAuthenticated
from jianglian.api.schema import summary
from jianglian.api.serializers import (
    OutputModelSerializer, OutputSerializer, StrictInputModelSerializer, VisibleReferenceField,
)
from jianglian.api.views import ServiceViewSet
from jianglian.choices import Honour
from jianglian.roles import is_secretariat
from enterprises.models import Enterprise
from matching.pairings.selectors import contact_visible_expert_ids

from .. import selectors, services
from ..filters import ExpertFilter
from ..selectors import can_see_conflicts
from ..models import Expert
from .references import SkillBriefSerializer, SkillReferenceField

PRIVATE_FIELDS = ("phone", "email", "birth_year")


class HonourSerializer(serializers.Serializer):
    honour = serializers.ChoiceField(choices=Honour.choices, read_only=True)
    label = serializers.CharField(source="get_honour_display", read_only=True)
    year = serializers.IntegerField(read_only=True, allow_null=True)


class OutreachParticipationSerializer(OutputSerializer):
    """One 进校园 event the expert took part in, as their profile shows it."""

    event_id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(source="event.title", read_only=True)
    school = serializers.CharField(source="event.school", read_only=True)
    city = serializers.CharField(source="event.city", read_only=True)
    starts_at = serializers.DateTimeField(source="event.starts_at", read_only=True)
    format = serializers.CharField(source="event.format", read_only=True)
    role = serializers.CharField(read_only=True)


class ConflictEnterpriseSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class ExpertSerializer(OutputModelSerializer):
    role_label = serializers.CharField(source="get_role_display", read_only=True)
    province_label = serializers.CharField(source="get_province_display", read_only=True)
    skills = SkillBriefSerializer(many=True, read_only=True)
    honours = HonourSerializer(many=True, read_only=True)
    studio = StudioBriefSerializer(read_only=True, allow_null=True)
    contact_visible = serializers.SerializerMethodField()
    phone = serializers.CharField(read_only=True, allow_null=True)
    email = serializers.CharField(read_only=True, allow_null=True)
    birth_year = serializers.IntegerField(read_only=True, allow_null=True)
    outreach_events = OutreachParticipationSerializer(many=True, read_only=True, source="outreach_history")
    conflicts = serializers.SerializerMethodField(
        help_text="申报回避的企业（私密：仅本人和秘书处可见，其他人为 null） / enterprises the expert declared a "
                  "conflict of interest with (private: the expert and the secretariat; null for anyone else)")

    select_related = ("studio",)
    prefetch_related = ("skills", "honours")

    @classmethod
    def optimize(cls, queryset):
        return super().optimize(queryset).prefetch_related(prefetch_outreach_history("outreach_history"))

    class Meta:
        model = Expert
        fields = (
            "id", "name", "gender", "role", "role_label", "professional_title", "position", "employer",
            "province", "province_label", "city", "industry", "skills", "skill_tags", "honours", "bio",
            "achievements", "studio", "capacity", "accepting_pairings", "accepts_remote",
            "contact_visible", "phone", "email", "birth_year", "outreach_events", "conflicts", "updated_at",
        )
        read_only_fields = fields

    @extend_schema_field(ConflictEnterpriseSerializer(many=True, allow_null=True))
    def get_conflicts(self, expert):
        request = self.context.get("request")
        if not can_see_conflicts(getattr(request, "user", None), expert):
            return None
        return ConflictEnterpriseSerializer(sorted(expert.conflicts.all(), key=lambda e: e.pk), many=True).data

    def _visible(self, expert) -> bool:
        visible = self.context.get("contact_visible_ids", frozenset())
        return visible is None or expert.pk in visible

    def get_contact_visible(self, expert) -> bool:
        return self._visible(expert)

    def to_representation(self, expert):
        data = super().to_representation(expert)
        if not self._visible(expert):
            for name in PRIVATE_FIELDS:
                data[name] = None
        return data


class ExpertCreateSerializer(StrictInputModelSerializer):
    skills = SkillReferenceField(many=True, required=False)
    studio = VisibleReferenceField(studio_list, required=False, allow_null=True, label="所属工作室")
    honours = serializers.ListField(child=serializers.ChoiceField(choices=Honour.choices), required=False)
    skill_tags = serializers.ListField(child=serializers.CharField(max_length=64), required=False)

    class Meta:
        model = Expert
        fields = (
            "name", "gender", "birth_year", "role", "professional_title", "position", "employer", "province",
            "city", "industry", "skills", "skill_tags", "honours", "bio", "achievements", "studio", "capacity",
            "accepting_pairings", "accepts_remote", "phone", "email",
        )


class ExpertUpdateSerializer(ExpertCreateSerializer):
    """Every field optional; which ones the caller may change is the service's rule
    (an expert: own profile and contact; the secretariat: the catalog facts and honours too)."""

    conflicts = serializers.PrimaryKeyRelatedField(
        queryset=Enterprise.objects.all(), many=True, required=False,
        help_text="申报回避的企业 id（整体替换）；匹配不会为这些企业及其同集团企业推荐本人 / ids of the enterprises the "
                  "expert declares a conflict of interest with (replaces the list); never ranked for their challenges",
    )

    class Meta(ExpertCreateSerializer.Meta):
        fields = (*ExpertCreateSerializer.Meta.fields, "conflicts")


@extend_schema_view(
    list=extend_schema(summary=summary("劳模工匠列表", "List experts")),
    retrieve=extend_schema(summary=summary("劳模工匠详情", "Retrieve an expert")),
    create=extend_schema(summary=summary("录入劳模工匠（秘书处）", "Create an expert (secretariat)")),
    partial_update=extend_schema(
        summary=summary("修改劳模工匠档案（本人或秘书处）", "Update an expert profile (the expert or the secretariat)")
    ),
)
class ExpertViewSet(ServiceViewSet):
    """劳模工匠库. Contact details only for the secretariat, the expert themself and enterprises with an
    accepted pairing with that expert."""

    output_serializer_class = ExpertSerializer
    create_serializer_class = ExpertCreateSerializer
    update_serializer_class = ExpertUpdateSerializer
    permission_classes = [ReadOnlyOrAuthenticated]
    filterset_class = ExpertFilter
    ordering_fields = ("name", "id", "capacity", "updated_at", "province", "city")
    ordering = ("id",)

    secretariat_actions = frozenset({"create"})

    def get_serializer_context(self):
        context = super().get_serializer_context()
        # One query for the whole page, whatever its length.
        context["contact_visible_ids"] = contact_visible_expert_ids(self.request.user)
        return context

    def select(self):
        return selectors.expert_list(user=self.request.user)

    def get_queryset(self):
        queryset = super().get_queryset()
        if is_secretariat(self.request.user):  # they see everyone's declared conflicts: one query per page
            queryset = queryset.prefetch_related("conflicts")
        return queryset

    def create_object(self, data):
        return services.expert_create(user=self.request.user, **data)

    def update_object(self, instance, data):
        return services.expert_update(user=self.request.user, expert=instance, **data)


router = SimpleRouter()
router.register("experts", ExpertViewSet, basename="expert")
urlpatterns = router.urls
