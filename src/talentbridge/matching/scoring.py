"""The parts of a match score, computed for one profile against many postings or one
posting against many profiles, with the same numbers either way.

Parts (each 0..1):

* ``skills``: the share of the posting's concept weight the profile holds; a concept
  weighs ``idf · strength`` (rarity over postings; required 1.0, preferred 0.5).
* ``skills_used``: the share of the profile's concept weight the posting uses; a concept
  weighs its rarity over profiles (what makes this student distinctive).
* ``major``: 对口: 1.0 when the posting's occupation is a primary occupation of the
  profile's major, 0.6 related, 0 otherwise or unknown.
* ``text``: BM25 of the profile's query terms in the posting, scaled so that a posting
  of average length holding each query term once scores 1.0, capped at 1
  (``matching.bm25``).
* ``education``: 1.0 when the profile's level meets the posting's minimum (or none is
  asked), 0.4 one level short, 0 further short, 0.5 when the profile's level is unknown.
* ``wishes``: the mean of the city, salary and occupation fits (``WishFit``).

Sides: ``employer_side`` (how much the employer would want the student) and
``student_side`` (how much the student would want the job) are weighted sums of parts
(``Weights``); ``total`` is their harmonic mean, high only when both sides are.

Bit-for-bit the same whichever side asks: each sum runs over the concepts or query
terms of a pair in ascending index order (``np.bincount`` adds sequentially), and the
rest are element-wise float64 operations.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
from numpy.typing import NDArray

from talentbridge.matching.index import F64, I64, MatchIndex

NOT_STATED = 0.5  # a wish or level nobody stated: neither fits nor fails


@dataclass(frozen=True)
class Weights:
    """How the parts add up to each side (each side's weights sum to 1).

    Employer side: skills coverage first, then major relevance and education (the
    hard-to-change qualifications), then text. Student side: wishes first (where, how
    much, what), then major relevance, skills used and text. Set by hand; a learned
    ranker (``matching.ltr``) can replace them once there is feedback."""

    employer_skills: float = 0.45
    employer_major: float = 0.20
    employer_education: float = 0.20
    employer_text: float = 0.15
    student_wishes: float = 0.40
    student_major: float = 0.20
    student_skills: float = 0.20
    student_text: float = 0.20


DEFAULT_WEIGHTS = Weights()


@dataclass(frozen=True)
class WishFit:
    """Values of the wish fits; ``NOT_STATED`` when either side says nothing."""

    city_match: float = 1.0  # the posting's city is a wished city
    city_same_province: float = 0.6  # same province as a wished city, willing to relocate
    city_same_province_stay: float = 0.3  # … not willing to relocate
    city_elsewhere_relocate: float = 0.4  # elsewhere, willing to relocate
    city_elsewhere: float = 0.0  # elsewhere, not willing
    salary_fits: float = 1.0  # the posting's lowest pay reaches the floor
    salary_range_reaches: float = 0.75  # only its highest pay does
    salary_below: float = 0.0
    occupation_match: float = 1.0
    occupation_other: float = 0.0


WISH_FIT = WishFit()
EDUCATION_MET = 1.0
EDUCATION_ONE_SHORT = 0.4
EDUCATION_SHORT = 0.0


@dataclass(frozen=True)
class PartArrays:
    """Parts and raw counts of a set of pairs, aligned to the rows asked for."""

    skills: F64
    skills_used: F64
    major: F64
    text: F64
    education: F64
    city: F64
    salary: F64
    occupation: F64
    wishes: F64
    employer_side: F64
    student_side: F64
    total: F64
    matched: I64  # concepts the posting asks that the profile holds
    matched_required: I64
    posting_concepts: I64
    posting_required: I64
    profile_concepts: I64

    def take(self, order: NDArray[np.intp]) -> PartArrays:
        return PartArrays(**{f.name: getattr(self, f.name)[order] for f in fields(self)})


def _city(
    posting_city: I64, has_wish: NDArray[np.bool_], relocate: NDArray[np.bool_],
    match: NDArray[np.bool_], same_province: NDArray[np.bool_],
) -> F64:  # fmt: skip
    w = WISH_FIT
    near = np.where(relocate, w.city_same_province, w.city_same_province_stay)
    far = np.where(relocate, w.city_elsewhere_relocate, w.city_elsewhere)
    fit = np.where(match, w.city_match, np.where(same_province, near, far))
    return np.where((posting_city == 0) | ~has_wish, NOT_STATED, fit).astype(np.float64)


def _salary(floor: I64, low_pay: I64, high_pay: I64) -> F64:
    w = WISH_FIT
    low = np.where(low_pay >= 0, low_pay, high_pay)
    high = np.where(high_pay >= 0, high_pay, low_pay)
    fit = np.where(
        low >= floor, w.salary_fits, np.where(high >= floor, w.salary_range_reaches, w.salary_below)
    )
    return np.where((floor < 0) | (high < 0), NOT_STATED, fit).astype(np.float64)


def _occupation(
    stated: NDArray[np.bool_], known: NDArray[np.bool_], match: NDArray[np.bool_]
) -> F64:
    w = WISH_FIT
    fit = np.where(match, w.occupation_match, w.occupation_other)
    return np.where(stated & known, fit, NOT_STATED).astype(np.float64)


def _education(asked: I64, held: I64) -> F64:
    fit = np.where(
        held >= asked,
        EDUCATION_MET,
        np.where(held == asked - 1, EDUCATION_ONE_SHORT, EDUCATION_SHORT),
    )
    return np.where(asked <= 0, EDUCATION_MET, np.where(held < 0, NOT_STATED, fit)).astype(
        np.float64
    )


def _sum_by(rows: NDArray[np.integer], weights: NDArray[np.floating], n: int) -> F64:
    """Sum of ``weights`` per row, added in input order."""
    return np.bincount(rows, weights=weights, minlength=n).astype(np.float64, copy=False)


def _share(part: F64, whole: F64) -> F64:
    return np.divide(part, whole, out=np.zeros(len(part)), where=whole > 0)


def _combine(
    weights: Weights, skills: F64, skills_used: F64, major: F64, text: F64, education: F64,
    city: F64, salary: F64, occupation: F64,
    counts: tuple[I64, I64, I64, I64, I64],
) -> PartArrays:  # fmt: skip
    w = weights
    wishes = (city + salary + occupation) / 3.0
    employer = (
        w.employer_skills * skills
        + w.employer_major * major
        + w.employer_education * education
        + w.employer_text * text
    )
    student = (
        w.student_wishes * wishes
        + w.student_major * major
        + w.student_skills * skills_used
        + w.student_text * text
    )
    both = employer + student
    total = np.divide(2.0 * employer * student, both, out=np.zeros(len(both)), where=both > 0)
    return PartArrays(
        skills, skills_used, major, text, education, city, salary, occupation, wishes,
        employer, student, total, *counts,
    )  # fmt: skip


def score_postings(
    index: MatchIndex, profile: int, rows: NDArray[np.intp], weights: Weights = DEFAULT_WEIGHTS
) -> PartArrays:
    """Parts of profile row ``profile`` against posting ``rows``."""
    P, Q, S = index.postings, index.profiles, index.space
    n = len(P)
    concepts, held_weights, _ = Q.concepts.row(profile)
    hit, hit_weights, hit_required, which = P.concepts.gather(concepts)
    matched_weight = _sum_by(hit, hit_weights, n)[rows]
    used_weight = _sum_by(hit, held_weights[which], n)[rows]
    matched = np.bincount(hit, minlength=n)[rows]
    matched_required = np.bincount(hit[hit_required], minlength=n)[rows]
    skills = _share(matched_weight, P.concepts.total[rows])
    skills_used = _share(used_weight, np.full(len(rows), Q.concepts.total[profile]))

    major = S.relation[Q.major[profile], P.occupation[rows]]

    terms = Q.queries.row(profile)
    text_hit, text_weights = P.text.gather(terms)
    raw = _sum_by(text_hit, text_weights, n)[rows]
    text = np.minimum(1.0, raw * Q.queries.norm[profile])

    city_of = P.city[rows]
    wished = Q.wish_cities.row(profile)
    count = len(rows)
    city = _city(
        city_of,
        np.full(count, len(wished) > 0),
        np.full(count, Q.relocate[profile]),
        np.isin(city_of, wished),
        np.isin(city_of // 10000, wished // 10000),
    )
    salary = _salary(
        np.full(count, Q.salary_floor[profile]), P.salary_min[rows], P.salary_max[rows]
    )
    wished_occupations = Q.wish_occupations.row(profile)
    posting_occupation = P.occupation[rows]
    occupation = _occupation(
        np.full(count, len(wished_occupations) > 0),
        posting_occupation < len(S.occupation_ids),
        np.isin(posting_occupation, wished_occupations),
    )
    education = _education(P.education[rows], np.full(count, Q.education[profile]))
    counts = (
        matched.astype(np.int64),
        matched_required.astype(np.int64),
        np.diff(P.concepts.indptr)[rows],
        P.concepts.required_count[rows],
        np.full(count, len(concepts), dtype=np.int64),
    )
    return _combine(
        weights, skills, skills_used, major, text, education, city, salary, occupation, counts
    )


def score_profiles(
    index: MatchIndex, posting: int, rows: NDArray[np.intp], weights: Weights = DEFAULT_WEIGHTS
) -> PartArrays:
    """Parts of profile ``rows`` against posting row ``posting``."""
    P, Q, S = index.postings, index.profiles, index.space
    n = len(Q)
    concepts, asked_weights, asked_required = P.concepts.row(posting)
    hit, held_weights, _, which = Q.concepts.gather(concepts)
    matched_weight = _sum_by(hit, asked_weights[which], n)[rows]
    used_weight = _sum_by(hit, held_weights, n)[rows]
    matched = np.bincount(hit, minlength=n)[rows]
    matched_required = np.bincount(hit[asked_required[which]], minlength=n)[rows]
    count = len(rows)
    skills = _share(matched_weight, np.full(count, P.concepts.total[posting]))
    skills_used = _share(used_weight, Q.concepts.total[rows])

    major = S.relation[Q.major[rows], P.occupation[posting]]

    terms, term_weights = P.text.row_weights(posting)
    text_hit, position = Q.queries.gather(terms)
    raw = _sum_by(text_hit, term_weights[position], n)[rows]
    text = np.minimum(1.0, raw * Q.queries.norm[rows])

    city_code = int(P.city[posting])
    cities = Q.wish_cities
    has_wish = (np.diff(cities.ptr) > 0)[rows]
    match = cities.rows_holding(city_code, n)[rows]
    same_province = np.zeros(n, dtype=np.bool_)
    same_province[cities.rows[cities.values // 10000 == city_code // 10000]] = True
    city = _city(
        np.full(count, city_code),
        has_wish,
        Q.relocate[rows],
        match,
        same_province[rows],
    )
    salary = _salary(
        Q.salary_floor[rows],
        np.full(count, P.salary_min[posting]),
        np.full(count, P.salary_max[posting]),
    )
    occupations = Q.wish_occupations
    posting_occupation = int(P.occupation[posting])
    occupation = _occupation(
        (np.diff(occupations.ptr) > 0)[rows],
        np.full(count, posting_occupation < len(S.occupation_ids)),
        occupations.rows_holding(posting_occupation, n)[rows],
    )
    education = _education(np.full(count, P.education[posting]), Q.education[rows])
    counts = (
        matched.astype(np.int64),
        matched_required.astype(np.int64),
        np.full(count, len(concepts), dtype=np.int64),
        np.full(count, int(asked_required.sum()), dtype=np.int64),
        np.diff(Q.concepts.indptr)[rows],
    )
    return _combine(
        weights, skills, skills_used, major, text, education, city, salary, occupation, counts
    )
