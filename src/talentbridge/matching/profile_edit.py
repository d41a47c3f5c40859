"""Services that change a profile: concepts, courses, experiences, wish, consent, opt-out.

Every service takes the session and the ``Principal`` asking, then keyword arguments
only; it checks ``accounts.policy.can_edit_profile`` (``NotFound`` / ``Forbidden``, see
``matching.profile_access``), validates its input (``ProfileInputError`` naming the
field), changes the rows, flushes (the caller commits) and, when the caller is not the
profile's owner, records an ``AuditEvent`` (action ``profile.<what>``).

* **Concepts** (skills, certificates, languages) are taxonomy concepts, given as ids,
  keys or labels (``matching.concept_refs``). ``source`` says where a row came from:
  ``self``, ``resume`` (a confirmed résumé suggestion), ``course`` (taught by a passed
  course, kept in step by ``sync_course_concepts``) or ``college`` (the bulk import).
* **Courses** are linked to a ``course`` row of the student's training plan when the
  name matches (the plan of the profile's college major, its direction first).
* **Wish** cities are GB/T 2260 codes or place names; a district counts as its city.
* **Consent** (``visible_to_employers``) and the **ranking opt-out** (PIPL art. 24).

The read model for a profile page is ``matching.profile_detail.profile_detail``,
re-exported here.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from talentbridge.accounts.policy import Principal
from talentbridge.domain.divisions import Division, division, find_division
from talentbridge.errors import NotFound
from talentbridge.matching.concept_refs import ConceptResolver, kinds_of
from talentbridge.matching.profile_access import (
    ProfileInputError,
    audit_change,
    editable_profile,
)
from talentbridge.matching.profile_detail import ProfileDetail, profile_detail
from talentbridge.store.matching_tables import (
    ProfileConcept,
    ProfileCourse,
    ProfileExperience,
    ProfileWish,
)
from talentbridge.store.tables import Concept, Occupation, Profile, utcnow
from talentbridge.store.teaching_tables import Course, CourseConcept, TrainingPlan

__all__ = [
    "CourseInput",
    "ExperienceInput",
    "ProfileDetail",
    "ProfileInputError",
    "WishInput",
    "add_concepts",
    "add_experience",
    "normal_course_name",
    "parse_grade",
    "profile_detail",
    "remove_concepts",
    "remove_course",
    "remove_experience",
    "resolve_city",
    "set_concepts",
    "set_consent",
    "set_courses",
    "set_ranking_opt_out",
    "set_wish",
    "sync_course_concepts",
    "update_experience",
    "upsert_course",
]

SOURCES = ("self", "resume", "course", "college")
EXPERIENCE_KINDS = ("education", "internship", "project", "work")
MAX_SALARY = 1_000_000
_GRADE_WORDS = {"优秀": 95.0, "优": 95.0, "良好": 85.0, "良": 85.0, "中等": 75.0, "中": 75.0,
                "及格": 65.0, "合格": 65.0, "通过": 65.0, "不及格": 40.0, "不合格": 40.0,
                "a": 95.0, "b": 85.0, "c": 75.0, "d": 65.0, "e": 40.0, "f": 40.0}  # fmt: skip
_SPACES = re.compile(r"[\s\u3000·•()（）\[\]【】<>《》\"“”'‘’]+")


# --- concepts ---------------------------------------------------------------------------


def _resolve(
    session: Session, refs: Sequence[int | str], group: str, field: str = "concepts"
) -> list[int]:
    try:
        kinds = kinds_of(group)
    except ValueError as exc:
        raise ProfileInputError("group", str(exc)) from None
    resolver = ConceptResolver(session)
    ids: list[int] = []
    for found in resolver.resolve_all(refs, kinds):
        if found.concept_id is None:
            raise ProfileInputError(field, found.reason or f"unknown {group[:-1]}")
        if found.concept_id not in ids:
            ids.append(found.concept_id)
    return ids


def _check_source(source: str) -> None:
    if source not in SOURCES:
        raise ProfileInputError("source", f"must be one of {', '.join(SOURCES)}")


def _check_level(level: int | None) -> None:
    if level is not None and not 1 <= level <= 5:
        raise ProfileInputError("level", "must be 1 to 5")


def add_concepts(
    session: Session,
    principal: Principal,
    *,
    profile_id: int,
    group: str,
    refs: Sequence[int | str],
    source: str = "self",
    level: int | None = None,
    evidence: str | None = None,
) -> list[int]:
    """Add skills/certificates/languages; the concept ids newly added (others were there)."""
    profile = editable_profile(session, principal, profile_id)
    _check_source(source)
    _check_level(level)
    ids = _resolve(session, refs, group)
    held = set(session.scalars(select(ProfileConcept.concept_id).where(
        ProfileConcept.profile_id == profile_id, ProfileConcept.source == source)))  # fmt: skip
    added = [cid for cid in ids if cid not in held]
    session.add_all(
        ProfileConcept(profile_id=profile_id, concept_id=cid, source=source, level=level,
                       confirmed=True, evidence=(evidence or None) and evidence[:300])
        for cid in added
    )  # fmt: skip
    session.flush()
    if added:
        audit_change(session, principal, profile, "profile.concepts.add",
                     f"{group} {source}: {','.join(map(str, added))}")  # fmt: skip
    return added


def remove_concepts(
    session: Session,
    principal: Principal,
    *,
    profile_id: int,
    concept_ids: Sequence[int],
    source: str | None = None,
) -> int:
    """Remove concepts (from every source, or only ``source``); how many rows went."""
    profile = editable_profile(session, principal, profile_id)
    stmt = delete(ProfileConcept).where(
        ProfileConcept.profile_id == profile_id, ProfileConcept.concept_id.in_(list(concept_ids))
    )
    if source is not None:
        _check_source(source)
        stmt = stmt.where(ProfileConcept.source == source)
    removed = session.execute(stmt).rowcount or 0  # type: ignore[attr-defined]
    session.flush()
    if removed:
        audit_change(session, principal, profile, "profile.concepts.remove",
                     f"{source or 'any'}: {','.join(map(str, concept_ids))}")  # fmt: skip
    return int(removed)


def set_concepts(
    session: Session,
    principal: Principal,
    *,
    profile_id: int,
    group: str,
    refs: Sequence[int | str],
    source: str = "self",
) -> tuple[list[int], list[int]]:
    """Make the group's concepts from ``source`` exactly ``refs``: (added, removed) ids."""
    profile = editable_profile(session, principal, profile_id)
    _check_source(source)
    ids = _resolve(session, refs, group)
    kinds = kinds_of(group)
    rows = session.execute(
        select(ProfileConcept, Concept.kind)
        .join(Concept, Concept.id == ProfileConcept.concept_id)
        .where(ProfileConcept.profile_id == profile_id, ProfileConcept.source == source)
    ).all()
    current = {pc.concept_id: pc for pc, kind in rows if kind in kinds}
    removed = [cid for cid in current if cid not in ids]
    added = [cid for cid in ids if cid not in current]
    for cid in removed:
        session.delete(current[cid])
    session.add_all(ProfileConcept(profile_id=profile_id, concept_id=cid, source=source,
                                   confirmed=True) for cid in added)  # fmt: skip
    session.flush()
    if added or removed:
        audit_change(session, principal, profile, "profile.concepts.set",
                     f"{group} {source}: +{added} -{removed}")  # fmt: skip
    return added, removed


# --- courses ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CourseInput:
    name: str
    term: str = ""
    grade: str | None = None  # as written: 优, 85, A
    passed: bool | None = None  # None: judged from the grade (score >= 60), else True


def normal_course_name(name: str) -> str:
    """Course names compare width-, case- and bracket-insensitively: 《物流管理（一）》 = 物流管理一."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", name)).lower()


def parse_grade(grade: str | None) -> float | None:
    """A 0–100 score from a grade as written (85, 85.5, 优, 良好, A, B+), or None."""
    if grade is None:
        return None
    text = unicodedata.normalize("NFKC", grade).strip().lower()
    if re.fullmatch(r"\d{1,3}(?:\.\d+)?", text):
        value = float(text)
        return value if 0 <= value <= 100 else None
    base = text.rstrip("+-")
    score = _GRADE_WORDS.get(base)
    if score is None:
        return None
    return score + (3.0 if text.endswith("+") else -3.0 if text.endswith("-") else 0.0)


def _plan_courses(session: Session, profile: Profile) -> dict[str, int]:
    """Normalized course name → course id, from the plans of the profile's college major
    (its direction's plans win over the major's, newer plans over older)."""
    if profile.college_major_id is None:
        return {}
    rows = list(session.execute(
        select(Course.id, Course.name, TrainingPlan.direction_key, TrainingPlan.year)
        .join(TrainingPlan, TrainingPlan.id == Course.training_plan_id)
        .where(TrainingPlan.college_major_id == profile.college_major_id,
               TrainingPlan.direction_key.in_({0, profile.direction_id or 0}))
    ))  # fmt: skip
    rows.sort(key=lambda r: (r[2] != 0, r[3] or 0, -r[0]))  # best last: direction, newer
    return {normal_course_name(name): cid for cid, name, _d, _y in rows}


def _course_values(item: CourseInput) -> tuple[str, str, str | None, float | None, bool]:
    name = " ".join(item.name.split())
    if not name:
        raise ProfileInputError("course", "course name is empty")
    if len(name) > 200:
        raise ProfileInputError("course", "course name is longer than 200 characters")
    term = item.term.strip()
    if len(term) > 20:
        raise ProfileInputError("term", "term is longer than 20 characters")
    grade = (item.grade or "").strip() or None
    if grade is not None and len(grade) > 20:
        raise ProfileInputError("grade", "grade is longer than 20 characters")
    score = parse_grade(grade)
    passed = item.passed if item.passed is not None else (score is None or score >= 60)
    return name, term, grade, score, passed


def sync_course_concepts(session: Session, profile_id: int) -> tuple[int, int]:
    """Keep ``course``-sourced concepts equal to what the passed, linked courses teach."""
    taught = set(session.scalars(
        select(CourseConcept.concept_id)
        .join(ProfileCourse, ProfileCourse.course_id == CourseConcept.course_id)
        .where(ProfileCourse.profile_id == profile_id, ProfileCourse.passed.is_(True))
    ))  # fmt: skip
    held = {pc.concept_id: pc for pc in session.scalars(select(ProfileConcept).where(
        ProfileConcept.profile_id == profile_id, ProfileConcept.source == "course"))}  # fmt: skip
    stale = [pc for cid, pc in held.items() if cid not in taught]
    for pc in stale:
        session.delete(pc)
    fresh = sorted(taught - held.keys())
    session.add_all(ProfileConcept(profile_id=profile_id, concept_id=cid, source="course",
                                   confirmed=True) for cid in fresh)  # fmt: skip
    session.flush()
    return len(fresh), len(stale)


def upsert_course(
    session: Session, principal: Principal, *, profile_id: int, course: CourseInput
) -> int:
    """Add a course (or update the one with the same name and term); its row id."""
    profile = editable_profile(session, principal, profile_id)
    name, term, grade, score, passed = _course_values(course)
    linked = _plan_courses(session, profile).get(normal_course_name(name))
    row = session.scalars(select(ProfileCourse).where(
        ProfileCourse.profile_id == profile_id, ProfileCourse.name == name,
        ProfileCourse.term == term)).one_or_none()  # fmt: skip
    if row is None:
        row = ProfileCourse(profile_id=profile_id, name=name, term=term)
        session.add(row)
    row.course_id, row.grade, row.score, row.passed = linked, grade, score, passed
    session.flush()
    sync_course_concepts(session, profile_id)
    audit_change(session, principal, profile, "profile.course", f"{name} {term} {grade or ''}")
    return row.id


def set_courses(
    session: Session, principal: Principal, *, profile_id: int, courses: Sequence[CourseInput]
) -> list[int]:
    """Replace the profile's courses with ``courses`` (e.g. a transcript); their row ids."""
    profile = editable_profile(session, principal, profile_id)
    plan = _plan_courses(session, profile)
    values = [_course_values(item) for item in courses]
    keys = [(name, term) for name, term, *_ in values]
    if len(set(keys)) != len(keys):
        raise ProfileInputError("course", "the same course and term is listed twice")
    existing = {(r.name, r.term): r for r in session.scalars(
        select(ProfileCourse).where(ProfileCourse.profile_id == profile_id))}  # fmt: skip
    for key, old in existing.items():
        if key not in set(keys):
            session.delete(old)
    ids: list[int] = []
    for name, term, grade, score, passed in values:
        row = existing.get((name, term)) or ProfileCourse(
            profile_id=profile_id, name=name, term=term
        )
        session.add(row)
        row.course_id = plan.get(normal_course_name(name))
        row.grade, row.score, row.passed = grade, score, passed
        session.flush()
        ids.append(row.id)
    sync_course_concepts(session, profile_id)
    audit_change(session, principal, profile, "profile.courses", f"{len(ids)} courses")
    return ids


def remove_course(
    session: Session, principal: Principal, *, profile_id: int, profile_course_id: int
) -> None:
    profile = editable_profile(session, principal, profile_id)
    row = session.get(ProfileCourse, profile_course_id)
    if row is None or row.profile_id != profile_id:
        raise NotFound(f"course {profile_course_id} not found on this profile")
    session.delete(row)
    session.flush()
    sync_course_concepts(session, profile_id)
    audit_change(session, principal, profile, "profile.course.remove", row.name)


# --- experiences ------------------------------------------------------------------------


@dataclass(frozen=True)
class ExperienceInput:
    kind: str  # education | internship | project | work
    organization_name: str | None = None
    title: str | None = None
    start_on: dt.date | None = None
    end_on: dt.date | None = None  # None: ongoing
    description: str = ""


def _check_experience(item: ExperienceInput) -> None:
    if item.kind not in EXPERIENCE_KINDS:
        raise ProfileInputError("kind", f"must be one of {', '.join(EXPERIENCE_KINDS)}")
    for field, value in (("organization_name", item.organization_name), ("title", item.title)):
        if value is not None and len(value) > 200:
            raise ProfileInputError(field, "longer than 200 characters")
    if item.start_on and item.end_on and item.end_on < item.start_on:
        raise ProfileInputError("end_on", "ends before it starts")
    if len(item.description) > 20_000:
        raise ProfileInputError("description", "longer than 20,000 characters")
    if not (item.organization_name or item.title or item.description.strip()):
        raise ProfileInputError("organization_name", "name an organization, a title or a text")


def _fill(row: ProfileExperience, item: ExperienceInput) -> None:
    row.kind = item.kind
    row.organization_name = (item.organization_name or "").strip() or None
    row.title = (item.title or "").strip() or None
    row.start_on, row.end_on = item.start_on, item.end_on
    row.description = item.description.strip()


def add_experience(
    session: Session,
    principal: Principal,
    *,
    profile_id: int,
    experience: ExperienceInput,
    source: str = "self",
) -> int:
    profile = editable_profile(session, principal, profile_id)
    _check_experience(experience)
    _check_source(source)
    row = ProfileExperience(profile_id=profile_id, source=source)
    _fill(row, experience)
    session.add(row)
    session.flush()
    audit_change(session, principal, profile, "profile.experience.add",
                 f"{experience.kind}: {row.organization_name or ''} {row.title or ''}")  # fmt: skip
    return row.id


def _experience(session: Session, profile_id: int, experience_id: int) -> ProfileExperience:
    row = session.get(ProfileExperience, experience_id)
    if row is None or row.profile_id != profile_id:
        raise NotFound(f"experience {experience_id} not found on this profile")
    return row


def update_experience(
    session: Session,
    principal: Principal,
    *,
    profile_id: int,
    experience_id: int,
    experience: ExperienceInput,
) -> None:
    profile = editable_profile(session, principal, profile_id)
    row = _experience(session, profile_id, experience_id)
    _check_experience(experience)
    _fill(row, experience)
    session.flush()
    audit_change(session, principal, profile, "profile.experience.edit", str(experience_id))


def remove_experience(
    session: Session, principal: Principal, *, profile_id: int, experience_id: int
) -> None:
    profile = editable_profile(session, principal, profile_id)
    session.delete(_experience(session, profile_id, experience_id))
    session.flush()
    audit_change(session, principal, profile, "profile.experience.remove", str(experience_id))


# --- wish, consent, opt-out -------------------------------------------------------------


@dataclass(frozen=True)
class WishInput:
    city_codes: Sequence[str] = ()  # division codes or place names
    salary_min: int | None = None  # yuan per month
    occupation_ids: Sequence[int] = ()
    willing_to_relocate: bool = True
    willing_to_go_abroad: bool = False
    summary: str = ""


def _as_city(found: Division) -> Division | None:
    if found.level == "district":
        return division(found.city_code)
    if found.level == "city" or found.name_zh.endswith("市"):  # municipalities count
        return found
    return None


def resolve_city(text: str) -> str:
    """A wish city as a division code: a city code, a district's city, or a municipality."""
    found = division(text.strip()) if text.strip().isdigit() else find_division(text)
    if found is None:
        raise ProfileInputError("city_codes", f"unknown place {text!r}")
    city = _as_city(found)
    if city is None:
        raise ProfileInputError("city_codes", f"{found.name_zh} is a province; name a city")
    return city.code


def set_wish(session: Session, principal: Principal, *, profile_id: int, wish: WishInput) -> None:
    """Replace the profile's wish (every field is set as given)."""
    profile = editable_profile(session, principal, profile_id)
    cities = list(dict.fromkeys(resolve_city(c) for c in wish.city_codes if c.strip()))
    if wish.salary_min is not None and not 0 < wish.salary_min <= MAX_SALARY:
        raise ProfileInputError("salary_min", "must be a monthly amount in yuan above 0")
    occupations = list(dict.fromkeys(wish.occupation_ids))
    if occupations:
        known = set(session.scalars(select(Occupation.id).where(Occupation.id.in_(occupations))))
        missing = [o for o in occupations if o not in known]
        if missing:
            raise ProfileInputError("occupation_ids", f"unknown occupation(s) {missing}")
    if len(wish.summary) > 5000:
        raise ProfileInputError("summary", "longer than 5,000 characters")
    row = session.get(ProfileWish, profile_id)
    if row is None:
        row = ProfileWish(profile_id=profile_id)
        session.add(row)
    row.city_codes = cities or None
    row.salary_min = wish.salary_min
    row.occupation_ids = occupations or None
    row.willing_to_relocate = wish.willing_to_relocate
    row.willing_to_go_abroad = wish.willing_to_go_abroad
    row.summary = wish.summary.strip()
    row.updated_at = utcnow()
    session.flush()
    audit_change(session, principal, profile, "profile.wish",
                 f"cities={cities} salary_min={wish.salary_min} occupations={occupations}")  # fmt: skip


def set_consent(
    session: Session, principal: Principal, *, profile_id: int, visible_to_employers: bool
) -> None:
    """Whether employers may find the profile (consent; the owner or their college)."""
    profile = editable_profile(session, principal, profile_id)
    profile.visible_to_employers = bool(visible_to_employers)
    session.flush()
    audit_change(session, principal, profile, "profile.consent",
                 f"visible_to_employers={profile.visible_to_employers}")  # fmt: skip


def set_ranking_opt_out(
    session: Session, principal: Principal, *, profile_id: int, opt_out: bool
) -> None:
    """PIPL art. 24: refuse automated ranking (listed by plain rules, never scored)."""
    profile = editable_profile(session, principal, profile_id)
    profile.ranking_opt_out = bool(opt_out)
    session.flush()
    audit_change(session, principal, profile, "profile.ranking_opt_out",
                 f"ranking_opt_out={profile.ranking_opt_out}")  # fmt: skip
