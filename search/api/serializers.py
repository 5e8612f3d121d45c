"""REST input and output of `GET /api/v1/search/`.

Hits carry a brief public representation of their row: never a contact field,
whoever asks (the full record, with what the caller may see, is at the row's
own endpoint).
"""
from rest_framework import serializers

from alliance.models import Studio
from enterprises.models import Challenge
from experts.models import Expert
from jianglian.api.serializers import StrictInputSerializer

TYPES = ("expert", "studio", "challenge")


class SearchInputSerializer(StrictInputSerializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    type = serializers.ChoiceField(choices=TYPES, required=False, default="expert")
    province = serializers.ListField(child=serializers.CharField(max_length=32), required=False)
    city = serializers.ListField(child=serializers.CharField(max_length=32), required=False)
    category = serializers.ListField(child=serializers.CharField(max_length=16), required=False)
    skill = serializers.ListField(child=serializers.CharField(max_length=64), required=False)
    honour = serializers.ListField(child=serializers.CharField(max_length=32), required=False)
    status = serializers.ListField(child=serializers.CharField(max_length=16), required=False)
    level = serializers.ListField(child=serializers.CharField(max_length=16), required=False)
    page = serializers.IntegerField(required=False, min_value=1, max_value=100, default=1)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=100, default=20)

    FILTERS = ("province", "city", "category", "skill", "honour", "status", "level")


class ExpertHitSerializer(serializers.ModelSerializer):
    studio_name = serializers.CharField(source="studio.name", read_only=True, allow_null=True, default=None)
    honours = serializers.SerializerMethodField()
    skills = serializers.SerializerMethodField()

    class Meta:
        model = Expert
        fields = ("id", "name", "role", "employer", "professional_title", "province", "city", "studio",
                  "studio_name", "honours", "skills", "accepting_pairings")
        read_only_fields = fields

    def get_honours(self, expert) -> list[str]:
        return [h.honour for h in expert.honours.all()]

    def get_skills(self, expert) -> list[str]:
        return [s.code for s in expert.skills.all()]


class StudioHitSerializer(serializers.ModelSerializer):
    class Meta:
        model = Studio
        fields = ("id", "name", "level", "host_enterprise", "province", "city", "membership_status")
        read_only_fields = fields


class ChallengeHitSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)

    class Meta:
        model = Challenge
        fields = ("id", "title", "category", "status", "enterprise", "enterprise_name", "published_at")
        read_only_fields = fields


HIT_SERIALIZERS = {"expert": ExpertHitSerializer, "studio": StudioHitSerializer, "challenge": ChallengeHitSerializer}


class FacetValueSerializer(serializers.Serializer):
    value = serializers.CharField()
    count = serializers.IntegerField()


class SearchHitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    score = serializers.FloatField()
    highlights = serializers.DictField(child=serializers.CharField(),
                                       help_text="字段 → 带 <em> 标记的摘要 / field → snippet with <em> marks")
    object = serializers.DictField(help_text="命中对象的公开摘要 / public summary of the row")


class SearchResponseSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=TYPES)
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    page_size = serializers.IntegerField()
    results = SearchHitSerializer(many=True)
    facets = serializers.DictField(child=FacetValueSerializer(many=True))
