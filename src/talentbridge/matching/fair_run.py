"""A job fair at a glance, and running it with the matching engine.

``fair_overview`` lists a fair's openings (posting, employer, seats, booth) and, for its
organisers, the registered students; recruiters see only their organization's openings
and no student list, students see the openings. ``run_allocation`` fills every list
nobody stated from the matching engine (a student ranks openings by the engine's
student side, an opening ranks students by its employer side; opted-out students are
never scored, see ``fair_preferences``) and then allocates (``fair_allocation``):
what the fair page's "run allocation" button and ``talentbridge fair allocate`` do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from talentbridge.accounts.policy import Principal, can_manage_fair, can_view_candidates
from talentbridge.matching.engine import score_pair
from talentbridge.matching.fair_allocation import FairSummary, allocate
from talentbridge.matching.fair_preferences import FillReport, fill_preferences
from talentbridge.matching.fairs import get_fair
from talentbridge.matching.index import MatchIndex, index_for
from talentbridge.store.matching_tables import FairOpening, FairRegistration, JobFair
from talentbridge.store.tables import CollegeMajor, Major, Organization, Posting, Profile


@dataclass(frozen=True)
class OpeningItem:
    id: int
    posting_id: int
    title: str
    employer_name: str
    organization_id: int | None
    seats: int
    booth: str | None
    flagged: bool


@dataclass(frozen=True)
class RegistrationItem:
    profile_id: int
    name: str
    college_name_zh: str
    major_name_zh: str | None
    graduation_year: int


@dataclass(frozen=True)
class FairOverview:
    fair: JobFair
    organiser: bool
    openings: list[OpeningItem]
    registrations: list[RegistrationItem]  # organisers only; empty for anyone else
    registered: int  # how many students registered (a count: open to every role)


def fair_overview(session: Session, principal: Principal, *, fair_id: int) -> FairOverview:
    """The fair's openings and (for its organisers) registrations (``NotFound``)."""
    fair = get_fair(session, fair_id=fair_id)
    organiser = can_manage_fair(principal, fair_org_id=fair.organization_id)
    openings = [
        OpeningItem(o.id, p.id, p.title, p.employer_name, p.organization_id, o.seats, o.booth,
                    p.flag_count > 0)
        for o, p in session.execute(
            select(FairOpening, Posting)
            .join(Posting, Posting.id == FairOpening.posting_id)
            .where(FairOpening.fair_id == fair_id)
            .order_by(FairOpening.id)
        )
    ]  # fmt: skip
    registrations: list[RegistrationItem] = []
    if organiser:
        rows = session.execute(
            select(Profile, Organization.name_zh, Major.name_zh)
            .join(FairRegistration, FairRegistration.profile_id == Profile.id)
            .join(Organization, Organization.id == Profile.organization_id)
            .outerjoin(CollegeMajor, CollegeMajor.id == Profile.college_major_id)
            .outerjoin(Major, Major.id == CollegeMajor.major_id)
            .where(FairRegistration.fair_id == fair_id)
            .order_by(Profile.id)
        )
        registrations = [
            RegistrationItem(p.id, p.name, college, major, p.graduation_year)
            for p, college, major in rows
        ]
    registered = session.scalar(
        select(func.count())
        .select_from(FairRegistration)
        .where(FairRegistration.fair_id == fair_id)
    )
    return FairOverview(fair, organiser, openings, registrations, int(registered or 0))


def visible_openings(principal: Principal, overview: FairOverview) -> list[OpeningItem]:
    """Every opening for organisers and students; a recruiter's own organization's."""
    if overview.organiser or not any(
        can_view_candidates(principal, posting_org_id=o.organization_id) for o in overview.openings
    ):
        return overview.openings
    return [
        o
        for o in overview.openings
        if can_view_candidates(principal, posting_org_id=o.organization_id)
    ]


def engine_scores(
    index: MatchIndex,
) -> tuple[Callable[[int, int], float], Callable[[int, int], float]]:
    """(student side, employer side) of a (profile, posting) pair, as the engine scores it."""
    cache: dict[tuple[int, int], tuple[float, float]] = {}

    def sides(profile_id: int, posting_id: int) -> tuple[float, float]:
        key = (profile_id, posting_id)
        if key not in cache:
            parts, _ = score_pair(index, profile_id, posting_id)
            cache[key] = (parts.student_side, parts.employer_side)
        return cache[key]

    return (lambda q, p: sides(q, p)[0]), (lambda q, p: sides(q, p)[1])


@dataclass(frozen=True)
class RunReport:
    filled: FillReport
    summary: FairSummary


def run_allocation(session: Session, principal: Principal, *, fair_id: int) -> RunReport:
    """Fill the unstated lists from the engine, then allocate and schedule interviews.
    Raises ``Forbidden`` (not an organiser), ``Conflict`` (closed fair), ``NotFound``."""
    student_side, employer_side = engine_scores(index_for(session))
    filled = fill_preferences(
        session, principal, fair_id=fair_id, score=student_side, employer_score=employer_side
    )
    return RunReport(filled, allocate(session, principal, fair_id=fair_id))
