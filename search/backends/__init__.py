"""The backend loader: `get_backend()` returns the process's backend chosen by SEARCH_BACKEND.

- "embedded" (default): tantivy under SEARCH_INDEX_DIR.
- "elasticsearch": ELASTICSEARCH_URL, index names prefixed with ELASTICSEARCH_INDEX_PREFIX.
  With SEARCH_KEEP_EMBEDDED (default on) the embedded index is kept up to date
  too, and searches fall back to it while Elasticsearch is unreachable.
"""
from __future__ import annotations

import threading

from django.conf import settings

from .base import Hit, SearchBackend, SearchResults

_backends: dict[str, SearchBackend] = {}
_lock = threading.Lock()


def _create(name: str) -> SearchBackend:
    if name == "embedded":
        from .embedded import EmbeddedBackend

        return EmbeddedBackend()
    if name == "elasticsearch":
        from .elasticsearch import ElasticsearchBackend

        fallback = get_backend("embedded") if getattr(settings, "SEARCH_KEEP_EMBEDDED", True) else None
        return ElasticsearchBackend(fallback=fallback)
    raise LookupError(f"unknown SEARCH_BACKEND {name!r}: use 'embedded' or 'elasticsearch'")


def get_backend(name: str | None = None) -> SearchBackend:
    name = name or settings.SEARCH_BACKEND
    with _lock:
        backend = _backends.get(name)
    if backend is None:
        backend = _create(name)
        with _lock:
            backend = _backends.setdefault(name, backend)
    return backend


def reset_backends() -> None:
    """Forget loaded backends (after settings change in tests)."""
    with _lock:
        _backends.clear()


__all__ = ["get_backend", "reset_backends", "SearchBackend", "SearchResults", "Hit"]
