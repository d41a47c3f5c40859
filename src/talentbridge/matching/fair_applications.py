"""Job-fair assignments as applications, and the fair's part in a student's applications
and an employer's pipeline.

After every allocation (``fair_allocation.allocate``) each assignment becomes an
application with origin ``fair`` through the state machine of ``matching.applications``:
created at ``applied`` and, when an interview at the assigned opening is scheduled, moved
on through ``screened`` (both sides chose each other) to ``interview``; each step is an
``ApplicationEvent`` by the organiser who ran the allocation, noted with the fair's name
and the interview's time. It is idempotent: a pair that already has an application (from
an earlier run, an application or an invitation) is left at its stage, so re-running an
allocation never duplicates one. An application made for an assignment that a later run
changes stays (the student or the employer may close it). No feedback is recorded for
these steps: ranker-filled fair lists would teach the learned ranker its own scores.

Reads: ``fair_plans_of_profile`` (a student's fairs: registration, assignment, interview
times, for "My applications") and ``fair_slots_for`` (interview times of given
(profile, posting) pairs, for a pipeline's cards).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from talentbridge.accounts.policy import Principal, can_act_for_profile
from talentbridge.accounts.roles import Role
from talentbridge.errors import NotFound
from talentbridge.matching.applications import create_application, existing_application, step
from talentbridge.matching.profile_access import may_view_profile
from talentbridge.store.matching_tables import (
    Application,
    FairAssignment,
    FairInterview,
    FairOpening,
    FairPreference,
    FairRegistration,
    JobFair,
)
from talentbridge.store.tables import Posting, Profile, utcnow


@dataclass(frozen=True)
class FairApplications:
    """What one allocation did to applications."""

    created: int  # new applications with origin ``fair``
    interviews: int  # of them, moved on to ``interview``
    existing: int  # assignments whose pair had an application already (left as it was)


def _interview_note(fair: JobFair, interview: FairInterview, booth: str | None) -> str:
    when = f"{interview.starts_at:%Y-%m-%d %H:%M}–{interview.ends_at:%H:%M}"
    return f"{fair.name_zh} {when}" + (f" {booth}" if booth else "")


def applications_from_allocation(
    session: Session, fair: JobFair, *, user_id: int | None, at: dt.datetime | None = None
) -> FairApplications:
    """Make the fair's stored assignments applications (see the module docstring); the
    caller has checked that ``user_id`` may run the allocation."""
    when = at or utcnow()
    rows = session.execute(
        select(FairAssignment, FairOpening)
        .join(FairOpening, FairOpening.id == FairAssignment.fair_opening_id)
        .where(FairAssignment.fair_id == fair.id)
        .order_by(FairAssignment.profile_id, FairAssignment.fair_opening_id)
    ).all()
    interviews = {
        (i.profile_id, i.fair_opening_id): i
        for i in session.scalars(select(FairInterview).where(FairInterview.fair_id == fair.id))
    }
    created = moved = existing = 0
    for assignment, opening in rows:
        if existing_application(session, assignment.profile_id, opening.posting_id) is not None:
            existing += 1
            continue
        profile = session.get(Profile, assignment.profile_id)
        posting = session.get(Posting, opening.posting_id)
        if profile is None or posting is None:
            continue
        application = create_application(
            session, profile=profile, posting=posting, origin="fair", user_id=user_id,
            note=fair.name_zh, at=when,
        )  # fmt: skip
        created += 1
        interview = interviews.get((assignment.profile_id, opening.id))
        if interview is None:
            continue
        note = _interview_note(fair, interview, opening.booth)
        for stage in ("screened", "interview"):
            step(session, application, to_stage=stage, user_id=user_id, note=note, at=when)
        moved += 1
    return FairApplications(created=created, interviews=moved, existing=existing)


# --- reads --------------------------------------------------------------------------------


@dataclass(frozen=True)
class FairSlot:
    """One interview at a fair."""

    fair_id: int
    fair_name_zh: str
    fair_name_en: str | None
    opening_id: int
    posting_id: int
    posting_title: str
    employer_name: str
    booth: str | None
    starts_at: dt.datetime
    ends_at: dt.datetime
    assigned: bool  # the student's assigned opening


@dataclass(frozen=True)
class FairAssigned:
    opening_id: int
    posting_id: int
    posting_title: str
    employer_name: str
    booth: str | None
    application_id: int | None
    stage: str | None


@dataclass(frozen=True)
class FairPlan:
    """A fair a student registered for, and where they stand in it."""

    fair_id: int
    name_zh: str
    name_en: str | None
    held_on: dt.date
    venue: str | None
    status: str
    choices: int  # openings on the student's list (stated or filled)
    assignment: FairAssigned | None
    interviews: list[FairSlot]  # by start time


def _slots(
    session: Session, *, profile_ids: Iterable[int], fair_ids: Iterable[int] | None = None
) -> list[tuple[int, FairSlot]]:
    """(profile id, slot) for the interviews of ``profile_ids``, by start time."""
    wanted = sorted(set(profile_ids))
    if not wanted:
        return []
    stmt = (
        select(FairInterview, FairOpening, JobFair, Posting)
        .join(FairOpening, FairOpening.id == FairInterview.fair_opening_id)
        .join(JobFair, JobFair.id == FairInterview.fair_id)
        .join(Posting, Posting.id == FairOpening.posting_id)
        .where(FairInterview.profile_id.in_(wanted))
        .order_by(FairInterview.starts_at, FairInterview.fair_opening_id)
    )
    if fair_ids is not None:
        stmt = stmt.where(FairInterview.fair_id.in_(sorted(set(fair_ids))))
    rows = session.execute(stmt).all()
    assigned = set(
        session.execute(
            select(FairAssignment.profile_id, FairAssignment.fair_opening_id).where(
                FairAssignment.profile_id.in_(wanted)
            )
        ).all()
    )
    return [
        (
            i.profile_id,
            FairSlot(
                fair_id=fair.id,
                fair_name_zh=fair.name_zh,
                fair_name_en=fair.name_en,
                opening_id=opening.id,
                posting_id=posting.id,
                posting_title=posting.title,
                employer_name=posting.employer_name,
                booth=opening.booth,
                starts_at=i.starts_at,
                ends_at=i.ends_at,
                assigned=(i.profile_id, opening.id) in assigned,
            ),
        )
        for i, opening, fair, posting in rows
    ]


def fair_slots_for(
    session: Session, pairs: Iterable[tuple[int, int]]
) -> dict[tuple[int, int], list[FairSlot]]:
    """Fair interviews of each (profile id, posting id) pair, by start time. The caller
    shows them only beside applications it may show."""
    wanted = set(pairs)
    out: dict[tuple[int, int], list[FairSlot]] = defaultdict(list)
    for profile_id, slot in _slots(session, profile_ids={p for p, _ in wanted}):
        if (profile_id, slot.posting_id) in wanted:
            out[(profile_id, slot.posting_id)].append(slot)
    return dict(out)


def fair_plans_of_profile(
    session: Session, principal: Principal, *, profile_id: int
) -> list[FairPlan]:
    """The fairs a profile registered for, the latest first, with its assignment (and the
    application made of it) and interview times: for the student, their college's staff
    and the platform admin (``NotFound`` for anyone else; recruiters see fair interviews
    in their pipeline)."""
    profile = session.get(Profile, profile_id)
    if profile is None or not (
        can_act_for_profile(principal, profile_user_id=profile.user_id)
        or (principal.role is not Role.RECRUITER and may_view_profile(session, principal, profile))
    ):
        raise NotFound(f"profile {profile_id} not found")
    fairs = session.scalars(
        select(JobFair)
        .join(FairRegistration, FairRegistration.fair_id == JobFair.id)
        .where(FairRegistration.profile_id == profile_id)
        .order_by(JobFair.held_on.desc(), JobFair.id.desc())
    ).all()
    if not fairs:
        return []
    fair_ids = [f.id for f in fairs]
    slots: dict[int, list[FairSlot]] = defaultdict(list)
    for _, slot in _slots(session, profile_ids=[profile_id], fair_ids=fair_ids):
        slots[slot.fair_id].append(slot)
    choices: dict[int, int] = defaultdict(int)
    for fair_id in session.scalars(
        select(FairPreference.fair_id).where(
            FairPreference.profile_id == profile_id,
            FairPreference.side == "student",
            FairPreference.fair_id.in_(fair_ids),
        )
    ):
        choices[fair_id] += 1
    assigned: dict[int, FairAssigned] = {}
    for a, opening, posting in session.execute(
        select(FairAssignment, FairOpening, Posting)
        .join(FairOpening, FairOpening.id == FairAssignment.fair_opening_id)
        .join(Posting, Posting.id == FairOpening.posting_id)
        .where(FairAssignment.profile_id == profile_id, FairAssignment.fair_id.in_(fair_ids))
    ):
        application: Application | None = existing_application(session, profile_id, posting.id)
        assigned[a.fair_id] = FairAssigned(
            opening_id=opening.id, posting_id=posting.id, posting_title=posting.title,
            employer_name=posting.employer_name, booth=opening.booth,
            application_id=application.id if application else None,
            stage=application.stage if application else None,
        )  # fmt: skip
    return [
        FairPlan(
            fair_id=f.id,
            name_zh=f.name_zh,
            name_en=f.name_en,
            held_on=f.held_on,
            venue=f.venue,
            status=f.status,
            choices=choices[f.id],
            assignment=assigned.get(f.id),
            interviews=slots[f.id],
        )
        for f in fairs
    ]
