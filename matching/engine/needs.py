"""What a challenge needs: its main skill area and, when it names one, a secondary area.

A posting is read sentence by sentence. The company introduction says little about the problem;
the title and the first problem sentence say the most; a sentence opened by 此外/另外/同时 names
a second need. Areas are weighed by the taxonomy terms found, so plain words (烂穿, 渣子, 电费)
lead to areas as well as technical ones do.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from . import config
from .profiles import clauses, sentences
from .taxonomy import TaxonomyIndex


@dataclass(frozen=True)
class Need:
    area_id: int
    share: float                 # probability-like weight among the needs of the same rank
    terms: tuple[str, ...]       # the words of the posting that pointed to it


@dataclass
class Needs:
    main: list[Need] = field(default_factory=list)
    secondary: list[Need] = field(default_factory=list)
    strength: float = 0.0        # the main need's weight of evidence (taxonomy terms found, by sentence role)

    @property
    def area_ids(self) -> list[int]:
        seen = dict.fromkeys([n.area_id for n in self.main] + [n.area_id for n in self.secondary])
        return list(seen)


def is_introduction(sentence: str) -> bool:
    """A company introduction opens with the company and what it is in its first clause (我公司位于…, …有限公司成立于…, 我们是…企业，年产值…); the same
    words elsewhere describe the problem (…焊口位于设备间狭小空间, 每年产生的渣子, 提供主要产品的碳足迹)."""
    head = clauses(sentence)[: config.INTRO_CLAUSES]
    return (bool(head) and any(word in head[0] for word in config.INTRO_SUBJECTS)
            and any(marker in clause for clause in head for marker in config.INTRO_MARKERS))


def sentence_role(sentence: str) -> str:
    head = sentence[:8]
    if any(marker in head for marker in config.SECONDARY_MARKERS):
        return "secondary"
    if is_introduction(sentence):
        return "intro"
    if any(marker in sentence for marker in config.HINT_MARKERS):
        return "hint"
    return "main"


def challenge_needs(taxonomy: TaxonomyIndex, *, title: str, description: str, category: str = "",
                    skill_ids=()) -> Needs:
    main_scores, secondary_scores = defaultdict(float), defaultdict(float)
    terms = defaultdict(list)
    parts = [("title", title)] + [(sentence_role(s), s) for s in sentences(description)]
    for role, text in parts:
        for hit in taxonomy.find(text):
            area = taxonomy.areas[hit.area_id]
            prior = config.CATEGORY_PRIOR if category and area.category == category else 1.0
            main_scores[hit.area_id] += config.SENTENCE_WEIGHTS[role] * hit.weight * prior
            secondary_scores[hit.area_id] += config.SECONDARY_SHARE.get(role, 0.0) * hit.weight
            if hit.term not in terms[hit.area_id]:
                terms[hit.area_id].append(hit.term)
    for skill_id in skill_ids:  # skills the enterprise picked itself are the surest sign
        area_id = taxonomy.area_of(skill_id)
        if area_id is not None:
            main_scores[area_id] += 3.0
            terms[area_id].append(taxonomy.areas[area_id].name)
    main = _keep_best(main_scores, terms, minimum=config.MAIN_MIN_SCORE)
    main_ids = {n.area_id for n in main[:1]}
    secondary = _keep_best({a: s for a, s in secondary_scores.items() if a not in main_ids}, terms,
                           minimum=config.SECONDARY_MIN_SCORE)
    strength = max((main_scores[n.area_id] for n in main), default=0.0)
    return Needs(main=main, secondary=secondary, strength=strength)


def _keep_best(scores: dict, terms: dict, minimum: float = 0.0) -> list[Need]:
    ranked = sorted(((s, a) for a, s in scores.items() if s > minimum), reverse=True)
    if not ranked:
        return []
    best = ranked[0][0]
    kept = [(s, a) for s, a in ranked if s >= best * config.NEED_KEEP_RATIO][: config.NEED_MAX_AREAS]
    total = sum(s for s, _ in kept)
    return [Need(a, s / total, tuple(terms[a][:4])) for s, a in kept]
