"""Experts for a free text: who should speak at a 进校园 event on a topic, or take part in a service day.

The engine reads the text as it reads a challenge's posting (matching.engine: the taxonomy's skill areas the words
name, the text's own words and the areas' terms retrieved from the search backend, then re-ranked by skill depth,
evidence and region), with the signals that only concern pairings left out (availability for a pairing, track
record of pairings, the challenge's category and preferred region). The text is ranked, never stored.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace

from experts.models import Expert
from experts.selectors import expert_list

from .engine.ranking import rank_challenge

PAIRING_ONLY_SIGNALS = ("availability", "track_record", "category", "preferred_region")
DEFAULT_FIRST, MAX_FIRST = 8, 30


@dataclass
class _Posting:
    """What the engine reads of a posting, for a text that is no challenge."""

    title: str
    description: str
    enterprise: SimpleNamespace
    category: str = ""
    preferred_province: str = ""
    region_strictness: str = "soft"
    pk: None = None
    skills: list = field(default_factory=list)


@dataclass
class RankedExpert:
    expert: Expert
    score: float


def experts_for_topic(*, user, title: str, description: str = "", province: str = "", city: str = "",
                      first: int = DEFAULT_FIRST, exclude_ids=frozenset()) -> list[RankedExpert]:
    """The experts the caller may see who best fit `title` (and `description`), near `province`/`city`, best first.
    Two queries after the search backend's (the candidates' profiles, then the rows shown)."""
    first = max(1, min(int(first), MAX_FIRST))
    if not (title or "").strip() and not (description or "").strip():
        return []
    posting = _Posting(title=title or "", description=description or "",
                       enterprise=SimpleNamespace(province=province or "", city=city or ""))
    ranked = rank_challenge(posting, kind="expert", limit=first + len(exclude_ids),
                            disabled_signals=PAIRING_ONLY_SIGNALS, explain=0, exclude=frozenset(exclude_ids))
    ranked = [c for c in ranked if c.score > 0][:first]
    rows = expert_list(user=user).in_bulk([c.id for c in ranked])
    return [RankedExpert(rows[c.id], c.score) for c in ranked if c.id in rows]
