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
from talentbridge.matching.profile_courses import (
    CourseInput,
    normal_course_name,
    parse_grade,
    remove_course,
    set_courses,
    sync_course_concepts,
    upsert_course,
)
from talentbridge.matching.profile_detail import ProfileDetail, profile_detail
from talentbridge.matching.version import mark_changed
from talentbridge.privacy import consent
from talentbridge.store.matching_tables import (
    ProfileConcept,
    ProfileExperience,
    ProfileWish,
)
from talentbridge.store.tables import Concept, Occupation, utcnow

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
    mark_changed(session, "profiles")  # the match index re-reads profiles
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
    mark_changed(session, "profiles")  # the match index re-reads profiles
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
    mark_changed(session, "profiles")  # the match index re-reads profiles
    if added or removed:
        audit_change(session, principal, profile, "profile.concepts.set",
                     f"{group} {source}: +{added} -{removed}")  # fmt: skip
    return added, removed


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
    mark_changed(session, "profiles")  # the match index re-reads profiles
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
    mark_changed(session, "profiles")  # the match index re-reads profiles
    audit_change(session, principal, profile, "profile.experience.edit", str(experience_id))


def remove_experience(
    session: Session, principal: Principal, *, profile_id: int, experience_id: int
) -> None:
    profile = editable_profile(session, principal, profile_id)
    session.delete(_experience(session, profile_id, experience_id))
    session.flush()
    mark_changed(session, "profiles")  # the match index re-reads profiles
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
    mark_changed(session, "profiles")  # the match index re-reads profiles
    audit_change(session, principal, profile, "profile.wish",
                 f"cities={cities} salary_min={wish.salary_min} occupations={occupations}")  # fmt: skip


def set_consent(
    session: Session,
    principal: Principal,
    *,
    profile_id: int,
    visible_to_employers: bool,
    channel: str = "web",
) -> None:
    """Whether employers may find the profile (consent; the owner or their college).

    Recorded as a consent record (``privacy.consent``) and applied at once."""
    consent.change(session, principal, profile_id=profile_id, purpose="employer_visibility",
                   granted=bool(visible_to_employers), channel=channel)  # fmt: skip


def set_ranking_opt_out(
    session: Session, principal: Principal, *, profile_id: int, opt_out: bool, channel: str = "web"
) -> None:
    """PIPL art. 24: refuse automated ranking (listed by plain rules, never scored).

    Recorded as a consent record for ``automated_ranking`` (``privacy.consent``)."""
    consent.change(session, principal, profile_id=profile_id, purpose="automated_ranking",
                   granted=not opt_out, channel=channel)  # fmt: skip
