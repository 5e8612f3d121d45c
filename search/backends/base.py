"""The interface every search backend implements.

A backend stores the documents that `search.index.IndexDefinition`s produce and
answers queries over them. Text is segmented before it reaches a backend
(`search.text`), so every backend indexes and queries the same tokens and
ranks alike: the score of a hit is the sum, over the query's tokens and the
definition's search fields, of `weight(token) × boost(field) × BM25(token, field)`.

Queries
-------
`search(index, query, filters=..., limit=..., offset=..., facets=..., highlight=...)`

- `index`: an index name ("expert", "studio", "challenge") or its definition.
- `query`: a user's text (`str`, segmented with `text.tokenize_query`), a list of
  tokens already made by `search.text` (used as they are), a mapping
  token → weight (the matching engine weights expanded synonyms below the
  original words), or a `search.query.ReadQuery` (what the catalog searches:
  weighted tokens and needs; hits meeting more needs come first, then by the
  score below). An empty query matches every document (filters still apply),
  in id order.
- `filters`: {filter field: value or list of values}; values of one field are
  ORed, fields are ANDed. Filters never change scores. An unknown field raises
  `UnknownFilter`.
- `facets`: filter fields to count values of over all matching documents.
- `highlight`: add an HTML snippet per search field that matched.

Nothing a user types can make a query fail: queries are built from tokens,
never parsed.

For the matching engine: `search(index, weighted_tokens, filters=..., limit=200)`
with `highlight=False` and no facets returns ids and scores only (no stored
document is read); on 100k experts it answers in a few milliseconds with the
embedded backend (see bench/search.py).
"""
from __future__ import annotations

import collections
import contextlib
import gc
import json
import multiprocessing
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from search import text
from search.errors import UnknownFilter
from search.index import IndexDefinition, document_fingerprint, get_definition
from search.query import Need, ReadQuery

Query = str | Sequence[str] | Mapping[str, float] | ReadQuery
Filters = Mapping[str, str | Sequence[str]]

MAX_LIMIT = 1000
MAX_OFFSET = 10_000


@dataclass
class Hit:
    id: int
    score: float
    highlights: dict[str, str] = field(default_factory=dict)


@dataclass
class SearchResults:
    total: int
    hits: list[Hit]
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)

    @property
    def ids(self) -> list[int]:
        return [hit.id for hit in self.hits]


class SearchBackend:
    name = ""
    # True when `write_lock` excludes every other writer, rebuilds included (embedded);
    # otherwise writes that arrive during a rebuild are caught up by a reconcile after it.
    exclusive_writes = False

    # --- writes (called by the sync tasks and the rebuild command only) --------

    def write_lock(self, definition: IndexDefinition):
        """Held while reading rows and writing their documents, so writes apply in read order."""
        return contextlib.nullcontext()

    def index_documents(self, definition: IndexDefinition, documents: list[dict], version: int | None = None) -> None:
        """Add or replace documents (by id); idempotent.

        `version` (nanoseconds, taken before the rows were read) lets a backend
        without a write lock drop a write older than the one it already holds.
        """
        raise NotImplementedError

    def delete_documents(self, definition: IndexDefinition, ids: Iterable[int], version: int | None = None) -> None:
        """Remove documents by id; ids that are not indexed are ignored."""
        raise NotImplementedError

    def rebuild(self, definition: IndexDefinition, documents: Iterator[dict], progress=None) -> int:
        """Build a fresh index from `documents` and switch searches to it at once; returns the count.

        `progress(n)` is called as documents are written. Searches see the old
        index until the new one is complete.
        """
        raise NotImplementedError

    def fingerprints(self, definition: IndexDefinition) -> dict[int, int]:
        """{id: fingerprint} of every indexed document, for reconcile."""
        raise NotImplementedError

    # --- reads ---------------------------------------------------------------

    def search(self, index, query: Query = "", *, filters: Filters | None = None, limit: int = 20,
               offset: int = 0, facets: Sequence[str] = (), highlight: bool = False) -> SearchResults:
        raise NotImplementedError

    def count(self, index) -> int:
        return self.search(index, "", limit=0).total


def resolve(index) -> IndexDefinition:
    return index if isinstance(index, IndexDefinition) else get_definition(index)


def weighted_tokens(query: Query) -> dict[str, float]:
    """token → weight for any accepted form of query."""
    if isinstance(query, ReadQuery):
        return dict(query.weights)
    if isinstance(query, str):
        return dict.fromkeys(text.tokenize_query(query), 1.0)
    if isinstance(query, Mapping):
        return {str(t): float(w) for t, w in query.items() if t and w > 0}
    return dict.fromkeys((str(t) for t in query if t), 1.0)


def query_needs(query: Query) -> tuple[Need, ...]:
    """The needs whose coverage orders the hits first: only a read query (`search.query.read_query`) has them."""
    return query.needs if isinstance(query, ReadQuery) else ()


def clean_filters(definition: IndexDefinition, filters: Filters | None) -> dict[str, list[str]]:
    """{field: [values]} with empty values dropped; unknown fields raise UnknownFilter."""
    cleaned = {}
    for name, raw in (filters or {}).items():
        if name not in definition.filter_field_names:
            raise UnknownFilter(f"index {definition.name!r} cannot be filtered by {name!r}")
        items = [raw] if isinstance(raw, (str, int)) else list(raw or [])
        items = [str(v) for v in items if v not in (None, "")]
        if items:
            cleaned[name] = items
    return cleaned


def clean_facets(definition: IndexDefinition, facets: Sequence[str]) -> list[str]:
    unknown = set(facets) - set(definition.facet_field_names)
    if unknown:
        raise UnknownFilter(f"index {definition.name!r} has no facet {sorted(unknown)}")
    return list(dict.fromkeys(facets))


def bounded(limit: int, offset: int) -> tuple[int, int]:
    return max(0, min(int(limit), MAX_LIMIT)), max(0, min(int(offset), MAX_OFFSET))


def highlights_for(definition: IndexDefinition, source: Mapping, tokens: Iterable[str]) -> dict[str, str]:
    """A snippet per search field of `source` in which a query token occurs."""
    tokens = list(tokens)
    snippets = {}
    for name in definition.search_field_names:
        snippet = text.highlight(source.get(name) or "", tokens)
        if snippet:
            snippets[name] = snippet
    return snippets


# --- turning documents into what backends store ----------------------------------


@dataclass
class Prepared:
    """A document as backends store it: segmented search fields, filter values, and the raw searched
    texts for highlights as JSON (`stored`, what the embedded index stores; `source` decodes it)."""

    id: int
    fingerprint: int
    tokens: dict[str, str]
    filters: dict[str, list[str]]
    stored: bytes

    @property
    def source(self) -> dict[str, str]:
        return json.loads(self.stored)

    def __reduce__(self):
        # Plain positional arguments: a rebuild sends every document back from the workers,
        # and a dataclass's default state-dict pickling cost more than half of that.
        return Prepared, (self.id, self.fingerprint, self.tokens, self.filters, self.stored)


def prepare(definition: IndexDefinition, document: dict) -> Prepared:
    tokens, source = {}, {}
    for name in definition.search_field_names:
        raw = document.get(name) or ""
        if raw:
            tokens[name] = text.index_text(raw)
            source[name] = raw
    return Prepared(
        id=int(document["id"]),
        fingerprint=document_fingerprint(document),
        tokens=tokens,
        filters={name: [str(v) for v in document.get(name) or ()] for name in definition.filter_field_names},
        # Encoded here, in the preparation workers of a rebuild, not in the process that writes the index.
        stored=json.dumps(source, ensure_ascii=False).encode(),
    )


_PARALLEL_CHUNK = 500
_PARALLEL_WINDOW = 8


def _prepare_chunk(index_name: str, documents: list[dict]) -> list[Prepared]:
    definition = get_definition(index_name)
    return [prepare(definition, document) for document in documents]


def prepare_all(definition: IndexDefinition, documents: Iterable[dict], workers: int | None = None) -> Iterator[Prepared]:
    """`prepare` over many documents, in order; segmentation runs in forked worker processes
    once there is more than one chunk, while this process keeps reading the database."""
    workers = os.cpu_count() if workers is None else workers
    chunks = _chunks(documents, _PARALLEL_CHUNK)
    first = next(chunks, [])
    if workers <= 1 or len(first) < _PARALLEL_CHUNK:
        yield from _prepare_chunk(definition.name, first)
        for chunk in chunks:
            yield from _prepare_chunk(definition.name, chunk)
        return
    # fork: the workers inherit the loaded apps and segmenter; they never touch the database.
    gc.freeze()
    with contextlib.ExitStack() as cleanup, multiprocessing.get_context("fork").Pool(
        workers, initializer=text.hold_dictionary
    ) as pool:
        cleanup.callback(gc.unfreeze)
        pending = collections.deque([pool.apply_async(_prepare_chunk, (definition.name, first))])
        for chunk in chunks:
            pending.append(pool.apply_async(_prepare_chunk, (definition.name, chunk)))
            if len(pending) >= _PARALLEL_WINDOW:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    chunk = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
