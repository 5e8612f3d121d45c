"""Errors of the search layer, translated once by the REST view and the GraphQL resolver."""
from jianglian.errors import DomainError


class SearchUnavailable(DomainError):
    """The search backend cannot answer now (Elasticsearch down, no fallback kept): HTTP 503."""

    code = "search_unavailable"


class UnknownFilter(DomainError):
    """A filter names a field the index does not have: HTTP 400."""

    code = "unknown_filter"
