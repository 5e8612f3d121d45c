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

from alliance.selectors import studio_list
from enterprises.selectors import challenge_list
from experts.selectors import expert_list
from jianglian.api.schema import ErrorSerializer, summary
from search.backends import get_backend
from search.errors import SearchUnavailable
from search.index import get_definition

from .serializers import HIT_SERIALIZERS, SearchInputSerializer, SearchResponseSerializer

SELECTORS = {"expert": expert_list, "studio": studio_list, "challenge": challenge_list}
EAGER_LOADING = {
    "expert": lambda rows: rows.select_related("studio").prefetch_related("honours", "skills"),
    "studio": lambda rows: rows,
    "challenge": lambda rows: rows.select_related("enterprise"),
}


def search_rows(*, user, type: str, q: str, filters: dict, page: int, page_size: int) -> dict:
    """Search one index and return the page of visible rows with scores, highlights and facets."""
    definition = get_definition(type)
    filters = {name: items for name, items in filters.items() if name in definition.filter_field_names}
    results = get_backend().search(
        definition, q, filters=filters, limit=page_size, offset=(page - 1) * page_size,
        facets=definition.facet_field_names, highlight=True,
    )
    serializer = HIT_SERIALIZERS[type]
    rows = EAGER_LOADING[type](SELECTORS[type](user=user).filter(pk__in=results.ids))
    rows = {row.pk: row for row in rows}
    return {
        "type": type,
        "count": results.total,
        "results": [
            {"id": hit.id, "score": hit.score, "highlights": hit.highlights, "object": serializer(rows[hit.id]).data}
            for hit in results.hits if hit.id in rows
        ],
        "facets": {name: [{"value": v, "count": c} for v, c in counts] for name, counts in results.facets.items()},
    }


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
            body = search_rows(user=request.user, type=data["type"], q=data["q"], filters=filters,
                               page=data["page"], page_size=data["page_size"])
        except SearchUnavailable as exc:
            return Response({"detail": str(exc), "code": exc.code, "errors": {}},
                            status=status.HTTP_503_SERVICE_UNAVAILABLE, headers={"Retry-After": "30"})
        return Response({**body, "page": data["page"], "page_size": data["page_size"]})


def _query_params(request) -> dict:
    """Repeated filter parameters (`?city=成都&city=南京`) and comma lists (`?city=成都,南京`) alike."""
    params = {}
    for key in request.query_params:
        if key in SearchInputSerializer.FILTERS:
            params[key] = [v for raw in request.query_params.getlist(key) for v in raw.split(",") if v]
        else:
            params[key] = request.query_params.get(key)
    return params
