"""Reads of applications: an employer's pipeline, a student's applications, a college's
students' applications, one application's history, and timings for outcomes.

Access (``accounts.policy``): recruiters of an organization (and the platform admin) see
its pipeline (``can_view_candidates``); anyone who may see a profile sees its
applications, recruiters only those to their own organization; college staff see their
students' applications. Contact data (phone, e-mail) is masked by
``privacy.masking`` unless the viewer may see it: to recruiters, only while the
candidate has applied or accepted (a withdrawn application masks it again). Reads of
other people's records are audited, with their purpose.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from talentbridge.accounts.audit import read_purpose, record_event, record_reads
from talentbridge.accounts.policy import (
    Principal,
    can_view_candidates,
    can_view_profile,
    needs_audit,
)
from talentbridge.accounts.roles import Role
from talentbridge.errors import Forbidden, NotFound
from talentbridge.matching.applications import NEXT_STAGE, STAGES, invitation_status
from talentbridge.matching.invitations import Invitation, invitation_of
from talentbridge.matching.profile_access import may_view_profile
from talentbridge.privacy.masking import MaskedPerson, facts_for, mask_person
from talentbridge.store.matching_tables import Application, ApplicationEvent, MatchFeedback
from talentbridge.store.tables import CollegeMajor, Major, Organization, Posting, Profile

DEFAULT_LIMIT = 500
# (major is outer-joined: None when the profile has no catalog major)
_Rows = Select[Application, Posting, Profile, Organization, Major]


@dataclass(frozen=True)
class ApplicationView:
    """One application as a viewer may see it; contact fields masked when hidden.
    ``flagged``: the posting has intake compliance flags (marked, never hidden)."""

    id: int
    profile_id: int
    posting_id: int
    organization_id: int | None
    posting_title: str
    employer_name: str
    flagged: bool
    stage: str
    origin: str
    declined_by: str | None
    created_at: dt.datetime
    updated_at: dt.datetime
    candidate_name: str
    college_id: int
    college_name_zh: str
    major_name_zh: str | None
    graduation_year: int
    phone: str | None
    email: str | None
    contact_hidden: bool


@dataclass(frozen=True)
class ApplicationList:
    """Counts per stage (every stage, zeros included) and the applications, newest
    change first; ``invitations``: invitations not yet answered (pipelines only)."""

    counts: dict[str, int]
    applications: list[ApplicationView]
    invitations: list[Invitation]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class EventView:
    stage: str
    at: dt.datetime
    user_id: int | None
    note: str | None


@dataclass(frozen=True)
class ApplicationDetail:
    application: ApplicationView
    events: list[EventView]
    next_stage: str | None  # the employer's one forward move, if any


def _select() -> _Rows:
    return (
        select(Application, Posting, Profile, Organization, Major)
        .join(Posting, Posting.id == Application.posting_id)
        .join(Profile, Profile.id == Application.profile_id)
        .join(Organization, Organization.id == Profile.organization_id)
        .outerjoin(CollegeMajor, CollegeMajor.id == Profile.college_major_id)
        .outerjoin(Major, Major.id == CollegeMajor.major_id)
    )


def _masked(principal: Principal, application: Application, profile: Profile) -> MaskedPerson:
    reachable = (
        application.declined_by != "student"
        and principal.organization_id is not None
        and application.organization_id == principal.organization_id
    )
    facts = facts_for(
        principal,
        profile_org_id=profile.organization_id,
        profile_user_id=profile.user_id,
        reachable=reachable,
    )
    return mask_person(
        principal, facts, name=profile.name, phone=profile.phone, email=profile.email
    )


def _view(
    principal: Principal,
    application: Application,
    posting: Posting,
    profile: Profile,
    college: Organization,
    major: Major | None,
) -> ApplicationView:
    person = _masked(principal, application, profile)
    return ApplicationView(
        id=application.id,
        profile_id=profile.id,
        posting_id=posting.id,
        organization_id=application.organization_id,
        posting_title=posting.title,
        employer_name=posting.employer_name,
        flagged=posting.flag_count > 0,
        stage=application.stage,
        origin=application.origin,
        declined_by=application.declined_by,
        created_at=application.created_at,
        updated_at=application.updated_at,
        candidate_name=person.name or "",
        college_id=college.id,
        college_name_zh=college.name_zh,
        major_name_zh=major.name_zh if major else None,
        graduation_year=profile.graduation_year,
        phone=person.phone,
        email=person.email,
        contact_hidden=person.contact_hidden,
    )


def _list(
    session: Session,
    principal: Principal,
    stmt: _Rows,
    *,
    stage: str | None,
    limit: int,
    action: str,
) -> tuple[dict[str, int], list[ApplicationView]]:
    counts_stmt = (
        select(Application.stage, func.count())
        .where(Application.id.in_(stmt.with_only_columns(Application.id).scalar_subquery()))
        .group_by(Application.stage)
    )
    found = dict(session.execute(counts_stmt).all())
    counts = {s: found.get(s, 0) for s in STAGES}
    if stage is not None:
        stmt = stmt.where(Application.stage == stage)
    rows = session.execute(
        stmt.order_by(Application.updated_at.desc(), Application.id.desc()).limit(limit)
    ).all()
    views = [_view(principal, *row) for row in rows]
    others = [
        (p.id, p.organization_id)
        for _, _, p, _, _ in rows
        if needs_audit(principal, profile_user_id=p.user_id)
    ]
    record_reads(session, principal, action=action, records=others)
    return counts, views


def pipeline_for_organization(
    session: Session,
    principal: Principal,
    *,
    organization_id: int | None = None,
    posting_id: int | None = None,
    stage: str | None = None,
    limit: int = DEFAULT_LIMIT,
) -> ApplicationList:
    """An employer's pipeline: counts per stage and the applications (of one posting when
    ``posting_id`` is given; at one stage when ``stage`` is), plus pending invitations.

    ``organization_id`` defaults to the principal's; the platform admin without either
    sees every application. Raises ``Forbidden`` (not that organization's recruiter) or
    ``NotFound`` (posting not found or not of that organization).
    """
    org_id = organization_id if organization_id is not None else principal.organization_id
    if posting_id is not None:
        posting = session.get(Posting, posting_id)
        if posting is None or (
            organization_id is not None and posting.organization_id != organization_id
        ):
            raise NotFound(f"posting {posting_id} not found")
        org_id = posting.organization_id
    everything = principal.role is Role.PLATFORM_ADMIN and org_id is None
    if not can_view_candidates(principal, posting_org_id=org_id):
        raise Forbidden("only the organization's recruiters may see its pipeline")
    stmt = _select()
    invites = select(MatchFeedback).where(MatchFeedback.event == "invite")
    if not everything:
        stmt = stmt.where(Application.organization_id == org_id)
        invites = invites.join(Posting, Posting.id == MatchFeedback.posting_id).where(
            Posting.organization_id == org_id
        )
    if posting_id is not None:
        stmt = stmt.where(Application.posting_id == posting_id)
        invites = invites.where(MatchFeedback.posting_id == posting_id)
    counts, views = _list(
        session, principal, stmt, stage=stage, limit=limit, action="application.pipeline"
    )
    pending = [
        invitation_of(session, row)
        for row in session.scalars(invites.order_by(MatchFeedback.id.desc()))
        if invitation_status(session, row) == "pending"
    ]
    return ApplicationList(counts=counts, applications=views, invitations=pending)


def applications_of_profile(
    session: Session, principal: Principal, *, profile_id: int
) -> ApplicationList:
    """A profile's applications and its invitations: for the student, their college's
    staff and the platform admin; a recruiter sees only those to their organization.
    ``NotFound`` when the caller may not see the profile."""
    profile = session.get(Profile, profile_id)
    if profile is None or not may_view_profile(session, principal, profile):
        raise NotFound(f"profile {profile_id} not found")
    stmt = _select().where(Application.profile_id == profile_id)
    invites = select(MatchFeedback).where(
        MatchFeedback.event == "invite", MatchFeedback.profile_id == profile_id
    )
    if principal.role is Role.RECRUITER:
        stmt = stmt.where(Application.organization_id == principal.organization_id)
        invites = invites.join(Posting, Posting.id == MatchFeedback.posting_id).where(
            Posting.organization_id == principal.organization_id
        )
    counts, views = _list(
        session, principal, stmt, stage=None, limit=DEFAULT_LIMIT, action="application.list"
    )
    invitations = [
        invitation_of(session, row)
        for row in session.scalars(invites.order_by(MatchFeedback.id.desc()))
    ]
    return ApplicationList(counts=counts, applications=views, invitations=invitations)


def applications_of_college(
    session: Session,
    principal: Principal,
    *,
    college_id: int | None = None,
    stage: str | None = None,
    graduation_year: int | None = None,
    limit: int = DEFAULT_LIMIT,
) -> ApplicationList:
    """The applications of a college's students (default: the principal's college): for
    its admins and teachers (teachers without contact data) and the platform admin."""
    college = college_id if college_id is not None else principal.organization_id
    if college is None or not can_view_profile(
        principal, profile_org_id=college, profile_user_id=None, visible_to_employers=False
    ):
        raise Forbidden("only the college's staff may see its students' applications")
    stmt = _select().where(Profile.organization_id == college)
    if graduation_year is not None:
        stmt = stmt.where(Profile.graduation_year == graduation_year)
    counts, views = _list(
        session, principal, stmt, stage=stage, limit=limit, action="application.college"
    )
    return ApplicationList(counts=counts, applications=views, invitations=[])


def application_detail(
    session: Session, principal: Principal, *, application_id: int
) -> ApplicationDetail:
    """One application with its steps, for its student, its employer's recruiters, the
    student's college staff and the platform admin (``NotFound`` for anyone else)."""
    row = session.execute(_select().where(Application.id == application_id)).first()
    if row is None:
        raise NotFound(f"application {application_id} not found")
    application, _, profile, _, _ = row
    employer = can_view_candidates(principal, posting_org_id=application.organization_id)
    if not employer and not (
        principal.role is not Role.RECRUITER and may_view_profile(session, principal, profile)
    ):
        raise NotFound(f"application {application_id} not found")
    if needs_audit(principal, profile_user_id=profile.user_id):
        record_event(
            session,
            user_id=principal.user_id,
            action="application.read",
            target_type="application",
            target_id=application.id,
            organization_id=profile.organization_id,
            purpose=read_purpose(principal),
        )
    events = session.scalars(
        select(ApplicationEvent)
        .where(ApplicationEvent.application_id == application.id)
        .order_by(ApplicationEvent.at, ApplicationEvent.id)
    ).all()
    return ApplicationDetail(
        application=_view(principal, *row),
        events=[EventView(e.stage, e.at, e.user_id, e.note) for e in events],
        next_stage=NEXT_STAGE.get(application.stage),
    )


# --- timings (aggregates, no person) ------------------------------------------------------


@dataclass(frozen=True)
class StageTiming:
    """How many applications reached a stage and the days it took from applying."""

    stage: str
    reached: int
    median_days: float | None
    mean_days: float | None


@dataclass(frozen=True)
class Timings:
    applications: int
    stages: dict[str, StageTiming]  # screened, interview, offer, hired, declined
    applications_per_hire: float | None


def stage_timings(
    session: Session,
    *,
    organization_id: int | None = None,
    posting_id: int | None = None,
    since: dt.datetime | None = None,
) -> Timings:
    """Days from application to the first time each later stage was reached, and
    applications per hire (recruiting efficiency), over one organization's or one
    posting's applications (all when neither is given; created at ``since`` or later).
    Aggregates only: the caller decides who may see them."""
    apps = select(Application.id, Application.created_at)
    if organization_id is not None:
        apps = apps.where(Application.organization_id == organization_id)
    if posting_id is not None:
        apps = apps.where(Application.posting_id == posting_id)
    if since is not None:
        apps = apps.where(Application.created_at >= since)
    created = dict(session.execute(apps).all())
    first: dict[tuple[int, str], dt.datetime] = {}
    if created:
        events = (
            select(
                ApplicationEvent.application_id,
                ApplicationEvent.stage,
                func.min(ApplicationEvent.at),
            )
            .where(
                ApplicationEvent.application_id.in_(
                    apps.with_only_columns(Application.id).scalar_subquery()
                )
            )
            .group_by(ApplicationEvent.application_id, ApplicationEvent.stage)
        )
        for app_id, stage, at in session.execute(events):
            first[(app_id, stage)] = at
    days: dict[str, list[float]] = {s: [] for s in STAGES if s != "applied"}
    for (app_id, stage), at in first.items():
        if stage in days:
            days[stage].append((at - created[app_id]).total_seconds() / 86400)
    stages = {
        stage: StageTiming(
            stage=stage,
            reached=len(values),
            median_days=statistics.median(values) if values else None,
            mean_days=statistics.fmean(values) if values else None,
        )
        for stage, values in days.items()
    }
    hires = stages["hired"].reached
    return Timings(
        applications=len(created),
        stages=stages,
        applications_per_hire=len(created) / hires if hires else None,
    )
