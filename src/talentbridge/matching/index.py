"""``MatchIndex``: numpy arrays over every posting and profile, for the engine.

Built from facts (``matching.facts``): from a store with ``load_index`` or through the
process cache ``index_for(factory)``, or from facts in memory with ``build_index`` (the
benchmark and tests). Nothing is built at import time and nothing touches the network.

Rows are in id order on both sides, so the first of equal scores is the lowest id.

Postings (``PostingSide``): filter columns (organization, occupation, city, education,
pay, date, flags), a postings × concepts matrix (CSR rows and CSC columns) whose
weights are ``idf(c) · strength`` (idf = rarity over postings, strength 1.0 required,
0.5 preferred), and BM25 over the postings' text (``matching.bm25``).

Profiles (``ProfileSide``): filter columns (major, graduation year, education level of
the major's catalog level, consent, ranking opt-out), wishes as ragged arrays, a
profiles × concepts matrix weighted by ``idf(c)`` over profiles, and each profile's
BM25 query (its terms of highest tf·idf in the posting corpus).

``Space``: the concept, major and occupation index spaces and the 对口 relation as a
dense majors × occupations matrix (1.0 primary, 0.6 related, 0 none).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from sqlalchemy.orm import Session, sessionmaker

from talentbridge.errors import NotFound
from talentbridge.matching import bm25, token_cache
from talentbridge.matching.facts import (
    PostingFacts,
    ProfileFacts,
    Reference,
    load_postings,
    load_profiles,
    load_reference,
)
from talentbridge.matching.version import StoreVersion, store_version

PREFERRED_STRENGTH = 0.5  # a required concept weighs 1.0
MAJOR_PRIMARY = 1.0
MAJOR_RELATED = 0.6

I64 = NDArray[np.int64]
I32 = NDArray[np.int32]
F64 = NDArray[np.float64]
Bools = NDArray[np.bool_]
Tokens = tuple[bm25.Tokenized | None, bm25.Tokenized | None]  # postings', profiles'


def _idf(df: F64, n: int) -> F64:
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


def _concept_rows(
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
class PostingSide:
    ids: I64
    organization: I64  # -1: none
    occupation: I64  # index in Space.occupation_ids (len = none)
    city: I64  # GB/T 2260 city code as a number, 0: unknown
    in_circle: Bools
    education: I64  # Education value asked, -1: not stated
    salary_min: I64  # -1: not stated
    salary_max: I64
    posted: I64  # proleptic ordinal of posted_on, -1: unknown
    flag_count: I64
    concepts: ConceptMatrix  # weights idf(c) · strength
    concept_idf: F64
    text: bm25.Bm25
    # lookups for the scoring's per-query tables
    cities: I64  # the distinct values of ``city``, sorted
    city_index: I32  # position of each posting's city in ``cities``
    pay_low: I64  # lowest pay offered (min, else max), -1: not stated
    pay_high: I64  # highest pay offered (max, else min), -1: not stated
    education_index: NDArray[np.intp]  # education + 1 (0: not stated)

    @classmethod
    def build(
        cls,
        facts: Sequence[PostingFacts],
        space: Space,
        *,
        tokenize: bm25.Tokenizer = bm25.segment,
        previous: bm25.Tokenized | None = None,
    ) -> PostingSide:
        facts = sorted(facts, key=lambda p: p.id)
        n = len(facts)

        def column(values: Sequence[int | None]) -> I64:
            return np.array([-1 if v is None else v for v in values], dtype=np.int64)

        indptr, concepts, required, df = _concept_rows(
            space, [(p.required_concept_ids, p.preferred_concept_ids) for p in facts]
        )
        idf = _idf(df, n)
        strength = np.where(required, 1.0, PREFERRED_STRENGTH)
        matrix = ConceptMatrix.build(
            indptr, concepts, idf[concepts] * strength, required, len(space.concept_ids)
        )
        ids = [p.id for p in facts]
        tokens = bm25.tokenize_all(ids, [p.text for p in facts], tokenize, previous)
        city = np.array([city_number(p.city_code) for p in facts], dtype=np.int64)
        cities, city_index = np.unique(city, return_inverse=True)
        salary_min = column([p.salary_min for p in facts])
        salary_max = column([p.salary_max for p in facts])
        return cls(
            ids=np.array(ids, dtype=np.int64),
            organization=column([p.organization_id for p in facts]),
            occupation=space.index_of(space.occupation_ids, [p.occupation_id for p in facts]),
            city=city,
            in_circle=np.array([p.in_circle for p in facts], dtype=np.bool_),
            education=column([p.education_level for p in facts]),
            salary_min=salary_min,
            salary_max=salary_max,
            posted=column([p.posted_on.toordinal() if p.posted_on else None for p in facts]),
            flag_count=column([p.flag_count for p in facts]),
            concepts=matrix,
            concept_idf=idf,
            text=bm25.Bm25.build(tokens),
            cities=cities.astype(np.int64),
            city_index=city_index.reshape(-1).astype(np.int32),
            pay_low=np.where(salary_min >= 0, salary_min, salary_max),
            pay_high=np.where(salary_max >= 0, salary_max, salary_min),
            education_index=(column([p.education_level for p in facts]) + 1).astype(np.intp),
        )

    def __len__(self) -> int:
        return len(self.ids)


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


@dataclass(frozen=True)
class ProfileSide:
    ids: I64
    organization: I64
    major: I64  # index in Space.major_ids (len = none)
    major_id: I64  # -1: none
    direction: I64  # -1: none
    graduation_year: I64
    education: I64  # Education value, -1: unknown
    visible: Bools  # consent: visible to employers
    opt_out: Bools  # ranking opt-out: never scored
    wish_cities: Ragged  # city codes as numbers
    wish_occupations: Ragged  # indices in Space.occupation_ids
    salary_floor: I64  # -1: not stated
    relocate: Bools
    abroad: Bools
    concepts: ConceptMatrix  # weights idf(c) over profiles
    concept_idf: F64
    tokens: bm25.Tokenized
    queries: bm25.Queries
    has_city: Bools  # states a city
    has_occupation: Bools  # states an occupation
    relocate_code: NDArray[np.int8]  # 4 when willing to relocate, else 0 (a table offset)
    education_index: NDArray[np.intp]  # education + 1 (0: unknown)

    @classmethod
    def build(
        cls,
        facts: Sequence[ProfileFacts],
        space: Space,
        text: bm25.Bm25,
        *,
        tokenize: bm25.Tokenizer = bm25.segment,
        previous: bm25.Tokenized | None = None,
    ) -> ProfileSide:
        facts = sorted(facts, key=lambda q: q.id)
        n = len(facts)
        indptr, concepts, required, df = _concept_rows(space, [(q.concept_ids, ()) for q in facts])
        idf = _idf(df, n)
        matrix = ConceptMatrix.build(
            indptr, concepts, idf[concepts], required, len(space.concept_ids)
        )
        ids = [q.id for q in facts]
        tokens = bm25.tokenize_all(ids, [q.text for q in facts], tokenize, previous)
        occupations = [
            space.index_of(space.occupation_ids, q.wish.occupation_ids).tolist() for q in facts
        ]
        return cls(
            ids=np.array(ids, dtype=np.int64),
            organization=np.array([q.organization_id for q in facts], dtype=np.int64),
            major=space.index_of(space.major_ids, [q.major_id for q in facts]),
            major_id=np.array([-1 if q.major_id is None else q.major_id for q in facts], np.int64),
            direction=np.array(
                [-1 if q.direction_id is None else q.direction_id for q in facts], np.int64
            ),
            graduation_year=np.array([q.graduation_year for q in facts], dtype=np.int64),
            education=np.array(
                [-1 if q.education_level is None else q.education_level for q in facts], np.int64
            ),
            visible=np.array([q.visible_to_employers for q in facts], dtype=np.bool_),
            opt_out=np.array([q.ranking_opt_out for q in facts], dtype=np.bool_),
            wish_cities=Ragged.build(
                [[c for c in map(city_number, q.wish.city_codes) if c] for q in facts]
            ),
            wish_occupations=Ragged.build(occupations),
            salary_floor=np.array(
                [-1 if q.wish.salary_floor is None else q.wish.salary_floor for q in facts],
                np.int64,
            ),
            relocate=np.array([q.wish.relocate for q in facts], dtype=np.bool_),
            abroad=np.array([q.wish.abroad for q in facts], dtype=np.bool_),
            concepts=matrix,
            concept_idf=idf,
            tokens=tokens,
            queries=bm25.select_queries(tokens, text),
            has_city=np.array([any(map(city_number, q.wish.city_codes)) for q in facts], np.bool_),
            has_occupation=np.array([bool(o) for o in occupations], dtype=np.bool_),
            relocate_code=np.array([4 * q.wish.relocate for q in facts], dtype=np.int8),
            education_index=np.array(
                [0 if q.education_level is None else q.education_level + 1 for q in facts], np.intp
            ),
        )

    def __len__(self) -> int:
        return len(self.ids)


@dataclass(frozen=True)
class MatchIndex:
    space: Space
    postings: PostingSide
    profiles: ProfileSide
    reference: Reference
    version: object = None  # the store version it was built from (None: from facts)

    def posting_row(self, posting_id: int) -> int:
        return _row(self.postings.ids, posting_id, "posting")

    def profile_row(self, profile_id: int) -> int:
        return _row(self.profiles.ids, profile_id, "profile")

    def with_profiles(
        self,
        facts: Sequence[ProfileFacts],
        *,
        tokenize: bm25.Tokenizer = bm25.segment,
        version: object = None,
    ) -> MatchIndex:
        """The same postings with a new set of profiles (reusing unchanged token counts)."""
        side = ProfileSide.build(
            facts, self.space, self.postings.text, tokenize=tokenize, previous=self.profiles.tokens
        )
        return MatchIndex(self.space, self.postings, side, self.reference, version)


def _row(ids: I64, wanted: int, what: str) -> int:
    i = int(np.searchsorted(ids, wanted))
    if i >= len(ids) or ids[i] != wanted:
        raise NotFound(f"no {what} {wanted} in the matching index")
    return i


def build_index(
    postings: Sequence[PostingFacts],
    profiles: Sequence[ProfileFacts],
    reference: Reference | None = None,
    *,
    tokenize: bm25.Tokenizer = bm25.segment,
    previous: MatchIndex | None = None,
    version: object = None,
    tokens: Tokens = (None, None),
) -> MatchIndex:
    """An index over these facts; ``previous`` (or ``tokens``: earlier posting and
    profile token counts, e.g. from ``token_cache``) lends counts for unchanged texts."""
    reference = reference or Reference()
    if previous is not None:
        tokens = (previous.postings.text.docs, previous.profiles.tokens)
    space = Space.build(reference, postings, profiles)
    posting_side = PostingSide.build(postings, space, tokenize=tokenize, previous=tokens[0])
    profile_side = ProfileSide.build(
        profiles, space, posting_side.text, tokenize=tokenize, previous=tokens[1]
    )
    return MatchIndex(space, posting_side, profile_side, reference, version)


def load_index(
    session: Session,
    *,
    previous: MatchIndex | None = None,
    version: object = None,
    tokens: Tokens = (None, None),
) -> MatchIndex:
    """An index over everything in the store."""
    reference = load_reference(session)
    return build_index(
        load_postings(session),
        load_profiles(session, reference),
        reference,
        previous=previous,
        version=version,
        tokens=tokens,
    )


# --- the process cache -------------------------------------------------------------------

_CACHE: dict[str, MatchIndex] = {}
_LOCK = threading.Lock()


def index_for(source: sessionmaker[Session] | Session) -> MatchIndex:
    """The index of the store behind ``source``, rebuilt only when its version changed.

    One index per store URL per process. When only profiles changed, the posting side
    is kept and only the profiles are reloaded; token counts of unchanged texts are
    reused either way, so only new or edited texts are segmented again: from the
    previous index, or in a fresh process from the store's token cache
    (``matching.token_cache``), which every build that segmented anything updates. The
    version and the facts are read in one session (on SQLite, one snapshot)."""
    if isinstance(source, Session):
        return _index_in(source)
    with source() as session:
        return _index_in(session)


def _index_in(session: Session) -> MatchIndex:
    version = store_version(session)
    with _LOCK:
        cached = _CACHE.get(version.url)
        if cached is not None and cached.version == version:
            return cached
        index: MatchIndex | None = None
        old = cached.version if cached is not None else None
        stored = token_cache.found(session, version.url, read=cached is None)
        before: Tokens = (stored.postings, stored.profiles) if stored else (None, None)
        if cached is not None:
            before = (cached.postings.text.docs, cached.profiles.tokens)
        if (
            cached is not None
            and isinstance(old, StoreVersion)
            and (old.reference, old.postings) == (version.reference, version.postings)
        ):
            profiles = load_profiles(session, cached.reference)
            if cached.space.covers(profiles):
                index = cached.with_profiles(profiles, version=version)
        if index is None:
            index = load_index(session, previous=cached, version=version, tokens=before)
        token_cache.keep(stored, index.postings.text.docs, index.profiles.tokens, before=before)
        _CACHE[version.url] = index
        return index


def clear_index_cache() -> None:
    with _LOCK:
        _CACHE.clear()
