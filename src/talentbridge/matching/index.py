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
from talentbridge.matching.index_arrays import (
    F64,
    I32,
    I64,
    MUNICIPALITIES,
    PREFERRED_STRENGTH,
    Bools,
    ConceptMatrix,
    Ragged,
    Space,
    Tokens,
    city_number,
    concept_rows,
    rarity,
)
from talentbridge.matching.version import StoreVersion, store_version

__all__ = ["F64", "I64", "MUNICIPALITIES", "MatchIndex", "city_number"]


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

        indptr, concepts, required, df = concept_rows(
            space, [(p.required_concept_ids, p.preferred_concept_ids) for p in facts]
        )
        idf = rarity(df, n)
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
        indptr, concepts, required, df = concept_rows(space, [(q.concept_ids, ()) for q in facts])
        idf = rarity(df, n)
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
