"""`search(query, types, filters, first, after)`: the GraphQL face of the search backend.

Same rules as REST: anyone may search; drafts are never indexed; each hit is
re-read through its type's `visible(info)` selector, and private fields keep
their own resolvers' rules. Hits of several types are merged by score.
"""
import base64

import graphene
from graphql import GraphQLError

from alliance.graphql.studios import StudioType
from enterprises.graphql.challenges import ChallengeType
from experts.graphql.experts import ExpertType
from jianglian.graphql.optimizer import collect_fields, prefetches_for
from search.backends import get_backend
from search.backends.base import MAX_OFFSET
from search.index import get_definition
from search.query import read_query


class SearchTypeEnum(graphene.Enum):
    EXPERT = "expert"
    STUDIO = "studio"
    CHALLENGE = "challenge"

    class Meta:
        name = "SearchType"


class SearchFilters(graphene.InputObjectType):
    """Values of one filter are alternatives; filters combine. A filter an index lacks is ignored for it."""

    province = graphene.List(graphene.NonNull(graphene.String))
    city = graphene.List(graphene.NonNull(graphene.String))
    category = graphene.List(graphene.NonNull(graphene.String))
    skill = graphene.List(graphene.NonNull(graphene.String), description="技能代码 / skill codes")
    honour = graphene.List(graphene.NonNull(graphene.String))
    status = graphene.List(graphene.NonNull(graphene.String))
    level = graphene.List(graphene.NonNull(graphene.String))


class SearchHighlight(graphene.ObjectType):
    field = graphene.String(required=True)
    snippet = graphene.String(required=True, description="HTML-escaped text with <em> around the matches")


class SearchHit(graphene.ObjectType):
    type = SearchTypeEnum(required=True)
    score = graphene.Float(required=True)
    highlights = graphene.List(graphene.NonNull(SearchHighlight), required=True)
    expert = graphene.Field(ExpertType)
    studio = graphene.Field(StudioType)
    challenge = graphene.Field(ChallengeType)


class SearchHitEdge(graphene.ObjectType):
    cursor = graphene.String(required=True)
    node = graphene.Field(SearchHit, required=True)


class FacetValue(graphene.ObjectType):
    value = graphene.String(required=True)
    count = graphene.Int(required=True)


class SearchFacet(graphene.ObjectType):
    type = SearchTypeEnum(required=True)
    field = graphene.String(required=True)
    values = graphene.List(graphene.NonNull(FacetValue), required=True)


class SearchPageInfo(graphene.ObjectType):
    has_next_page = graphene.Boolean(required=True)
    end_cursor = graphene.String()


class SearchConnection(graphene.ObjectType):
    total_count = graphene.Int(required=True)
    edges = graphene.List(graphene.NonNull(SearchHitEdge), required=True)
    page_info = graphene.Field(SearchPageInfo, required=True)
    facets = graphene.List(graphene.NonNull(SearchFacet), required=True)


MAX_FIRST = 100
MAX_QUERY_LENGTH = 200
OBJECT_TYPES = {"expert": ExpertType, "studio": StudioType, "challenge": ChallengeType}


def row_prefetches(info) -> dict[str, list]:
    """Per hit type, what the selection under `edges { node { expert|studio|challenge { … } } }` needs
    (the optimizer's prefetches), so a page of hits costs the same queries whatever its length."""
    def below(nodes):
        return [node.selection_set for node in nodes if node.selection_set is not None]

    edges = collect_fields(below(info.field_nodes), SearchConnection, info).get("edges", [])
    nodes = collect_fields(below(edges), SearchHitEdge, info).get("node", [])
    rows = collect_fields(below(nodes), SearchHit, info)
    return {name: prefetches_for(type_cls, below(rows.get(name, [])), info)
            for name, type_cls in OBJECT_TYPES.items()}


def encode_cursor(offset: int) -> str:
    return base64.b64encode(f"search:{offset}".encode()).decode()


def decode_cursor(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        prefix, offset = base64.b64decode(cursor.encode(), validate=True).decode().split(":")
        if prefix != "search" or not offset.isdigit():
            raise ValueError
        return int(offset)
    except ValueError:
        raise GraphQLError("无效的游标 / Invalid cursor", extensions={"code": "BAD_USER_INPUT"}) from None


def resolve_search(info, query, types, filters, first, after):
    if len(query) > MAX_QUERY_LENGTH:
        raise GraphQLError(f"query is longer than {MAX_QUERY_LENGTH} characters", extensions={"code": "BAD_USER_INPUT"})
    first = max(0, min(first if first is not None else 20, MAX_FIRST))
    start = min(decode_cursor(after), MAX_OFFSET)
    names = list(dict.fromkeys(getattr(t, "value", t) for t in (types or ["expert"])))
    filters = {k: v for k, v in dict(filters or {}).items() if v}
    backend = get_backend()
    # Read as search_visible reads it (the catalog's words, needs met first), until this resolver goes through it.
    read = read_query(query)

    scored, total, facets = [], 0, []
    for name in names:
        definition = get_definition(name)
        results = backend.search(
            definition, read, limit=start + first, offset=0, highlight=True,
            filters={k: v for k, v in filters.items() if k in definition.filter_field_names},
            facets=definition.facet_field_names,
        )
        total += results.total
        scored += [(hit.score, name, hit) for hit in results.hits]
        facets += [SearchFacet(type=name, field=field, values=[FacetValue(value=v, count=c) for v, c in counts])
                   for field, counts in results.facets.items()]
    # Stable order across types: score, then type order as asked, then rank within the type.
    scored.sort(key=lambda item: -item[0])
    page = scored[start:start + first]

    rows = {}
    prefetches = row_prefetches(info)
    for name in names:
        ids = [hit.id for _, kind, hit in page if kind == name]
        if ids:
            visible = OBJECT_TYPES[name].visible(info).filter(pk__in=ids).prefetch_related(*prefetches[name])
            rows.update({(name, row.pk): row for row in visible})

    edges = []
    for position, (score, name, hit) in enumerate(page, start=start + 1):
        row = rows.get((name, hit.id))
        if row is None:  # an index a step behind the database: the row is gone or no longer visible
            continue
        node = SearchHit(type=name, score=score,
                         highlights=[SearchHighlight(field=f, snippet=s) for f, s in hit.highlights.items()],
                         **{name: row})
        edges.append(SearchHitEdge(cursor=encode_cursor(position), node=node))
    end = start + len(page)
    return SearchConnection(
        total_count=total,
        edges=edges,
        page_info=SearchPageInfo(has_next_page=end < min(total, MAX_OFFSET), end_cursor=encode_cursor(end)),
        facets=facets,
    )


class SearchQueries(graphene.ObjectType):
    search = graphene.Field(
        SearchConnection,
        required=True,
        query=graphene.String(required=True, description="用户输入的检索词 / what the user typed"),
        types=graphene.List(graphene.NonNull(SearchTypeEnum), default_value=["expert"]),
        filters=SearchFilters(),
        first=graphene.Int(default_value=20, description=f"at most {MAX_FIRST}"),
        after=graphene.String(),
        description="全文检索劳模工匠、工作室与公开需求 / full-text search of experts, studios and public challenges",
    )

    def resolve_search(root, info, query, types=None, filters=None, first=20, after=None):
        return resolve_search(info, query, types, filters, first, after)
