"""Job fairs after allocation: assignments become applications (origin ``fair``) through
the state machine, once per pair however often the fair is allocated; students state
lists and register only while the fair is open; a student's stated choice outweighs the
ranker; recruiters rank only registered students they may see; what a student and an
employer see of the fair afterwards."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from talentbridge.accounts.policy import Principal
from talentbridge.accounts.roles import Role
from talentbridge.errors import Conflict, NotFound
from talentbridge.matching import applications as apps
from talentbridge.matching import fair_allocation, fair_preferences, fairs
from talentbridge.matching.fair_applications import fair_plans_of_profile, fair_slots_for
from talentbridge.store.matching_tables import (
    Application,
    ApplicationEvent,
    FairOpening,
    MatchFeedback,
)
from talentbridge.store.tables import Posting, Profile
from trackingtools import add_job, add_org, add_principal, add_profile, add_student

DAY = dt.date(2026, 12, 9)


@dataclass
class Fair:
    college: int
    organiser: Principal
    fair: int
    jobs: list[int]
    openings: list[int]
    students: list[tuple[Principal, int]]
    recruiter: Principal


def _store(session: Session, *, ends_at: str = "17:00") -> Fair:
    college, employer = add_org(session, "college"), add_org(session, "enterprise")
    organiser = add_principal(session, Role.COLLEGE_ADMIN, college)
    fair = fairs.create_fair(session, organiser, name_zh="示例·冬季双选会", held_on=DAY,
                             ends_at=ends_at)  # fmt: skip
    jobs = [add_job(session, employer, title=t) for t in ("报关员", "跟单员")]
    openings = [
        fairs.add_opening(session, organiser, fair_id=fair.id, posting_id=j, seats=2, booth=b).id
        for j, b in zip(jobs, ("A01", "A02"), strict=True)
    ]
    students = [add_student(session, college) for _ in range(3)]
    for student, profile in students:
        fairs.register(session, student, fair_id=fair.id, profile_id=profile)
    recruiter = add_principal(session, Role.RECRUITER, employer)
    return Fair(college, organiser, fair.id, jobs, openings, students, recruiter)


def _state(
    session: Session, who: Principal, profile: int, fair_id: int, opening_ids: list[int]
) -> None:
    fair_preferences.set_student_preferences(
        session, who, fair_id=fair_id, profile_id=profile, opening_ids=opening_ids
    )


def _apps(session: Session) -> list[tuple[int, int, str, str]]:
    rows = session.scalars(
        select(Application).order_by(Application.profile_id, Application.posting_id)
    )
    return [(a.profile_id, a.posting_id, a.origin, a.stage) for a in rows]


def test_assignments_become_applications_once_and_existing_ones_keep_their_stage(
    session: Session,
) -> None:
    s = _store(session)
    (_, p0), (_, p1), (s2, p2) = s.students
    o1, o2 = s.openings
    j1, j2 = s.jobs
    fair_id, organiser, recruiter = s.fair, s.organiser, s.recruiter
    for student, profile in s.students:
        _state(session, student, profile, fair_id, [o1, o2])
    # p2 applied to the first job before the fair, and was screened
    before = apps.apply(session, s2, profile_id=p2, posting_id=j1)
    apps.move(session, recruiter, application_id=before.id, to_stage="screened")
    for opening in (o1, o2):
        fair_preferences.set_opening_preferences(
            session, recruiter, fair_id=fair_id, opening_id=opening, profile_ids=[p2, p0, p1]
        )
    feedback_before = session.scalar(select(func.count()).select_from(MatchFeedback))
    summary = fair_allocation.allocate(session, organiser, fair_id=fair_id)
    # o1 (2 seats) keeps p2 and p0; p1 goes to o2
    assert _apps(session) == [
        (p0, j1, "fair", "interview"), (p1, j2, "fair", "interview"),
        (p2, j1, "student", "screened")]  # fmt: skip
    assert summary.applications == 3 == summary.assigned
    fair_app = session.scalars(select(Application).where(Application.profile_id == p0)).one()
    events = session.execute(
        select(ApplicationEvent.stage, ApplicationEvent.user_id, ApplicationEvent.note)
        .where(ApplicationEvent.application_id == fair_app.id)
        .order_by(ApplicationEvent.id)
    ).all()
    assert [e.stage for e in events] == ["applied", "screened", "interview"]
    assert {e.user_id for e in events} == {organiser.user_id}
    assert events[0].note == "示例·冬季双选会"
    assert events[2].note.startswith("示例·冬季双选会 2026-12-09 ") and events[2].note.endswith(
        " A01"
    )
    # no learning-to-rank feedback from the fair's own steps
    assert session.scalar(select(func.count()).select_from(MatchFeedback)) == feedback_before
    # re-running: nothing new, nothing moved
    again = fair_allocation.allocate(session, organiser, fair_id=fair_id)
    assert again == summary and session.scalar(select(func.count()).select_from(Application)) == 3
    # the organisers change p0's list (a paper form): p0 moves to o2 and p1 takes p0's
    # seat at o1; new assignments add applications, the earlier ones stay where they are
    _state(session, organiser, p0, fair_id, [o2])
    fair_allocation.allocate(session, organiser, fair_id=fair_id)
    assert _apps(session) == [
        (p0, j1, "fair", "interview"), (p0, j2, "fair", "interview"),
        (p1, j1, "fair", "interview"), (p1, j2, "fair", "interview"),
        (p2, j1, "student", "screened")]  # fmt: skip


def test_an_assignment_without_an_interview_slot_stays_applied(session: Session) -> None:
    s = _store(session, ends_at="09:20")  # one slot
    o1, _ = s.openings
    for student, profile in s.students[:2]:
        _state(session, student, profile, s.fair, [o1])
    _state(session, *s.students[2], s.fair, [])  # "none of these", stated
    fair_preferences.fill_preferences(
        session, s.organiser, fair_id=s.fair, score=lambda p, j: 1.0 / p
    )
    prefs = fair_preferences.preferences_of(session, fair_id=s.fair)
    assert prefs.students[s.students[2][1]] == []  # an empty stated list is not filled
    summary = fair_allocation.allocate(session, s.organiser, fair_id=s.fair)
    assert summary.assigned == 2 and len(summary.unscheduled) == 1
    stages = sorted(a[3] for a in _apps(session))
    assert stages == ["applied", "interview"]


def test_students_and_recruiters_change_nothing_once_the_fair_is_allocated(
    session: Session,
) -> None:
    s = _store(session)
    organiser, fair_id = s.organiser, s.fair
    college: int = s.college
    late_student, late_profile = add_student(session, college)
    fair_allocation.allocate(session, organiser, fair_id=fair_id)
    with pytest.raises(Conflict):
        fairs.register(session, late_student, fair_id=fair_id, profile_id=late_profile)
    (s0, p0) = s.students[0]
    with pytest.raises(Conflict):
        _state(session, s0, p0, fair_id, [])
    # the organisers still may, which reopens the fair for everyone
    fairs.register(session, organiser, fair_id=fair_id, profile_id=late_profile)
    assert fairs.get_fair(session, fair_id=fair_id).status == "open"
    _state(session, s0, p0, fair_id, [])


def test_a_stated_choice_is_on_the_ranker_filled_list_of_its_opening(session: Session) -> None:
    s = _store(session)
    o1, o2 = s.openings
    (s0, p0), (_, p1), (_, p2) = s.students
    _state(session, s0, p0, s.fair, [o2])
    j1, j2 = s.jobs
    scores = {(p1, j1): 0.9, (p2, j1): 0.8, (p1, j2): 0.7, (p2, j2): 0.6, (p0, j2): 0.1}
    fair_preferences.fill_preferences(
        session, s.organiser, fair_id=s.fair, min_score=0.5,
        score=lambda p, j: scores.get((p, j), 0.0),
    )  # fmt: skip
    prefs = fair_preferences.preferences_of(session, fair_id=s.fair)
    assert prefs.students[p0] == [o2]  # stated, kept
    assert prefs.openings[o1] == [p1, p2]
    assert prefs.openings[o2] == [p1, p2, p0]  # p0 scored below 0.5 but chose o2


def test_recruiters_rank_only_students_they_may_see(session: Session) -> None:
    s = _store(session)
    o1, o2 = s.openings
    (s0, p0), (_, p1), (s2, p2) = s.students
    recruiter, fair_id = s.recruiter, s.fair
    _state(session, s0, p0, fair_id, [o1])
    consenting = session.get(Profile, p1)
    assert consenting is not None
    consenting.visible_to_employers = True
    opening = session.get(FairOpening, o1)
    posting = session.get(Posting, s.jobs[0])
    assert opening is not None and posting is not None
    rankable = fair_preferences.rankable_students(session, recruiter, opening, posting)
    assert set(rankable) == {p0, p1}  # chose o1; consented; p2 neither
    opening2 = session.get(FairOpening, o2)
    assert opening2 is not None
    assert set(fair_preferences.rankable_students(session, recruiter, opening2, posting)) == {p1}
    apps.apply(session, s2, profile_id=p2, posting_id=s.jobs[1])
    assert set(fair_preferences.rankable_students(session, recruiter, opening, posting)) == {
        p0, p1, p2}  # fmt: skip
    assert set(fair_preferences.rankable_students(session, s.organiser, opening, posting)) == set()


def test_what_a_student_and_an_employer_see_after_the_allocation(session: Session) -> None:
    s = _store(session)
    o1, o2 = s.openings
    (s0, p0), (s1, p1), _ = s.students
    j1, j2 = s.jobs
    _state(session, s0, p0, s.fair, [o1, o2])
    fair_preferences.fill_preferences(session, s.organiser, fair_id=s.fair, score=lambda p, j: 0.5)
    assert fair_plans_of_profile(session, s0, profile_id=p0)[0].assignment is None
    fair_allocation.allocate(session, s.organiser, fair_id=s.fair)
    (plan,) = fair_plans_of_profile(session, s0, profile_id=p0)
    assert plan.name_zh == "示例·冬季双选会" and plan.status == "allocated" and plan.choices == 2
    assert plan.assignment is not None and plan.assignment.posting_id == j1
    assert plan.assignment.stage == "interview" and plan.assignment.booth == "A01"
    assert [(i.posting_id, i.assigned) for i in plan.interviews] == [(j1, True), (j2, False)] or [
        (i.posting_id, i.assigned) for i in plan.interviews
    ] == [(j2, False), (j1, True)]
    assert all(i.starts_at.date() == DAY for i in plan.interviews)
    with pytest.raises(NotFound):  # another student's fairs
        fair_plans_of_profile(session, s1, profile_id=p0)
    with pytest.raises(NotFound):  # recruiters see fair interviews in their pipeline only
        fair_plans_of_profile(session, s.recruiter, profile_id=p0)
    assert fair_plans_of_profile(session, s.organiser, profile_id=p0)
    slots = fair_slots_for(session, [(p0, j1), (p1, j1)])
    assert [x.booth for x in slots[(p0, j1)]] == ["A01"] and slots[(p0, j1)][0].assigned
    other = add_profile(session, s.college)
    assert fair_plans_of_profile(session, s.organiser, profile_id=other) == []
