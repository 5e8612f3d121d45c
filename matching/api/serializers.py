from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from alliance.models import Studio
from experts.models import Expert

from ..models import Match
from ..selectors import match_reasons


class MatchedExpertSerializer(serializers.ModelSerializer):
    """The public face of a ranked expert (contact details never appear in a ranking)."""

    class Meta:
        model = Expert
        fields = ("id", "name", "professional_title", "employer", "province", "city", "skill_tags", "studio")
        read_only_fields = fields


class MatchedStudioSerializer(serializers.ModelSerializer):
    class Meta:
        model = Studio
        fields = ("id", "name", "level", "host_enterprise", "province", "city")
        read_only_fields = fields


class ReasonSerializer(serializers.Serializer):
    signal = serializers.CharField()
    weight = serializers.FloatField()
    value = serializers.FloatField()
    explanation = serializers.CharField()


class MatchSerializer(serializers.ModelSerializer):
    expert = MatchedExpertSerializer(read_only=True, allow_null=True)
    studio = MatchedStudioSerializer(read_only=True, allow_null=True)
    reasons = serializers.SerializerMethodField()

    class Meta:
        model = Match
        fields = ("rank", "score", "kind", "expert", "studio", "reasons", "algorithm_version", "computed_at")
        read_only_fields = fields

    @extend_schema_field(ReasonSerializer(many=True))
    def get_reasons(self, match) -> list[ReasonSerializer]:
        return ReasonSerializer(match_reasons(match.breakdown, self.context.get("language")), many=True).data


class MatchRequestSerializer(serializers.Serializer):
    """The answer to a ranking request: which challenge is being ranked, in which state."""

    challenge = serializers.IntegerField(source="pk", read_only=True)
    status = serializers.CharField(read_only=True,
                                   help_text="open: 重新计算 / recomputed; draft: 预览 / a preview")
