"""The search app's GraphQL: one Query composed of its features (search has no mutation)."""
import graphene

from .search import SearchQueries


class SearchQuery(SearchQueries, graphene.ObjectType):
    pass
