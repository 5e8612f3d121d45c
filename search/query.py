"""Reading what a user typed into the catalog's search box: the words, what they stand for, the needs.

`read_query(text) -> ReadQuery` is what `search.selectors.search_visible` gives a backend for a user's query
(the matching engine and the plain-BM25 baseline keep passing their own tokens or strings):

- the user's own words: every token `search.text.tokenize_query` makes, weight 1, as before;
- what they stand for: apps register *readers* (`register_reader`), functions that recognise spans of a
  query (matching registers the skill taxonomy: a synonym or a plant's problem word such as 机封泄漏 stands
  for its area) and return the terms each span stands for, with a weight in (0, 1]. Those terms are added
  to the query below the user's own words (`EXPANSION_WEIGHT` × the reader's weight), so 机封泄漏 also finds
  profiles that say 机械密封 or 离心泵;
- the needs: each recognised span, and each other content word of the query (not a stopword, not a word of
  asking such as 怎么 / 专家, not a single character), is one need. A backend ranks documents by how many
  needs they meet first (`COVERAGE_SCORE` per need met by the need's own word, `PART_CREDIT` of it by a
  part of the word or by what it stands for), then by BM25: a document meeting every need of 污水处理 COD
  ranks above one that only mentions wastewater. Coverage only orders what the text query matched; it
  never adds or removes a hit.

The engine imports no app: readers are registered by the apps, like words (`search.text.register_words`).
"""
from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from search import text

logger = logging.getLogger(__name__)

# Query weight of the terms a recognised span stands for (× the reader's weight); the user's own words weigh 1.
EXPANSION_WEIGHT = 0.5
# All the terms a span stands for weigh at most this many of the user's words together.
EXPANSION_MASS = 1.5
# Tokens a span's terms add to a query, at most (each token costs a term lookup per search field).
MAX_EXPANSION_TOKENS = 24
# Terms taken from each reading, at most.
MAX_TERMS_PER_READING = 6
# How much meeting one need adds to a score: far above any BM25 score, so coverage orders first.
COVERAGE_SCORE = 1000.0
# Share of COVERAGE_SCORE for a need met only by what its word stands for (an expert of the area 机封泄漏
# points to), or only by a part of its word (处理 of 污水处理; 泄漏 of 机封泄漏, which names no seal).
EXPANSION_CREDIT = 0.75
PART_CREDIT = 0.5
MAX_NEEDS = 8

# Words of asking, not of the need: they are searched like any word, but no document has to contain them.
FILLER_WORDS = frozenset(
    """
    怎么 怎么办 怎样 如何 怎么样 为什么 什么 哪些 哪里 哪个 哪位 是否 有没有 有无 能否 可否 可以 能够 需要 需求
    想 想要 希望 寻找 找到 想找 请问 请 帮忙 帮助 推荐 介绍 联系 咨询 解决 解决办法 办法 方法 问题 难题 情况
    专家 师傅 大师 老师 人员 人才 工匠 劳模 我们 我厂 本厂 厂里 公司 企业 单位 方面 相关 经验 懂 会 能 找
    """.split()
)

_CHUNK_SEPARATORS = re.compile(r"[^\w&/.\-+'·#]+|_")


@dataclass(frozen=True)
class Reading:
    """A span of a query chunk [start, end) that a reader recognised, and the terms it stands for (term → weight)."""

    start: int
    end: int
    terms: Mapping[str, float]


Reader = Callable[[str], Iterable[Reading]]
_readers: dict[str, Reader] = {}


def register_reader(name: str, read: Reader) -> None:
    """Add (or replace) the reader `name`: `read(normalized chunk)` returns the Readings it recognises there."""
    _readers[name] = read


@dataclass(frozen=True)
class Need:
    """One thing the user asks for: `credits` is token → how far finding that token meets it (1 or PART_CREDIT)."""

    text: str
    credits: dict[str, float]

    def levels(self) -> list[tuple[float, list[str]]]:
        """(credit, tokens) from the highest credit down: what a backend turns into one coverage clause."""
        by_credit: dict[float, list[str]] = {}
        for token, credit in self.credits.items():
            by_credit.setdefault(credit, []).append(token)
        return sorted(by_credit.items(), reverse=True)


@dataclass(frozen=True)
class ReadQuery:
    """A user's query as read: `weights` (token → query weight) for BM25, `needs` for coverage."""

    text: str
    weights: dict[str, float]
    needs: tuple[Need, ...] = field(default=())


def read_query(raw: str) -> ReadQuery:
    """The query `raw` as the catalog searches it (see the module's description)."""
    raw = (raw or "")[: text.MAX_QUERY_CHARS]
    own = text.tokenize_query(raw)
    needs: list[Need] = []
    expansions: dict[str, float] = {}
    for chunk in _CHUNK_SEPARATORS.split(text.normalize(raw)):
        for piece, terms in _pieces(chunk) if chunk else ():
            if terms is None:
                for word in text.words(piece):
                    if _is_content_word(word):
                        tokens = text.tokenize_query(word)
                        own += tokens
                        needs.append(Need(word, _own_credits(word, tokens)))
                continue
            tokens = text.tokenize_query(piece)
            expanded = _expansion(terms)
            own += tokens
            needs.append(Need(piece, {**dict.fromkeys(expanded, EXPANSION_CREDIT), **_own_credits(piece, tokens)}))
            for token, weight in expanded.items():
                expansions[token] = max(expansions.get(token, 0.0), weight)
    weights = dict.fromkeys(list(dict.fromkeys(own))[: text.MAX_QUERY_TOKENS], 1.0)
    added = [t for t, _ in sorted(expansions.items(), key=lambda item: -item[1]) if t not in weights]
    for token in added[:MAX_EXPANSION_TOKENS]:
        weights[token] = expansions[token]
    # A need only names tokens the query searches: coverage orders the hits, it never adds one.
    needs = [Need(n.text, {t: c for t, c in n.credits.items() if t in weights}) for n in needs]
    return ReadQuery(text=raw, weights=weights, needs=tuple(n for n in needs if n.credits)[:MAX_NEEDS])


def _pieces(chunk: str) -> list[tuple[str, Mapping[str, float] | None]]:
    """The chunk cut at the spans the readers recognise: (span, its terms) and (text between, None)."""
    readings = []
    for name, read in _readers.items():
        try:
            readings.extend(read(chunk))
        except Exception:  # a reader that cannot answer (no database yet) leaves the words as typed
            logger.exception("query reader %s failed", name)
    taken, kept = set(), []
    for reading in sorted(readings, key=lambda r: (-(r.end - r.start), r.start)):
        span = set(range(reading.start, reading.end))
        if reading.end > reading.start and not span & taken:
            taken |= span
            kept.append(reading)
    pieces, cursor = [], 0
    for reading in sorted(kept, key=lambda r: r.start):
        if reading.start > cursor:
            pieces.append((chunk[cursor:reading.start], None))
        pieces.append((chunk[reading.start:reading.end], reading.terms))
        cursor = reading.end
    if cursor < len(chunk):
        pieces.append((chunk[cursor:], None))
    return pieces


def _is_content_word(word: str) -> bool:
    return len(word) > 1 and word not in FILLER_WORDS and word not in text.STOPWORDS


def _own_credits(word: str, tokens: list[str]) -> dict[str, float]:
    """The word itself meets its need; a part of it (处理 of 污水处理, 泄漏 of 机封泄漏) partly."""
    return {token: 1.0 if token == word else PART_CREDIT for token in tokens}


def _whole_words(tokens: list[str]) -> list[str]:
    """The tokens not inside another one (精馏工艺, not 工艺)."""
    return [t for t in tokens if not any(t != other and t in other for other in tokens)]


def _expansion(terms: Mapping[str, float]) -> dict[str, float]:
    """token → weight for the terms a span stands for: each term's whole words (not their parts: 工艺 of
    精馏工艺 says nothing), all of them together weighing at most EXPANSION_MASS of the user's words."""
    wanted: dict[str, float] = {}
    for term, weight in sorted(terms.items(), key=lambda item: -item[1])[:MAX_TERMS_PER_READING]:
        weight = min(1.0, max(0.0, float(weight)))
        for token in _whole_words(text.tokenize_query(term)):
            if len(token) > 1 and weight > 0:
                wanted[token] = max(wanted.get(token, 0.0), weight)
    share = min(EXPANSION_WEIGHT, EXPANSION_MASS / len(wanted)) if wanted else 0.0
    return {token: share * weight for token, weight in wanted.items()}
