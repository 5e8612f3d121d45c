"""The one text pipeline: every index and every query goes through these functions.

Both search backends receive the tokens made here (tantivy as pre-tokenized
text, Elasticsearch through a whitespace-tokenized field), so they rank alike,
and the matching engine scores with the same tokens.

Public API (keep these names stable, other apps import them):

- ``normalize(text) -> str``: full-width → half-width (NFKC), lower case,
  Traditional → Simplified per character. It maps one character to one
  character, so offsets into the normalized text are offsets into the original.
- ``tokenize_for_index(text) -> list[str]``: search-mode cuts plus every other
  dictionary word the text contains (精馏塔节能改造 → 精馏, 精馏塔, 节能, 改造,
  节能改造, …), repeated tokens kept (BM25 counts them).
- ``tokenize_query(text) -> list[str]``: the same tokens, each once, at most
  ``MAX_QUERY_TOKENS``.
- ``tokens_with_offsets(text) -> list[Token]``: tokens with their character span.
- ``highlight(text, tokens, max_chars=...) -> str``: an HTML-escaped snippet with
  the matched tokens wrapped in ``<em>``, or "" when nothing matched.
- ``register_words(name, read, static=False)``: a source of user dictionary
  words. The engine imports no app: each app registers its words where it
  registers its indexes (``<app>/search_indexes.py``; experts registers the
  curated taxonomy and the Skill rows' names and synonyms).
- ``reload_user_dictionary()``: rebuild the segmenter's user dictionary from
  the registered sources.
- ``dictionary_version()``: a fingerprint of the words in that dictionary.

When an app's words change it sends ``search.signals.taxonomy_changed``; this
process rereads the words after that transaction commits. Every process also
rereads them by itself, at most every ``SEARCH_TAXONOMY_CHECK_SECONDS`` (the
secretariat edits skills in another process), and reloads the dictionary when
its words changed. Document fingerprints include ``dictionary_version()``, so
after a change the reconcile task finds every document cut with the old words
stale and re-indexes it.

Latin and digit runs are not given to jieba: a run joined by ``& / - . + ' ·``
stays one token (c++, o&m, plc/dcs, 4-nitrophenol) and its parts of two or more
characters are added (plc, dcs, nitrophenol), so a query for either finds it.
"""
from __future__ import annotations

import functools
import hashlib
import html
import logging
import re
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import NamedTuple

import rjieba
from django.conf import settings

from jianglian.transactions import on_commit_collect

logger = logging.getLogger(__name__)

MAX_QUERY_CHARS = 512
MAX_QUERY_TOKENS = 64

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_ALNUM = rf"[^\W_{_CJK}]"
_LATIN = rf"{_ALNUM}+(?:[&/.\-+'·]{_ALNUM}+)*[+#]*"
_TOKEN_RE = re.compile(rf"(?P<latin>{_LATIN})|(?P<cjk>[{_CJK}]+)")
_LATIN_RE = re.compile(_LATIN)
_CJK_RUN_RE = re.compile(f"[{_CJK}]+")
_JOINERS_RE = re.compile(r"[&/.\-'·]")

STOPWORDS = frozenset(
    """
    的 了 和 与 及 或 在 是 对 为 等 把 被 将 有 也 就 都 而 并 之 其 于 以 从 向 由 让
    这 那 这个 那个 这些 那些 一个 一种 一些 进行 以及 或者 并且 及其 我们 你们 他们 我 你 他
    她 它 吗 呢 啊 吧 呀 哦 着 过 得 地 很 所 该 各 每 如 若 则 即 但 而且 因为 所以 如果
    a an the and or of to in on for with by is are be at as from that this it its into
    """.split()
)


_DROPPED = STOPWORDS | {"\n"}


class Token(NamedTuple):
    text: str
    start: int
    end: int


def _build_char_table() -> dict[int, str]:
    """One character → one character: NFKC, lower case, Traditional → Simplified."""
    from zhconv import zhconv

    zhconv.loaddict()
    traditional = {
        k: v for k, v in zhconv.zhcdicts["zh2Hans"].items() if len(k) == 1 and len(v) == 1
    }
    table = {}
    for code in range(0x80, 0x10000):
        char = chr(code)
        if 0xD800 <= code <= 0xDFFF:
            table[code] = " "  # a lone surrogate cannot be encoded for the segmenter
            continue
        folded = unicodedata.normalize("NFKC", char)
        if len(folded) != 1:
            folded = char
        lowered = folded.lower()
        if len(lowered) == 1:
            folded = lowered
        folded = traditional.get(folded, folded)
        if folded != char:
            table[code] = folded
    for code in range(ord("A"), ord("Z") + 1):
        table[code] = chr(code + 32)
    return table


_CHAR_TABLE = _build_char_table()


def normalize(text: str) -> str:
    """Full-width → half-width, lower case, Traditional → Simplified; same length as `text`."""
    return (text or "").translate(_CHAR_TABLE)


# --- segmenter with the registered words as user dictionary -------------------

_segmenter: rjieba.Jieba | None = None
_segmenter_lock = threading.Lock()
_dictionary_version = ""
_extra_terms: frozenset[str] = frozenset()
_checked_at = 0.0
_checks_held = False
DEFAULT_TAXONOMY_CHECK_SECONDS = 30


def _is_cjk_word(term: str) -> bool:
    return 2 <= len(term) <= 16 and re.fullmatch(f"[{_CJK}]+", term) is not None


@dataclass(frozen=True)
class WordSource:
    """Where user dictionary words come from: `read()` returns them. A static source (a module's curated
    data) is read once per process; the others (database rows) are reread at every check."""

    name: str
    read: Callable[[], Iterable[str]]
    static: bool = False


_word_sources: dict[str, WordSource] = {}


def register_words(name: str, read: Callable[[], Iterable[str]], *, static: bool = False) -> None:
    """Add (or replace) the word source `name`; the next use of the segmenter builds it with these words."""
    global _segmenter
    _word_sources[name] = WordSource(name, read, static)
    _static_words.cache_clear()
    with _segmenter_lock:
        _segmenter = None


@functools.lru_cache(maxsize=1)
def _static_words() -> tuple[str, ...]:
    return tuple(word for source in _word_sources.values() if source.static for word in source.read())


def _database_words() -> list[str] | None:
    """The words of the sources read from the database; None when one cannot be read."""
    words = []
    for source in _word_sources.values():
        if source.static:
            continue
        try:
            words.extend(source.read())
        except Exception as exc:  # no database yet (before migrate, or outside a test's db access)
            logger.debug("dictionary words of %s not read: %s", source.name, exc)
            return None
    return words


def _dictionary_words(database_words) -> frozenset[str]:
    terms = {normalize(t.strip()) for t in (*_static_words(), *(database_words or ())) if isinstance(t, str)}
    return frozenset(t for t in terms if _is_cjk_word(t)) | _extra_terms


def _version_of(words) -> str:
    return hashlib.blake2b("\n".join(sorted(words)).encode(), digest_size=8).hexdigest()


def reload_user_dictionary(extra_terms=None) -> int:
    """Rebuild the segmenter from the registered words; returns the number of words added.

    `extra_terms` (words that are not skills) replace the previous extra terms and
    are kept through later reloads; None keeps the previous ones.
    """
    global _extra_terms
    if extra_terms is not None:
        _extra_terms = frozenset(normalize(t) for t in extra_terms if _is_cjk_word(normalize(t)))
    words = _dictionary_words(_database_words())
    _install(words)
    return len(words)


def _install(words: frozenset[str]) -> None:
    global _segmenter, _dictionary_version, _checked_at
    segmenter = rjieba.Jieba()
    for word in sorted(words):
        segmenter.add_word(word, None, None)
    with _segmenter_lock:
        _segmenter = segmenter
        _dictionary_version = _version_of(words)
        _checked_at = time.monotonic()
        _line_index_text.cache_clear()


def _check_words() -> None:
    """Reload the dictionary if the registered words changed since it was built (another process edited them)."""
    global _checked_at
    _checked_at = time.monotonic()
    database_words = _database_words()
    if database_words is None:
        return  # keep the words we have rather than drop the curated ones
    words = _dictionary_words(database_words)
    if _version_of(words) != _dictionary_version:
        _install(words)
        logger.info("dictionary words changed: segmenter dictionary reloaded with %d words (version %s)",
                    len(words), _dictionary_version)


def taxonomy_changed_receiver(sender=None, **kwargs) -> None:
    """search.signals.taxonomy_changed: reread the words once the change commits (once per transaction).
    A process that has not segmented anything yet builds its dictionary when it first does."""
    on_commit_collect("search.dictionary_words", [True], _recheck_after_commit)


def _recheck_after_commit(_) -> None:
    if _segmenter is not None and not _checks_held:
        _check_words()


def _check_interval() -> float | None:
    return getattr(settings, "SEARCH_TAXONOMY_CHECK_SECONDS", DEFAULT_TAXONOMY_CHECK_SECONDS)


def hold_dictionary() -> None:
    """Stop rereading the registered words in this process (forked workers, which must not use the database)."""
    global _checks_held
    _checks_held = True


def _get_segmenter() -> rjieba.Jieba:
    if _segmenter is None:
        with _segmenter_lock:
            needs_load = _segmenter is None
        if needs_load:
            reload_user_dictionary()
    elif not _checks_held:
        interval = _check_interval()
        if interval is not None and time.monotonic() - _checked_at >= interval:
            _check_words()
    return _segmenter


def dictionary_version() -> str:
    """A fingerprint of the segmenter's words: tokens made under another version may differ."""
    _get_segmenter()
    return _dictionary_version


# --- tokenization -------------------------------------------------------------


def tokens_with_offsets(text: str) -> list[Token]:
    """Index tokens of `text` with character offsets into `text`, stopwords dropped."""
    return [Token(*t) for t in _tokens(normalize(text))]


def _tokens(normalized: str) -> list[tuple[str, int, int]]:
    segmenter = None
    tokens = []
    for match in _TOKEN_RE.finditer(normalized):
        start = match.start()
        if match.lastgroup == "latin":
            word = match.group()
            tokens.append((word, start, match.end()))
            offset = 0
            for part in _latin_parts(word):
                part_start = word.index(part, offset)
                tokens.append((part, start + part_start, start + part_start + len(part)))
                offset = part_start + len(part)
        else:
            segmenter = segmenter or _get_segmenter()
            tokens.extend(_cjk_tokens(segmenter, match.group(), start))
    return [t for t in tokens if t[0] not in STOPWORDS]


def _cjk_tokens(segmenter, run: str, offset: int) -> list[tuple[str, int, int]]:
    """Full mode's words, plus the other cuts of search mode.

    Search mode alone follows one segmentation path: with 塔节能改造 in the
    taxonomy, 精馏塔节能改造 is cut 精馏 / 塔节能改造 and 精馏塔 is lost. Full
    mode has each dictionary word at each position; search mode adds the single
    characters no word covers and the new words its HMM finds, such as names.
    """
    tokens = []
    start = 0
    for word in segmenter.cut_all(run):
        if len(word) > 1:  # full mode lists words by position; its single characters are every character
            start = run.find(word, start)
            tokens.append((word, offset + start, offset + start + len(word)))
    known = {word for word, _, _ in tokens}
    tokens.extend(
        (word, offset + start, offset + end)
        for word, start, end in segmenter.tokenize(run, "search", True)
        if word not in known
    )
    return tokens


def _latin_parts(word: str) -> list[str]:
    if not _JOINERS_RE.search(word):
        return []
    return [part for part in _JOINERS_RE.split(word) if len(part) >= 2 and part != word]


def tokenize_for_index(text: str) -> list[str]:
    """Tokens to index for `text` (search-mode cuts and every dictionary word, repeats kept).

    The same tokens as `tokens_with_offsets`, computed without offsets in two
    segmenter calls over the text's CJK runs (full mode, then default mode for the
    words full mode lacks), because rebuilds segment every document.
    """
    normalized = normalize(text)
    cjk = "\n".join(_CJK_RUN_RE.findall(normalized))
    tokens = []
    if cjk:
        segmenter = _get_segmenter()
        # Plain comprehensions over strings: this function dominates the time of a rebuild.
        tokens = [w for w in segmenter.cut_all(cjk) if len(w) > 1 and w not in _DROPPED]
        known = set(tokens)
        # Default-mode cuts: search mode only adds the dictionary words inside them, which full mode has.
        tokens.extend([w for w in segmenter.cut(cjk, True) if w not in known and w not in _DROPPED])
    for word in _LATIN_RE.findall(normalized):
        if word not in STOPWORDS:
            tokens.append(word)
            tokens.extend(_latin_parts(word))
    return tokens


def tokenize_query(text: str) -> list[str]:
    """Tokens of a user's query: the index cuts, each once, in order, bounded in number."""
    seen = dict.fromkeys(t.text for t in tokens_with_offsets((text or "")[:MAX_QUERY_CHARS]))
    return list(seen)[:MAX_QUERY_TOKENS]


def words(text: str) -> list[str]:
    """The words of `text` as the segmenter's default mode cuts them, Latin and digit runs whole, normalized,
    stopwords dropped: the units a query's needs are made of (`search.query`)."""
    found = []
    for match in _TOKEN_RE.finditer(normalize((text or "")[:MAX_QUERY_CHARS])):
        if match.lastgroup == "latin":
            found.append(match.group())
        else:
            found.extend(_get_segmenter().cut(match.group(), True))
    return [word for word in found if word.strip() and word not in _DROPPED]


def index_text(text: str) -> str:
    """The tokens of `text` joined by spaces: what a whitespace-tokenized field receives.

    Lines are cut independently (a line break ends every token), so lines that
    repeat across documents (a skill with its synonyms, an employer) are cut once
    per process.
    """
    if not text:
        return ""
    cut = (_line_index_text(line) if len(line) <= _CACHED_LINE else " ".join(tokenize_for_index(line))
           for line in text.split("\n"))
    return " ".join(filter(None, cut))


_CACHED_LINE = 400


@functools.lru_cache(maxsize=20_000)
def _line_index_text(line: str) -> str:
    return " ".join(tokenize_for_index(line))


# --- highlighting -------------------------------------------------------------


def highlight(text: str, tokens, *, max_chars: int = 120, pre: str = "<em>", post: str = "</em>") -> str:
    """An HTML-escaped window of `text` around its densest run of matched tokens, or "".

    Tokens are found as substrings of the normalized text (one regular expression,
    longest first; Latin tokens only as whole words), which marks what segmentation
    would and costs no segmentation: snippets are made for every hit of a page.
    """
    pattern = _highlight_pattern(frozenset(t for t in tokens if t))
    if not text or pattern is None:
        return ""
    spans = _merge_spans([m.span() for m in pattern.finditer(normalize(text))])
    if not spans:
        return ""
    window_start = _best_window_start(spans, max_chars)
    window_start = max(0, min(window_start, len(text) - max_chars))
    window_end = min(len(text), window_start + max_chars)
    pieces = ["…" if window_start > 0 else ""]
    cursor = window_start
    for start, end in spans:
        if end <= window_start or start >= window_end:
            continue
        start, end = max(start, window_start), min(end, window_end)
        pieces.append(html.escape(text[cursor:start]))
        pieces.append(f"{pre}{html.escape(text[start:end])}{post}")
        cursor = end
    pieces.append(html.escape(text[cursor:window_end]))
    pieces.append("…" if window_end < len(text) else "")
    return "".join(pieces)


@functools.lru_cache(maxsize=256)
def _highlight_pattern(tokens: frozenset) -> re.Pattern | None:
    if not tokens:
        return None
    alternatives = [
        # A Latin token is a whole word among Latin letters and digits, whatever Chinese text touches it
        # (出水COD超标, 高盐废水MVR蒸发): the same boundaries as the tokenizer's.
        re.escape(t) if _CJK_RUN_RE.fullmatch(t) else rf"(?<!{_ALNUM}){re.escape(t)}(?!{_ALNUM})"
        for t in sorted(tokens, key=len, reverse=True)
    ]
    return re.compile("|".join(alternatives))


def _merge_spans(spans):
    merged = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _best_window_start(spans, max_chars: int) -> int:
    """Start a little before the span that begins the window holding the most matched spans."""
    best_count, best_start = 0, spans[0][0]
    for i, (start, _) in enumerate(spans):
        count = sum(1 for s, e in spans[i:] if e <= start + max_chars)
        if count > best_count:
            best_count, best_start = count, start
    return max(0, best_start - max_chars // 6)
