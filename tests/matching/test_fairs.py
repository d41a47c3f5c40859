"""Job fairs in the store: set-up and access, preferences stated and filled from a scoring
function, allocation with interviews persisted, re-runs, results by role."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from talentbridge.accounts.audit import events_for
from talentbridge.accounts.policy import Principal
from talentbridge.accounts.roles import Role
from talentbridge.errors import Conflict, Forbidden, NotFound
from talentbridge.matching import fair_allocation, fair_preferences, fairs
from talentbridge.matching.fairs import FairInputError
from talentbridge.store.matching_tables import FairAssignment, FairInterview, FairPreference
from talentbridge.store.tables import Profile
from trackingtools import add_job, add_org, add_principal, add_student

DAY = dt.date(2026, 5, 20)


@dataclass
class World:
    college: int
    organiser: Principal  # the college's admin
    teacher: Principal
    students: list[tuple[Principal, int]]  # four students of the college
    outsider: tuple[Principal, int]  # a student of another college
    recruiter: Principal
    rival: Principal  # recruiter of a second enterprise
    jobs: list[int]  # two postings of the first enterprise
    rival_job: int
    fair_id: int


@pytest.fixture()
def w(session: Session) -> World:
    college = add_org(session, "college")
    employer = add_org(session, "enterprise")
    rival_org = add_org(session, "enterprise")
    organiser = add_principal(session, Role.COLLEGE_ADMIN, college)
    fair = fairs.create_fair(session, organiser, name_zh="2026届春季双选会", held_on=DAY)
    return World(
        college=college,
        organiser=organiser,
        teacher=add_principal(session, Role.TEACHER, college),
        students=[add_student(session, college) for _ in range(4)],
        outsider=add_student(session, add_org(session, "college")),
        recruiter=add_principal(session, Role.RECRUITER, employer),
        rival=add_principal(session, Role.RECRUITER, rival_org),
        jobs=[add_job(session, employer), add_job(session, employer, title="报关员")],
        rival_job=add_job(session, rival_org, title="仓储主管"),
        fair_id=fair.id,
    )


def _opening(session: Session, w: World, job: int, seats: int = 1) -> int:
    return fairs.add_opening(
        session, w.organiser, fair_id=w.fair_id, posting_id=job, seats=seats
    ).id


def _consent(session: Session, profile_id: int) -> None:
    profile = session.get(Profile, profile_id)
    assert profile is not None
    profile.visible_to_employers = True


def _register_all(session: Session, w: World) -> list[int]:
    for student, profile in w.students:
        fairs.register(session, student, fair_id=w.fair_id, profile_id=profile)
    return [p for _, p in w.students]


def test_only_college_staff_hold_fairs_and_bad_times_are_refused(
    session: Session, w: World
) -> None:
    for who in (w.students[0][0], w.recruiter):
        with pytest.raises(Forbidden):
            fairs.create_fair(session, who, name_zh="x", held_on=DAY)
    with pytest.raises(Forbidden):  # someone else's college
        fairs.create_fair(
            session, w.organiser, name_zh="x", held_on=DAY, organization_id=w.college + 99
        )
    fair = fairs.create_fair(
        session, w.teacher, name_zh=" 秋季 ", held_on=DAY, starts_at="9:30", ends_at="11:00"
    )
    assert (fair.name_zh, fair.starts_at, fair.organization_id) == ("秋季", "09:30", w.college)
    assert fairs.slot_count(fair) == 4  # 90 minutes of 20-minute slots
    assert fairs.slot_start(fair, 2) == dt.datetime(2026, 5, 20, 10, 10)
    bad = [
        {"starts_at": "10:00", "ends_at": "09:00"},
        {"starts_at": "nine"},
        {"slot_minutes": 2},
        {"starts_at": "09:00", "ends_at": "09:10", "slot_minutes": 20},
    ]
    for kwargs in bad:
        with pytest.raises(FairInputError):
            fairs.create_fair(session, w.organiser, name_zh="x", held_on=DAY, **kwargs)  # type: ignore[arg-type]
    listed = fairs.list_fairs(session, organization_id=w.college)
    assert [f.id for f in listed] == [fair.id, w.fair_id]  # same day: the newest first
    with pytest.raises(NotFound):
        fairs.get_fair(session, fair_id=w.fair_id + 99)


def test_openings_come_from_organisers_or_the_postings_own_recruiters(
    session: Session, w: World
) -> None:
    by_recruiter = fairs.add_opening(
        session, w.recruiter, fair_id=w.fair_id, posting_id=w.jobs[0], seats=2, booth="A1"
    )
    again = fairs.add_opening(
        session, w.recruiter, fair_id=w.fair_id, posting_id=w.jobs[0], seats=3
    )
    assert again.id == by_recruiter.id and again.seats == 3 and again.booth is None
    with pytest.raises(Forbidden):
        fairs.add_opening(session, w.rival, fair_id=w.fair_id, posting_id=w.jobs[1])
    with pytest.raises(Forbidden):
        fairs.add_opening(session, w.students[0][0], fair_id=w.fair_id, posting_id=w.jobs[1])
    with pytest.raises(FairInputError):
        fairs.add_opening(session, w.organiser, fair_id=w.fair_id, posting_id=w.jobs[1], seats=0)
    with pytest.raises(NotFound):
        fairs.add_opening(session, w.organiser, fair_id=w.fair_id, posting_id=w.rival_job + 99)
    assert (
        fairs.add_opening(session, w.organiser, fair_id=w.fair_id, posting_id=w.rival_job).seats
        == 1
    )


def test_students_register_themselves_or_are_registered_by_their_college(
    session: Session, w: World
) -> None:
    (s0, p0), (_, p1) = w.students[:2]
    first = fairs.register(session, s0, fair_id=w.fair_id, profile_id=p0)
    assert fairs.register(session, s0, fair_id=w.fair_id, profile_id=p0).id == first.id
    assert fairs.register(session, w.teacher, fair_id=w.fair_id, profile_id=p1).profile_id == p1
    with pytest.raises(NotFound):  # another student's profile
        fairs.register(session, s0, fair_id=w.fair_id, profile_id=w.outsider[1])
    with pytest.raises(NotFound):  # another college's student
        fairs.register(session, w.organiser, fair_id=w.fair_id, profile_id=w.outsider[1])
    with pytest.raises(NotFound):  # recruiters cannot see non-consenting students
        fairs.register(session, w.recruiter, fair_id=w.fair_id, profile_id=p1)
    # A student of another college may register for this fair themselves.
    fairs.register(session, w.outsider[0], fair_id=w.fair_id, profile_id=w.outsider[1])


def test_preferences_are_stated_replaced_and_checked(session: Session, w: World) -> None:
    o1, o2 = _opening(session, w, w.jobs[0]), _opening(session, w, w.jobs[1])
    (s0, p0), (s1, p1) = w.students[:2]
    with pytest.raises(Conflict):  # not registered yet
        fair_preferences.set_student_preferences(
            session, s0, fair_id=w.fair_id, profile_id=p0, opening_ids=[o1]
        )
    _register_all(session, w)
    set_student = fair_preferences.set_student_preferences
    set_student(session, s0, fair_id=w.fair_id, profile_id=p0, opening_ids=[o1, o2])
    set_student(session, s0, fair_id=w.fair_id, profile_id=p0, opening_ids=[o2])
    with pytest.raises(FairInputError):
        set_student(session, s0, fair_id=w.fair_id, profile_id=p0, opening_ids=[o1, o1])
    with pytest.raises(FairInputError):
        set_student(session, s0, fair_id=w.fair_id, profile_id=p0, opening_ids=[o1 + 99])
    with pytest.raises(NotFound):
        set_student(session, s1, fair_id=w.fair_id, profile_id=p0, opening_ids=[o1])
    set_opening = fair_preferences.set_opening_preferences
    with pytest.raises(FairInputError):  # neither consented nor listed o1: not theirs to rank
        set_opening(session, w.recruiter, fair_id=w.fair_id, opening_id=o1, profile_ids=[p1, p0])
    set_student(session, s1, fair_id=w.fair_id, profile_id=p1, opening_ids=[o1])
    _consent(session, p0)
    set_opening(session, w.recruiter, fair_id=w.fair_id, opening_id=o1, profile_ids=[p1, p0])
    with pytest.raises(Forbidden):
        set_opening(session, w.rival, fair_id=w.fair_id, opening_id=o1, profile_ids=[p0])
    with pytest.raises(FairInputError):  # not registered
        set_opening(
            session, w.recruiter, fair_id=w.fair_id, opening_id=o1, profile_ids=[w.outsider[1]]
        )
    with pytest.raises(NotFound):
        set_opening(session, w.recruiter, fair_id=w.fair_id + 99, opening_id=o1, profile_ids=[])
    prefs = fair_preferences.preferences_of(session, fair_id=w.fair_id)
    assert prefs.students[p0] == [o2] and prefs.students[p1] == [o1]
    assert prefs.openings == {o1: [p1, p0], o2: []}
    assert prefs.seats == {o1: 1, o2: 1}


def test_unstated_lists_are_filled_from_the_scores_except_for_opted_out_students(
    session: Session, w: World
) -> None:
    o1, o2 = _opening(session, w, w.jobs[0]), _opening(session, w, w.jobs[1])
    o3 = _opening(session, w, w.rival_job)
    p0, p1, p2, p3 = _register_all(session, w)
    opted_out = session.get(Profile, p3)
    assert opted_out is not None
    opted_out.ranking_opt_out = True
    s0, _ = w.students[0]
    fair_preferences.set_student_preferences(
        session, s0, fair_id=w.fair_id, profile_id=p0, opening_ids=[o3]
    )
    fair_preferences.set_student_preferences(
        session, w.students[3][0], fair_id=w.fair_id, profile_id=p3, opening_ids=[o2]
    )
    _consent(session, p2)  # findable: the rival may rank p2 without p2 choosing o3
    fair_preferences.set_opening_preferences(
        session, w.rival, fair_id=w.fair_id, opening_id=o3, profile_ids=[p2]
    )
    posting_of = {w.jobs[0]: 1, w.jobs[1]: 2, w.rival_job: 3}

    def score(profile_id: int, posting_id: int) -> float:
        # p1 likes the second job best; p2's scores tie (ids decide); p3 is never asked.
        assert profile_id != p3
        table = {
            p1: {1: 0.5, 2: 0.9, 3: 0.0},
            p2: {1: 0.4, 2: 0.4, 3: 0.4},
            p0: {1: 0.7, 2: 0.2, 3: 0.1},
        }
        return table[profile_id][posting_of[posting_id]]

    report = fair_preferences.fill_preferences(
        session, w.organiser, fair_id=w.fair_id, score=score, student_list_length=2
    )
    assert (report.students_filled, report.openings_filled, report.students_opted_out) == (2, 2, 0)
    prefs = fair_preferences.preferences_of(session, fair_id=w.fair_id)
    assert prefs.students == {p0: [o3], p1: [o2, o1], p2: [o1, o2], p3: [o2]}
    # Openings: scored students best first (ties by id), the opted-out student who listed
    # the opening last; o3's stated list is kept.
    assert prefs.openings == {o1: [p0, p1, p2], o2: [p1, p2, p0, p3], o3: [p2]}
    origins = Counter(session.scalars(select(FairPreference.origin)))
    assert origins == {"stated": 3, "ranker": 11}
    # A second fill replaces the ranker lists instead of adding to them.
    fair_preferences.fill_preferences(
        session, w.organiser, fair_id=w.fair_id, score=score, min_score=0.45
    )
    prefs = fair_preferences.preferences_of(session, fair_id=w.fair_id)
    assert prefs.students[p1] == [o2, o1] and prefs.students[p2] == []
    assert prefs.openings[o1] == [p0, p1] and prefs.openings[o2] == [p1, p3]
    with pytest.raises(Forbidden):
        fair_preferences.fill_preferences(session, w.recruiter, fair_id=w.fair_id, score=score)


def _interviews(session: Session, fair_id: int) -> list[tuple[int, int, dt.datetime]]:
    rows = session.scalars(select(FairInterview).where(FairInterview.fair_id == fair_id))
    return sorted((i.profile_id, i.fair_opening_id, i.starts_at) for i in rows)


def test_allocation_is_stored_with_clash_free_interviews_and_reruns_replace_it(
    session: Session, w: World
) -> None:
    o1 = _opening(session, w, w.jobs[0], seats=2)
    o2 = _opening(session, w, w.jobs[1])
    o3 = _opening(session, w, w.rival_job)
    p0, p1, p2, p3 = _register_all(session, w)
    lists = {p0: [o1, o2], p1: [o1, o3], p2: [o1, o2, o3], p3: []}
    for (student, profile), opening_ids in zip(w.students, lists.values(), strict=True):
        fair_preferences.set_student_preferences(
            session, student, fair_id=w.fair_id, profile_id=profile, opening_ids=opening_ids
        )
    ranks = {o1: [p2, p0, p1], o2: [p0, p2], o3: [p1, p2]}
    for opening, profiles in ranks.items():
        who = w.rival if opening == o3 else w.recruiter
        fair_preferences.set_opening_preferences(
            session, who, fair_id=w.fair_id, opening_id=opening, profile_ids=profiles
        )
    summary = fair_allocation.allocate(session, w.organiser, fair_id=w.fair_id, interview_cap=2)
    # o1 (2 seats) keeps p2 and p0; p1 falls to o3. p3 stated an empty list.
    stored = session.execute(
        select(
            FairAssignment.profile_id,
            FairAssignment.fair_opening_id,
            FairAssignment.student_rank,
            FairAssignment.employer_rank,
        ).order_by(FairAssignment.profile_id)
    ).all()
    assert [tuple(r) for r in stored] == [(p0, o1, 1, 2), (p1, o3, 2, 1), (p2, o1, 1, 1)]
    assert summary.registered == 4 and summary.with_list == 3 and summary.assigned == 3
    assert summary.assigned_share == 0.75
    assert (summary.seats_total, summary.seats_filled) == (4, 3)
    assert summary.mean_student_rank == pytest.approx(4 / 3)
    assert summary.mean_employer_rank == pytest.approx(4 / 3)
    assert summary.blocking_pairs == 0 and summary.unscheduled == ()
    assert summary.status == "allocated" and summary.slots == 24
    # Interviews: the assigned opening plus the next acceptable one on the list (cap 2).
    interviews = _interviews(session, w.fair_id)
    assert sorted((p, o) for p, o, _ in interviews) == sorted(
        [(p0, o1), (p0, o2), (p1, o3), (p1, o1), (p2, o1), (p2, o2)]
    )
    assert summary.interviews == 6
    starts = [("student", p, at) for p, _, at in interviews]
    starts += [("opening", o, at) for _, o, at in interviews]
    assert len(set(starts)) == len(starts)  # no student and no opening twice at once
    day_start, day_end = dt.datetime(2026, 5, 20, 9), dt.datetime(2026, 5, 20, 17)
    assert all(day_start <= at < day_end for _, _, at in interviews)
    # Re-running changes nothing. Once allocated, students no longer change their lists;
    # the organisers may (a paper form), which reopens the fair; re-running replaces.
    again = fair_allocation.allocate(session, w.organiser, fair_id=w.fair_id, interview_cap=2)
    assert again == summary and _interviews(session, w.fair_id) == interviews
    with pytest.raises(Conflict):
        fair_preferences.set_student_preferences(
            session, w.students[0][0], fair_id=w.fair_id, profile_id=p0, opening_ids=[o2]
        )
    with pytest.raises(Conflict):
        fair_preferences.set_opening_preferences(
            session, w.recruiter, fair_id=w.fair_id, opening_id=o2, profile_ids=[p0]
        )
    fair_preferences.set_student_preferences(
        session, w.organiser, fair_id=w.fair_id, profile_id=p0, opening_ids=[o2]
    )
    assert fairs.get_fair(session, fair_id=w.fair_id).status == "open"
    fair_allocation.allocate(session, w.organiser, fair_id=w.fair_id, interview_cap=2)
    assignments = dict(
        session.execute(select(FairAssignment.profile_id, FairAssignment.fair_opening_id)).all()
    )
    assert assignments == {p0: o2, p1: o1, p2: o1}
    assert session.scalar(select(func.count()).select_from(FairAssignment)) == 3
    stored_summary = fair_allocation.fair_summary(session, w.organiser, fair_id=w.fair_id)
    assert stored_summary.assigned == 3 and stored_summary.blocking_pairs == 0


def test_interviews_that_do_not_fit_are_reported(session: Session, w: World) -> None:
    fair = fairs.create_fair(
        session, w.organiser, name_zh="短场", held_on=DAY, starts_at="09:00", ends_at="09:40"
    )
    opening = fairs.add_opening(
        session, w.organiser, fair_id=fair.id, posting_id=w.jobs[0], seats=3
    ).id
    profiles = []
    for student, profile in w.students[:3]:
        fairs.register(session, student, fair_id=fair.id, profile_id=profile)
        fair_preferences.set_student_preferences(
            session, student, fair_id=fair.id, profile_id=profile, opening_ids=[opening]
        )
        profiles.append(profile)
    fair_preferences.set_opening_preferences(
        session, w.recruiter, fair_id=fair.id, opening_id=opening, profile_ids=profiles
    )
    summary = fair_allocation.allocate(session, w.organiser, fair_id=fair.id)
    assert summary.assigned == 3 and summary.slots == 2 and summary.interviews == 2
    assert summary.unscheduled == ((profiles[2], opening),)  # one opening, two slots
    assert fair_allocation.fair_summary(session, w.organiser, fair_id=fair.id).unscheduled == (
        (profiles[2], opening),
    )


def test_results_are_seen_by_organisers_employers_and_each_student(
    session: Session, w: World
) -> None:
    o1, o3 = _opening(session, w, w.jobs[0], seats=2), _opening(session, w, w.rival_job)
    p0, p1, *_ = _register_all(session, w)
    score = {(p0, w.jobs[0]): 0.9, (p1, w.rival_job): 0.8, (p1, w.jobs[0]): 0.3}
    fair_preferences.fill_preferences(
        session, w.organiser, fair_id=w.fair_id, score=lambda p, j: score.get((p, j), 0.0)
    )
    fair_allocation.allocate(session, w.organiser, fair_id=w.fair_id)
    everything = fair_allocation.fair_results(session, w.organiser, fair_id=w.fair_id)
    assert [(a.profile_id, a.opening_id) for a in everything.assignments] == [(p0, o1), (p1, o3)]
    assert {(i.profile_id, i.opening_id, i.assigned) for i in everything.interviews} == {
        (p0, o1, True),
        (p1, o3, True),
        (p1, o1, False),
    }
    mine = fair_allocation.fair_results(session, w.recruiter, fair_id=w.fair_id)
    assert {a.opening_id for a in mine.assignments} == {o1}
    assert {i.opening_id for i in mine.interviews} == {o1}
    s1 = w.students[1][0]
    own = fair_allocation.fair_results(session, s1, fair_id=w.fair_id, profile_id=p1)
    assert [a.opening_id for a in own.assignments] == [o3] and len(own.interviews) == 2
    # reads of the results by others are audited with their purpose; the student's are not
    read = [
        e for e in events_for(session, user_id=w.recruiter.user_id) if e.action == "fair.results"
    ]
    assert read and {e.purpose for e in read} == {"fair.organization"}
    assert not [e for e in events_for(session, user_id=s1.user_id) if e.action == "fair.results"]
    with pytest.raises(Forbidden):
        fair_allocation.fair_results(session, s1, fair_id=w.fair_id, profile_id=p0)
    with pytest.raises(Forbidden):
        fair_allocation.fair_results(session, s1, fair_id=w.fair_id)
    with pytest.raises(Forbidden):
        fair_allocation.fair_summary(session, w.recruiter, fair_id=w.fair_id)
    with pytest.raises(Forbidden):
        fair_allocation.allocate(session, w.recruiter, fair_id=w.fair_id)


def test_a_closed_fair_changes_no_more(session: Session, w: World) -> None:
    o1 = _opening(session, w, w.jobs[0])
    with pytest.raises(Forbidden):
        fairs.close_fair(session, w.recruiter, fair_id=w.fair_id)
    fairs.close_fair(session, w.organiser, fair_id=w.fair_id)
    student, profile = w.students[0]
    with pytest.raises(Conflict):
        fairs.register(session, student, fair_id=w.fair_id, profile_id=profile)
    with pytest.raises(Conflict):
        fairs.add_opening(session, w.organiser, fair_id=w.fair_id, posting_id=w.jobs[1])
    with pytest.raises(Conflict):
        fair_allocation.allocate(session, w.organiser, fair_id=w.fair_id)
    assert o1
