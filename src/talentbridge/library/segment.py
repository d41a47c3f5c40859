"""Segment bilingual text into space-separated tokens for full-text search.

Chinese runs are cut with jieba (search mode, so two-character words inside
longer words are also emitted); Latin runs are lower-cased and stemmed with a
tiny suffix stemmer. The output is one string of tokens separated by single
spaces, suitable for SQLite FTS5 (unicode61 tokenizer) or PostgreSQL
``to_tsvector('simple', ...)``. The same function must be used on documents
and on queries.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(rf"[{_CJK}]+|[A-Za-z0-9]+(?:[./&'][A-Za-z0-9]+)*")
_IS_CJK = re.compile(rf"[{_CJK}]")

# Longest suffix first; each rule keeps a stem of at least three characters.
_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("ational", "ate"),
    ("ization", "ize"),
    ("fulness", "ful"),
    ("iveness", "ive"),
    ("ements", ""),
    ("ations", "ate"),
    ("ation", "ate"),
    ("ement", ""),
    ("ments", ""),
    ("ness", ""),
    ("ment", ""),
    ("ings", ""),
    ("ies", "y"),
    ("ing", ""),
    ("ers", "er"),
    ("sses", "ss"),
    ("ed", ""),
    ("es", ""),
    ("s", ""),
)


def stem(word: str) -> str:
    """Stem one lower-case English word with a small suffix stripper."""
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ss") or word.endswith("us") or word.endswith("is"):
        return word
    for suffix, repl in _SUFFIXES:
        if word.endswith(suffix):
            base = word[: -len(suffix)] + repl
            if len(base) >= 3:
                if suffix in ("ing", "ed", "ings") and len(base) > 3 and base[-1] == base[-2]:
                    base = base[:-1] if base[-1] not in "lsz" else base
                return base
    return word


@lru_cache(maxsize=1)
def _jieba():  # type: ignore[no-untyped-def]
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def _latin_token(run: str) -> list[str]:
    low = run.lower()
    # Keep abbreviations such as b/l, l/c, d&o as one token without punctuation.
    if re.search(r"[./&']", low):
        joined = re.sub(r"[./&']", "", low)
        return [joined] if joined else []
    return [stem(low)]


def segment_text(text: str) -> str:
    """Return ``text`` as space-separated search tokens (stable interface)."""
    tokens: list[str] = []
    for match in _RUN.finditer(text or ""):
        run = match.group(0)
        if _IS_CJK.match(run):
            tokens.extend(t for t in _jieba().cut_for_search(run) if t.strip())
        else:
            tokens.extend(_latin_token(run))
    return " ".join(tokens)
