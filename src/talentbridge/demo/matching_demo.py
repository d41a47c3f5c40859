"""The demo's matching activity: a job fair with openings and registrations, and a few
applications, invitations and feedback events, all through the matching services with
the demo users' own rights (no shortcut inserts) and all marked as sample data.

* **The fair** (示例·冬季双选会) is held by the demo college ten days after ``today``;
  its openings are the postings the engine ranks best for the college's graduating
  students (plus the demo recruiter's best one), with one to three seats; the
  college's recent students are registered, except the demo student, who registers
  and ranks the openings themselves (fair page or API). It is left ``open``: the
  recruiter may rank students for their opening, and running the allocation is for
  the college admin (page, API or ``talentbridge fair allocate``).
* **The demo student** views their top jobs, saves one and applies to two of them and
  to the demo recruiter's posting.
* **The demo recruiter** invites the two best consenting candidates for that posting
  and moves the student's application on to ``screened``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from talentbridge.accounts.policy import Principal
from talentbridge.errors import Conflict
from talentbridge.matching import applications as apps
from talentbridge.matching import fairs, feedback
from talentbridge.matching.engine import CandidateFilters, candidates_for, jobs_for
from talentbridge.matching.index import MatchIndex, index_for
from talentbridge.matching.invitations import invite
from talentbridge.store.engine import transaction
from talentbridge.store.matching_tables import Application
from talentbridge.store.tables import Posting, Profile, User

FAIR_NAME_ZH = "示例·冬季双选会"
FAIR_NAME_EN = "Sample winter job fair"
FAIR_STUDENTS = 30
FAIR_OPENINGS = 10
JOBS_PER_STUDENT = 5


@dataclass(frozen=True)
class MatchingDemo:
    fair_id: int | None
    openings: int
    registrations: int
    applications: int
    invitations: int

    def summary(self) -> str:
        return (
            f"示例双选会 sample job fair {self.fair_id}: {self.openings} openings, "
            f"{self.registrations} registered students (allocation not run yet); "
            f"{self.applications} applications and {self.invitations} invitations"
        )


def _principal(session: Session, username: str) -> Principal | None:
    user = session.scalar(select(User).where(User.username == username))
    return Principal.of(user) if user is not None else None


def _fair_students(session: Session, college_id: int, today: dt.date) -> list[int]:
    return list(
        session.scalars(
            select(Profile.id)
            .where(
                Profile.organization_id == college_id,
                Profile.graduation_year.in_((today.year - 1, today.year, today.year + 1)),
            )
            .order_by(Profile.graduation_year, Profile.id)
            .limit(FAIR_STUDENTS)
        )
    )


def _openings(index: MatchIndex, students: list[int], recruiter_posting: int | None) -> list[int]:
    """The postings ranked best for the students (most often in their top lists)."""
    seen: Counter[int] = Counter()
    for pid in students:
        for m in jobs_for(index, pid, k=JOBS_PER_STUDENT):
            seen[m.posting_id] += 1
    chosen = [p for p, _ in sorted(seen.items(), key=lambda kv: (-kv[1], kv[0]))][:FAIR_OPENINGS]
    if recruiter_posting is not None and recruiter_posting not in chosen:
        chosen.append(recruiter_posting)
    return chosen


def seed_matching(factory: sessionmaker[Session], today: dt.date) -> MatchingDemo:
    """Create the demo's fair and matching activity (see the module docstring)."""
    with transaction(factory) as session:
        college = _principal(session, "demo-college")
        student = _principal(session, "demo-student")
        recruiter = _principal(session, "demo-recruiter")
        if college is None or college.organization_id is None:
            return MatchingDemo(None, 0, 0, 0, 0)
        index = index_for(session)
        students = _fair_students(session, college.organization_id, today)
        own = _own_profile(session, student) if student is not None else None
        registered = [p for p in students if own is None or p != own.id]
        recruiter_posting = _recruiter_posting(session, recruiter)
        openings = _openings(index, students, recruiter_posting)
        fair = fairs.create_fair(
            session,
            college,
            name_zh=FAIR_NAME_ZH,
            name_en=FAIR_NAME_EN,
            held_on=today + dt.timedelta(days=10),
            venue="示例·学院体育馆 Sample college gym",
            starts_at="09:00",
            ends_at="12:00",
            slot_minutes=20,
            is_sample=True,
        )
        for n, posting_id in enumerate(openings):
            fairs.add_opening(session, college, fair_id=fair.id, posting_id=posting_id,
                              seats=1 + posting_id % 3, booth=f"A{n + 1:02d}")  # fmt: skip
        for profile_id in registered:
            fairs.register(session, college, fair_id=fair.id, profile_id=profile_id)
        applied = _student_activity(session, index, student, recruiter_posting)
        invited = _recruiter_activity(session, index, recruiter, recruiter_posting)
        return MatchingDemo(fair.id, len(openings), len(registered), applied, invited)


def _own_profile(session: Session, principal: Principal) -> Profile | None:
    return session.scalar(select(Profile).where(Profile.user_id == principal.user_id))


def _student_activity(
    session: Session, index: MatchIndex, student: Principal | None, also: int | None
) -> int:
    """The demo student looks at their top jobs, saves one and applies to two of them
    and to ``also`` (the demo recruiter's posting, so that its pipeline has someone)."""
    if student is None:
        return 0
    profile = _own_profile(session, student)
    if profile is None:
        return 0
    matches = jobs_for(index, profile.id, k=JOBS_PER_STUDENT)
    for m in matches:
        feedback.record(session, profile_id=profile.id, posting_id=m.posting_id, event="view",
                        side="student", user_id=student.user_id, position=m.rank,
                        score=m.score, ranker="weights", is_sample=True)  # fmt: skip
    if len(matches) > 2:
        third = matches[2]
        feedback.record(session, profile_id=profile.id, posting_id=third.posting_id,
                        event="save", side="student", user_id=student.user_id,
                        position=third.rank, score=third.score, ranker="weights",
                        is_sample=True)  # fmt: skip
    targets: list[tuple[int, int | None, float | None]] = [
        (m.posting_id, m.rank, m.score) for m in matches[:2]
    ]
    if also is not None:
        targets.append((also, None, None))
    applied = 0
    for posting_id, rank, score in targets:
        try:
            apps.apply(session, student, profile_id=profile.id, posting_id=posting_id,
                       position=rank, score=score, ranker="weights")  # fmt: skip
        except Conflict:
            continue
        applied += 1
    return applied


def _recruiter_posting(session: Session, recruiter: Principal | None) -> int | None:
    """The demo recruiter's first posting without compliance flags."""
    if recruiter is None or recruiter.organization_id is None:
        return None
    return session.scalar(
        select(Posting.id)
        .where(Posting.organization_id == recruiter.organization_id, Posting.flag_count == 0)
        .order_by(Posting.id)
        .limit(1)
    )


def _recruiter_activity(
    session: Session, index: MatchIndex, recruiter: Principal | None, posting_id: int | None
) -> int:
    """The demo recruiter invites the two best consenting candidates for their posting
    and screens the first application to it."""
    if recruiter is None or posting_id is None:
        return 0
    invited = 0
    for m in candidates_for(index, posting_id, CandidateFilters(), k=2, require_consent=True):
        try:
            invite(session, recruiter, profile_id=m.profile_id, posting_id=posting_id,
                   position=m.rank, score=m.score, ranker="weights")  # fmt: skip
        except Conflict:
            continue
        invited += 1
    for application in session.scalars(
        select(Application).where(Application.posting_id == posting_id).order_by(Application.id)
    ):
        apps.move(session, recruiter, application_id=application.id, to_stage="screened")
        break
    return invited
