"""Specific evidence: how far a profile stands out in naming what the posting names.

Real postings name products, processes, machines and symptoms the taxonomy has no words for; the person who
fixed such a problem usually names them too. Plain BM25 already weighs a word by its rarity in the whole
catalogue, but summed over a posting's forty-odd words it is dominated by the words every profile of the
area repeats (机械密封, 泄漏, 维修 for a seal posting), so the one profile that also names the imported
machines, the localisation and the redesign stands out by a few percent only.

So the words are weighed twice: by their rarity in the catalogue (BM25, in the search backend) and by their
rarity among the profiles that match the posting best (the *pool*): a word that most of the pool names
says nothing about who fits best, a word that one or two of them name says a lot. A candidate's *distinct
score* is the BM25 of the posting's own words with those pool weights; its evidence is how far that score
stands above the pack (config.EVIDENCE_PACK-th best), so several profiles naming the same specific things
share the credit and a pool of look-alike profiles (templated or generic ones) gives nobody any.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.db import connection

from search.text import normalize

from . import config
from .retrieval import retrieve


@dataclass
class Evidence:
    scores: dict[int, float] = field(default_factory=dict)   # candidate id → distinct score (pool members only)
    weights: dict[str, float] = field(default_factory=dict)  # posting word → rarity among the pool
    words: dict[int, list[str]] = field(default_factory=dict)  # candidate id → the posting's words it names
    reference: float = 0.0                                  # the pack's distinct score


def profile_texts(kind: str, ids) -> dict[int, str]:
    """{id: normalized text of what the candidate did} — the fields a profile's evidence is read from.

    In SQL, as the ranking's other reads of a few dozen ids (ranking.py): the ORM's query building cost more."""
    if kind != "expert" or not ids:
        return {}
    from experts.models import Expert

    ids = [int(i) for i in ids]
    tags_field = Expert._meta.get_field("skill_tags")
    sql = (f"SELECT id, skill_tags, bio, achievements FROM {Expert._meta.db_table} "
           f"WHERE id IN ({', '.join(['%s'] * len(ids))})")
    with connection.cursor() as cursor:
        cursor.execute(sql, ids)
        rows = cursor.fetchall()
    return {
        pk: normalize("\n".join([*(tags_field.from_db_value(tags, None, connection) or ()), bio or "",
                                 achievements or ""]))
        for pk, tags, bio, achievements in rows
    }


def is_word(token: str) -> bool:
    """A posting token worth checking in a profile: two characters or more (大, 高, 泵 alone say little)."""
    return len(token) >= 2


def measure(kind: str, candidates, own_query: dict[str, float]) -> Evidence:
    """The distinct scores of the pool (the config.EVIDENCE_POOL candidates with the best own-words BM25)."""
    pool = sorted((c for c in candidates if c.own_score > 0), key=lambda c: (-c.own_score, c.id))
    pool = pool[: config.EVIDENCE_POOL]
    words = [t for t in own_query if is_word(t)]
    texts = profile_texts(kind, [c.id for c in pool])
    if not texts or not words:
        return Evidence()
    named = {pk: [t for t in words if t in text] for pk, text in texts.items()}
    size = len(texts)
    counts = dict.fromkeys(words, 0)
    for found in named.values():
        for token in found:
            counts[token] += 1
    # rarity among the pool, 0 for a word every member names; smoothed so one member naming it is not infinite
    weights = {t: math.log((size + 1) / (n + 1)) for t, n in counts.items()}
    query = {t: w for t, w in weights.items() if w > 0}
    hits = retrieve(kind, query, limit=config.TEXT_CANDIDATES) if query else {}
    scores = {pk: hits.get(pk, 0.0) for pk in texts}
    ordered = sorted(scores.values(), reverse=True)
    reference = ordered[min(config.EVIDENCE_PACK, len(ordered)) - 1] if ordered else 0.0
    return Evidence(scores=scores, weights=weights, words=named, reference=reference)


def value(evidence: Evidence, candidate_id: int) -> float:
    """0 up to config.EVIDENCE_FROM × the pack's distinct score, 1 from config.EVIDENCE_FULL × on."""
    score = evidence.scores.get(candidate_id, 0.0)
    if score <= 0:
        return 0.0
    if evidence.reference <= 0:
        return 1.0
    ratio = score / evidence.reference
    span = config.EVIDENCE_FULL - config.EVIDENCE_FROM
    return max(0.0, min(1.0, (ratio - config.EVIDENCE_FROM) / span))


def shown_words(evidence: Evidence, kind: str, candidates, own_query: dict[str, float],
                posting_words: list[str]) -> dict[int, list[str]]:
    """{candidate id: the posting's words its profile names} for the reason of the candidates shown (read for
    those outside the pool too): whole words of the posting only (`posting_words`, search.text.words of its own
    sentences, in order), the rarest among the pool first, then in the posting's order."""
    missing = [c.id for c in candidates if c.id not in evidence.words and c.own_score > 0]
    words = [t for t in own_query if is_word(t)]
    named = dict(evidence.words)
    for pk, text in profile_texts(kind, missing).items():
        named[pk] = [t for t in words if t in text]
    position = {}
    for i, word in enumerate(posting_words):
        position.setdefault(word, i)
    result = {}
    for c in candidates:
        shown: list[str] = []
        whole = [t for t in named.get(c.id, ()) if t in position]
        for token in sorted(whole, key=lambda t: (-round(evidence.weights.get(t, 0.0), 6), position[t])):
            if not any(token in longer or longer in token for longer in shown):   # 裂解炉 covers 裂解
                shown.append(token)
            if len(shown) == config.EVIDENCE_WORDS_SHOWN:
                break
        result[c.id] = shown
    return result
