"""The catalog search reads a query with the words matching reads a posting with.

Registered with the search engine (`search.query.register_reader`) when the app is ready: a span of a query
that is a term of the skill taxonomy (an area's name, a synonym, or a problem word a plant uses, such as
机封泄漏 or 出水COD超标's COD) stands for its area, and the area's name and first synonyms are searched too,
below the user's own words. Terms are found as the engine finds them in postings (longest first, without
overlap; a term listed by several areas counts for each by its share).
"""
from __future__ import annotations

from search.query import MAX_TERMS_PER_READING, Reading, register_reader

from .engine.taxonomy import get_taxonomy


def taxonomy_readings(chunk: str) -> list[Reading]:
    """The taxonomy terms inside `chunk` (normalized), each with the terms of the areas it points to."""
    taxonomy = get_taxonomy()
    spans: dict[tuple[int, int], dict[str, float]] = {}
    for hit in taxonomy.find(chunk):
        # normalize() maps one character to one: the term as written is as long as what it matched.
        terms = spans.setdefault((hit.start, hit.start + len(hit.term)), {})
        for term in taxonomy.area_terms(hit.area_id)[:MAX_TERMS_PER_READING]:
            terms[term] = max(terms.get(term, 0.0), min(1.0, hit.weight))
    return [Reading(start, end, terms) for (start, end), terms in spans.items()]


def connect() -> None:
    register_reader("matching.taxonomy", taxonomy_readings)
