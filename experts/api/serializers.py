"""REST representations of experts and skills.

Private contact details (phone, email, birth year) are filled only for the experts in
`context["contact_visible_ids"]` (computed once per request by
`experts.selectors.contact_visible_expert_ids`; None = all, for the secretariat); for everyone
else they are null and `contact_visible` is false.
"""
from rest_framework import serializers

from alliance.selectors import prefetch_outreach_history
from jianglian.api.serializers import (
    OutputModelSerializer, OutputSerializer, SkillBriefSerializer, SkillReferenceField, StrictInputModelSerializer,
    StudioBriefSerializer,
)
from jianglian.choices import Honour

from ..models import Expert, Skill

PRIVATE_FIELDS = ("phone", "email", "birth_year")


# --- skills -------------------------------------------------------------------------------
class SkillSerializer(OutputModelSerializer):
    category_label = serializers.CharField(source="get_category_display", read_only=True)
    parent = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    parent_code = serializers.SlugRelatedField(source="parent", slug_field="code", read_only=True, allow_null=True)

    select_related = ("parent",)

    class Meta:
        model = Skill
        fields = ("id", "code", "name", "name_en", "category", "category_label", "parent", "parent_code",
                  "synonyms", "problems", "description")
        read_only_fields = fields


class SkillCreateSerializer(StrictInputModelSerializer):
    synonyms = serializers.ListField(child=serializers.CharField(max_length=64), required=False)
    problems = serializers.ListField(child=serializers.CharField(max_length=200), required=False)

    class Meta:
        model = Skill
        fields = ("code", "name", "name_en", "category", "parent", "synonyms", "problems", "description")


class SkillUpdateSerializer(SkillCreateSerializer):
    class Meta(SkillCreateSerializer.Meta):
        fields = ("name", "name_en", "category", "parent", "synonyms", "problems", "description")


# --- experts ------------------------------------------------------------------------------
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
            "contact_visible", "phone", "email", "birth_year", "outreach_events", "updated_at",
        )
        read_only_fields = fields

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
