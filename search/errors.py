"""Errors of the search layer, translated once by the REST view and the GraphQL resolver."""
from jianglian.errors import DomainError


UNAVAILABLE_MESSAGE = "检索服务暂不可用，请稍后再试 / Search is unavailable, please retry later"


class SearchUnavailable(DomainError):
    """The search backend cannot answer now (Elasticsearch down, no fallback kept, index unreadable): HTTP 503."""

    code = "search_unavailable"
    # Seconds a client is asked to wait before searching again (the Retry-After header).
    retry_after = 30


class UnknownFilter(DomainError):
    """A filter names a field the index does not have: HTTP 400."""

    code = "unknown_filter"
