"""What the matching engine reads, loaded in bulk: ``ProfileFacts``, ``PostingFacts`` and
the ``Reference`` (concept labels, majors, occupations, the 对口 relation).

Plain frozen values, no ORM objects: the index (``matching.index``) is built from them,
and the benchmark and tests build facts in memory without a store. Loaders read each
table once with Core statements, ordered by id, so the same store always gives the same
facts in the same order.

Deliberately absent: ``profile_protected`` (gender, birth year, ethnicity, marital
status, hukou, health). Nothing here reads it; only ``matching.fairness`` does, for the
exposure audit. Contact data (name, phone, e-mail) is not read either.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import Connection, func, select
from sqlalchemy.orm import Session

from talentbridge.domain.education import Education
from talentbridge.store.matching_tables import (
    ProfileConcept,
    ProfileCourse,
    ProfileExperience,
    ProfileWish,
)
from talentbridge.store.tables import (
    CollegeMajor,
    Concept,
    Major,
    MajorOccupation,
    Occupation,
    Posting,
    PostingConcept,
    Profile,
)
from talentbridge.store.teaching_tables import CourseConcept

LEVEL_EDUCATION: dict[str, Education] = {
    "secondary": Education.SECONDARY_VOCATIONAL,
    "associate": Education.ASSOCIATE,
    "bachelor": Education.BACHELOR,
}
"""A major's catalog level → the education level its graduates hold."""


@dataclass(frozen=True, slots=True)
class Wish:
    """What a student wants. Empty tuples and ``None`` mean "not stated"."""

    city_codes: tuple[str, ...] = ()
    salary_floor: int | None = None  # yuan per month
    occupation_ids: tuple[int, ...] = ()
    relocate: bool = True
    abroad: bool = False


@dataclass(frozen=True, slots=True)
class ProfileFacts:
    id: int
    organization_id: int
    major_id: int | None = None
    direction_id: int | None = None
    graduation_year: int = 0
    education_level: int | None = None  # Education value of the major's catalog level
    concept_ids: tuple[int, ...] = ()  # confirmed skills plus those of passed courses, sorted
    text: str = ""  # wish summary, experiences, course names, concept labels
    wish: Wish = field(default_factory=Wish)
    visible_to_employers: bool = False
    ranking_opt_out: bool = False


@dataclass(frozen=True, slots=True)
class PostingFacts:
    id: int
    organization_id: int | None = None
    occupation_id: int | None = None
    city_code: str | None = None  # GB/T 2260 city (a municipality is its own city)
    in_circle: bool = False
    education_level: int | None = None  # the minimum asked, an Education value
    salary_min: int | None = None
    salary_max: int | None = None
    posted_on: dt.date | None = None
    flag_count: int = 0
    required_concept_ids: tuple[int, ...] = ()  # sorted; a concept is required or preferred
    preferred_concept_ids: tuple[int, ...] = ()
    text: str = ""  # title and requirements (the description when there are none)


@dataclass(frozen=True, slots=True)
class ConceptRef:
    id: int
    key: str
    kind: str
    label_zh: str | None
    label_en: str | None


@dataclass(frozen=True, slots=True)
class NamedRef:
    """A major or an occupation: its code and names."""

    id: int
    code: str
    name_zh: str
    name_en: str | None


@dataclass(frozen=True)
class Reference:
    """Names the engine and explanations use, and the 对口 relation."""

    concepts: dict[int, ConceptRef] = field(default_factory=dict)
    majors: dict[int, NamedRef] = field(default_factory=dict)
    occupations: dict[int, NamedRef] = field(default_factory=dict)
    # (major id, occupation id) → "primary" | "related"
    major_occupations: dict[tuple[int, int], str] = field(default_factory=dict)


# --- loaders ---------------------------------------------------------------------------


def _core(session: Session) -> Connection:
    """The session's connection (same transaction), flushed as ``session.execute`` would:
    Core rows without the ORM's result processing, half the cost per row on the large
    reads."""
    if session.autoflush:
        session.flush()
    return session.connection()


def load_reference(session: Session) -> Reference:
    concepts = {
        row.id: ConceptRef(row.id, row.key, row.kind, row.label_zh, row.label_en)
        for row in session.execute(
            select(Concept.id, Concept.key, Concept.kind, Concept.label_zh, Concept.label_en)
        )
    }
    majors = {
        row.id: NamedRef(row.id, row.code, row.name_zh, row.name_en)
        for row in session.execute(select(Major.id, Major.code, Major.name_zh, Major.name_en))
    }
    occupations = {
        row.id: NamedRef(row.id, row.code, row.name_zh, row.name_en)
        for row in session.execute(
            select(Occupation.id, Occupation.code, Occupation.name_zh, Occupation.name_en)
        )
    }
    relation: dict[tuple[int, int], str] = {}
    for major_id, occupation_id, strength in session.execute(
        select(MajorOccupation.major_id, MajorOccupation.occupation_id, MajorOccupation.strength)
    ):
        key = (int(major_id), int(occupation_id))
        if relation.get(key) != "primary":  # primary wins over related
            relation[key] = "primary" if strength == "primary" else "related"
    return Reference(concepts, majors, occupations, relation)


def load_postings(session: Session) -> list[PostingFacts]:
    """Every posting, id ascending, with its non-negated concepts."""
    required: dict[int, set[int]] = defaultdict(set)
    preferred: dict[int, set[int]] = defaultdict(set)
    for posting_id, concept_id, strength in _core(session).execute(
        select(PostingConcept.posting_id, PostingConcept.concept_id, PostingConcept.strength)
        .where(PostingConcept.negated.is_(False))
        .order_by(PostingConcept.posting_id, PostingConcept.id)
    ):
        (preferred if strength == "preferred" else required)[posting_id].add(concept_id)
    body = func.coalesce(func.nullif(Posting.requirements, ""), Posting.description, "")
    stmt = select(
        Posting.id,
        Posting.organization_id,
        Posting.occupation_id,
        Posting.city_code,
        Posting.province_code,
        Posting.in_circle,
        Posting.education_level,
        Posting.salary_min,
        Posting.salary_max,
        Posting.posted_on,
        Posting.flag_count,
        Posting.title,
        body.label("body"),
    ).order_by(Posting.id)
    out = []
    for row in _core(session).execute(stmt):
        req = required.get(row.id, set())
        pref = preferred.get(row.id, set()) - req  # required wins
        out.append(
            PostingFacts(
                id=row.id,
                organization_id=row.organization_id,
                occupation_id=row.occupation_id,
                city_code=row.city_code or row.province_code,
                in_circle=bool(row.in_circle),
                education_level=row.education_level,
                salary_min=row.salary_min,
                salary_max=row.salary_max,
                posted_on=row.posted_on,
                flag_count=int(row.flag_count or 0),
                required_concept_ids=tuple(sorted(req)),
                preferred_concept_ids=tuple(sorted(pref)),
                text=f"{row.title}\n{row.body or ''}".strip(),
            )
        )
    return out


def _grouped(rows: Iterable[tuple[int, str | None]]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = defaultdict(list)
    for key, text in rows:
        if text:
            out[key].append(text)
    return out


def load_profiles(session: Session, reference: Reference | None = None) -> list[ProfileFacts]:
    """Every profile, id ascending (never ``profile_protected``, never contact data)."""
    reference = reference or load_reference(session)
    concepts: dict[int, set[int]] = defaultdict(set)
    for profile_id, concept_id in _core(session).execute(
        select(ProfileConcept.profile_id, ProfileConcept.concept_id).where(
            ProfileConcept.confirmed.is_(True)
        )
    ):
        concepts[profile_id].add(concept_id)
    for profile_id, concept_id in _core(session).execute(
        select(ProfileCourse.profile_id, CourseConcept.concept_id)
        .join(CourseConcept, CourseConcept.course_id == ProfileCourse.course_id)
        .where(ProfileCourse.passed.is_(True))
    ):
        concepts[profile_id].add(concept_id)
    courses = _grouped(
        (row[0], row[1])
        for row in _core(session).execute(
            select(ProfileCourse.profile_id, ProfileCourse.name).order_by(
                ProfileCourse.profile_id, ProfileCourse.id
            )
        )
    )
    experiences: dict[int, list[str]] = defaultdict(list)
    for profile_id, title, description in _core(session).execute(
        select(
            ProfileExperience.profile_id, ProfileExperience.title, ProfileExperience.description
        ).order_by(ProfileExperience.profile_id, ProfileExperience.id)
    ):
        experiences[profile_id] += [t for t in (title, description) if t]
    wishes: dict[int, tuple[Wish, str]] = {}
    for wish_row in session.execute(select(ProfileWish)).scalars():
        wishes[wish_row.profile_id] = (
            Wish(
                city_codes=tuple(dict.fromkeys(str(c) for c in wish_row.city_codes or ())),
                salary_floor=wish_row.salary_min,
                occupation_ids=tuple(sorted({int(o) for o in wish_row.occupation_ids or ()})),
                relocate=bool(wish_row.willing_to_relocate),
                abroad=bool(wish_row.willing_to_go_abroad),
            ),
            wish_row.summary or "",
        )
    stmt = (
        select(
            Profile.id,
            Profile.organization_id,
            CollegeMajor.major_id,
            Major.level,
            Profile.direction_id,
            Profile.graduation_year,
            Profile.visible_to_employers,
            Profile.ranking_opt_out,
        )
        .outerjoin(CollegeMajor, CollegeMajor.id == Profile.college_major_id)
        .outerjoin(Major, Major.id == CollegeMajor.major_id)
        .where(Profile.deleted_at.is_(None))  # an erased person leaves matching (privacy.erasure)
        .order_by(Profile.id)
    )
    out = []
    for row in _core(session).execute(stmt):
        wish, summary = wishes.get(row.id, (Wish(), ""))
        held = tuple(sorted(concepts.get(row.id, ())))
        labels = [
            label
            for cid in held
            if (ref := reference.concepts.get(cid)) is not None
            for label in (ref.label_zh, ref.label_en)
            if label
        ]
        text = "\n".join(
            part
            for part in (
                summary,
                *experiences.get(row.id, ()),
                " ".join(courses.get(row.id, ())),
                " ".join(labels),
            )
            if part
        )
        level = LEVEL_EDUCATION.get(row.level) if row.level else None
        out.append(
            ProfileFacts(
                id=row.id,
                organization_id=row.organization_id,
                major_id=row.major_id,
                direction_id=row.direction_id,
                graduation_year=int(row.graduation_year),
                education_level=int(level) if level is not None else None,
                concept_ids=held,
                text=text,
                wish=wish,
                visible_to_employers=bool(row.visible_to_employers),
                ranking_opt_out=bool(row.ranking_opt_out),
            )
        )
    return out
