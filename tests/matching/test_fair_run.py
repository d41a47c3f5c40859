"""A fair at a glance by role (matching.fair_run.fair_overview) and running it with the
engine's scores (run_allocation)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from talentbridge.accounts.roles import Role
from talentbridge.errors import Forbidden
from talentbridge.matching import fairs
from talentbridge.matching.fair_run import fair_overview, run_allocation, visible_openings
from talentbridge.matching.index import clear_index_cache
from trackingtools import add_job, add_org, add_principal, add_student

DAY = dt.date(2026, 12, 5)


@pytest.fixture(autouse=True)
def _fresh_index() -> None:
    clear_index_cache()


def test_overview_and_run_by_role(session: Session) -> None:
    college, employer, rival = (
        add_org(session, k) for k in ("college", "enterprise", "enterprise")
    )
    organiser = add_principal(session, Role.COLLEGE_ADMIN, college)
    recruiter = add_principal(session, Role.RECRUITER, employer)
    students = [add_student(session, college) for _ in range(3)]
    fair = fairs.create_fair(
        session, organiser, name_zh="示例·双选会", held_on=DAY, ends_at="10:00"
    )
    jobs = [add_job(session, employer), add_job(session, rival, title="仓储主管")]
    for job in jobs:
        fairs.add_opening(session, organiser, fair_id=fair.id, posting_id=job, seats=2)
    for _, profile in students:
        fairs.register(session, organiser, fair_id=fair.id, profile_id=profile)
    session.flush()

    mine = fair_overview(session, organiser, fair_id=fair.id)
    assert mine.organiser and mine.registered == 3 and len(mine.registrations) == 3
    assert len(visible_openings(organiser, mine)) == 2
    theirs = fair_overview(session, recruiter, fair_id=fair.id)
    assert not theirs.organiser and theirs.registrations == [] and theirs.registered == 3
    assert [o.posting_id for o in visible_openings(recruiter, theirs)] == [jobs[0]]
    student_view = fair_overview(session, students[0][0], fair_id=fair.id)
    assert (
        student_view.registrations == []
        and len(visible_openings(students[0][0], student_view)) == 2
    )

    with pytest.raises(Forbidden):
        run_allocation(session, recruiter, fair_id=fair.id)
    report = run_allocation(session, organiser, fair_id=fair.id)
    assert report.filled.students_filled == 3 and report.filled.openings_filled == 2
    assert report.summary.status == "allocated" and report.summary.blocking_pairs == 0
    assert report.summary.assigned == 3  # four seats for three students, everyone acceptable
