"""Reads of profiles (a person's record) through the access policy.

``policy.profile_scope`` says which profiles a principal may see; ``scope_clause``
turns that into a WHERE clause. Contact data is blanked where the policy says so, and
every read of someone else's profile is written to the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, exists, false, func, or_, select, true
from sqlalchemy.orm import Session

from talentbridge.accounts.audit import read_purpose, record_event, record_reads
from talentbridge.accounts.policy import (
    Principal,
    Scope,
    can_view_profile,
    needs_audit,
    profile_scope,
    suppress_small,
)
from talentbridge.errors import NotFound
from talentbridge.privacy.masking import facts_for, mask_person
from talentbridge.store.matching_tables import Application
from talentbridge.store.tables import CollegeMajor, Major, Organization, Profile

DEFAULT_LIMIT = 200


@dataclass(frozen=True)
class ProfileView:
    """What a viewer may see of a profile; fields the viewer may not see are masked
    (``privacy.masking``: phone ``138****5678``), ``contact_hidden`` says so."""

    id: int
    organization_id: int
    organization_name_zh: str
    organization_name_en: str | None
    student_no: str
    name: str
    graduation_year: int
    major_name_zh: str | None
    major_name_en: str | None
    visible_to_employers: bool
    phone: str | None
    email: str | None
    contact_hidden: bool


def scope_clause(scope: Scope) -> ColumnElement[bool]:
    """The WHERE clause on ``Profile`` for a scope (``applied_to_organization_id``: an
    EXISTS over the profile's applications to postings of that organization, whatever
    their stage: a recruiter keeps seeing a candidate who applied). Contact data of such
    a candidate is masked by ``privacy.masking`` with the application as the fact, until
    the student withdraws it."""
    if scope.everything:
        return true()
    if scope.nothing:
        return false()
    conditions: list[ColumnElement[bool]] = []
    if scope.organization_id is not None:
        conditions.append(Profile.organization_id == scope.organization_id)
    if scope.user_id is not None:
        conditions.append(Profile.user_id == scope.user_id)
    if scope.consented:
        conditions.append(Profile.visible_to_employers.is_(True))
    if scope.applied_to_organization_id is not None:
        conditions.append(
            exists().where(
                Application.profile_id == Profile.id,
                Application.organization_id == scope.applied_to_organization_id,
            )
        )
    if not conditions:
        return false()
    return or_(*conditions)


def _select_views() -> Select[Profile, Organization, Major]:
    return (
        select(Profile, Organization, Major)
        .join(Organization, Organization.id == Profile.organization_id)
        .outerjoin(CollegeMajor, CollegeMajor.id == Profile.college_major_id)
        .outerjoin(Major, Major.id == CollegeMajor.major_id)
    )


def reachable_profiles(session: Session, principal: Principal, profile_ids: list[int]) -> set[int]:
    """Of ``profile_ids``, those with an application to the principal's organization that
    the student has not withdrawn (the fact ``has_applied_to_principal_org``)."""
    if principal.organization_id is None or not profile_ids:
        return set()
    return set(
        session.scalars(
            select(Application.profile_id).where(
                Application.profile_id.in_(profile_ids),
                Application.organization_id == principal.organization_id,
                or_(Application.declined_by.is_(None), Application.declined_by != "student"),
            )
        )
    )


def _view(
    principal: Principal,
    profile: Profile,
    org: Organization,
    major: Major | None,
    *,
    applied: bool = False,
) -> ProfileView:
    facts = facts_for(
        principal,
        profile_org_id=profile.organization_id,
        profile_user_id=profile.user_id,
        reachable=applied,
    )
    person = mask_person(
        principal,
        facts,
        name=profile.name,
        phone=profile.phone,
        email=profile.email,
        student_no=profile.student_no,
    )
    return ProfileView(
        id=profile.id,
        organization_id=profile.organization_id,
        organization_name_zh=org.name_zh,
        organization_name_en=org.name_en,
        student_no=person.student_no or "",
        name=person.name or "",
        graduation_year=profile.graduation_year,
        major_name_zh=major.name_zh if major else None,
        major_name_en=major.name_en if major else None,
        visible_to_employers=profile.visible_to_employers,
        phone=person.phone,
        email=person.email,
        contact_hidden=person.contact_hidden,
    )


def count_visible_profiles(session: Session, principal: Principal) -> int:
    clause = scope_clause(profile_scope(principal))
    return session.scalar(select(func.count()).select_from(Profile).where(clause)) or 0


def visible_profiles(
    session: Session,
    principal: Principal,
    *,
    graduation_year: int | None = None,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
) -> list[ProfileView]:
    """The profiles the principal may see, newest graduation year first (audited)."""
    stmt = _select_views().where(scope_clause(profile_scope(principal)))
    if graduation_year is not None:
        stmt = stmt.where(Profile.graduation_year == graduation_year)
    stmt = stmt.order_by(Profile.graduation_year.desc(), Profile.id).limit(limit).offset(offset)
    rows = session.execute(stmt).all()
    reachable = reachable_profiles(session, principal, [p.id for p, _, _ in rows])
    views = [_view(principal, p, o, m, applied=p.id in reachable) for p, o, m in rows]
    others = [
        (p.id, p.organization_id)
        for p, _, _ in rows
        if needs_audit(principal, profile_user_id=p.user_id)
    ]
    record_reads(session, principal, action="profile.list", records=others)
    return views


def get_visible_profile(session: Session, principal: Principal, profile_id: int) -> ProfileView:
    """One profile if the principal may see it; ``NotFound`` otherwise (whether it exists
    or not, so nothing leaks). Reads of someone else's profile are audited."""
    row = session.execute(_select_views().where(Profile.id == profile_id)).one_or_none()
    if row is None:
        raise NotFound(f"profile {profile_id} not found")
    profile, org, major = row
    applied = principal.organization_id is not None and bool(
        session.scalar(
            select(
                exists().where(
                    Application.profile_id == profile.id,
                    Application.organization_id == principal.organization_id,
                )
            )
        )
    )
    allowed = can_view_profile(
        principal,
        profile_org_id=profile.organization_id,
        profile_user_id=profile.user_id,
        visible_to_employers=profile.visible_to_employers,
        has_applied_to_principal_org=applied,
    )
    if not allowed:
        raise NotFound(f"profile {profile_id} not found")
    if needs_audit(principal, profile_user_id=profile.user_id):
        record_event(
            session,
            user_id=principal.user_id,
            action="profile.read",
            target_type="profile",
            target_id=profile.id,
            organization_id=profile.organization_id,
            purpose=read_purpose(principal),
        )
    reachable = bool(reachable_profiles(session, principal, [profile.id]))
    return _view(principal, profile, org, major, applied=reachable)


def profile_counts_by_year(session: Session, *, threshold: int) -> list[tuple[int, int | None]]:
    """Number of profiles per graduation year (an aggregate; small counts suppressed)."""
    stmt = (
        select(Profile.graduation_year, func.count())
        .group_by(Profile.graduation_year)
        .order_by(Profile.graduation_year)
    )
    return [(year, suppress_small(n, threshold)) for year, n in session.execute(stmt)]
