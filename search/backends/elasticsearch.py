"""The Elasticsearch backend (`elasticsearch.dsl`, client 8.x; stock Elasticsearch 8 or 9, no plugins).

- Each definition is searched through an alias `<prefix>-<index>`; a rebuild
  creates `<prefix>-<index>-<ns>`, fills it, then moves the alias in one
  `_aliases` call and drops the old index, so searches never see a half-built index.
- Search fields are `text` with a whitespace analyzer: they receive the tokens
  of `search.text`, as tantivy does, and the query is one `multi_match`
  (`most_fields`, per-field boosts) per token, weighted like the embedded
  backend's term queries, so both rank alike; a read query's needs add one
  `dis_max` of `constant_score` clauses each (coverage first, as in tantivy). Filters are `keyword` fields in
  `bool.filter`; facets are `terms` aggregations. Raw texts sit in a
  non-indexed `source` object, and snippets are made from them by
  `search.text.highlight`, exactly as the embedded backend does.
- Writes carry an external version (the time the rows were read), so a late
  write of older rows never overwrites newer ones (conflicts are ignored).
- When the server cannot be reached, searches answer from the embedded
  `fallback` when one is kept, and raise `SearchUnavailable` (HTTP 503)
  otherwise. Writes raise, so the sync task retries and reconcile catches up.
"""
from __future__ import annotations

import logging
import time

from django.conf import settings
from elastic_transport import ConnectionError as TransportConnectionError
from elastic_transport import ConnectionTimeout
from elasticsearch import ApiError, Elasticsearch, NotFoundError, helpers
from elasticsearch import dsl

from search.errors import UNAVAILABLE_MESSAGE, SearchUnavailable

from .base import (
    Hit, SearchBackend, SearchResults, bounded, clean_facets, clean_filters, highlights_for, prepare, prepare_all,
    query_needs, resolve, weighted_tokens,
)
from search.query import COVERAGE_SCORE

logger = logging.getLogger(__name__)

WHITESPACE = "jl_whitespace"
FACET_SIZE = 100
UNREACHABLE = (TransportConnectionError, ConnectionTimeout)


def whitespace_analyzer():
    # The tokens arrive normalised and segmented: the analyzer only splits on spaces.
    return dsl.analyzer(WHITESPACE, tokenizer="whitespace")


def index_body(definition) -> dict:
    """Settings and mappings of a concrete index of `definition`."""
    mapping = dsl.Mapping()
    mapping.meta("dynamic", "strict")
    mapping.field("id", dsl.Long())
    mapping.field("fp", dsl.Long(index=False))
    for name in definition.search_field_names:
        mapping.field(name, dsl.Text(analyzer=whitespace_analyzer(), norms=True))
    for name in definition.filter_field_names:
        mapping.field(name, dsl.Keyword())
    mapping.field("source", dsl.Object(enabled=False))
    index = dsl.Index("unused")
    index.settings(number_of_shards=1, number_of_replicas=getattr(settings, "ELASTICSEARCH_REPLICAS", 0))
    index.mapping(mapping)
    return index.to_dict()


class ElasticsearchBackend(SearchBackend):
    name = "elasticsearch"

    def __init__(self, client: Elasticsearch | None = None, prefix: str | None = None, fallback=None):
        self.client = client or Elasticsearch(
            settings.ELASTICSEARCH_URL or "http://127.0.0.1:9200", request_timeout=5, max_retries=1,
            retry_on_timeout=False,
        )
        self.prefix = prefix if prefix is not None else settings.ELASTICSEARCH_INDEX_PREFIX
        self.fallback = fallback

    def alias(self, definition) -> str:
        return f"{self.prefix}-{definition.name}"

    # --- writes --------------------------------------------------------------

    def _source(self, prepared) -> dict:
        return {"id": prepared.id, "fp": prepared.fingerprint, **prepared.tokens, **prepared.filters,
                "source": prepared.source}

    def _ensure_alias(self, definition) -> None:
        if not self.client.indices.exists_alias(name=self.alias(definition)):
            self._create_and_swap(definition, [])

    def index_documents(self, definition, documents, version=None):
        definition = resolve(definition)
        if not documents:
            return
        self._ensure_alias(definition)
        version = version or time.time_ns()
        actions = [
            {"_op_type": "index", "_index": self.alias(definition), "_id": str(prepared.id),
             "version": version, "version_type": "external_gte", "_source": self._source(prepared)}
            for prepared in (prepare(definition, document) for document in documents)
        ]
        self._bulk(actions)

    def delete_documents(self, definition, ids, version=None):
        definition = resolve(definition)
        ids = list(ids)
        if not ids or not self.client.indices.exists_alias(name=self.alias(definition)):
            return
        version = version or time.time_ns()
        self._bulk([
            {"_op_type": "delete", "_index": self.alias(definition), "_id": str(pk), "version": version,
             "version_type": "external_gte"}
            for pk in ids
        ])

    def _bulk(self, actions) -> None:
        _, errors = helpers.bulk(self.client, actions, raise_on_error=False, raise_on_exception=True, chunk_size=500)
        # 409: a newer version is indexed already; 404: deleting what is not there.
        real = [e for e in errors if next(iter(e.values())).get("status") not in (404, 409)]
        if real:
            raise RuntimeError(f"Elasticsearch refused {len(real)} bulk actions, first: {real[0]}")

    def rebuild(self, definition, documents, progress=None):
        definition = resolve(definition)
        return self._create_and_swap(definition, documents, progress)

    def _create_and_swap(self, definition, documents, progress=None) -> int:
        alias = self.alias(definition)
        new_index = f"{alias}-{time.time_ns()}"
        self.client.indices.create(index=new_index, **index_body(definition))
        version = time.time_ns()
        count = 0

        def actions():
            nonlocal count
            for prepared in prepare_all(definition, documents):
                count += 1
                if progress and count % 500 == 0:
                    progress(500)
                yield {"_op_type": "index", "_index": new_index, "_id": str(prepared.id), "version": version,
                       "version_type": "external_gte", "_source": self._source(prepared)}

        try:
            self._bulk(actions())
            self.client.indices.refresh(index=new_index)
        except BaseException:
            self.client.indices.delete(index=new_index, ignore_unavailable=True)
            raise
        old_indices = self._indices_of(alias)
        self.client.indices.update_aliases(actions=[
            *({"remove": {"index": old, "alias": alias}} for old in old_indices),
            {"add": {"index": new_index, "alias": alias}},
        ])
        for old in old_indices:
            self.client.indices.delete(index=old, ignore_unavailable=True)
        if progress:
            progress(count % 500)
        return count

    def _indices_of(self, alias) -> list[str]:
        try:
            return sorted(self.client.indices.get_alias(name=alias).body)
        except NotFoundError:
            return []

    def refresh(self, definition) -> None:
        """Make recent writes searchable now (tests; production relies on the refresh interval)."""
        self.client.indices.refresh(index=self.alias(resolve(definition)))

    def fingerprints(self, definition):
        definition = resolve(definition)
        if not self.client.indices.exists_alias(name=self.alias(definition)):
            return {}
        return {
            int(hit["_source"]["id"]): int(hit["_source"]["fp"])
            for hit in helpers.scan(self.client, index=self.alias(definition), query={"query": {"match_all": {}}},
                                    _source=["id", "fp"], size=2000)
        }

    # --- reads ---------------------------------------------------------------

    def build_search(self, definition, query="", *, filters=None, limit=20, offset=0, facets=(),
                     highlight=False) -> tuple[dsl.Search, dict[str, float]]:
        """The DSL search for these arguments (public for the contract tests)."""
        filters = clean_filters(definition, filters)
        facets = clean_facets(definition, facets)
        limit, offset = bounded(limit, offset)
        tokens = weighted_tokens(query)
        fields = [f"{field.name}^{field.boost:g}" for field in definition.search_fields]
        text_queries = [
            dsl.Q("multi_match", query=token, fields=fields, type="most_fields", analyzer=WHITESPACE, boost=weight)
            for token, weight in tokens.items()
        ]
        # Each need met adds COVERAGE_SCORE × its best credit, as the embedded backend's coverage clauses do.
        coverage = [
            dsl.Q("dis_max", tie_breaker=0, queries=[
                dsl.Q("constant_score", boost=COVERAGE_SCORE * credit, filter=dsl.Q(
                    "bool", should=[dsl.Q("terms", **{field.name: items}) for field in definition.search_fields],
                ))
                for credit, items in need.levels()
            ])
            for need in query_needs(query)
        ] if text_queries else []
        search = dsl.Search(using=self.client, index=self.alias(definition))
        search = search.query(dsl.Q(
            "bool",
            must=[dsl.Q("bool", should=text_queries)] if text_queries else [dsl.Q("match_all")],
            filter=[dsl.Q("terms", **{name: items}) for name, items in filters.items()],
            **({"should": coverage} if coverage else {}),
        ))
        if not tokens:
            search = search.sort({"id": "asc"})
        for name in facets:
            search.aggs.bucket(name, "terms", field=name, size=FACET_SIZE)
        search = search.extra(from_=offset, size=limit, track_total_hits=True)
        search = search.source(["id", "source"] if highlight and tokens else ["id"])
        return search, tokens

    def search(self, index, query="", *, filters=None, limit=20, offset=0, facets=(), highlight=False):
        definition = resolve(index)
        search, tokens = self.build_search(definition, query, filters=filters, limit=limit, offset=offset,
                                           facets=facets, highlight=highlight)
        try:
            response = search.execute()
        except UNREACHABLE as exc:
            return self._unreachable(exc, index, query, filters, limit, offset, facets, highlight)
        except NotFoundError:
            return SearchResults(total=0, hits=[], facets={name: [] for name in facets})
        except ApiError as exc:
            if exc.meta.status in (429, 502, 503, 504):
                return self._unreachable(exc, index, query, filters, limit, offset, facets, highlight)
            raise
        hits = []
        for hit in response.hits.hits:
            source = hit["_source"]
            snippets = highlights_for(definition, source.get("source") or {}, tokens) if highlight and tokens else {}
            hits.append(Hit(id=int(source["id"]), score=float(hit["_score"] or 0.0) if tokens else 0.0,
                            highlights=snippets))
        aggregations = response.aggregations.to_dict() if facets else {}
        facet_counts = {
            name: [(b["key"], int(b["doc_count"])) for b in aggregations.get(name, {}).get("buckets", [])]
            for name in facets
        }
        return SearchResults(total=int(response.hits.total.value), hits=hits, facets=facet_counts)

    def _unreachable(self, exc, *args):
        if self.fallback is not None:
            logger.warning("Elasticsearch unreachable (%s); answering from the embedded index", exc)
            index, query, filters, limit, offset, facets, highlight = args
            return self.fallback.search(index, query, filters=filters, limit=limit, offset=offset, facets=facets,
                                        highlight=highlight)
        raise SearchUnavailable(UNAVAILABLE_MESSAGE) from exc

    def count(self, index):
        definition = resolve(index)
        try:
            return int(self.client.count(index=self.alias(definition))["count"])
        except NotFoundError:
            return 0
