"""The curated skill taxonomy: areas with synonyms, typical problems and adjacency (see data.py)."""
from .data import AREAS

__all__ = ["AREAS", "curated_words"]


def curated_words(areas=AREAS) -> list[str]:
    """The names and synonyms of the curated areas: words the search segmenter keeps whole, even in a
    process whose database holds no skill yet (registered in experts/search_indexes.py)."""
    return [word for area in areas for word in (area["name"], *area["synonyms"])]
