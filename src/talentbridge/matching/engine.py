"""The matching engine: ``jobs_for`` a profile and ``candidates_for`` a posting.

One engine for both directions (docs/matching.md, "Engine contract"):

1. **hard filters** are only what the user sets (``JobFilters``, ``CandidateFilters``):
   city, education level, pay floor, occupation, graduation year, major. Nothing else
   excludes, and no protected attribute is ever read (``profile_protected`` is read
   only by ``matching.fairness``);
2. **parts** of each pair's score (``matching.scoring``): skills, major relevance,
   text, wishes, education; two **sides** (employer, student) as weighted sums
   (``Weights``); the **total** is their harmonic mean (reciprocal ranking);
3. **top k**, ties broken by posting or profile id ascending: the same input always
   gives the same ranking.

A learned ranker can replace the total: ``ranker`` maps a feature matrix of candidate
pairs (columns ``FEATURE_NAMES``, from ``features_for``) to scores, and re-ranks the
``RERANK_DEPTH`` best pairs by the hand-set total.

Profiles that opted out of automated ranking are never scored: their "jobs for me" is
the filtered list newest first (``Match.scored`` False, parts zero), and recruiters see
them only where they applied (``applied``), after the ranked candidates, by id.
Flagged postings (discriminatory requirements found at intake) stay in every list,
marked ``flagged``, unless the student filters them out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from talentbridge.matching.index import MUNICIPALITIES, MatchIndex, city_number
from talentbridge.matching.scoring import (
    DEFAULT_WEIGHTS,
    PartArrays,
    Weights,
    pair_counts,
    score_postings,
    score_profiles,
)

__all__ = [
    "DEFAULT_WEIGHTS",
    "FEATURE_NAMES",
    "RERANK_DEPTH",
    "CandidateFilters",
    "JobFilters",
    "Match",
    "Ranker",
    "ScoreParts",
    "Weights",
    "candidates_for",
    "features_for",
    "jobs_for",
]

RERANK_DEPTH = 200  # pairs a learned ranker re-orders (the best by the hand-set total)

Ranker = Callable[[NDArray[np.float64]], NDArray[np.float64]]
Visible = Callable[[int], bool] | Collection[int] | None


@dataclass(frozen=True)
class JobFilters:
    """Set by the student; never a protected attribute."""

    city_codes: tuple[str, ...] = ()  # GB/T 2260 city (or province) codes; () = anywhere
    max_education_level: int | None = None  # postings asking at most this level
    salary_floor: int | None = None  # yuan/month: the posting's max >= floor
    occupation_ids: tuple[int, ...] = ()
    include_flagged: bool = True  # flagged postings stay, marked


@dataclass(frozen=True)
class CandidateFilters:
    """Set by the recruiter; never a protected attribute."""

    graduation_years: tuple[int, ...] = ()
    major_ids: tuple[int, ...] = ()
    city_code: str | None = None  # candidates who wish to work there (or relocate)
    min_education_level: int | None = None


@dataclass(frozen=True)
class ScoreParts:
    skills: float  # share of the posting's concept weight (rarity × required) held
    major: float  # 对口: 1 primary, 0.6 related, 0 none
    text: float  # BM25 scaled to 0..1
    wishes: float  # city, salary, occupation fit
    student_side: float  # how much the student would want the job
    employer_side: float  # how much the employer would want the student
    total: float  # reciprocal: harmonic mean of the two sides (or the learned ranker's)
    skills_used: float = 0.0  # share of the profile's concept weight the posting uses
    education: float = 0.0  # the profile's level against the posting's minimum


ZERO_PARTS = ScoreParts(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)


@dataclass(frozen=True)
class Match:
    profile_id: int
    posting_id: int
    rank: int
    score: float
    parts: ScoreParts
    flagged: bool  # the posting has intake compliance flags
    scored: bool = True  # False: the profile opted out of automated ranking


FEATURE_NAMES: tuple[str, ...] = (
    "skills",
    "skills_used",
    "major",
    "text",
    "education",
    "wishes",
    "city",
    "salary",
    "occupation",
    "employer_side",
    "student_side",
    "total",
    "matched",
    "matched_required",
    "missing_required",
    "posting_concepts",
    "profile_concepts",
    "posting_salary_min",
    "posting_salary_max",
    "salary_floor",
    "posting_education",
    "profile_education",
)


# --- filters -----------------------------------------------------------------------------


def job_mask(index: MatchIndex, filters: JobFilters) -> NDArray[np.bool_]:
    """Postings that pass the student's filters."""
    P = index.postings
    mask = np.ones(len(P), dtype=np.bool_)
    if filters.city_codes:
        cities, provinces = set(), set()
        for code in filters.city_codes:
            number = city_number(code)
            province = number // 10000
            if number and number % 10000 == 0 and province not in MUNICIPALITIES:
                provinces.add(province)
            elif number:
                cities.add(number)
        place = np.isin(P.city, np.array(sorted(cities), dtype=np.int64))
        place |= np.isin(P.city // 10000, np.array(sorted(provinces), dtype=np.int64))
        mask &= place & (P.city > 0)
    if filters.max_education_level is not None:
        mask &= P.education <= filters.max_education_level
    if filters.salary_floor is not None:
        high = np.where(P.salary_max >= 0, P.salary_max, P.salary_min)
        mask &= (high >= 0) & (high >= filters.salary_floor)
    if filters.occupation_ids:
        S = index.space
        wanted = S.index_of(S.occupation_ids, list(filters.occupation_ids))
        mask &= np.isin(P.occupation, wanted[wanted < len(S.occupation_ids)])
    if not filters.include_flagged:
        mask &= P.flag_count == 0
    return mask


def candidate_mask(index: MatchIndex, filters: CandidateFilters) -> NDArray[np.bool_]:
    """Profiles that pass the recruiter's filters (consent is applied apart)."""
    Q = index.profiles
    mask = np.ones(len(Q), dtype=np.bool_)
    if filters.graduation_years:
        mask &= np.isin(Q.graduation_year, np.array(filters.graduation_years, dtype=np.int64))
    if filters.major_ids:
        mask &= np.isin(Q.major_id, np.array(filters.major_ids, dtype=np.int64))
    if filters.city_code is not None:
        number = city_number(filters.city_code)
        mask &= Q.wish_cities.rows_holding(number, len(Q)) | Q.relocate
    if filters.min_education_level is not None:
        mask &= Q.education >= filters.min_education_level
    return mask


# --- ordering ----------------------------------------------------------------------------


def top_order(scores: NDArray[np.float64], k: int) -> NDArray[np.intp]:
    """Positions of the ``k`` best scores, best first, equal scores by position (rows
    are in id order, so by id)."""
    n = len(scores)
    if k <= 0 or n == 0:
        return np.zeros(0, dtype=np.intp)
    if k >= n:
        return np.lexsort((np.arange(n), -scores))
    part = np.argpartition(-scores, k - 1)[:k]
    threshold = scores[part].min()
    above = np.flatnonzero(scores > threshold)
    ties = np.flatnonzero(scores == threshold)[: k - len(above)]
    chosen = np.concatenate([above, ties])
    return chosen[np.lexsort((chosen, -scores[chosen]))]


def _accepting(
    scores: NDArray[np.float64], k: int, accept: Callable[[int], bool] | None
) -> NDArray[np.intp]:
    """``top_order`` of only the positions ``accept`` admits, asked lazily best first."""
    if accept is None:
        return top_order(scores, k)
    size = max(4 * k, 64)
    while True:
        order = top_order(scores, size)
        kept = [int(i) for i in order if accept(int(i))]
        if len(kept) >= k or size >= len(scores):
            return np.array(kept[:k], dtype=np.intp)
        size *= 4


def _parts_at(parts: PartArrays, i: int, total: float | None = None) -> ScoreParts:
    return ScoreParts(
        skills=float(parts.skills[i]),
        major=float(parts.major[i]),
        text=float(parts.text[i]),
        wishes=float(parts.wishes[i]),
        student_side=float(parts.student_side[i]),
        employer_side=float(parts.employer_side[i]),
        total=float(parts.total[i]) if total is None else total,
        skills_used=float(parts.skills_used[i]),
        education=float(parts.education[i]),
    )


def feature_matrix(
    index: MatchIndex,
    parts: PartArrays,
    profile_rows: NDArray[np.intp],
    posting_rows: NDArray[np.intp],
) -> NDArray[np.float64]:
    """Pairs × ``FEATURE_NAMES``: the score parts and raw features of each pair."""
    P, Q = index.postings, index.profiles
    counts = pair_counts(index, profile_rows, posting_rows)
    columns = [
        parts.skills,
        parts.skills_used,
        parts.major,
        parts.text,
        parts.education,
        parts.wishes,
        parts.city,
        parts.salary,
        parts.occupation,
        parts.employer_side,
        parts.student_side,
        parts.total,
        counts.matched,
        counts.matched_required,
        counts.posting_required - counts.matched_required,
        counts.posting_concepts,
        counts.profile_concepts,
        P.salary_min[posting_rows],
        P.salary_max[posting_rows],
        Q.salary_floor[profile_rows],
        P.education[posting_rows],
        Q.education[profile_rows],
    ]
    return np.column_stack([np.asarray(c, dtype=np.float64) for c in columns])


def _rerank(
    index: MatchIndex,
    parts: PartArrays,
    profile_rows: NDArray[np.intp],
    posting_rows: NDArray[np.intp],
    ranker: Ranker,
) -> NDArray[np.float64]:
    features = feature_matrix(index, parts, profile_rows, posting_rows)
    scores = np.asarray(ranker(features), dtype=np.float64).reshape(-1)
    if scores.shape != (len(posting_rows),):
        raise ValueError(f"the ranker returned {scores.shape} scores for {len(posting_rows)} pairs")
    return scores


# --- the two directions ------------------------------------------------------------------


def jobs_for(
    index: MatchIndex,
    profile_id: int,
    filters: JobFilters = JobFilters(),
    *,
    k: int = 20,
    weights: Weights = DEFAULT_WEIGHTS,
    ranker: Ranker | None = None,
) -> list[Match]:
    """The ``k`` postings that fit the profile best, both sides considered."""
    P = index.postings
    row = index.profile_row(profile_id)
    mask = job_mask(index, filters)
    rows = np.flatnonzero(mask)
    if index.profiles.opt_out[row]:
        order = np.lexsort((P.ids[rows], -P.posted[rows]))[:k]
        return [
            Match(
                profile_id,
                int(P.ids[rows[i]]),
                rank,
                0.0,
                ZERO_PARTS,
                bool(P.flag_count[rows[i]] > 0),
                scored=False,
            )
            for rank, i in enumerate(order, start=1)
        ]
    # every posting (no copies) unless the filters leave out some
    parts = score_postings(index, row, None if len(rows) == len(P) else rows, weights)
    order = top_order(parts.total, RERANK_DEPTH if ranker else k)
    parts, rows = parts.take(order), rows[order]
    totals: NDArray[np.float64] | None = None
    order = np.arange(len(rows))
    if ranker is not None:
        totals = _rerank(index, parts, np.full(len(rows), row), rows, ranker)
        order = top_order(totals, k)
    return [
        Match(
            profile_id=profile_id,
            posting_id=int(P.ids[rows[i]]),
            rank=rank,
            score=float(parts.total[i] if totals is None else totals[i]),
            parts=_parts_at(parts, int(i), None if totals is None else float(totals[i])),
            flagged=bool(P.flag_count[rows[i]] > 0),
        )
        for rank, i in enumerate(order, start=1)
    ]


def candidates_for(
    index: MatchIndex,
    posting_id: int,
    filters: CandidateFilters = CandidateFilters(),
    *,
    k: int = 20,
    visible: Visible = None,
    applied: Collection[int] = frozenset(),
    require_consent: bool = True,
    weights: Weights = DEFAULT_WEIGHTS,
    ranker: Ranker | None = None,
) -> list[Match]:
    """The ``k`` profiles that fit the posting best, both sides considered.

    Only profiles the caller may see: with ``require_consent`` (recruiters) those who
    consented to be shown to employers or ``applied`` to this posting, and of those only
    the ones ``visible`` admits (a set of ids or a predicate; None admits all). Staff
    whose policy scope covers profiles without consent (a college's own students) pass
    ``require_consent=False`` with that scope as ``visible``. Opted-out profiles are never
    scored; those who applied follow the ranked ones, by id, ``scored`` False."""
    P, Q = index.postings, index.profiles
    row = index.posting_row(posting_id)
    flagged = bool(P.flag_count[row] > 0)
    applied_mask = np.isin(Q.ids, np.fromiter(applied, dtype=np.int64, count=len(applied)))
    mask = candidate_mask(index, filters)
    if require_consent:
        mask &= Q.visible | applied_mask
    ranked_rows = np.flatnonzero(mask & ~Q.opt_out)
    unscored_rows = np.flatnonzero(mask & Q.opt_out & applied_mask)
    accept = _visibility(visible, Q.ids)

    parts = score_profiles(index, row, ranked_rows, weights)
    accept_ranked = None if accept is None else (lambda i: accept(int(ranked_rows[i])))
    order = _accepting(parts.total, RERANK_DEPTH if ranker else k, accept_ranked)
    parts, ranked_rows = parts.take(order), ranked_rows[order]
    totals: NDArray[np.float64] | None = None
    order = np.arange(len(ranked_rows))
    if ranker is not None:
        totals = _rerank(index, parts, ranked_rows, np.full(len(ranked_rows), row), ranker)
        order = top_order(totals, k)
    out = [
        Match(
            profile_id=int(Q.ids[ranked_rows[i]]),
            posting_id=posting_id,
            rank=rank,
            score=float(parts.total[i] if totals is None else totals[i]),
            parts=_parts_at(parts, int(i), None if totals is None else float(totals[i])),
            flagged=flagged,
        )
        for rank, i in enumerate(order, start=1)
    ]
    unscored = [int(Q.ids[r]) for r in unscored_rows if accept is None or accept(int(r))]
    out += [
        Match(pid, posting_id, len(out) + n, 0.0, ZERO_PARTS, flagged, scored=False)
        for n, pid in enumerate(unscored, start=1)
    ]
    return out


def _visibility(visible: Visible, ids: NDArray[np.int64]) -> Callable[[int], bool] | None:
    """A predicate on profile rows for ``visible`` (None: everyone)."""
    if visible is None:
        return None
    if callable(visible):
        check = visible
        return lambda r: bool(check(int(ids[r])))
    allowed = visible if isinstance(visible, (set, frozenset)) else frozenset(visible)
    return lambda r: int(ids[r]) in allowed


def features_for(
    index: MatchIndex,
    pairs: Sequence[tuple[int, int]],
    *,
    weights: Weights = DEFAULT_WEIGHTS,
) -> tuple[list[str], NDArray[np.float64]]:
    """``(FEATURE_NAMES, matrix)`` for (profile id, posting id) pairs, one row per pair in
    the given order: the same parts the engine computes. Rows of profiles that opted out
    of automated ranking are NaN (they are never scored: drop them)."""
    matrix = np.full((len(pairs), len(FEATURE_NAMES)), np.nan)
    by_profile: dict[int, list[int]] = defaultdict(list)
    for n, (profile_id, _) in enumerate(pairs):
        by_profile[profile_id].append(n)
    for profile_id, positions in sorted(by_profile.items()):
        row = index.profile_row(profile_id)
        posting_rows = np.array([index.posting_row(pairs[n][1]) for n in positions], dtype=np.intp)
        if index.profiles.opt_out[row]:
            continue
        parts = score_postings(index, row, posting_rows, weights)
        profile_rows = np.full(len(posting_rows), row, dtype=np.intp)
        matrix[positions] = feature_matrix(index, parts, profile_rows, posting_rows)
    return list(FEATURE_NAMES), matrix


def score_pair(
    index: MatchIndex, profile_id: int, posting_id: int, weights: Weights = DEFAULT_WEIGHTS
) -> tuple[ScoreParts, PartArrays]:
    """The parts of one pair, as the engine computes them (for explanations)."""
    row = index.profile_row(profile_id)
    posting = np.array([index.posting_row(posting_id)], dtype=np.intp)
    parts = score_postings(index, row, posting, weights)
    return _parts_at(parts, 0), parts
