"""Readiness of the search backend (registered with jianglian.health by search.apps): one query of every
index, limit 1. Elasticsearch down without a fallback, or an embedded index that cannot be read, raises
SearchUnavailable; an index never built answers no hits and is ready (search_index --rebuild fills it)."""
from .backends import get_backend
from .index import definitions


def check_search() -> None:
    backend = get_backend()
    for definition in definitions():
        backend.search(definition.name, "", limit=1)
