"""REST representations of studios and membership applications."""
from django.db.models import Count
from rest_framework import serializers

from jianglian.api.serializers import (
    ExpertBriefSerializer, OutputModelSerializer, SkillBriefSerializer, SkillReferenceField,
    StrictInputModelSerializer, StrictInputSerializer, StudioBriefSerializer,
)

from ..models import MembershipApplication, MembershipBatch, Studio
from ..services import ReviewDecision


class BatchBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = MembershipBatch
        fields = ("id", "number", "name", "published_at")
        read_only_fields = fields


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


class MembershipApplicationSerializer(OutputModelSerializer):
    studio = StudioBriefSerializer(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    batch = BatchBriefSerializer(read_only=True, allow_null=True)

    select_related = ("studio", "batch")

    class Meta:
        model = MembershipApplication
        fields = ("id", "studio", "statement", "status", "status_label", "submitted_at", "reviewed_at",
                  "review_note", "batch")
        read_only_fields = fields


class MembershipApplicationCreateSerializer(StrictInputSerializer):
    studio = serializers.PrimaryKeyRelatedField(queryset=Studio.objects.all())
    statement = serializers.CharField(max_length=5000)


class MembershipReviewSerializer(StrictInputSerializer):
    decision = serializers.ChoiceField(choices=ReviewDecision.ALL)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
