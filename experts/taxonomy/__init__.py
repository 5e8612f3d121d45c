"""The curated skill taxonomy: areas with synonyms, typical problems and adjacency (see data.py)."""
from .data import AREAS

__all__ = ["AREAS"]
