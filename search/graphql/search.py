"""`search(query, types, filters, first, after)`: the GraphQL face of the search backend.

The same read as REST's search and the catalog pages: `search.selectors.search_visible` (anyone may search; drafts
are never indexed; each hit is re-read through its app's list selector; hits of several types are merged by score).
Private fields keep their own resolvers' rules; cursors are graphql-relay's offset cursors.
"""
import graphene
from graphql import GraphQLError
from graphql_relay import cursor_to_offset, offset_to_cursor

from alliance.graphql.studios import StudioType
from enterprises.graphql.challenges import ChallengeType
from experts.graphql.experts import ExpertType
from jianglian.graphql.optimizer import collect_fields, prefetches_for
from jianglian.graphql.types import is_cursor
from search.backends.base import MAX_OFFSET
from search.selectors import search_visible


SearchTypeEnum = graphene.Enum("SearchType", [("EXPERT", "expert"), ("STUDIO", "studio"), ("CHALLENGE", "challenge")],
                               description="检索的对象 / what is searched: experts, studios or public challenges")


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


def search_offset(after: str | None) -> int:
    """Where the page after `after` starts: a cursor this API handed out (graphql-relay's), else BAD_USER_INPUT."""
    if not after:
        return 0
    if not is_cursor(after):
        raise GraphQLError("无效的游标 / Invalid cursor", extensions={"code": "BAD_USER_INPUT"})
    return cursor_to_offset(after) + 1


def resolve_search(info, query, types, filters, first, after):
    if len(query) > MAX_QUERY_LENGTH:
        raise GraphQLError(f"query is longer than {MAX_QUERY_LENGTH} characters", extensions={"code": "BAD_USER_INPUT"})
    first = max(0, min(first if first is not None else 20, MAX_FIRST))
    start = min(search_offset(after), MAX_OFFSET)
    names = list(dict.fromkeys(getattr(t, "value", t) for t in (types or ["expert"])))
    found = search_visible(user=info.context.user, type=names, q=query,
                           filters={k: v for k, v in dict(filters or {}).items() if v},
                           offset=start, page_size=first, prefetch=row_prefetches(info))
    # A hit's cursor is its position among every index's hits (graphql-relay's offset cursor), so a page that
    # leaves out a hidden row still ends where the next one starts.
    edges = [
        SearchHitEdge(cursor=offset_to_cursor(position), node=SearchHit(
            type=name, score=hit.score, **{name: row},
            highlights=[SearchHighlight(field=f, snippet=s) for f, s in hit.highlights.items()],
        ))
        for name, hit, row, position in found.typed_hits
    ]
    return SearchConnection(
        total_count=found.total,
        edges=edges,
        page_info=SearchPageInfo(has_next_page=found.end < min(found.total, MAX_OFFSET),
                                 end_cursor=offset_to_cursor(found.end - 1) if found.end > start else after),
        facets=[SearchFacet(type=name, field=field, values=[FacetValue(value=v, count=c) for v, c in counts])
                for name, fields in found.facets_by_type.items() for field, counts in fields.items()],
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
