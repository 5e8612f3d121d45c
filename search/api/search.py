"""`GET /api/v1/search/`: full-text search over experts, studios and public challenges.

Permissions are those of the lists: anyone may search; draft and closed
challenges are never indexed, and the hits are re-read through the same
selectors as the lists, so search can show nothing a list would not.

Hits carry a brief public representation of their row: never a contact field,
whoever asks (the full record, with what the caller may see, is at the row's
own endpoint).
"""
from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from alliance.models import Studio
from enterprises.models import Challenge
from experts.models import Expert
from jianglian.api.schema import ErrorSerializer, summary
from jianglian.api.serializers import StrictInputSerializer
from search.errors import SearchUnavailable
from search.selectors import search_visible

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


class SearchView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        summary=summary("全文检索", "Full-text search"),
        operation_id="search",
        parameters=[SearchInputSerializer],
        responses={
            200: SearchResponseSerializer,
            400: OpenApiResponse(ErrorSerializer, description="输入有误 / Invalid input"),
            503: OpenApiResponse(ErrorSerializer, description="检索服务暂不可用 / Search temporarily unavailable"),
        },
    )
    def get(self, request):
        params = SearchInputSerializer(data=_query_params(request))
        params.is_valid(raise_exception=True)
        data = params.validated_data
        filters = {name: data[name] for name in SearchInputSerializer.FILTERS if data.get(name)}
        try:
            found = search_visible(user=request.user, type=data["type"], q=data["q"], filters=filters,
                                   page=data["page"], page_size=data["page_size"])
        except SearchUnavailable as exc:
            return Response({"detail": str(exc), "code": exc.code, "errors": {}},
                            status=status.HTTP_503_SERVICE_UNAVAILABLE, headers={"Retry-After": str(exc.retry_after)})
        serializer = HIT_SERIALIZERS[data["type"]]
        return Response({
            "type": data["type"],
            "count": found.total,
            "page": data["page"],
            "page_size": data["page_size"],
            "results": [
                {"id": hit.id, "score": hit.score, "highlights": hit.highlights, "object": serializer(row).data}
                for hit, row in found.hits
            ],
            "facets": {name: [{"value": v, "count": c} for v, c in counts] for name, counts in found.facets.items()},
        })


def _query_params(request) -> dict:
    """Repeated filter parameters (`?city=成都&city=南京`) and comma lists (`?city=成都,南京`) alike."""
    params = {}
    for key in request.query_params:
        if key in SearchInputSerializer.FILTERS:
            params[key] = [v for raw in request.query_params.getlist(key) for v in raw.split(",") if v]
        else:
            params[key] = request.query_params.get(key)
    return params


urlpatterns = [
    path("search/", SearchView.as_view(), name="search"),
]
