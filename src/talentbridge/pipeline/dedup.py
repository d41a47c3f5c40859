"""Deduplication of job postings: exact (content hash) and near-duplicate (MinHash).

Pure functions and two small in-memory structures; no I/O, no store access. The
pipeline computes three keys per posting, preferably in one call (``posting_keys``):

* ``content_hash`` — the EXACT-duplicate key: BLAKE2b-128 (hex) of the normalized
  title, employer, location and description. Normalization (``normalize_for_hash``)
  strips HTML, folds full-width forms and case, and drops all whitespace and
  punctuation, so the same text re-posted, or shown on two boards with different
  layout, hashes the same. Pass a *canonical* location (the resolved city, e.g. its
  GB/T 2260 code), not the raw place text: boards render the same place as
  ``成都-武侯区``, ``成都市武侯区`` or ``四川省成都市武侯区``.
* ``block_key`` — employer and title with legal suffixes, branch names, bracketed notes
  and recruiting prefixes removed, plus the same canonical city when given (then the
  same text posted for 南京 and for 广州 stays two postings, as it should: the real
  51job file has such a pair). Near duplicates are only searched for inside a block.
* ``fingerprint`` — the near-duplicate fingerprint: a 64-bit one-permutation MinHash
  (one bit per bin) over character 6-grams of the normalized description, vectorized
  with numpy (about 20 µs for 600 characters on top of normalization). Hamming
  distance between two fingerprints estimates how much text differs; postings in the
  same block within ``NEAR_DUPLICATE_MAX_DISTANCE`` are near duplicates. An empty
  description has fingerprint ``NO_TEXT`` (0) and is never searched or indexed as a
  near duplicate (with no text, "near-identical" would mean "same block"); a short one
  only matches the same short text.
  ``simhash`` (classic 3-gram SimHash) is kept for comparison but not used: at 64 bits
  it cannot tell a re-post from another posting of the same employer and title.

``dedup_batch`` then decides each record against an exact index (a plain
``dict[str, int]``: content hash → id of the kept posting) and a
``NearDuplicateIndex`` (block key → fingerprints of kept postings), updating both as it
goes so that duplicates inside one batch are caught too. Preload them from the store
before an import: every stored source's content hash → its kept posting id, and every
kept posting's (block key, fingerprint, id).

PostgreSQL ``BIGINT`` is signed: store fingerprints with ``to_signed64`` and read them
back with ``from_signed64``.

Normalization and the fingerprint are computed in ``dedup_text`` (table-driven and
vectorized); stored postings depend on every key, so a change to what they compute
must change ``tests/pipeline/test_dedup_keys.py`` too.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import numpy as np
import numpy.typing as npt

from talentbridge.pipeline.clean import strip_html
from talentbridge.pipeline.dedup_text import (
    NOT_WORD,
    fingerprint_of_codes,
    normalize,
    normalize_with_codes,
    shingle_hashes,
)

NEAR_DUPLICATE_MAX_DISTANCE = 5
"""Largest Hamming distance between two ``fingerprint``s (of 64 bits) at which two
postings in one block are merged.

Tuned on 60,000 generated demo postings (two seeds at scale 1): re-posts with one
line of about twenty removed lie at 0–5 in 99% of cases; distinct postings of the same
employer and title (drawn from the same sentence pools, so much alike) lie at 5 or more
and at 5 in 2 of 400,000 pairs. Classic 3-gram SimHash at 64 bits cannot separate the
two (42% of the re-posts within 3, and thousands of distinct pairs within 8).
"""
NO_TEXT = 0
"""The fingerprint of an empty text; ``dedup_batch`` matches such records exactly only."""
SIMHASH_SHINGLE = 3
FINGERPRINT_SHINGLE = 6
BLOCK_KEY_MAX = 100  # fits posting.block_key String(100)
_SEPARATOR = "\x1f"  # unit separator: cannot survive normalization, so fields never run together

DedupKind = Literal["new", "exact", "near"]

# --- normalization -----------------------------------------------------------------


def normalize_for_hash(text: str) -> str:
    """Text reduced to what identifies it: no HTML, half-width, lowercase, and only
    letters, digits and CJK characters (all whitespace and punctuation dropped).

    Idempotent. Traditional and simplified characters are not folded here: posting
    text is expected to have been through ``clean_text`` (OpenCC) already.
    """
    return normalize(text)


def _digest(normalized_fields: tuple[str, ...]) -> str:
    joined = _SEPARATOR.join(normalized_fields).encode("utf-8")
    return hashlib.blake2b(joined, digest_size=16).hexdigest()


def content_hash(*, title: str, company: str, location: str, description: str) -> str:
    """The exact-duplicate key: 32 hex digits of BLAKE2b-128 over the normalized fields."""
    return _digest(tuple(map(normalize_for_hash, (title, company, location, description))))


# --- blocking ----------------------------------------------------------------------

_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】|〔[^〔〕]*〕|「[^「」]*」|<[^<>]*>")
_LEGAL = "股份有限公司|有限责任公司|有限公司|股份公司|集团公司|公司"
_BRANCH = re.compile(rf"(?<=.)({_LEGAL}).{{1,12}}?(分公司|分部|分厂|办事处|营业部)$")
_LEGAL_SUFFIX = re.compile(rf"(?:{_LEGAL}|集团|总公司)$")
_EN_SUFFIX = re.compile(
    r"(?:[\s,.]+(?:co\.?,?\s*ltd|ltd|limited|inc|incorporated|corp|corporation|llc|"
    r"company|group))+\.?\s*$"
)
_REGION_PREFIX = re.compile(r"^(?:中国|四川省?|重庆市?|成都市?)(?=.{4,})")
_TITLE_PREFIX = re.compile(r"^(?:高薪|急聘|急招|诚聘|直招|招聘|热招|诚招|高薪诚聘|高薪急聘)+")
_OPENINGS = re.compile(
    r"(?:招|急招|共)?(?:\d+|[一二两三四五六七八九十]+|若干|数)\s*(?:名|人|位)(?:以上)?$"
)


def _strip_brackets(text: str) -> str:
    previous = None
    while previous != text:
        previous = text
        text = _BRACKETED.sub(" ", text)
    return text


def normalize_employer(name: str) -> str:
    """Employer name without legal form, branch, bracketed notes and a leading
    Chengdu/Chongqing/Sichuan/China prefix (only when four or more characters remain:
    成都顺丰速运 → 顺丰速运, but 四川航空 stays)."""
    text = unicodedata.normalize("NFKC", strip_html(name or "")).lower().strip()
    text = _strip_brackets(text)
    text = _EN_SUFFIX.sub("", text)
    text = NOT_WORD.sub("", text)
    text = _BRANCH.sub(r"\1", text)
    previous = None
    while previous != text:
        previous = text
        stripped = _LEGAL_SUFFIX.sub("", text)
        text = stripped if len(stripped) >= 2 else text
    return _REGION_PREFIX.sub("", text)


def normalize_title(title: str) -> str:
    """Job title without bracketed notes (（急招）, 【双休】), recruiting prefixes
    (急聘, 直招 …) and a trailing number of openings (3名, 招5人, 若干名)."""
    text = unicodedata.normalize("NFKC", strip_html(title or "")).lower().strip()
    text = _strip_brackets(text)
    text = NOT_WORD.sub("", text)
    stripped = _TITLE_PREFIX.sub("", text)
    text = stripped or text
    stripped = _OPENINGS.sub("", text)
    return stripped or text


def block_key(*, company: str, title: str, location: str = "") -> str:
    """The blocking key for the near-duplicate search: ``employer|title[|city]``.

    Pass ``location`` (the resolved city, e.g. its GB/T 2260 code — never raw place
    text, which differs between boards) so that one employer's same text for two cities
    stays two postings; ``posting_keys`` does. Keys longer than ``BLOCK_KEY_MAX``
    characters end in a digest of the whole key, so a key always fits its column.
    """
    return _block_key(company, title, location)


# Employers, titles and cities repeat across postings (270 employers, 57 titles and 21
# cities in 5,000 generated rows, but 2,900 combinations of the three): their
# normalizations are pure, so memoized one by one, and block keys as a whole.
_normalize_field = lru_cache(maxsize=4096)(normalize_for_hash)
_employer_key = lru_cache(maxsize=4096)(normalize_employer)
_title_key = lru_cache(maxsize=4096)(normalize_title)


def _block_key(company: str, title: str, location: str) -> str:
    parts = [_employer_key(company), _title_key(title)]
    if location:
        parts.append(_normalize_field(location))
    key = "|".join(parts)
    if len(key) <= BLOCK_KEY_MAX:
        return key
    digest = hashlib.blake2b(key.encode("utf-8"), digest_size=8).hexdigest()
    return key[: BLOCK_KEY_MAX - 17] + "~" + digest


_cached_block_key = lru_cache(maxsize=4096)(_block_key)


# --- fingerprints -----------------------------------------------------------------------

_MASK64 = (1 << 64) - 1


def _bits_to_int(bits: npt.NDArray[np.bool_] | npt.NDArray[np.uint8]) -> int:
    return int.from_bytes(np.packbits(bits, bitorder="little").tobytes(), "little")


def _simhash_of_codes(codes: npt.NDArray[np.uint64], bits: int) -> int:
    if not codes.shape[0]:
        return 0
    hashes = shingle_hashes(codes, SIMHASH_SHINGLE)
    n = hashes.shape[0]
    columns = np.unpackbits(
        hashes.astype("<u8", copy=False).view(np.uint8), bitorder="little"
    ).reshape(n, 64)[:, :bits]
    weight = np.float32 if n < (1 << 24) else np.float64
    counts = np.ones(n, dtype=weight) @ columns.astype(weight)
    return _bits_to_int(counts * 2 > n)


def simhash(text: str, *, bits: int = 64) -> int:
    """Classic SimHash of ``text`` over 3-grams of its normalized form, in [0, 2**bits).

    Kept for comparison and for callers that want it; the dedup keys use
    ``fingerprint`` instead, which separates re-posts from distinct postings of the same
    employer and title far better at 64 bits (see the module docstring). Empty (after
    normalization) text has fingerprint 0. ``bits`` is a multiple of 8, at most 64.
    """
    if bits <= 0 or bits > 64 or bits % 8:
        raise ValueError(f"bits must be a multiple of 8 between 8 and 64, not {bits}")
    return _simhash_of_codes(normalize_with_codes(text)[1], bits)


def fingerprint(text: str) -> int:
    """The near-duplicate fingerprint of ``text``: 64-bit one-permutation MinHash, one
    bit per bin, over 6-grams of the normalized text. In [0, 2**64); 0 for empty text.

    Each bit of two fingerprints differs with probability (1 - J) / 2, J the Jaccard
    similarity of the texts' 6-gram sets, so the Hamming distance estimates how much
    text changed: about 3 for a re-post with one line of twenty removed, about 32 for
    unrelated texts.
    """
    return fingerprint_of_codes(normalize_with_codes(text)[1], FINGERPRINT_SHINGLE)


def hamming(a: int, b: int) -> int:
    """Number of differing bits."""
    return (a ^ b).bit_count()


def to_signed64(value: int) -> int:
    """An unsigned 64-bit fingerprint as the signed BIGINT PostgreSQL stores."""
    if not 0 <= value <= _MASK64:
        raise ValueError(f"not an unsigned 64-bit value: {value}")
    return value - (1 << 64) if value >= 1 << 63 else value


def from_signed64(value: int) -> int:
    """The inverse of ``to_signed64``."""
    if not -(1 << 63) <= value < 1 << 63:
        raise ValueError(f"not a signed 64-bit value: {value}")
    return value & _MASK64


BAND_INDEX_BITS = 3  # up to 8 bands: NEAR_DUPLICATE_MAX_DISTANCE + 1 must fit
BAND_VALUE_BITS = 11  # the widest band of 64 bits cut into 6 (11, 11, 11, 11, 10, 10)
BAND_BLOCK_BITS = 64 - BAND_INDEX_BITS - BAND_VALUE_BITS


def band_keys(
    block_key: str, fingerprint: int, *, max_distance: int = NEAR_DUPLICATE_MAX_DISTANCE
) -> list[int]:
    """Locality-sensitive band keys: two fingerprints of one block within
    ``max_distance`` bits share at least one key (pigeonhole: the 64 bits are cut into
    ``max_distance + 1`` bands, and at most ``max_distance`` of them can differ).

    Stored per posting, they let a batch fetch only its few near-duplicate candidates
    instead of every posting of a large block. Signed 64-bit, ready for BIGINT.
    Empty text (``NO_TEXT``) has no bands: it is matched by exact hash only.

    Layout, high to low bits: a 50-bit digest of the block key, the band's index
    (3 bits) and the band's value (11 bits). Every key of one block therefore falls in
    one narrow range of the index, so a posting's bands are read and written on one or
    two index pages instead of one random page each (the difference between a flat
    and a falling import rate once the index outgrows the page cache). Two blocks whose
    digests collide only share candidates, which the caller checks by block key and
    distance anyway.
    """
    if fingerprint == NO_TEXT:
        return []
    bands = max_distance + 1
    if bands > 1 << BAND_INDEX_BITS or -(-64 // bands) > 1 << BAND_VALUE_BITS:
        raise ValueError(f"max_distance {max_distance} does not fit the band key layout")
    digest = hashlib.blake2b(block_key.encode(), digest_size=8).digest()
    prefix = (int.from_bytes(digest, "big") >> (64 - BAND_BLOCK_BITS)) << (
        BAND_INDEX_BITS + BAND_VALUE_BITS
    )
    keys: list[int] = []
    start = 0
    for index in range(bands):
        width = 64 // bands + (1 if index < 64 % bands else 0)
        value = (fingerprint >> start) & ((1 << width) - 1)
        start += width
        keys.append(to_signed64(prefix | (index << BAND_VALUE_BITS) | value))
    return keys


@dataclass(frozen=True, slots=True)
class PostingKeys:
    content_hash: str
    block_key: str
    fingerprint: int


def posting_keys(*, title: str, company: str, location: str, description: str) -> PostingKeys:
    """All three dedup keys of a posting, normalizing the description once."""
    norm_description, codes = normalize_with_codes(description)
    field = _normalize_field
    digest = _digest((field(title), field(company), field(location), norm_description))
    return PostingKeys(
        digest,
        _cached_block_key(company, title, location),
        fingerprint_of_codes(codes, FINGERPRINT_SHINGLE),
    )


# --- indexes -----------------------------------------------------------------------


class NearDuplicateIndex:
    """Fingerprints of kept postings grouped by block key, for one import.

    ``find`` scans the block (blocks are small: one employer's postings of one title)
    and returns the id of the nearest posting within ``max_distance``, ties broken by
    the lowest id, so the answer does not depend on insertion order.
    """

    def __init__(self, max_distance: int = NEAR_DUPLICATE_MAX_DISTANCE) -> None:
        if not 0 <= max_distance <= 64:
            raise ValueError(f"max_distance must be between 0 and 64, not {max_distance}")
        self.max_distance = max_distance
        self._blocks: dict[str, tuple[array[int], array[int]]] = {}
        self._size = 0

    def add(self, block_key: str, fingerprint: int, posting_id: int) -> None:
        block = self._blocks.get(block_key)
        if block is None:
            block = self._blocks[block_key] = (array("Q"), array("q"))
        block[0].append(fingerprint)
        block[1].append(posting_id)
        self._size += 1

    def nearest(self, block_key: str, fingerprint: int) -> tuple[int, int] | None:
        """``(posting_id, distance)`` of the nearest posting within the distance, or None."""
        block = self._blocks.get(block_key)
        if block is None:
            return None
        best: tuple[int, int] | None = None  # (distance, id)
        limit = self.max_distance
        for other, posting_id in zip(block[0], block[1], strict=True):
            distance = (fingerprint ^ other).bit_count()
            if distance <= limit and (best is None or (distance, posting_id) < best):
                best = (distance, posting_id)
        return None if best is None else (best[1], best[0])

    def find(self, block_key: str, fingerprint: int) -> int | None:
        """Id of the nearest posting in the block within the distance (lowest id on ties)."""
        hit = self.nearest(block_key, fingerprint)
        return None if hit is None else hit[0]

    def __len__(self) -> int:
        return self._size

    @property
    def block_count(self) -> int:
        return len(self._blocks)


# --- the batch step ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DedupInput:
    content_hash: str
    block_key: str
    fingerprint: int  # ``fingerprint`` of the description
    provisional_id: int  # the id the posting gets if it is new


@dataclass(frozen=True, slots=True)
class DedupDecision:
    posting_id: int  # the record's provisional id
    exact_duplicate_of: int | None = None
    near_duplicate_of: int | None = None
    distance: int | None = None  # Hamming distance of a near duplicate

    @property
    def kind(self) -> DedupKind:
        if self.exact_duplicate_of is not None:
            return "exact"
        if self.near_duplicate_of is not None:
            return "near"
        return "new"

    @property
    def is_new(self) -> bool:
        return self.exact_duplicate_of is None and self.near_duplicate_of is None

    @property
    def target_id(self) -> int:
        """The posting this record ends up attached to: its kept posting, or itself."""
        duplicate = self.duplicate_of
        return self.posting_id if duplicate is None else duplicate

    @property
    def duplicate_of(self) -> int | None:
        """The kept posting this record is a source of, or None when it is new."""
        if self.exact_duplicate_of is not None:
            return self.exact_duplicate_of
        return self.near_duplicate_of


def dedup_batch(
    records: Sequence[DedupInput],
    index_exact: dict[str, int],
    index_near: NearDuplicateIndex,
) -> list[DedupDecision]:
    """Decide each record in order: exact duplicate, near duplicate, or new.

    A new record is added to both indexes under its provisional id. A near duplicate's
    content hash is added to ``index_exact`` pointing at the posting it was merged
    into, so a later exact copy of it resolves to the same kept posting; its
    fingerprint is not added (the near index holds kept postings only, so matches
    cannot drift along a chain of small edits). A record without text (fingerprint
    ``NO_TEXT``) is matched by its content hash only.
    """
    decisions: list[DedupDecision] = []
    for record in records:
        kept = index_exact.get(record.content_hash)
        if kept is not None:
            decisions.append(DedupDecision(record.provisional_id, exact_duplicate_of=kept))
            continue
        if record.fingerprint != NO_TEXT:
            hit = index_near.nearest(record.block_key, record.fingerprint)
            if hit is not None:
                index_exact[record.content_hash] = hit[0]
                decisions.append(
                    DedupDecision(record.provisional_id, near_duplicate_of=hit[0], distance=hit[1])
                )
                continue
            index_near.add(record.block_key, record.fingerprint, record.provisional_id)
        index_exact[record.content_hash] = record.provisional_id
        decisions.append(DedupDecision(record.provisional_id))
    return decisions
