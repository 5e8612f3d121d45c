"""`GET /api/v1/search/`: full-text search over experts, studios and public challenges.

Permissions are those of the lists: anyone may search; draft and closed
challenges are never indexed, and the hits are re-read through the same
selectors as the lists, so search can show nothing a list would not.
"""
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from jianglian.api.schema import ErrorSerializer, summary
from search.errors import SearchUnavailable
from search.selectors import search_visible

from .serializers import HIT_SERIALIZERS, SearchInputSerializer, SearchResponseSerializer


class SearchView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        summary=summary("全文检索", "Full-text search"),
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
