"""Errors of the search layer, translated once by the REST view and the GraphQL resolver."""
from jianglian.errors import DomainError, Unavailable


UNAVAILABLE_MESSAGE = "检索服务暂不可用，请稍后再试 / Search is unavailable, please retry later"


class SearchUnavailable(Unavailable):
    """The search backend cannot answer now (Elasticsearch down, no fallback kept, index unreadable): HTTP 503 with
    Retry-After, GraphQL SEARCH_UNAVAILABLE with `extensions.retryAfter`."""

    code = "search_unavailable"


class UnknownFilter(DomainError):
    """A filter names a field the index does not have: HTTP 400."""

    code = "unknown_filter"


class IndexLost(SearchUnavailable):
    """An embedded index whose `current` link dangles, or is gone while generations remain: 503 for reads,
    refused for writes (an empty index must never take its place outside a rebuild); the reconcile (beat)
    rebuilds it from the database."""

    code = "search_unavailable"
