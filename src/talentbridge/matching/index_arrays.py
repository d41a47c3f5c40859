"""Index arrays shared by both sides of the ``MatchIndex``.

``Space``: the concept, major and occupation index spaces and the 对口 relation as a
dense majors × occupations matrix (1.0 primary, 0.6 related, 0 none). ``ConceptMatrix``:
documents × concepts in CSR and CSC form. ``Ragged``: a list of integers per row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from talentbridge.matching import bm25
from talentbridge.matching.facts import PostingFacts, ProfileFacts, Reference

PREFERRED_STRENGTH = 0.5  # a required concept weighs 1.0
MAJOR_PRIMARY = 1.0
MAJOR_RELATED = 0.6

I64 = NDArray[np.int64]
I32 = NDArray[np.int32]
F64 = NDArray[np.float64]
Bools = NDArray[np.bool_]
Tokens = tuple[bm25.Tokenized | None, bm25.Tokenized | None]  # postings', profiles'


def rarity(df: F64, n: int) -> F64:
    """Rarity of a concept among ``n`` documents (BM25's idf, always positive)."""
    return np.log1p((n - df + 0.5) / (df + 0.5))


MUNICIPALITIES = frozenset({11, 12, 31, 50})  # 北京 天津 上海 重庆: a province is the city


def city_number(code: str | None) -> int:
    """A division code's city as a number (a district counts as its city; 0: unknown)."""
    if not code or not code.isdigit() or len(code) != 6:
        return 0
    value = int(code)
    if value // 10000 in MUNICIPALITIES:
        return value // 10000 * 10000
    return value // 100 * 100


@dataclass(frozen=True)
class Space:
    """Index spaces shared by both sides and the 对口 relation."""

    concept_ids: I64  # sorted; a concept's index is its position
    major_ids: I64  # sorted; index len(major_ids) means "no major"
    occupation_ids: I64  # sorted; index len(occupation_ids) means "no occupation"
    relation: F64  # (majors + 1) × (occupations + 1)

    @classmethod
    def build(
        cls,
        reference: Reference,
        postings: Sequence[PostingFacts],
        profiles: Sequence[ProfileFacts],
    ) -> Space:
        concepts = set(reference.concepts)
        for p in postings:
            concepts.update(p.required_concept_ids, p.preferred_concept_ids)
        for q in profiles:
            concepts.update(q.concept_ids)
        majors = set(reference.majors) | {m for m, _ in reference.major_occupations}
        majors |= {q.major_id for q in profiles if q.major_id is not None}
        occupations = set(reference.occupations) | {o for _, o in reference.major_occupations}
        occupations |= {p.occupation_id for p in postings if p.occupation_id is not None}
        for q in profiles:
            occupations.update(q.wish.occupation_ids)
        major_ids = np.array(sorted(majors), dtype=np.int64)
        occupation_ids = np.array(sorted(occupations), dtype=np.int64)
        relation = np.zeros((len(major_ids) + 1, len(occupation_ids) + 1))
        for (major, occupation), strength in sorted(reference.major_occupations.items()):
            i = int(np.searchsorted(major_ids, major))
            j = int(np.searchsorted(occupation_ids, occupation))
            relation[i, j] = MAJOR_PRIMARY if strength == "primary" else MAJOR_RELATED
        return cls(np.array(sorted(concepts), dtype=np.int64), major_ids, occupation_ids, relation)

    def covers(self, profiles: Sequence[ProfileFacts]) -> bool:
        """Whether every concept and major of ``profiles`` has an index here."""
        concepts = {c for q in profiles for c in q.concept_ids}
        majors = {q.major_id for q in profiles if q.major_id is not None}
        occupations = {o for q in profiles for o in q.wish.occupation_ids}
        return (
            concepts <= set(self.concept_ids.tolist())
            and majors <= set(self.major_ids.tolist())
            and occupations <= set(self.occupation_ids.tolist())
        )

    def index_of(self, ids: I64, values: Sequence[int | None]) -> I64:
        """Positions of ``values`` in the sorted ``ids``; ``len(ids)`` for None/unknown."""
        arr = np.array([-1 if v is None else v for v in values], dtype=np.int64)
        pos = np.searchsorted(ids, arr)
        pos = np.minimum(pos, len(ids))
        known = (arr >= 0) & (pos < len(ids))
        known[known] = ids[pos[known]] == arr[known]
        return np.where(known, pos, len(ids))


@dataclass(frozen=True)
class ConceptMatrix:
    """Documents × concepts: CSR rows and CSC columns of the same float64 weights."""

    indptr: I64
    concepts: I32
    weights: F64
    required: Bools  # posting side: required (else preferred); profile side: all True
    total: F64  # sum of each row's weights
    total_safe: F64  # the same with 1.0 for empty rows (their matched weight is 0 too)
    required_count: I64  # required concepts per row
    col_ptr: I64
    col_rows: I32
    col_weights: F64
    col_required: Bools

    @classmethod
    def build(
        cls, indptr: I64, concepts: I64, weights: F64, required: Bools, n_concepts: int
    ) -> ConceptMatrix:
        n = len(indptr) - 1
        row_of = np.repeat(np.arange(n, dtype=np.int32), np.diff(indptr))
        total = np.bincount(row_of, weights=weights, minlength=n).astype(np.float64)
        required_count = np.bincount(row_of[required], minlength=n).astype(np.int64)
        order = np.argsort(concepts, kind="stable")
        col_ptr = np.zeros(n_concepts + 1, dtype=np.int64)
        np.cumsum(np.bincount(concepts, minlength=n_concepts), out=col_ptr[1:])
        return cls(
            indptr,
            concepts.astype(np.int32),
            weights,
            required,
            total,
            np.where(total > 0, total, 1.0),
            required_count,
            col_ptr,
            row_of[order],
            weights[order],
            required[order],
        )

    def row(self, i: int) -> tuple[I32, F64, Bools]:
        lo, hi = self.indptr[i], self.indptr[i + 1]
        return self.concepts[lo:hi], self.weights[lo:hi], self.required[lo:hi]

    def gather(self, concepts: I32) -> tuple[I32, F64, Bools, I64]:
        """Rows holding one of ``concepts`` (ascending), their weights and required
        flags, and the position in ``concepts`` of each hit, concept by concept."""
        starts, ends = self.col_ptr[concepts], self.col_ptr[concepts + 1]
        take = bm25._ranges(starts, ends)
        which = np.repeat(np.arange(len(concepts), dtype=np.int64), ends - starts)
        return self.col_rows[take], self.col_weights[take], self.col_required[take], which


def concept_rows(
    space: Space, held: Sequence[tuple[tuple[int, ...], tuple[int, ...]]]
) -> tuple[I64, I64, Bools, F64]:
    """CSR of the documents' concepts (indptr, concept indices ascending per row,
    required flags) and the document frequency of each concept; ids unknown to the
    space are left out."""
    sizes = np.array([len(r) + len(p) for r, p in held], dtype=np.int64)
    ids = np.fromiter((c for r, p in held for c in r + p), dtype=np.int64, count=int(sizes.sum()))
    required = np.fromiter(
        (flag for r, p in held for flag in [True] * len(r) + [False] * len(p)),
        dtype=np.bool_,
        count=len(ids),
    )
    rows = np.repeat(np.arange(len(held), dtype=np.int64), sizes)
    idx = np.searchsorted(space.concept_ids, ids)
    known = idx < len(space.concept_ids)
    known[known] = space.concept_ids[idx[known]] == ids[known]
    rows, idx, required = rows[known], idx[known], required[known]
    order = np.lexsort((idx, rows))
    rows, idx, required = rows[order], idx[order], required[order]
    indptr = np.zeros(len(held) + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=len(held)), out=indptr[1:])
    df = np.bincount(idx, minlength=len(space.concept_ids)).astype(np.float64)
    return indptr, idx, required, df


@dataclass(frozen=True)
class Ragged:
    """A list of integers per row: ``values[ptr[i]:ptr[i+1]]``, with ``rows`` per value."""

    ptr: I64
    values: I64
    rows: I64

    @classmethod
    def build(cls, lists: Sequence[Sequence[int]]) -> Ragged:
        sizes = np.array([len(v) for v in lists], dtype=np.int64)
        ptr = np.zeros(len(lists) + 1, dtype=np.int64)
        np.cumsum(sizes, out=ptr[1:])
        values = np.array([x for v in lists for x in v], dtype=np.int64)
        return cls(ptr, values, np.repeat(np.arange(len(lists), dtype=np.int64), sizes))

    def row(self, i: int) -> I64:
        return self.values[self.ptr[i] : self.ptr[i + 1]]

    def rows_holding(self, value: int, n: int) -> Bools:
        mask = np.zeros(n, dtype=np.bool_)
        mask[self.rows[self.values == value]] = True
        return mask
