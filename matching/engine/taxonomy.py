"""The taxonomy as the engine uses it: every area's terms, matched inside free text.

Terms are found longest-first without overlap, so 机封泄漏 is one hit for pumps and seals, not
also a hit for every area that lists 泄漏. A term listed by k areas counts 1/k for each.
"""
from __future__ import annotations

import re
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field

from search.text import normalize

from .config import SINGLE_CHARACTER_FACTOR, TERM_KIND_WEIGHTS


@dataclass(frozen=True)
class Area:
    id: int
    code: str
    name: str
    name_en: str
    category: str
    synonyms: tuple[str, ...]
    related: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Hit:
    area_id: int
    term: str          # as written in the taxonomy
    kind: str          # name | synonym | problem
    weight: float      # shared among the areas listing the term: how much it points to this area
    start: int
    evidence: float    # not shared: how much it says the text is about this area at all


@dataclass
class TaxonomyIndex:
    areas: dict[int, Area]
    by_code: dict[str, int]
    # normalized term → [(area id, kind, shared weight, evidence weight, term as written)]
    terms: dict[str, list[tuple[int, str, float, str]]]
    pattern: re.Pattern | None = field(default=None)
    top_of: dict[int, int] = field(default_factory=dict)   # any skill id → its area id

    def find(self, text: str) -> list[Hit]:
        """Every taxonomy term inside `text`, longest first, non-overlapping."""
        if not self.pattern or not text:
            return []
        hits = []
        for match in self.pattern.finditer(normalize(text)):
            for area_id, kind, weight, evidence, term in self.terms[match.group()]:
                hits.append(Hit(area_id, term, kind, weight, match.start(), evidence))
        return hits

    def area_of(self, skill_id: int) -> int | None:
        return self.top_of.get(skill_id)

    def area_terms(self, area_id: int) -> list[str]:
        area = self.areas[area_id]
        return [area.name, *area.synonyms]


def build_index(rows) -> TaxonomyIndex:
    """`rows`: (id, code, name, name_en, category, synonyms, problems, parent_id, related ids).

    A child skill (with a parent) is folded into its top-level area: its name and synonyms become
    synonyms of the area, so a fine-grained skill still maps to the area that is matched.
    """
    rows = list(rows)
    parents = {r[0]: r[7] for r in rows}

    def top(skill_id):
        seen = set()
        while parents.get(skill_id) and skill_id not in seen:
            seen.add(skill_id)
            skill_id = parents[skill_id]
        return skill_id

    areas, listed = {}, defaultdict(set)
    raw_terms = defaultdict(dict)  # normalized term → {area id: (kind, term)}
    for skill_id, code, name, name_en, category, synonyms, problems, parent_id, related in rows:
        area_id = top(skill_id)
        for kind, terms in (("name", [name]), ("synonym", synonyms or []), ("problem", problems or [])):
            if parent_id and kind == "name":
                kind = "synonym"
            for term in terms:
                key = normalize(str(term).strip())
                if not key:
                    continue
                previous = raw_terms[key].get(area_id)
                # the strongest kind wins when an area lists a term twice
                if previous is None or TERM_KIND_WEIGHTS[kind] > TERM_KIND_WEIGHTS[previous[0]]:
                    raw_terms[key][area_id] = (kind, term)
        if not parent_id:
            areas[skill_id] = Area(skill_id, code, name, name_en or name, category, tuple(synonyms or ()))
        listed[area_id] |= set(related or ())
    areas = {
        area_id: Area(a.id, a.code, a.name, a.name_en, a.category, a.synonyms,
                      frozenset(top(r) for r in listed[area_id] if top(r) != area_id))
        for area_id, a in areas.items()
    }
    terms = {}
    for key, owners in raw_terms.items():
        owners = {area_id: v for area_id, v in owners.items() if area_id in areas}
        if not owners:
            continue
        strength = SINGLE_CHARACTER_FACTOR if len(key) == 1 else 1.0  # a single character (泵, 渣) is a weak hint
        share = strength / len(owners)
        terms[key] = [
            (area_id, kind, TERM_KIND_WEIGHTS[kind] * share, TERM_KIND_WEIGHTS[kind] * strength, term)
            for area_id, (kind, term) in owners.items()
        ]
    pattern = None
    if terms:
        alternatives = sorted(terms, key=lambda t: (-len(t), t))
        pattern = re.compile("|".join(re.escape(t) for t in alternatives))
    return TaxonomyIndex(
        areas=areas, by_code={a.code: a.id for a in areas.values()}, terms=terms, pattern=pattern,
        top_of={skill_id: top(skill_id) for skill_id in parents if top(skill_id) in areas},
    )


_cached: TaxonomyIndex | None = None
_fingerprint: tuple | None = None
_built_at = 0.0
_lock = threading.Lock()
# Curators edit the taxonomy in another process (the admin): a row added or deleted is seen at once
# (the fingerprint), an edited synonym within this time.
MAX_AGE_SECONDS = 300


def get_taxonomy() -> TaxonomyIndex:
    """The taxonomy index of this process, built from the Skill rows and rebuilt when they change."""
    global _cached, _fingerprint, _built_at
    from django.db import connection

    from experts.models import Skill

    with connection.cursor() as cursor:  # every ranking asks: in SQL, the ORM's aggregate cost more than the read
        cursor.execute(f"SELECT COUNT(*), MAX(id) FROM {Skill._meta.db_table}")
        fingerprint = tuple(cursor.fetchone())
    if _cached is None or fingerprint != _fingerprint or time.monotonic() - _built_at > MAX_AGE_SECONDS:
        rows = []
        related = defaultdict(list)
        for from_id, to_id in Skill.related.through.objects.values_list("from_skill_id", "to_skill_id"):
            related[from_id].append(to_id)
        for row in Skill.objects.values_list(
            "id", "code", "name", "name_en", "category", "synonyms", "problems", "parent_id"
        ):
            rows.append((*row, related[row[0]]))
        index = build_index(rows)
        with _lock:
            _cached, _fingerprint, _built_at = index, fingerprint, time.monotonic()
    return _cached


def forget_taxonomy() -> None:
    """Drop the cached index; the next ranking rebuilds it from the Skill rows."""
    global _cached
    with _lock:
        _cached = None
