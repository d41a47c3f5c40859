"""Chinese word-boundary checks for the skill extractor, against jieba segmentation.

A Chinese label is taken only where the text's segmentation (jieba, exact mode without
the HMM, with every Chinese label added as a user word) has token boundaries at both
ends of the match. Segmenting every sentence would cost about 2 µs per character, far
too slow, so the check is done lazily and exactly:

* jieba cuts text into *blocks* (maximal runs of ``[\\u4E00-\\u9FD5a-zA-Z0-9+#&._%-]``)
  and segments each block on its own, so the segmentation of a sentence is the
  concatenation of its blocks' segmentations. We segment only the block around a
  match, and cache it per block string (postings repeat their phrases a lot).
* Without the HMM, a position between two characters is *not* a token boundary only
  when some dictionary word spans it, and then the word contains those two characters
  as a bigram. The bigrams inside jieba's words (about 300,000) are collected once per
  process, those of the labels per label set; a label edge whose bigram is in neither
  is a boundary for certain. Most edges are settled by that set lookup; only the rest
  pay for segmentation.

Labels are added with jieba's own suggested frequency (just enough to keep the label
from being split into its pieces), not a high one: a high frequency would make the label
win over the longer dictionary words that contain it (物流园区, 仓储式, 海报…), which is
exactly what the check is for.

jieba keeps its dictionary cache in a directory we choose (``cache_dir``, by default
``<system temp>/talentbridge-jieba``), never anywhere else, and logs nothing below
WARNING.
"""

from __future__ import annotations

import itertools
import logging
import re
import tempfile
import threading
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any

CJK_EDGE_SUFFIXES = frozenset("员单行师岗工")
"""A label followed by one of these inside a single token is still taken (报关 in
报关员, 报关单, 报关行; 叉车 in 叉车工), with lower confidence: the longer word is the
person, document, firm or post doing the labelled skill."""

_BLOCK_CHAR = re.compile(r"[\u4E00-\u9FD5a-zA-Z0-9+#&._%\-]")
_BLOCK_WORD = re.compile(r"[\u4E00-\u9FD5a-zA-Z0-9+#&._%\-]+")
_CACHE_LIMIT = 50_000

CONFIRMED, AFFIX, REJECTED = 0, 1, 2

_base_lock = threading.Lock()
_base: tuple[Any, frozenset[str]] | None = None  # jieba's dictionary and its bigrams


def default_cache_dir() -> Path:
    return Path(tempfile.gettempdir()) / "talentbridge-jieba"


def _import_jieba() -> Any:
    with warnings.catch_warnings():
        # Older jieba releases import pkg_resources and carry invalid escape sequences;
        # neither concerns us, and neither may turn into an error under ``-W error``.
        warnings.filterwarnings("ignore", message=".*pkg_resources.*", category=DeprecationWarning)
        warnings.filterwarnings("ignore", category=SyntaxWarning)
        import jieba
    jieba.setLogLevel(logging.WARNING)
    return jieba


def base_tokenizer(cache_dir: Path | None = None) -> tuple[Any, frozenset[str]]:
    """jieba's default dictionary (about 1 s from its cache) and every bigram inside one
    of its words (about 300,000), loaded once per process and never changed after."""
    global _base
    with _base_lock:
        if _base is None:
            jieba = _import_jieba()
            directory = cache_dir or default_cache_dir()
            directory.mkdir(parents=True, exist_ok=True)
            tokenizer = jieba.Tokenizer()
            tokenizer.tmp_dir = str(directory)
            tokenizer.cache_file = "jieba.cache"
            tokenizer.initialize()
            _base = (tokenizer, _bigrams(w for w, count in tokenizer.FREQ.items() if count))
        return _base


def _bigrams(words: Iterable[str]) -> frozenset[str]:
    return frozenset(a + b for word in words for a, b in itertools.pairwise(word))


_BLOCK_ASCII = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+#&._%-")


def _in_block(char: str) -> bool:
    """Whether ``char`` belongs to a jieba block (``_BLOCK_CHAR``), without a regex call."""
    return "\u4e00" <= char <= "\u9fd5" or char in _BLOCK_ASCII


def is_cjk(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff" or char >= "\U00020000"


class Segmenter:
    """Token-boundary checks over one label set (its own copy of jieba's dictionary)."""

    def __init__(self, words: Iterable[str], *, cache_dir: Path | None = None) -> None:
        base, self._base_bigrams = base_tokenizer(cache_dir)
        jieba = _import_jieba()
        tokenizer = jieba.Tokenizer()
        tokenizer.tmp_dir = base.tmp_dir
        tokenizer.cache_file = base.cache_file
        tokenizer.FREQ = dict(base.FREQ)
        tokenizer.total = base.total
        tokenizer.initialized = True
        added = []
        for word in dict.fromkeys(words):
            if _BLOCK_WORD.fullmatch(word) and any(is_cjk(c) for c in word):
                tokenizer.add_word(word)
                added.append(word)
        self._tokenizer = tokenizer
        self._freq: dict[str, int] = tokenizer.FREQ
        self._own_bigrams = _bigrams(added)
        self._bounds: dict[str, frozenset[int]] = {}
        self.segmented = 0  # blocks segmented (cache misses), for the benchmark

    def needs_check(self, text: str, pos: int) -> bool:
        """Whether a dictionary word could span ``pos`` (if not, it is a boundary for sure)."""
        if pos <= 0 or pos >= len(text):
            return False
        pair = text[pos - 1 : pos + 1]
        return pair in self._base_bigrams or pair in self._own_bigrams

    def is_boundary(self, text: str, pos: int) -> bool:
        """Whether jieba's segmentation of ``text`` has a token boundary at ``pos``."""
        # needs_check, inlined: this runs for nearly every Chinese-edged match.
        if pos <= 0 or pos >= len(text):
            return True
        pair = text[pos - 1 : pos + 1]
        if pair not in self._base_bigrams and pair not in self._own_bigrams:
            return True
        if not (_BLOCK_CHAR.match(text, pos - 1) and _BLOCK_CHAR.match(text, pos)):
            return True
        start, bounds = self._block(text, pos - 1)
        return pos - start in bounds

    def _block(self, text: str, pos: int) -> tuple[int, frozenset[int]]:
        """Start of the jieba block holding ``text[pos]`` and its token boundaries."""
        # Walk left to the block's start (blocks are short runs of Chinese or ASCII word
        # characters), then one regex match to its end: cheaper than cutting the whole
        # text into blocks for the few edges that get this far.
        start = pos
        while start > 0 and _in_block(text[start - 1]):
            start -= 1
        match = _BLOCK_WORD.match(text, start)
        end = match.end() if match else pos + 1
        block = text[start:end]
        bounds = self._bounds.get(block)
        if bounds is None:
            bounds = self._segment(block)
        return start, bounds

    def _segment(self, block: str) -> frozenset[int]:
        self.segmented += 1
        offsets = [0]
        at = 0
        for token in self._tokenizer.cut(block, HMM=False):
            at += len(token)
            offsets.append(at)
        if len(self._bounds) >= _CACHE_LIMIT:
            self._bounds.clear()
        bounds = frozenset(offsets)
        self._bounds[block] = bounds
        return bounds

    def check(self, text: str, start: int, end: int, *, left: bool, right: bool) -> int:
        """CONFIRMED, AFFIX or REJECTED for a match ``text[start:end]`` whose Chinese
        edges are ``left``/``right``.

        A match crossing a token boundary is rejected (海运 in 上海/运营). A match inside
        one longer token is taken as AFFIX when the token is the label plus one of
        ``CJK_EDGE_SUFFIXES`` (报关员), the label plus a dictionary word (英语口语) or a
        dictionary word plus the label (商务英语); else rejected (仓储式, 英语系, 国外贸易).
        """
        if (not left or self.is_boundary(text, start)) and (
            not right or self.is_boundary(text, end)
        ):
            return CONFIRMED
        if not _BLOCK_CHAR.match(text, start):
            return REJECTED
        block_start, bounds = self._block(text, start)
        rel_start, rel_end = start - block_start, end - block_start
        if any(rel_start < b < rel_end for b in bounds):
            return REJECTED
        token_start = block_start + max(b for b in bounds if b <= rel_start)
        token_end = block_start + min((b for b in bounds if b >= rel_end), default=rel_end)
        if token_start == start:
            rest = text[end:token_end]
            return AFFIX if rest in CJK_EDGE_SUFFIXES or self._is_word(rest) else REJECTED
        if token_end == end:
            return AFFIX if self._is_word(text[token_start:start]) else REJECTED
        return REJECTED

    def _is_word(self, text: str) -> bool:
        return len(text) >= 2 and self._freq.get(text, 0) > 0
