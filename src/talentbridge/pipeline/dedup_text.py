"""The text half of the dedup keys: ``normalize`` (what ``content_hash`` hashes) and
``fingerprint_of_codes`` (the 64-bit one-permutation MinHash over character 6-grams),
written for speed; ``dedup`` builds the keys from them and documents what they mean.

Normalization is defined as ``str.lower`` followed by two regular expressions,
``NOT_WORD`` (dropped) and ``_WIDE_ALNUM`` (full-width digits and letters, narrowed)
(``_normalize_lowered``). All three act on one character at a time (``lower`` except
for Σ), so for the Basic Multilingual Plane they are precomputed into one 65,536-entry
table, built at import (a few ms) by running ``lower`` and the expressions themselves
over every character: a text is encoded as UTF-16, looked up and compacted with a few
numpy calls, and the kept code points feed the fingerprint without encoding the text
again. A text with a character beyond the BMP (emoji, CJK extension B …) or a Σ takes
the definition itself; both paths give the same result
(``tests/pipeline/test_dedup_keys.py`` checks every BMP character and pins the keys).

The fingerprint does the densification of empty bins without a loop over bins: after
sorting the shingle hashes, ``searchsorted`` of each bin's lowest value gives the
smallest hash at or above it, which is the minimum of the first filled bin at or after
that bin; past the last filled bin it wraps to the first hash. The bin it came from
follows from the hash's own top bits, so the "rotation" offset is a subtraction and a
shift. numpy calls, not arithmetic, are the cost at 600 characters: constants are 0-d
arrays (faster operands than numpy scalars) and every step works in place.
"""

from __future__ import annotations

import re

import numpy as np
import numpy.typing as npt

from talentbridge.pipeline.clean import strip_html

Codes = npt.NDArray[np.uint64]

NOT_WORD = re.compile(r"[\W_]+")
_WIDE_ALNUM = re.compile(r"[\uff10-\uff19\uff41-\uff5a]")  # after lower()
_BMP = 0x10000
_NO_CODES: Codes = np.zeros(0, dtype=np.uint64)
_NO_CODES.flags.writeable = False


def _narrow(match: re.Match[str]) -> str:
    return chr(ord(match.group()) - 0xFEE0)


def _normalize_lowered(lowered: str) -> str:
    """The definition: drop non-word characters and ``_``, narrow full-width alnums."""
    kept = NOT_WORD.sub("", lowered)  # full-width punctuation is \W too
    return _WIDE_ALNUM.sub(_narrow, kept)


def _utf16(text: str) -> npt.NDArray[np.uint16]:
    return np.frombuffer(text.encode("utf-16-le", "surrogatepass"), dtype="<u2")


def _bmp_table() -> tuple[npt.NDArray[np.uint16], tuple[str, ...]]:
    """Code point → the one code point ``_normalize_lowered(chr(c).lower())`` is, 0 where
    it is empty (``\x00`` and the surrogates are dropped, so 0 is free); and the BMP
    characters the table cannot stand for: those that lowercase and normalize to more
    than one character or to one beyond the BMP (none today), and ``_CONTEXTUAL``."""
    codes = np.arange(_BMP, dtype="<u4")
    # What normalization makes of each (lowercase) character: nothing, or one character.
    kept = NOT_WORD.sub("", codes.tobytes().decode("utf-32-le", "surrogatepass"))
    normal = np.zeros(_BMP, dtype="<u2")
    normal[_utf16(kept)] = _utf16(_WIDE_ALNUM.sub(_narrow, kept))
    # Each character lowercased on its own: "\x00" between them (lower() keeps it).
    apart = np.zeros(2 * _BMP - 3, dtype="<u4")
    apart[::2] = codes[1:]
    text = apart.tobytes().decode("utf-32-le", "surrogatepass")
    lowered = np.frombuffer(text.lower().encode("utf-32-le", "surrogatepass"), dtype="<u4")
    letter = lowered != 0
    source = (np.cumsum(~letter) + 1)[letter]  # the code point each character came from
    lowered = lowered[letter]
    beyond = lowered >= _BMP
    result = normal.take(np.where(beyond, 0, lowered))
    produced = result != 0
    table = np.zeros(_BMP, dtype="<u2")
    table[source[produced]] = result[produced]
    special = np.bincount(source[produced], minlength=_BMP) > 1
    special[source[beyond]] = True
    special[[ord(ch) for ch in _CONTEXTUAL]] = True
    table[special] = 0
    table.flags.writeable = False
    return table, tuple(chr(code) for code in np.flatnonzero(special))


_CONTEXTUAL = "\u03a3"
"""Σ, whose lowercase depends on its neighbours (σ, or ς at the end of a word); CPython's
``str.lower`` treats no other character by context."""
_TABLE, _SPECIAL = _bmp_table()


def normalize_with_codes(text: str) -> tuple[str, Codes]:
    """``normalize(text)`` and its code points, as uint64 (numpy mixing uint16 or uint32
    into uint64 arithmetic is slower than one conversion)."""
    if not text:
        return "", _NO_CODES
    text = strip_html(text)
    units = text.encode("utf-16-le", "surrogatepass")
    if len(units) != 2 * len(text) or any(map(text.__contains__, _SPECIAL)):  # or Σ
        normalized = _normalize_lowered(text.lower())
        codes = np.frombuffer(normalized.encode("utf-32-le"), dtype="<u4")
        return normalized, codes.astype(np.uint64)
    mapped = _TABLE.take(np.frombuffer(units, dtype="<u2"))
    kept = mapped[mapped.astype(np.bool_)]
    return kept.tobytes().decode("utf-16-le"), kept.astype(np.uint64)


def normalize(text: str) -> str:
    """No HTML, lowercase, only letters, digits and CJK, full-width digits and letters
    narrowed (see ``dedup.normalize_for_hash``)."""
    return normalize_with_codes(text)[0]


# --- hashing ---------------------------------------------------------------------------


def _u64(value: int | list[int]) -> npt.NDArray[np.uint64]:
    """A read-only uint64 array; 0-d for one value (numpy applies a 0-d array faster
    than a scalar of the same value)."""
    array = np.array(value, dtype=np.uint64)
    array.flags.writeable = False
    return array


_SEED = _u64(0x9E3779B97F4A7C15)
_MIX1 = _u64(0xBF58476D1CE4E5B9)
_MIX2 = _u64(0x94D049BB133111EB)
_FOLD = _u64(0x100000001B3)  # FNV-1a 64-bit prime
_S27, _S30, _S31, _S58, _S63 = (_u64(k) for k in (27, 30, 31, 58, 63))
_BIN_STARTS = _u64([bin_ << 58 for bin_ in range(64)])
_BIT_VALUES = _u64([1 << bit for bit in range(64)])


def shingle_hashes(codes: Codes, size: int) -> Codes:
    """One well-mixed 64-bit hash per ``size``-gram of code points: the code points
    folded FNV-style, then the SplitMix64 finalizer (stable across processes and
    machines; Python's ``hash()`` is salted per process and never used). Fewer code
    points than ``size`` are one shingle. ``codes`` must not be empty."""
    n = codes.shape[0]
    width = min(size, n)
    count = n - width + 1
    if width == 1:
        z = codes[:count].copy()
    else:
        z = codes[:count] * _FOLD
        z ^= codes[1 : count + 1]
        for offset in range(2, width):
            z *= _FOLD
            z ^= codes[offset : count + offset]
    z += _SEED
    shifted = z >> _S30
    z ^= shifted
    z *= _MIX1
    np.right_shift(z, _S27, out=shifted)
    z ^= shifted
    z *= _MIX2
    np.right_shift(z, _S31, out=shifted)
    z ^= shifted
    return z


def fingerprint_of_codes(codes: Codes, size: int) -> int:
    """64-bit one-permutation MinHash, one bit per bin, over ``size``-grams of ``codes``;
    0 when there are none. An empty bin borrows the minimum of the next filled bin to
    its right (circularly), marked with the distance it was borrowed from."""
    if not codes.shape[0]:
        return 0
    hashes = shingle_hashes(codes, size)
    hashes.sort()
    starts = hashes.searchsorted(_BIN_STARTS)  # smallest hash at or above each bin
    minima = hashes.take(starts, mode="wrap")  # none (the end): the first filled bin
    offsets = minima - _BIN_STARTS  # wraps modulo 2**64 when borrowed across the end
    offsets >>= _S58  # (source bin - bin) % 64
    offsets *= _MIX2
    minima ^= offsets
    minima *= _MIX1
    minima >>= _S63
    return int(minima @ _BIT_VALUES)  # distinct powers of two: the sum is the bits
