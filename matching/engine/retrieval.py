"""Candidate retrieval: the one place the engine asks the search backend for candidates."""
from __future__ import annotations

from search.backends import get_backend

INDEX_OF_KIND = {"expert": "expert", "studio": "studio"}


def retrieve(kind: str, query: dict[str, float], *, limit: int) -> dict[int, float]:
    """{candidate id: BM25 score} of the best `limit` candidates of `kind` for weighted query tokens."""
    if not query:
        return {}
    results = get_backend().search(INDEX_OF_KIND[kind], query, limit=limit)
    return {hit.id: hit.score for hit in results.hits}
