"""GraphQL types of full-text search."""
import graphene

from alliance.graphql.types import StudioType
from enterprises.graphql.types import ChallengeType
from experts.graphql.types import ExpertType


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
