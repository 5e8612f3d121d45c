"""The matching engine: candidate retrieval from the search backend, then an explainable re-ranking.

rank_challenge(challenge, kind=...) → ranked candidates, each with a score and its breakdown
(one entry per signal: signal, weight, value, explanation in zh-hans and English).
"""
from .config import ALGORITHM_VERSION, WEIGHTS
from .ranking import needs_of, rank_challenge

__all__ = ["ALGORITHM_VERSION", "WEIGHTS", "needs_of", "rank_challenge"]
