"""Why a profile and a posting match: ``explain(index or session, profile_id, posting_id)``.

The explanation a person is owed for an automated ranking (PIPL art. 24): which of the
posting's skills the profile holds and which it lacks (heaviest first: rarity ×
required), the major's relevance to the posting's occupation (对口), how the posting
fits the stated wishes, the education fit, the words the texts share, the score's parts
exactly as the engine computed them (``engine.score_pair``: the same code path, so the
same numbers), and whether the posting carries intake compliance flags.

``with_teaching(session, explanation)`` fills each missing skill's ``resources``: the
published library resources that teach it (``library.teaching``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
from sqlalchemy.orm import Session, sessionmaker

from talentbridge.library.teaching import TeachingResource, resources_teaching
from talentbridge.matching.engine import (
    Ranker,
    ScoreParts,
    Weights,
    feature_matrix,
    score_pair,
)
from talentbridge.matching.index import MatchIndex, index_for
from talentbridge.matching.scoring import DEFAULT_WEIGHTS, WISH_FIT, PartArrays


@dataclass(frozen=True)
class SkillItem:
    concept_id: int
    key: str
    label_zh: str | None
    label_en: str | None
    weight: float  # the posting's weight of the concept: rarity (idf) × strength
    required: bool  # required, else preferred
    resources: list[TeachingResource] = field(default_factory=list)  # see with_teaching


@dataclass(frozen=True)
class MajorRelevance:
    relation: str  # primary | related | none
    value: float  # the ``major`` part
    major_id: int | None
    major_code: str | None
    major_name_zh: str | None
    major_name_en: str | None
    occupation_id: int | None
    occupation_code: str | None
    occupation_name_zh: str | None
    occupation_name_en: str | None


@dataclass(frozen=True)
class WishItem:
    status: str  # fits | partly | does_not_fit | not_stated
    value: float
    wanted: tuple[str, ...]  # what the profile stated (city codes, pay floor, occupations)
    offered: str | None  # what the posting offers (city code, pay range, occupation)


@dataclass(frozen=True)
class WishDetails:
    city: WishItem
    salary: WishItem
    occupation: WishItem
    relocate: bool


@dataclass(frozen=True)
class EducationFit:
    asked: int | None  # the posting's minimum (an Education value), None: not stated
    held: int | None  # the profile's level, None: unknown
    value: float


@dataclass(frozen=True)
class Explanation:
    profile_id: int
    posting_id: int
    scored: bool  # False: the profile opted out of automated ranking (parts are zero)
    parts: ScoreParts
    weights: Weights
    matched_skills: list[SkillItem]
    missing_skills: list[SkillItem]
    major: MajorRelevance
    wishes: WishDetails
    education: EducationFit
    shared_terms: list[str]  # the profile's query words the posting's text holds
    flagged: bool
    flag_count: int


def with_teaching(session: Session, explanation: Explanation) -> Explanation:
    """``explanation`` with the library resources that teach each missing skill."""
    found = resources_teaching(
        session, concept_ids=[s.concept_id for s in explanation.missing_skills]
    )
    missing = [
        replace(s, resources=found.get(s.concept_id, [])) for s in explanation.missing_skills
    ]
    return replace(explanation, missing_skills=missing)


def explain(
    source: MatchIndex | Session | sessionmaker[Session],
    profile_id: int,
    posting_id: int,
    *,
    weights: Weights = DEFAULT_WEIGHTS,
    ranker: Ranker | None = None,
) -> Explanation:
    """The explanation of one pair (``NotFound`` for an unknown id)."""
    index = source if isinstance(source, MatchIndex) else index_for(source)
    P, Q, S, R = index.postings, index.profiles, index.space, index.reference
    profile, posting = index.profile_row(profile_id), index.posting_row(posting_id)
    parts, arrays = score_pair(index, profile_id, posting_id, weights)
    scored = not bool(Q.opt_out[profile])
    if ranker is not None and scored:
        features = feature_matrix(
            index, arrays, np.array([profile], np.intp), np.array([posting], np.intp)
        )
        parts = _with_total(parts, float(np.asarray(ranker(features)).reshape(-1)[0]))
    if not scored:
        parts = ScoreParts(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)

    asked, asked_weights, asked_required = P.concepts.row(posting)
    held = set(Q.concepts.row(profile)[0].tolist())
    matched: list[SkillItem] = []
    missing: list[SkillItem] = []
    for c, w, req in zip(
        asked.tolist(), asked_weights.tolist(), asked_required.tolist(), strict=True
    ):
        concept_id = int(S.concept_ids[c])
        ref = R.concepts.get(concept_id)
        item = SkillItem(
            concept_id,
            ref.key if ref else str(concept_id),
            ref.label_zh if ref else None,
            ref.label_en if ref else None,
            float(w),
            bool(req),
        )
        (matched if c in held else missing).append(item)
    matched.sort(key=lambda s: (-s.weight, s.concept_id))
    missing.sort(key=lambda s: (-s.weight, s.concept_id))

    return Explanation(
        profile_id=profile_id,
        posting_id=posting_id,
        scored=scored,
        parts=parts,
        weights=weights,
        matched_skills=matched,
        missing_skills=missing,
        major=_major(index, profile, posting, float(arrays.major[0])),
        wishes=_wishes(index, profile, posting, arrays),
        education=EducationFit(
            asked=_or_none(int(P.education[posting])),
            held=_or_none(int(Q.education[profile])),
            value=float(arrays.education[0]),
        ),
        shared_terms=_shared_terms(index, profile, posting),
        flagged=bool(P.flag_count[posting] > 0),
        flag_count=int(P.flag_count[posting]),
    )


def _with_total(parts: ScoreParts, total: float) -> ScoreParts:
    return ScoreParts(
        parts.skills, parts.major, parts.text, parts.wishes, parts.student_side,
        parts.employer_side, total, parts.skills_used, parts.education,
    )  # fmt: skip


def _or_none(value: int) -> int | None:
    return value if value >= 0 else None


def _major(index: MatchIndex, profile: int, posting: int, value: float) -> MajorRelevance:
    S, R = index.space, index.reference
    m, o = int(index.profiles.major[profile]), int(index.postings.occupation[posting])
    major_id = int(S.major_ids[m]) if m < len(S.major_ids) else None
    occupation_id = int(S.occupation_ids[o]) if o < len(S.occupation_ids) else None
    major = R.majors.get(major_id) if major_id is not None else None
    occupation = R.occupations.get(occupation_id) if occupation_id is not None else None
    strength = (
        R.major_occupations.get((major_id, occupation_id)) if major_id and occupation_id else None
    )
    return MajorRelevance(
        relation=strength or "none",
        value=value,
        major_id=major_id,
        major_code=major.code if major else None,
        major_name_zh=major.name_zh if major else None,
        major_name_en=major.name_en if major else None,
        occupation_id=occupation_id,
        occupation_code=occupation.code if occupation else None,
        occupation_name_zh=occupation.name_zh if occupation else None,
        occupation_name_en=occupation.name_en if occupation else None,
    )


def _status(value: float, stated: bool, best: float) -> str:
    if not stated:
        return "not_stated"
    if value >= best:
        return "fits"
    return "partly" if value > 0 else "does_not_fit"


def _wishes(index: MatchIndex, profile: int, posting: int, arrays: PartArrays) -> WishDetails:
    P, Q, S = index.postings, index.profiles, index.space
    cities = tuple(f"{c:06d}" for c in Q.wish_cities.row(profile).tolist())
    city = int(P.city[posting])
    floor = int(Q.salary_floor[profile])
    low, high = int(P.salary_min[posting]), int(P.salary_max[posting])
    pay = None if low < 0 and high < 0 else f"{max(low, 0)}-{high if high >= 0 else low}"
    wished_occupations = tuple(
        str(S.occupation_ids[o]) for o in Q.wish_occupations.row(profile).tolist()
    )
    o = int(P.occupation[posting])
    occupation = str(S.occupation_ids[o]) if o < len(S.occupation_ids) else None
    city_value, salary_value = float(arrays.city[0]), float(arrays.salary[0])
    occupation_value = float(arrays.occupation[0])
    return WishDetails(
        city=WishItem(
            _status(city_value, bool(cities) and city > 0, WISH_FIT.city_match),
            city_value,
            cities,
            f"{city:06d}" if city else None,
        ),
        salary=WishItem(
            _status(salary_value, floor >= 0 and pay is not None, WISH_FIT.salary_fits),
            salary_value,
            (str(floor),) if floor >= 0 else (),
            pay,
        ),
        occupation=WishItem(
            _status(
                occupation_value,
                bool(wished_occupations) and occupation is not None,
                WISH_FIT.occupation_match,
            ),
            occupation_value,
            wished_occupations,
            occupation,
        ),
        relocate=bool(Q.relocate[profile]),
    )


def _shared_terms(index: MatchIndex, profile: int, posting: int, limit: int = 12) -> list[str]:
    """The profile's query terms in the posting's text, heaviest first."""
    text = index.postings.text
    terms, weights = text.row_weights(posting)
    query = index.profiles.queries.row(profile)
    keep = np.isin(terms, query)
    found = sorted(zip((-weights[keep]).tolist(), terms[keep].tolist(), strict=True))[:limit]
    return [text.docs.vocab[t] for _, t in found]


__all__ = [
    "EducationFit",
    "Explanation",
    "MajorRelevance",
    "SkillItem",
    "WishDetails",
    "WishItem",
    "explain",
]
