"""The embedded backend: a tantivy index per definition, in a local directory.

Layout under SEARCH_INDEX_DIR:

    <index>/write.lock     flock held by the one writer (sync task or rebuild)
    <index>/current        symlink to the live generation
    <index>/gen-<n>/       a tantivy index

A rebuild writes a new generation and swaps the `current` symlink, so searches
never see a half-built index. A `current` that dangles, or that is gone while generations remain, is a lost
index (IndexLost, 503): reads and writes are refused rather than answered from, or replaced by, an empty
index; only a rebuild (the reconcile does one) makes a new `current`. An index never built (no link, no
generation) reads as empty and its first write creates it. Searchers notice a new generation or a new commit
(meta.json changes) on their next query and reload.

Fields: `id` and `fp` (fingerprint) are fast u64 fields; each search field is a
text field whose whitespace tokenizer receives `search.text` tokens; each filter
field is an untokenized fast text field (filters and facet counts); `source`
stores the raw searched texts for highlighting.
"""
from __future__ import annotations

import contextlib
import fcntl
import itertools
import json
import logging
import os
import shutil
import threading
from pathlib import Path

import tantivy
from django.conf import settings
from tantivy import Occur, Query

from search.errors import UNAVAILABLE_MESSAGE, IndexLost, SearchUnavailable
from search.index import IndexDefinition

from .base import (
    Hit, Prepared, SearchBackend, SearchResults, bounded, clean_facets, clean_filters, highlights_for, prepare,
    prepare_all, query_needs, resolve, weighted_tokens,
)
from search.query import COVERAGE_SCORE

logger = logging.getLogger(__name__)

WHITESPACE = "jl_whitespace"
FACET_SIZE = 100
_BATCH_HEAP = 64_000_000
_REBUILD_HEAP = 256_000_000


def build_schema(definition: IndexDefinition) -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_unsigned_field("id", stored=True, indexed=True, fast=True)
    builder.add_unsigned_field("fp", fast=True)
    for name in definition.search_field_names:
        builder.add_text_field(name, tokenizer_name=WHITESPACE, index_option="freq")
    for name in definition.filter_field_names:
        builder.add_text_field(name, fast=True, tokenizer_name="raw", index_option="basic")
    builder.add_bytes_field("source", stored=True)
    return builder.build()


def _open(path: Path, schema: tantivy.Schema) -> tantivy.Index:
    index = tantivy.Index(schema, path=str(path))
    index.register_tokenizer(WHITESPACE, tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build())
    return index


class _Reader:
    """A process's open index for one definition, reopened when the generation or commit changes."""

    def __init__(self, index: tantivy.Index, target: str, stamp: tuple):
        self.index, self.target, self.stamp = index, target, stamp


class EmbeddedBackend(SearchBackend):
    name = "embedded"
    exclusive_writes = True

    def __init__(self, directory=None):
        self.directory = Path(directory or settings.SEARCH_INDEX_DIR)
        self._readers: dict[str, _Reader] = {}
        self._schemas: dict[str, tantivy.Schema] = {}
        self._lock = threading.Lock()
        self._held = threading.local()

    # --- paths ---------------------------------------------------------------

    def _root(self, definition) -> Path:
        root = self.directory / definition.name
        root.mkdir(parents=True, exist_ok=True)
        return root

    def _schema(self, definition) -> tantivy.Schema:
        if definition.name not in self._schemas:
            self._schemas[definition.name] = build_schema(definition)
        return self._schemas[definition.name]

    def _current(self, definition, create: bool) -> Path | None:
        root = self._root(definition)
        link = root / "current"
        if os.path.lexists(link):
            try:  # _swap links a generation of this directory by name: cheaper than resolve() on every search
                target = root / os.readlink(link)
            except OSError:  # not a symlink
                target = link.resolve()
            if target.is_dir():
                return target
            logger.error("embedded search index %s: `current` points to a missing generation", definition.name)
            raise IndexLost(UNAVAILABLE_MESSAGE)
        if any(root.glob("gen-*")):
            logger.error("embedded search index %s: `current` is missing", definition.name)
            raise IndexLost(UNAVAILABLE_MESSAGE)
        if not create:
            return None
        generation = self._new_generation(definition)
        _open(generation, self._schema(definition))
        self._swap(definition, generation)
        return generation

    def _new_generation(self, definition) -> Path:
        root = self._root(definition)
        numbers = [int(p.name[4:]) for p in root.glob("gen-*") if p.name[4:].isdigit()]
        generation = root / f"gen-{max(numbers, default=0) + 1}"
        generation.mkdir()
        return generation

    def _swap(self, definition, generation: Path) -> None:
        root = self._root(definition)
        temporary = root / "current.new"
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
        temporary.symlink_to(generation.name)
        os.replace(temporary, root / "current")
        for old in root.glob("gen-*"):
            if old != generation:
                shutil.rmtree(old, ignore_errors=True)

    # --- writes --------------------------------------------------------------

    @contextlib.contextmanager
    def write_lock(self, definition):
        """An exclusive flock across processes and threads; re-entrant within a thread."""
        held = self._held.__dict__.setdefault("names", set())
        if definition.name in held:
            yield
            return
        with open(self._root(definition) / "write.lock", "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            held.add(definition.name)
            try:
                yield
            finally:
                held.discard(definition.name)
                fcntl.flock(handle, fcntl.LOCK_UN)

    @contextlib.contextmanager
    def _writer(self, definition, path: Path, heap: int):
        index = _open(path, self._schema(definition))
        writer = index.writer(heap_size=heap, num_threads=1)
        try:
            yield writer
            writer.commit()
        except BaseException:
            writer.rollback()
            raise
        finally:
            writer.wait_merging_threads()

    def _tantivy_document(self, prepared: Prepared) -> tantivy.Document:
        doc = tantivy.Document()
        doc.add_unsigned("id", prepared.id)
        doc.add_unsigned("fp", prepared.fingerprint)
        for name, tokens in prepared.tokens.items():
            doc.add_text(name, tokens)
        for name, items in prepared.filters.items():
            for value in items:
                doc.add_text(name, value)
        doc.add_bytes("source", prepared.stored)
        return doc

    def _id_query(self, definition, pk) -> Query:
        # Not delete_documents_by_term: it builds a signed term, which never equals a u64 id.
        return Query.term_query(self._schema(definition), "id", int(pk))

    def index_documents(self, definition, documents, version=None):
        definition = resolve(definition)
        if not documents:
            return
        with self.write_lock(definition):
            with self._writer(definition, self._current(definition, create=True), _BATCH_HEAP) as writer:
                for document in documents:
                    writer.delete_documents_by_query(self._id_query(definition, document["id"]))
                    writer.add_document(self._tantivy_document(prepare(definition, document)))

    def delete_documents(self, definition, ids, version=None):
        definition = resolve(definition)
        ids = list(ids)
        if not ids:
            return
        with self.write_lock(definition):
            path = self._current(definition, create=False)
            if path is None:
                return
            with self._writer(definition, path, _BATCH_HEAP) as writer:
                for pk in ids:
                    writer.delete_documents_by_query(self._id_query(definition, pk))

    def rebuild(self, definition, documents, progress=None):
        definition = resolve(definition)
        count = 0
        with self.write_lock(definition):
            generation = self._new_generation(definition)
            try:
                stream = prepare_all(definition, documents)
                # The first document starts the forked preparation workers before tantivy starts threads.
                first = next(stream, None)
                index = _open(generation, self._schema(definition))
                writer = index.writer(heap_size=_REBUILD_HEAP, num_threads=1)
                for prepared in itertools.chain([first] if first else [], stream):
                    writer.add_document(self._tantivy_document(prepared))
                    count += 1
                    if progress and count % 500 == 0:
                        progress(500)
                writer.commit()
                writer.wait_merging_threads()
            except BaseException:
                shutil.rmtree(generation, ignore_errors=True)
                raise
            self._swap(definition, generation)
        if progress:
            progress(count % 500)
        return count

    def clear(self, definition):
        """Drop every document (tests and `search_index --rebuild` of an empty table)."""
        self.rebuild(definition, iter(()))

    # --- reads ---------------------------------------------------------------

    def _searcher(self, definition) -> tantivy.Searcher | None:
        """The current index's searcher, None before the first build; SearchUnavailable when it cannot be read."""
        try:
            return self._open_searcher(definition)
        except (OSError, ValueError) as exc:  # tantivy reports unreadable or corrupt index files as ValueError
            logger.exception("embedded search index %s under %s cannot be read", definition.name, self.directory)
            raise SearchUnavailable(UNAVAILABLE_MESSAGE) from exc

    def _open_searcher(self, definition) -> tantivy.Searcher | None:
        path = self._current(definition, create=False)
        if path is None:
            return None
        try:
            # tantivy replaces meta.json on each commit: a new inode even within one clock tick.
            meta = (path / "meta.json").stat()
            stamp = (meta.st_ino, meta.st_mtime_ns, meta.st_size)
        except FileNotFoundError:
            return None
        with self._lock:
            reader = self._readers.get(definition.name)
            if reader is None or reader.target != str(path):
                reader = _Reader(_open(path, self._schema(definition)), str(path), stamp)
                self._readers[definition.name] = reader
            elif reader.stamp != stamp:
                reader.index.reload()
                reader.stamp = stamp
            return reader.index.searcher()

    def _text_query(self, definition, schema, tokens: dict[str, float]) -> Query:
        clauses = [
            (Occur.Should, Query.boost_query(Query.term_query(schema, field.name, token), field.boost * weight))
            for token, weight in tokens.items()
            for field in definition.search_fields
        ]
        return Query.boolean_query(clauses)

    def _coverage_query(self, definition, schema, need) -> Query:
        """COVERAGE_SCORE × the best credit among the need's tokens the document holds (in any search field)."""
        return Query.disjunction_max_query([
            Query.const_score_query(
                Query.boolean_query([(Occur.Should, Query.term_query(schema, field.name, token))
                                     for token in tokens for field in definition.search_fields]),
                COVERAGE_SCORE * credit,
            )
            for credit, tokens in need.levels()
        ])

    def search(self, index, query="", *, filters=None, limit=20, offset=0, facets=(), highlight=False):
        definition = resolve(index)
        filters = clean_filters(definition, filters)
        facets = clean_facets(definition, facets)
        limit, offset = bounded(limit, offset)
        tokens = weighted_tokens(query)
        searcher = self._searcher(definition)
        if searcher is None:
            return SearchResults(total=0, hits=[], facets={name: [] for name in facets})
        schema = self._schema(definition)

        clauses = [
            (Occur.Must, Query.const_score_query(Query.term_set_query(schema, name, items), 0.0))
            for name, items in filters.items()
        ]
        if tokens:
            clauses.append((Occur.Must, self._text_query(definition, schema, tokens)))
            clauses += [(Occur.Should, self._coverage_query(definition, schema, need)) for need in query_needs(query)]
        full = Query.boolean_query(clauses) if clauses else Query.all_query()

        if tokens:
            result = searcher.search(full, limit, count=True, offset=offset)
        else:
            result = searcher.search(full, limit, count=True, order_by_field="id", offset=offset,
                                     order=tantivy.Order.Asc)
        addresses = [address for _, address in result.hits]
        ids = searcher.fast_field_values("id", addresses) if addresses else []
        scores = [float(key) if tokens else 0.0 for key, _ in result.hits]
        hits = [Hit(id=int(pk), score=score) for pk, score in zip(ids, scores)]
        if highlight and tokens:
            for hit, address in zip(hits, addresses):
                source = json.loads(searcher.doc(address)["source"][0])
                hit.highlights = highlights_for(definition, source, tokens)
        facet_counts = {}
        if facets:
            aggregations = searcher.aggregate(
                full, {name: {"terms": {"field": name, "size": FACET_SIZE}} for name in facets}
            )
            facet_counts = {
                name: [(b["key"], int(b["doc_count"])) for b in aggregations.get(name, {}).get("buckets", [])]
                for name in facets
            }
        return SearchResults(total=result.count, hits=hits, facets=facet_counts)

    def fingerprints(self, definition):
        definition = resolve(definition)
        searcher = self._searcher(definition)
        if searcher is None or searcher.num_docs == 0:
            return {}
        result = searcher.search(Query.all_query(), searcher.num_docs, count=False)
        addresses = [address for _, address in result.hits]
        ids = searcher.fast_field_values("id", addresses)
        fps = searcher.fast_field_values("fp", addresses)
        return {int(pk): int(fp) for pk, fp in zip(ids, fps)}

    def count(self, index):
        searcher = self._searcher(resolve(index))
        return searcher.num_docs if searcher else 0
