"""Running a job fair's allocation and interview schedule, and reading the results.

``allocate`` reads the stored preferences (``fair_preferences.preferences_of``), runs
student-proposing deferred acceptance (``fair_match.deferred_acceptance``), schedules
interviews without clashes (every student: the assigned opening, then further openings
on their list, up to ``interview_cap``; slots of the fair's ``slot_minutes`` between its
start and end) and stores ``FairAssignment`` and ``FairInterview`` rows, replacing the
previous run's (re-running changes nothing when nothing else changed). Interviews that
find no free slot are reported, not stored. Each assignment then becomes an application
(origin ``fair``, ``matching.fair_applications``), once per pair whatever the re-runs.

Results: the fair's organisers see everything; a recruiter sees the openings of their
organization; a student sees their own assignment and interviews.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from talentbridge.accounts.audit import FAIR_PURPOSE, record_reads
from talentbridge.accounts.policy import (
    Principal,
    can_act_for_profile,
    can_manage_fair,
    can_view_candidates,
    needs_audit,
)
from talentbridge.errors import Conflict, Forbidden
from talentbridge.matching.fair_applications import applications_from_allocation
from talentbridge.matching.fair_match import (
    blocking_pairs,
    deferred_acceptance,
    interview_requests,
    schedule_interviews,
)
from talentbridge.matching.fair_preferences import preferences_of
from talentbridge.matching.fairs import get_fair, slot_count, slot_start
from talentbridge.store.matching_tables import (
    Application,
    FairAssignment,
    FairInterview,
    FairOpening,
    FairRegistration,
    JobFair,
)
from talentbridge.store.tables import Posting, Profile

INTERVIEW_CAP = 3


@dataclass(frozen=True)
class FairSummary:
    """How an allocation went. Ranks are 1-based positions on the lists (lower is
    better); ``None`` when nobody was assigned."""

    fair_id: int
    status: str
    registered: int
    with_list: int  # students with a non-empty list
    assigned: int
    assigned_share: float | None  # assigned ÷ registered
    seats_total: int
    seats_filled: int
    mean_student_rank: float | None
    mean_employer_rank: float | None
    interviews: int
    slots: int
    unscheduled: tuple[tuple[int, int], ...]  # (profile id, opening id) without a slot
    blocking_pairs: int  # 0: the allocation is stable
    applications: int = 0  # assignments whose pair has an application (any origin)


def allocate(
    session: Session,
    principal: Principal,
    *,
    fair_id: int,
    interview_cap: int = INTERVIEW_CAP,
) -> FairSummary:
    """Allocate the fair and schedule its interviews (see the module docstring); the
    fair's status becomes ``allocated``. Raises ``Forbidden`` (not an organiser) or
    ``Conflict`` (closed fair)."""
    fair = get_fair(session, fair_id=fair_id)
    if not can_manage_fair(principal, fair_org_id=fair.organization_id):
        raise Forbidden("only the fair's organisers may run its allocation")
    if fair.status == "closed":
        raise Conflict("this job fair is closed")
    prefs = preferences_of(session, fair_id=fair_id)
    assignment = deferred_acceptance(prefs)
    slots = slot_count(fair)
    requests = interview_requests(prefs, assignment, cap=interview_cap)
    schedule = schedule_interviews(requests, slots=slots)
    session.execute(delete(FairInterview).where(FairInterview.fair_id == fair_id))
    session.execute(delete(FairAssignment).where(FairAssignment.fair_id == fair_id))
    session.add_all(
        FairAssignment(
            fair_id=fair_id,
            fair_opening_id=opening,
            profile_id=student,
            student_rank=prefs.student_rank(student, opening),
            employer_rank=prefs.opening_rank(opening, student),
        )
        for student, opening in sorted(assignment.items())
    )
    session.add_all(
        FairInterview(
            fair_id=fair_id,
            fair_opening_id=opening,
            profile_id=student,
            starts_at=slot_start(fair, slot),
            ends_at=slot_start(fair, slot + 1),
        )
        for (student, opening), slot in sorted(schedule.slot_of.items())
    )
    fair.status = "allocated"
    session.flush()
    # (the command line's operator has no user row: id 0 is recorded as nobody)
    applications_from_allocation(session, fair, user_id=principal.user_id or None)
    session.flush()
    return _summary(
        session,
        fair,
        unscheduled=tuple(schedule.unscheduled),
        blocking=len(blocking_pairs(prefs, assignment)),
    )


def fair_summary(session: Session, principal: Principal, *, fair_id: int) -> FairSummary:
    """The stored allocation's figures (organisers only). ``unscheduled`` lists assigned
    students without an interview at their assigned opening; ``blocking_pairs`` is
    computed against the current preferences."""
    fair = get_fair(session, fair_id=fair_id)
    if not can_manage_fair(principal, fair_org_id=fair.organization_id):
        raise Forbidden("only the fair's organisers may see its figures")
    assignments = session.execute(
        select(FairAssignment.profile_id, FairAssignment.fair_opening_id).where(
            FairAssignment.fair_id == fair_id
        )
    ).all()
    interviewed = set(
        session.execute(
            select(FairInterview.profile_id, FairInterview.fair_opening_id).where(
                FairInterview.fair_id == fair_id
            )
        ).all()
    )
    missing = tuple(sorted((p, o) for p, o in assignments if (p, o) not in interviewed))
    prefs = preferences_of(session, fair_id=fair_id)
    blocking = blocking_pairs(prefs, dict(assignments))
    return _summary(session, fair, unscheduled=missing, blocking=len(blocking))


def _summary(
    session: Session, fair: JobFair, *, unscheduled: tuple[tuple[int, int], ...], blocking: int
) -> FairSummary:
    registered = session.scalars(
        select(FairRegistration.profile_id).where(FairRegistration.fair_id == fair.id)
    ).all()
    prefs = preferences_of(session, fair_id=fair.id)
    assignments = session.scalars(
        select(FairAssignment).where(FairAssignment.fair_id == fair.id)
    ).all()
    student_ranks = [a.student_rank for a in assignments if a.student_rank is not None]
    employer_ranks = [a.employer_rank for a in assignments if a.employer_rank is not None]
    seats = sum(prefs.seats.values())
    interviews = session.scalars(
        select(FairInterview.id).where(FairInterview.fair_id == fair.id)
    ).all()
    applied = session.scalar(
        select(func.count())
        .select_from(FairAssignment)
        .join(FairOpening, FairOpening.id == FairAssignment.fair_opening_id)
        .join(
            Application,
            (Application.profile_id == FairAssignment.profile_id)
            & (Application.posting_id == FairOpening.posting_id),
        )
        .where(FairAssignment.fair_id == fair.id)
    )
    return FairSummary(
        fair_id=fair.id,
        status=fair.status,
        registered=len(registered),
        with_list=sum(1 for lst in prefs.students.values() if lst),
        assigned=len(assignments),
        assigned_share=len(assignments) / len(registered) if registered else None,
        seats_total=seats,
        seats_filled=len(assignments),
        mean_student_rank=statistics.fmean(student_ranks) if student_ranks else None,
        mean_employer_rank=statistics.fmean(employer_ranks) if employer_ranks else None,
        interviews=len(interviews),
        slots=slot_count(fair),
        unscheduled=unscheduled,
        blocking_pairs=blocking,
        applications=int(applied or 0),
    )


# --- results --------------------------------------------------------------------------------


@dataclass(frozen=True)
class AssignmentView:
    profile_id: int
    candidate_name: str
    opening_id: int
    posting_id: int
    posting_title: str
    employer_name: str
    student_rank: int | None
    employer_rank: int | None


@dataclass(frozen=True)
class InterviewView:
    profile_id: int
    candidate_name: str
    opening_id: int
    posting_id: int
    posting_title: str
    employer_name: str
    booth: str | None
    starts_at: dt.datetime
    ends_at: dt.datetime
    assigned: bool  # the student's assigned opening


@dataclass(frozen=True)
class FairResults:
    assignments: list[AssignmentView]
    interviews: list[InterviewView]  # by start time, then opening


def fair_results(
    session: Session,
    principal: Principal,
    *,
    fair_id: int,
    profile_id: int | None = None,
    opening_id: int | None = None,
) -> FairResults:
    """The stored allocation and interviews a principal may see: the organisers all
    (or one student's or opening's); a recruiter their organization's openings; a
    student their own (``profile_id`` required). Raises ``Forbidden`` otherwise."""
    fair = get_fair(session, fair_id=fair_id)
    organiser = can_manage_fair(principal, fair_org_id=fair.organization_id)
    rows = session.execute(
        select(FairOpening, Posting)
        .join(Posting, Posting.id == FairOpening.posting_id)
        .where(FairOpening.fair_id == fair_id)
    ).all()
    openings = {o.id: (o, p) for o, p in rows}
    if not organiser:
        if profile_id is not None:
            profile = session.get(Profile, profile_id)
            if profile is None or not can_act_for_profile(
                principal, profile_user_id=profile.user_id
            ):
                raise Forbidden("a student sees only their own allocation")
        else:
            openings = {
                oid: (o, p)
                for oid, (o, p) in openings.items()
                if can_view_candidates(principal, posting_org_id=p.organization_id)
            }
            if not openings:
                raise Forbidden("only the fair's organisers and its employers see results")
    if opening_id is not None:
        openings = {k: v for k, v in openings.items() if k == opening_id}
    names = dict(
        session.execute(
            select(Profile.id, Profile.name)
            .join(FairRegistration, FairRegistration.profile_id == Profile.id)
            .where(FairRegistration.fair_id == fair_id)
        ).all()
    )
    a_stmt = select(FairAssignment).where(FairAssignment.fair_id == fair_id)
    i_stmt = select(FairInterview).where(FairInterview.fair_id == fair_id)
    if profile_id is not None:
        a_stmt = a_stmt.where(FairAssignment.profile_id == profile_id)
        i_stmt = i_stmt.where(FairInterview.profile_id == profile_id)
    assigned_pairs: set[tuple[int, int]] = set()
    assignments = []
    for a in session.scalars(
        a_stmt.order_by(FairAssignment.fair_opening_id, FairAssignment.profile_id)
    ):
        assigned_pairs.add((a.profile_id, a.fair_opening_id))
        if a.fair_opening_id not in openings:
            continue
        opening, posting = openings[a.fair_opening_id]
        assignments.append(
            AssignmentView(
                profile_id=a.profile_id,
                candidate_name=names.get(a.profile_id, ""),
                opening_id=opening.id,
                posting_id=posting.id,
                posting_title=posting.title,
                employer_name=posting.employer_name,
                student_rank=a.student_rank,
                employer_rank=a.employer_rank,
            )
        )
    interviews = []
    for i in session.scalars(
        i_stmt.order_by(FairInterview.starts_at, FairInterview.fair_opening_id)
    ):
        if i.fair_opening_id not in openings:
            continue
        opening, posting = openings[i.fair_opening_id]
        interviews.append(
            InterviewView(
                profile_id=i.profile_id,
                candidate_name=names.get(i.profile_id, ""),
                opening_id=opening.id,
                posting_id=posting.id,
                posting_title=posting.title,
                employer_name=posting.employer_name,
                booth=opening.booth,
                starts_at=i.starts_at,
                ends_at=i.ends_at,
                assigned=(i.profile_id, i.fair_opening_id) in assigned_pairs,
            )
        )
    shown = {v.profile_id for v in assignments} | {v.profile_id for v in interviews}
    if shown:  # one audit event per college whose students the results name
        owners = session.execute(
            select(Profile.id, Profile.organization_id, Profile.user_id).where(
                Profile.id.in_(sorted(shown))
            )
        ).all()
        record_reads(session, principal, action="fair.results", purpose=FAIR_PURPOSE,
                     records=[(pid, org) for pid, org, uid in owners
                              if needs_audit(principal, profile_user_id=uid)])  # fmt: skip
    return FairResults(assignments=assignments, interviews=interviews)
