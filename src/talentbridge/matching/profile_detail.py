"""The read model of a profile page: everything about one profile a viewer may see.

``profile_detail(session, principal, profile_id)`` applies ``accounts.policy``: a
profile the viewer may not see is ``NotFound`` (whether it exists or not); contact data
(phone, e-mail) is masked by ``privacy.masking`` unless the viewer may see it (to a
recruiter: only while the student's application to their organization stands); pending résumé
suggestions and résumé files are shown only to those who may edit the profile; a read
by anyone but the owner is audited (``profile.read``, with its purpose). Protected attributes
(``profile_protected``) are never part of it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from talentbridge.accounts.audit import read_purpose, record_event
from talentbridge.accounts.policy import (
    Principal,
    can_edit_profile,
    can_view_profile,
    needs_audit,
)
from talentbridge.accounts.profiles_query import reachable_profiles
from talentbridge.domain.divisions import division
from talentbridge.errors import NotFound
from talentbridge.matching.concept_refs import CERTIFICATE_KINDS, LANGUAGE_KINDS
from talentbridge.matching.profile_access import has_applied_to
from talentbridge.privacy.masking import facts_for, mask_person
from talentbridge.store.matching_tables import (
    ProfileConcept,
    ProfileCourse,
    ProfileExperience,
    ProfileSuggestion,
    ProfileWish,
    ResumeFile,
)
from talentbridge.store.tables import (
    CollegeMajor,
    Concept,
    Direction,
    Major,
    Occupation,
    Organization,
    Profile,
)


@dataclass(frozen=True)
class ConceptItem:
    concept_id: int
    key: str
    kind: str
    label_zh: str | None
    label_en: str | None
    sources: tuple[str, ...]  # self, resume, course, college
    level: int | None
    confirmed: bool


@dataclass(frozen=True)
class CourseItem:
    id: int
    name: str
    term: str
    grade: str | None
    score: float | None
    passed: bool
    course_id: int | None  # the training plan's course, when the name matched


@dataclass(frozen=True)
class ExperienceItem:
    id: int
    kind: str
    organization_name: str | None
    title: str | None
    start_on: dt.date | None
    end_on: dt.date | None
    description: str
    source: str


@dataclass(frozen=True)
class PlaceItem:
    code: str
    name_zh: str
    name_en: str


@dataclass(frozen=True)
class OccupationItem:
    id: int
    code: str
    name_zh: str
    name_en: str | None


@dataclass(frozen=True)
class WishView:
    cities: tuple[PlaceItem, ...]
    salary_min: int | None
    occupations: tuple[OccupationItem, ...]
    willing_to_relocate: bool
    willing_to_go_abroad: bool
    summary: str


@dataclass(frozen=True)
class SuggestionItem:
    id: int
    resume_file_id: int | None
    kind: str
    text: str
    value: dict[str, object] | None
    span_start: int | None
    span_end: int | None
    status: str


@dataclass(frozen=True)
class ResumeItem:
    id: int
    file_name: str
    media_type: str
    size: int
    language: str | None
    created_at: dt.datetime


@dataclass(frozen=True)
class ProfileDetail:
    id: int
    organization_id: int
    organization_name_zh: str
    organization_name_en: str | None
    student_no: str
    name: str
    graduation_year: int
    major_id: int | None
    major_level: str | None
    major_code: str | None
    major_name_zh: str | None
    major_name_en: str | None
    direction_id: int | None
    direction_name_zh: str | None
    direction_name_en: str | None
    visible_to_employers: bool
    ranking_opt_out: bool
    phone: str | None
    email: str | None
    contact_hidden: bool
    can_edit: bool
    skills: tuple[ConceptItem, ...]
    certificates: tuple[ConceptItem, ...]
    languages: tuple[ConceptItem, ...]
    courses: tuple[CourseItem, ...]
    experiences: tuple[ExperienceItem, ...]
    wish: WishView | None
    suggestions: tuple[SuggestionItem, ...]  # pending ones; editors only
    resumes: tuple[ResumeItem, ...]  # editors only


def _concepts(session: Session, profile_id: int) -> list[ConceptItem]:
    rows = session.execute(
        select(ProfileConcept, Concept)
        .join(Concept, Concept.id == ProfileConcept.concept_id)
        .where(ProfileConcept.profile_id == profile_id)
        .order_by(Concept.kind, Concept.label_zh, Concept.id, ProfileConcept.source)
    ).all()
    merged: dict[int, ConceptItem] = {}
    for held, concept in rows:
        before = merged.get(concept.id)
        sources = (*before.sources, held.source) if before else (held.source,)
        merged[concept.id] = ConceptItem(
            concept_id=concept.id,
            key=concept.key,
            kind=concept.kind,
            label_zh=concept.label_zh,
            label_en=concept.label_en,
            sources=sources,
            level=held.level if held.level is not None else (before.level if before else None),
            confirmed=held.confirmed or bool(before and before.confirmed),
        )
    return list(merged.values())


def _wish(session: Session, profile_id: int) -> WishView | None:
    row = session.get(ProfileWish, profile_id)
    if row is None:
        return None
    places = [division(code) for code in row.city_codes or []]
    occupations: list[OccupationItem] = []
    if row.occupation_ids:
        found = {o.id: o for o in session.scalars(
            select(Occupation).where(Occupation.id.in_(row.occupation_ids)))}  # fmt: skip
        occupations = [OccupationItem(o.id, o.code, o.name_zh, o.name_en)
                       for oid in row.occupation_ids if (o := found.get(oid)) is not None]  # fmt: skip
    return WishView(
        cities=tuple(PlaceItem(p.code, p.name_zh, p.name_en) for p in places if p is not None),
        salary_min=row.salary_min,
        occupations=tuple(occupations),
        willing_to_relocate=row.willing_to_relocate,
        willing_to_go_abroad=row.willing_to_go_abroad,
        summary=row.summary,
    )


def _editor_parts(
    session: Session, profile_id: int
) -> tuple[tuple[SuggestionItem, ...], tuple[ResumeItem, ...]]:
    suggestions = tuple(
        SuggestionItem(s.id, s.resume_file_id, s.kind, s.text, s.value, s.span_start,
                       s.span_end, s.status)
        for s in session.scalars(select(ProfileSuggestion).where(
            ProfileSuggestion.profile_id == profile_id, ProfileSuggestion.status == "pending"
        ).order_by(ProfileSuggestion.id))
    )  # fmt: skip
    resumes = tuple(
        ResumeItem(r.id, r.file_name, r.media_type, r.size, r.language, r.created_at)
        for r in session.scalars(select(ResumeFile).where(ResumeFile.profile_id == profile_id)
                                 .order_by(ResumeFile.id.desc()))
    )  # fmt: skip
    return suggestions, resumes


def profile_detail(session: Session, principal: Principal, profile_id: int) -> ProfileDetail:
    """Everything for a profile page that ``principal`` may see (see the module docstring)."""
    profile = session.get(Profile, profile_id)
    if profile is None:
        raise NotFound(f"profile {profile_id} not found")
    facts = {
        "profile_org_id": profile.organization_id,
        "profile_user_id": profile.user_id,
        "visible_to_employers": profile.visible_to_employers,
        "has_applied_to_principal_org": has_applied_to(
            session, profile.id, principal.organization_id
        ),
    }
    if not can_view_profile(principal, **facts):  # type: ignore[arg-type]
        raise NotFound(f"profile {profile_id} not found")
    person = mask_person(
        principal,
        facts_for(
            principal,
            profile_org_id=profile.organization_id,
            profile_user_id=profile.user_id,
            reachable=bool(reachable_profiles(session, principal, [profile.id])),
        ),
        name=profile.name,
        phone=profile.phone,
        email=profile.email,
        student_no=profile.student_no,
    )
    can_edit = can_edit_profile(
        principal, profile_org_id=profile.organization_id, profile_user_id=profile.user_id
    )
    org = session.get(Organization, profile.organization_id)
    cm = session.get(CollegeMajor, profile.college_major_id) if profile.college_major_id else None
    major = session.get(Major, cm.major_id) if cm else None
    direction = session.get(Direction, profile.direction_id) if profile.direction_id else None
    concepts = _concepts(session, profile.id)
    courses = session.scalars(select(ProfileCourse).where(ProfileCourse.profile_id == profile.id)
                              .order_by(ProfileCourse.term, ProfileCourse.name))  # fmt: skip
    experiences = session.scalars(
        select(ProfileExperience).where(ProfileExperience.profile_id == profile.id)
        .order_by(ProfileExperience.start_on.desc(), ProfileExperience.id)
    )  # fmt: skip
    suggestions, resumes = _editor_parts(session, profile.id) if can_edit else ((), ())
    if needs_audit(principal, profile_user_id=profile.user_id):
        record_event(session, user_id=principal.user_id, action="profile.read",
                     target_type="profile", target_id=profile.id,
                     organization_id=profile.organization_id, detail="detail",
                     purpose=read_purpose(principal))  # fmt: skip
    return ProfileDetail(
        id=profile.id,
        organization_id=profile.organization_id,
        organization_name_zh=org.name_zh if org else "",
        organization_name_en=org.name_en if org else None,
        student_no=person.student_no or "",
        name=person.name or "",
        graduation_year=profile.graduation_year,
        major_id=major.id if major else None,
        major_level=major.level if major else None,
        major_code=major.code if major else None,
        major_name_zh=major.name_zh if major else None,
        major_name_en=major.name_en if major else None,
        direction_id=direction.id if direction else None,
        direction_name_zh=direction.name_zh if direction else None,
        direction_name_en=direction.name_en if direction else None,
        visible_to_employers=profile.visible_to_employers,
        ranking_opt_out=profile.ranking_opt_out,
        phone=person.phone,
        email=person.email,
        contact_hidden=person.contact_hidden,
        can_edit=can_edit,
        skills=tuple(c for c in concepts
                     if c.kind not in CERTIFICATE_KINDS and c.kind not in LANGUAGE_KINDS),
        certificates=tuple(c for c in concepts if c.kind in CERTIFICATE_KINDS),
        languages=tuple(c for c in concepts if c.kind in LANGUAGE_KINDS),
        courses=tuple(CourseItem(c.id, c.name, c.term, c.grade, c.score, c.passed, c.course_id)
                      for c in courses),
        experiences=tuple(ExperienceItem(e.id, e.kind, e.organization_name, e.title, e.start_on,
                                         e.end_on, e.description, e.source) for e in experiences),
        wish=_wish(session, profile.id),
        suggestions=suggestions,
        resumes=resumes,
    )  # fmt: skip
