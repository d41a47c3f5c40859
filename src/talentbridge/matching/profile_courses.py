"""Courses of a profile with their grades, linked to the student's training plan.

``upsert_course`` / ``set_courses`` / ``remove_course`` are profile-editing services
(re-exported by ``matching.profile_edit``, whose rules they follow): a course is linked
to the ``course`` row of the plan of the profile's college major whose name matches
(width, case and brackets ignored; the direction's plan before the major's, newer plans
before older), and the concepts that passed, linked courses teach are kept as
``profile_concept`` rows with source ``course`` (``sync_course_concepts``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from talentbridge.accounts.policy import Principal
from talentbridge.errors import NotFound
from talentbridge.matching.profile_access import (
    ProfileInputError,
    audit_change,
    editable_profile,
)
from talentbridge.matching.version import mark_changed
from talentbridge.store.matching_tables import ProfileConcept, ProfileCourse
from talentbridge.store.tables import Profile
from talentbridge.store.teaching_tables import Course, CourseConcept, TrainingPlan

_GRADE_WORDS = {"优秀": 95.0, "优": 95.0, "良好": 85.0, "良": 85.0, "中等": 75.0, "中": 75.0,
                "及格": 65.0, "合格": 65.0, "通过": 65.0, "不及格": 40.0, "不合格": 40.0,
                "a": 95.0, "b": 85.0, "c": 75.0, "d": 65.0, "e": 40.0, "f": 40.0}  # fmt: skip
_SPACES = re.compile(r"[\s\u3000·•()（）\[\]【】<>《》\"“”'‘’]+")


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
    mark_changed(session, "profiles")  # the match index re-reads profiles
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
    mark_changed(session, "profiles")  # the match index re-reads profiles
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
        mark_changed(session, "profiles")  # the match index re-reads profiles
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
    mark_changed(session, "profiles")  # the match index re-reads profiles
    sync_course_concepts(session, profile_id)
    audit_change(session, principal, profile, "profile.course.remove", row.name)
