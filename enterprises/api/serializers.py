"""REST representations of enterprises and challenges.

Input serializers hold only what a caller may set; `verified`, `status`, `created_by`, staff and
dates are decided by the services. A challenge's enterprise is chosen once, at creation, and the
service checks the caller works for it.
"""
from django.db.models import Count, Q
from rest_framework import serializers

from jianglian.api.serializers import (
    OutputModelSerializer, SkillBriefSerializer, SkillReferenceField, StrictInputModelSerializer,
    StrictInputSerializer,
)

from ..models import Challenge, Enterprise


class EnterpriseSerializer(OutputModelSerializer):
    province_label = serializers.CharField(source="get_province_display", read_only=True)
    industry_label = serializers.CharField(source="get_industry_display", read_only=True)
    size_label = serializers.CharField(source="get_size_display", read_only=True)
    open_challenge_count = serializers.IntegerField(read_only=True, help_text="征集中的需求数 / open challenges")

    class Meta:
        model = Enterprise
        fields = ("id", "name", "credit_code", "province", "province_label", "city", "industry", "industry_label",
                  "size", "size_label", "description", "verified", "verified_at", "open_challenge_count",
                  "created_at")
        read_only_fields = fields

    @classmethod
    def optimize(cls, queryset):
        return super().optimize(queryset).annotate(
            open_challenge_count=Count("challenges", filter=Q(challenges__status=Challenge.Status.OPEN), distinct=True)
        )


class EnterpriseRegisterSerializer(StrictInputSerializer):
    """Registration: the caller becomes the enterprise's staff; the secretariat verifies it later."""

    name = serializers.CharField(max_length=128)
    credit_code = serializers.CharField(max_length=32, help_text="统一社会信用代码（18 位，含校验位） / 18-character USCC")
    province = serializers.ChoiceField(choices=Enterprise._meta.get_field("province").choices)
    city = serializers.CharField(max_length=32)
    industry = serializers.ChoiceField(choices=Enterprise._meta.get_field("industry").choices, required=False)
    size = serializers.ChoiceField(choices=Enterprise.Size.choices, required=False)
    description = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class EnterpriseUpdateSerializer(StrictInputModelSerializer):
    class Meta:
        model = Enterprise
        fields = ("name", "province", "city", "industry", "size", "description")


class EnterpriseBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    verified = serializers.BooleanField(read_only=True)
    province = serializers.CharField(read_only=True)
    city = serializers.CharField(read_only=True)


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

    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.all(), required=False)

    class Meta(ChallengeUpdateSerializer.Meta):
        fields = ("enterprise", *ChallengeUpdateSerializer.Meta.fields)


class ChallengeCloseSerializer(StrictInputSerializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
