"""Reads of the search indexes for the API layers."""
from dataclasses import dataclass

from search.backends import Hit, get_backend
from search.index import get_definition
from search.query import read_query


@dataclass
class VisibleHits:
    total: int
    hits: list[tuple[Hit, object]]
    facets: dict[str, list[tuple[str, int]]]


def search_visible(*, user, type: str, q: str, filters: dict, page: int, page_size: int) -> VisibleHits:
    """One page of hits of index `type` with their rows, as the index's `visible_rows` (its app's list
    selector) lets `user` see them.

    `q` is read as the catalog reads a query (`search.query.read_query`): the user's words, what the apps
    recognise in them (the skill taxonomy's synonyms and problem words) below them, and hits meeting
    more of its needs first. Filters the index does not have are ignored. A hit whose row is gone or
    hidden (the index a step behind the database) is left out of the page.
    """
    definition = get_definition(type)
    filters = {name: items for name, items in filters.items() if name in definition.filter_field_names}
    results = get_backend().search(
        definition, read_query(q), filters=filters, limit=page_size, offset=(page - 1) * page_size,
        facets=definition.facet_field_names, highlight=True,
    )
    rows = definition.visible_rows(user).filter(pk__in=results.ids)
    rows = {row.pk: row for row in rows}
    return VisibleHits(
        total=results.total,
        hits=[(hit, rows[hit.id]) for hit in results.hits if hit.id in rows],
        facets=results.facets,
    )
