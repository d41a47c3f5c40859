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
from typing import Any

import numpy as np
from numpy.typing import NDArray

from talentbridge.matching.bm25 import _ranges
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

    def take(self, order: NDArray[np.intp]) -> PartArrays:
        return PartArrays(**{f.name: getattr(self, f.name)[order] for f in fields(self)})


def _city(
    posting_city: I64, has_wish: NDArray[np.bool_] | bool, relocate: NDArray[np.bool_] | bool,
    match: NDArray[np.bool_], same_province: NDArray[np.bool_],
) -> F64:  # fmt: skip
    w = WISH_FIT
    near = np.where(relocate, w.city_same_province, w.city_same_province_stay)
    far = np.where(relocate, w.city_elsewhere_relocate, w.city_elsewhere)
    fit = np.where(match, w.city_match, np.where(same_province, near, far))
    return np.where((posting_city == 0) | ~np.asarray(has_wish), NOT_STATED, fit).astype(np.float64)


def _salary(floor: I64 | int, low: I64, high: I64) -> F64:
    """Pay fit; ``low``/``high``: the posting's lowest and highest pay (-1: not stated)."""
    w = WISH_FIT
    fit = np.where(
        low >= floor, w.salary_fits, np.where(high >= floor, w.salary_range_reaches, w.salary_below)
    )
    return np.where((np.asarray(floor) < 0) | (high < 0), NOT_STATED, fit).astype(np.float64)


def _occupation(
    stated: NDArray[np.bool_] | bool, known: NDArray[np.bool_], match: NDArray[np.bool_]
) -> F64:
    w = WISH_FIT
    fit = np.where(match, w.occupation_match, w.occupation_other)
    return np.where(np.asarray(stated) & known, fit, NOT_STATED).astype(np.float64)


def _education(asked: I64, held: I64 | int) -> F64:
    fit = np.where(
        held >= asked,
        EDUCATION_MET,
        np.where(held == asked - 1, EDUCATION_ONE_SHORT, EDUCATION_SHORT),
    )
    return np.where(
        asked <= 0, EDUCATION_MET, np.where(np.asarray(held) < 0, NOT_STATED, fit)
    ).astype(np.float64)


EDUCATION_LEVELS = np.arange(-1, 8, dtype=np.int64)  # -1: not stated, then Education values


def _sum_by(rows: NDArray[np.integer], weights: NDArray[np.floating], n: int) -> F64:
    """Sum of ``weights`` per row, added in input order."""
    return np.bincount(rows, weights=weights, minlength=n).astype(np.float64, copy=False)


def _at(values: NDArray[Any], rows: NDArray[np.intp] | None) -> NDArray[Any]:
    return values if rows is None else values[rows]


def _combine(
    weights: Weights, skills: F64, skills_used: F64, major: F64, text: F64, education: F64,
    city: F64, salary: F64, occupation: F64,
) -> PartArrays:  # fmt: skip
    """Wishes, both sides and the total, element by element in one fixed order (in
    place, so that 200,000 postings cost few fresh arrays)."""
    w = weights
    n = len(skills)
    tmp = np.empty(n)
    wishes = np.add(city, salary, out=np.empty(n))
    wishes += occupation
    wishes /= 3.0
    employer = np.multiply(skills, w.employer_skills, out=np.empty(n))
    employer += np.multiply(major, w.employer_major, out=tmp)
    employer += np.multiply(education, w.employer_education, out=tmp)
    employer += np.multiply(text, w.employer_text, out=tmp)
    student = np.multiply(wishes, w.student_wishes, out=np.empty(n))
    student += np.multiply(major, w.student_major, out=tmp)
    student += np.multiply(skills_used, w.student_skills, out=tmp)
    student += np.multiply(text, w.student_text, out=tmp)
    total = np.multiply(employer, 2.0, out=np.empty(n))
    total *= student
    both = np.add(employer, student, out=tmp)
    both[both == 0.0] = 1.0  # both sides 0: total 0
    total /= both
    return PartArrays(
        skills, skills_used, major, text, education, city, salary, occupation, wishes,
        employer, student, total,
    )  # fmt: skip


# Codes of the int8 lookup tables below.
SALARY_BELOW, SALARY_RANGE, SALARY_FITS, SALARY_UNSTATED = 0, 1, 2, 3
SALARY_TABLE = np.array(
    [WISH_FIT.salary_below, WISH_FIT.salary_range_reaches, WISH_FIT.salary_fits, NOT_STATED]
)
CITY_UNSTATED, CITY_MATCH, CITY_PROVINCE, CITY_ELSEWHERE = 0, 1, 2, 3
CITY_TABLE = np.array(  # [code + 4 · willing to relocate]
    [
        NOT_STATED, WISH_FIT.city_match, WISH_FIT.city_same_province_stay, WISH_FIT.city_elsewhere,
        NOT_STATED, WISH_FIT.city_match, WISH_FIT.city_same_province, WISH_FIT.city_elsewhere_relocate,
    ]
)  # fmt: skip


def _salary_codes(
    floor: I64 | int, low: I64 | int, high: I64 | int, count: int
) -> NDArray[np.int8]:
    code = np.zeros(count, dtype=np.int8)
    code += np.asarray(low >= floor, dtype=np.int8)
    code += np.asarray(high >= floor, dtype=np.int8)
    code[np.broadcast_to((np.asarray(floor) < 0) | (np.asarray(high) < 0), (count,))] = (
        SALARY_UNSTATED
    )
    return code


def score_postings(
    index: MatchIndex,
    profile: int,
    rows: NDArray[np.intp] | None,
    weights: Weights = DEFAULT_WEIGHTS,
) -> PartArrays:
    """Parts of profile row ``profile`` against posting ``rows`` (None: all postings).

    Per-query tables (fit by distinct city, by education level, by occupation, by pay
    code) are looked up per posting: the same values ``score_profiles`` computes."""
    P, Q, S = index.postings, index.profiles, index.space
    n = len(P)
    count = n if rows is None else len(rows)
    concepts, held_weights, _ = Q.concepts.row(profile)
    hit, hit_weights, _, which = P.concepts.gather(concepts)
    skills = _at(_sum_by(hit, hit_weights, n), rows)
    skills /= _at(P.concepts.total_safe, rows)
    skills_used = _at(_sum_by(hit, held_weights[which], n), rows)
    skills_used /= Q.concepts.total_safe[profile]

    occupation_of = _at(P.occupation, rows)
    major = S.relation[Q.major[profile]][occupation_of]

    terms = Q.queries.row(profile)
    text_hit, text_weights = P.text.gather(terms)
    text = _at(_sum_by(text_hit, text_weights, n), rows)
    text *= Q.queries.norm[profile]
    np.minimum(text, 1.0, out=text)

    wished = Q.wish_cities.row(profile)
    city_table = _city(
        P.cities,
        len(wished) > 0,
        bool(Q.relocate[profile]),
        np.isin(P.cities, wished),
        np.isin(P.cities // 10000, wished // 10000),
    )
    city = city_table[_at(P.city_index, rows)]
    floor = int(Q.salary_floor[profile])
    if floor < 0:
        salary = np.full(count, NOT_STATED)
    else:
        codes = _salary_codes(floor, _at(P.pay_low, rows), _at(P.pay_high, rows), count)
        salary = SALARY_TABLE[codes]
    wished_occupations = Q.wish_occupations.row(profile)
    all_occupations = np.arange(len(S.occupation_ids) + 1)
    occupation_table = _occupation(
        len(wished_occupations) > 0,
        all_occupations < len(S.occupation_ids),
        np.isin(all_occupations, wished_occupations),
    )
    occupation = occupation_table[occupation_of]
    education_table = _education(EDUCATION_LEVELS, int(Q.education[profile]))
    education = education_table[_at(P.education_index, rows)]
    return _combine(weights, skills, skills_used, major, text, education, city, salary, occupation)


def score_profiles(
    index: MatchIndex, posting: int, rows: NDArray[np.intp], weights: Weights = DEFAULT_WEIGHTS
) -> PartArrays:
    """Parts of profile ``rows`` against posting row ``posting``."""
    P, Q, S = index.postings, index.profiles, index.space
    n = len(Q)
    count = len(rows)
    concepts, asked_weights, _ = P.concepts.row(posting)
    hit, held_weights, _, which = Q.concepts.gather(concepts)
    skills = _sum_by(hit, asked_weights[which], n)[rows]
    skills /= P.concepts.total_safe[posting]
    skills_used = _sum_by(hit, held_weights, n)[rows]
    skills_used /= Q.concepts.total_safe[rows]

    major = S.relation[Q.major[rows], P.occupation[posting]]

    terms, term_weights = P.text.row_weights(posting)
    text_hit, position = Q.queries.gather(terms)
    text = _sum_by(text_hit, term_weights[position], n)[rows]
    text *= Q.queries.norm[rows]
    np.minimum(text, 1.0, out=text)

    city_code = int(P.city[posting])
    if city_code == 0:
        city = np.full(count, NOT_STATED)
    else:
        wishes = Q.wish_cities
        code = np.full(n, CITY_ELSEWHERE, dtype=np.int8)
        code[wishes.rows[wishes.values // 10000 == city_code // 10000]] = CITY_PROVINCE
        code[wishes.rows[wishes.values == city_code]] = CITY_MATCH
        code[~Q.has_city] = CITY_UNSTATED
        code += Q.relocate_code
        city = CITY_TABLE[code[rows]]
    low, high = int(P.pay_low[posting]), int(P.pay_high[posting])
    salary = SALARY_TABLE[_salary_codes(Q.salary_floor[rows], low, high, count)]
    posting_occupation = int(P.occupation[posting])
    if posting_occupation >= len(S.occupation_ids):
        occupation = np.full(count, NOT_STATED)
    else:
        matches = Q.wish_occupations.rows_holding(posting_occupation, n)[rows]
        occupation = np.where(matches, WISH_FIT.occupation_match, WISH_FIT.occupation_other).astype(
            np.float64
        )
        occupation[~Q.has_occupation[rows]] = NOT_STATED
    education_table = _education(
        np.full(len(EDUCATION_LEVELS), P.education[posting]), EDUCATION_LEVELS
    )
    education = education_table[Q.education_index[rows]]
    return _combine(weights, skills, skills_used, major, text, education, city, salary, occupation)


@dataclass(frozen=True)
class PairCounts:
    matched: I64  # concepts the posting asks that the profile holds
    matched_required: I64
    posting_concepts: I64
    posting_required: I64
    profile_concepts: I64


def pair_counts(
    index: MatchIndex, profile_rows: NDArray[np.intp], posting_rows: NDArray[np.intp]
) -> PairCounts:
    """Concept counts of (profile, posting) row pairs, for features."""
    asked, held = index.postings.concepts, index.profiles.concepts
    width = len(index.space.concept_ids) + 1
    pairs = np.arange(len(posting_rows), dtype=np.int64)
    starts, ends = asked.indptr[posting_rows], asked.indptr[posting_rows + 1]
    take = _ranges(starts, ends)
    pair_of = np.repeat(pairs, ends - starts)
    asked_keys = pair_of * width + asked.concepts[take]
    held_starts, held_ends = held.indptr[profile_rows], held.indptr[profile_rows + 1]
    held_take = _ranges(held_starts, held_ends)
    held_keys = np.repeat(pairs, held_ends - held_starts) * width + held.concepts[held_take]
    hit = np.isin(asked_keys, held_keys)
    m = len(pairs)
    return PairCounts(
        matched=np.bincount(pair_of[hit], minlength=m).astype(np.int64),
        matched_required=np.bincount(pair_of[hit & asked.required[take]], minlength=m).astype(
            np.int64
        ),
        posting_concepts=(ends - starts).astype(np.int64),
        posting_required=asked.required_count[posting_rows],
        profile_concepts=(held_ends - held_starts).astype(np.int64),
    )
