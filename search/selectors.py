"""Reads of the search indexes for the interfaces: REST's search, GraphQL's `search` and the catalog pages all read
through `search_visible`."""
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from search.backends import Hit, get_backend
from search.index import get_definition
from search.query import read_query


class VisibleHit(NamedTuple):
    type: str  # the index's name
    hit: Hit
    row: object
    position: int  # among every asked index's hits, from 0 (hits left out count too)


@dataclass
class VisibleHits:
    total: int  # hits of every index asked, as the indexes count them (all pages)
    typed_hits: list[VisibleHit]  # this page, best first
    facets_by_type: dict[str, dict[str, list[tuple[str, int]]]]  # index name → field → (value, count)
    end: int  # the offset after this page (hits left out included): where the next page starts

    @property
    def hits(self) -> list[tuple[Hit, object]]:
        return [(found.hit, found.row) for found in self.typed_hits]

    @property
    def facets(self) -> dict[str, list[tuple[str, int]]]:
        """The facets of the first index asked (the only one, for REST and the pages)."""
        return next(iter(self.facets_by_type.values()), {})


def search_visible(*, user, type: str | Sequence[str], q: str, filters: dict, page: int = 1, page_size: int = 20,
                   offset: int | None = None, prefetch: dict[str, Sequence] | None = None) -> VisibleHits:
    """One page of hits with their rows, as each index's `visible_rows` (its app's list selector) lets `user` see them.

    `q` is read as the catalog reads a query (`search.query.read_query`): the user's words, what the apps recognise
    in them (the skill taxonomy's synonyms and problem words) below them, and hits meeting more of its needs first.

    `type` is one index name or several: hits of several indexes are merged by score (ties keep the order the
    indexes were asked in, then each index's own rank). The page starts at `offset` (default: that of `page`) and
    holds at most `page_size` hits. `prefetch`: per index, what the caller will read on the rows (GraphQL's
    selection), instead of what `visible_rows` prefetches for REST and the pages. Filters an index does not have are ignored for it. A hit whose row is gone or hidden (the index a
    step behind the database) is left out of the page.
    """
    names = [type] if isinstance(type, str) else list(dict.fromkeys(type))
    start = (page - 1) * page_size if offset is None else offset
    backend, read = get_backend(), read_query(q)
    total, scored, facets = 0, [], {}
    for name in names:
        definition = get_definition(name)
        # one index pages in the backend; several are merged here, each read from its first hit
        window = {"limit": page_size, "offset": start} if len(names) == 1 else {"limit": start + page_size, "offset": 0}
        results = backend.search(
            definition, read, filters={k: v for k, v in filters.items() if k in definition.filter_field_names},
            facets=definition.facet_field_names, highlight=True, **window,
        )
        total += results.total
        scored += [(hit.score, name, hit) for hit in results.hits]
        facets[name] = results.facets
    if len(names) > 1:
        scored.sort(key=lambda item: -item[0])  # stable: ties keep the index order, then the rank
        scored = scored[start:start + page_size]

    rows = {}
    for name in names:
        ids = [hit.id for _score, kind, hit in scored if kind == name]
        if ids:
            visible = get_definition(name).visible_rows(user).filter(pk__in=ids)
            if prefetch is not None and name in prefetch:  # the caller's reads replace what the index's page loads
                visible = visible.prefetch_related(None).prefetch_related(*prefetch[name])
            rows.update({(name, row.pk): row for row in visible})
    return VisibleHits(
        total=total,
        typed_hits=[VisibleHit(name, hit, rows[name, hit.id], start + position)
                    for position, (_score, name, hit) in enumerate(scored) if (name, hit.id) in rows],
        facets_by_type=facets,
        end=start + len(scored),
    )
