"""Reads of applications: pipelines, a student's list, a college's list, contact masking,
one application's history, audit, and the timings for outcomes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from talentbridge.accounts.policy import Principal
from talentbridge.accounts.profiles_query import get_visible_profile, visible_profiles
from talentbridge.accounts.roles import Role
from talentbridge.errors import Forbidden, NotFound
from talentbridge.matching import application_queries as q
from talentbridge.matching import applications as apps
from talentbridge.matching import invitations
from talentbridge.store.tables import AuditEvent, Posting
from trackingtools import add_job, add_org, add_principal, add_student

T0 = dt.datetime(2026, 4, 1, 9, 0)


@dataclass
class World:
    students: list[tuple[Principal, int]]  # three students of the college
    outsider: tuple[Principal, int]  # a student of another college
    recruiter: Principal
    rival: Principal
    admin: Principal
    teacher: Principal
    platform: Principal
    analyst: Principal
    jobs: list[int]  # two postings of the employer
    rival_job: int
    college: int
    employer: int


@pytest.fixture()
def w(session: Session) -> World:
    college = add_org(session, "college")
    other_college = add_org(session, "college")
    employer = add_org(session, "enterprise")
    rival_org = add_org(session, "enterprise")
    return World(
        students=[add_student(session, college, visible=i == 2) for i in range(3)],
        outsider=add_student(session, other_college),
        recruiter=add_principal(session, Role.RECRUITER, employer),
        rival=add_principal(session, Role.RECRUITER, rival_org),
        admin=add_principal(session, Role.COLLEGE_ADMIN, college),
        teacher=add_principal(session, Role.TEACHER, college),
        platform=add_principal(session, Role.PLATFORM_ADMIN, None),
        analyst=add_principal(session, Role.ANALYST, add_org(session, "association")),
        jobs=[add_job(session, employer), add_job(session, employer, title="报关员")],
        rival_job=add_job(session, rival_org),
        college=college,
        employer=employer,
    )


def _at(days: float) -> dt.datetime:
    return T0 + dt.timedelta(days=days)


def _apply(session: Session, w: World, i: int, job: int, days: float = 0) -> int:
    student, profile = w.students[i] if i >= 0 else w.outsider
    return apps.apply(session, student, profile_id=profile, posting_id=job, at=_at(days)).id


def test_the_pipeline_counts_every_stage_and_lists_the_organizations_applications(
    session: Session, w: World
) -> None:
    a0 = _apply(session, w, 0, w.jobs[0])
    a1 = _apply(session, w, 1, w.jobs[0])
    a2 = _apply(session, w, 2, w.jobs[1])
    _apply(session, w, -1, w.rival_job)
    apps.move(session, w.recruiter, application_id=a1, to_stage="screened", at=_at(1))
    apps.reject(session, w.recruiter, application_id=a2, at=_at(2))
    pipe = q.pipeline_for_organization(session, w.recruiter)
    assert pipe.counts == {
        "applied": 1,
        "screened": 1,
        "interview": 0,
        "offer": 0,
        "hired": 0,
        "declined": 1,
    }
    assert pipe.total == 3
    assert [v.id for v in pipe.applications] == [a2, a1, a0]  # newest change first
    one = q.pipeline_for_organization(session, w.recruiter, posting_id=w.jobs[0])
    assert [v.id for v in one.applications] == [a1, a0] and one.total == 2
    screened = q.pipeline_for_organization(session, w.recruiter, stage="screened")
    assert [v.id for v in screened.applications] == [a1] and screened.total == 3
    # The platform admin sees all applications, or one organization's.
    assert q.pipeline_for_organization(session, w.platform).total == 4
    assert q.pipeline_for_organization(session, w.platform, organization_id=w.employer).total == 3


def test_the_pipeline_is_the_organizations_own(session: Session, w: World) -> None:
    _apply(session, w, 0, w.jobs[0])
    for who in (w.rival, w.admin, w.teacher, w.analyst, w.students[0][0]):
        with pytest.raises(Forbidden):
            q.pipeline_for_organization(session, who, organization_id=w.employer)
    with pytest.raises(Forbidden):  # another organization's posting
        q.pipeline_for_organization(session, w.rival, posting_id=w.jobs[0])
    with pytest.raises(NotFound):
        q.pipeline_for_organization(session, w.recruiter, posting_id=w.jobs[0] + 999)
    with pytest.raises(NotFound):  # a posting that is not the named organization's
        q.pipeline_for_organization(
            session, w.platform, organization_id=w.employer, posting_id=w.rival_job
        )
    assert q.pipeline_for_organization(session, w.rival).total == 0


def test_contact_data_shows_while_the_candidate_has_applied_or_accepted(
    session: Session, w: World
) -> None:
    a0 = _apply(session, w, 0, w.jobs[0])
    a1 = _apply(session, w, 1, w.jobs[0])
    # The consenting student is invited but has not answered: listed without contact.
    visible_student, visible_profile = w.students[2]
    inv = invitations.invite(session, w.recruiter, profile_id=visible_profile, posting_id=w.jobs[1])
    apps.withdraw(session, w.students[1][0], application_id=a1)
    pipe = q.pipeline_for_organization(session, w.recruiter)
    by_id = {v.id: v for v in pipe.applications}
    assert by_id[a0].phone == "19900000000" and not by_id[a0].contact_hidden
    assert by_id[a1].contact_hidden and by_id[a1].phone != by_id[a0].phone
    assert by_id[a1].phone is None or "****" in by_id[a1].phone  # masked
    assert [i.id for i in pipe.invitations] == [inv.id]
    assert pipe.invitations[0].status == "pending"
    accepted = invitations.accept_invitation(session, visible_student, invitation_id=inv.id)
    pipe = q.pipeline_for_organization(session, w.recruiter)
    assert pipe.invitations == []
    assert {v.id: v.phone for v in pipe.applications}[accepted.id] == "19900000000"
    # Reading people's records is audited.
    audits = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "application.pipeline")
    ).all()
    assert len(audits) == 2 and audits[0].user_id == w.recruiter.user_id


def test_a_students_applications_are_seen_by_them_their_college_and_the_employer(
    session: Session, w: World
) -> None:
    student, profile = w.students[0]
    a0 = _apply(session, w, 0, w.jobs[0])
    a1 = _apply(session, w, 0, w.rival_job, days=1)
    mine = q.applications_of_profile(session, student, profile_id=profile)
    assert [v.id for v in mine.applications] == [a1, a0]
    assert mine.applications[0].phone == "19900000000"
    admin = q.applications_of_profile(session, w.admin, profile_id=profile)
    assert [v.id for v in admin.applications] == [a1, a0] and not admin.applications[
        0
    ].contact_hidden
    teacher = q.applications_of_profile(session, w.teacher, profile_id=profile)
    assert all(v.contact_hidden and v.phone != "19900000000" for v in teacher.applications)
    # A recruiter sees the applications to their own organization only.
    assert [
        v.id
        for v in q.applications_of_profile(session, w.recruiter, profile_id=profile).applications
    ] == [a0]
    assert [
        v.id for v in q.applications_of_profile(session, w.rival, profile_id=profile).applications
    ] == [a1]
    for who in (w.outsider[0], w.analyst, w.students[1][0]):
        with pytest.raises(NotFound):
            q.applications_of_profile(session, who, profile_id=profile)
    # A recruiter who never received an application from a non-consenting student sees nothing.
    other_employer = add_principal(session, Role.RECRUITER, add_org(session, "enterprise"))
    with pytest.raises(NotFound):
        q.applications_of_profile(session, other_employer, profile_id=profile)


def test_invitations_are_listed_for_the_student_with_their_status(
    session: Session, w: World
) -> None:
    student, profile = w.students[2]
    first = invitations.invite(session, w.recruiter, profile_id=profile, posting_id=w.jobs[0])
    second = invitations.invite(session, w.recruiter, profile_id=profile, posting_id=w.jobs[1])
    invitations.decline_invitation(session, student, invitation_id=first.id)
    listed = q.applications_of_profile(session, student, profile_id=profile).invitations
    assert [(i.id, i.status) for i in listed] == [(second.id, "pending"), (first.id, "declined")]


def test_college_staff_see_their_students_applications(session: Session, w: World) -> None:
    a0 = _apply(session, w, 0, w.jobs[0])
    a2 = _apply(session, w, 2, w.rival_job, days=1)
    _apply(session, w, -1, w.jobs[1])  # another college's student
    listed = q.applications_of_college(session, w.admin)
    assert [v.id for v in listed.applications] == [a2, a0]
    assert listed.counts["applied"] == 2
    assert all(v.contact_hidden for v in q.applications_of_college(session, w.teacher).applications)
    assert q.applications_of_college(session, w.platform, college_id=w.college).total == 2
    assert q.applications_of_college(session, w.admin, graduation_year=2030).total == 0
    for who in (w.recruiter, w.analyst, w.students[0][0]):
        with pytest.raises(Forbidden):
            q.applications_of_college(session, who, college_id=w.college)
    with pytest.raises(Forbidden):
        q.applications_of_college(session, w.platform)  # no college named


def test_one_application_with_its_history_and_flag(session: Session, w: World) -> None:
    posting = session.get(Posting, w.jobs[0])
    assert posting is not None
    posting.flag_count = 1
    student, _ = w.students[0]
    a0 = _apply(session, w, 0, w.jobs[0])
    apps.move(session, w.recruiter, application_id=a0, to_stage="screened", at=_at(1), note="ok")
    for who in (student, w.recruiter, w.admin, w.teacher, w.platform):
        detail = q.application_detail(session, who, application_id=a0)
        assert [(e.stage, e.note) for e in detail.events] == [("applied", None), ("screened", "ok")]
        assert detail.next_stage == "interview" and detail.application.flagged
    for who in (w.rival, w.analyst, w.students[1][0], w.outsider[0]):
        with pytest.raises(NotFound):
            q.application_detail(session, who, application_id=a0)


def test_timings_from_application_to_each_stage(session: Session, w: World) -> None:
    a0 = _apply(session, w, 0, w.jobs[0])
    a1 = _apply(session, w, 1, w.jobs[0])
    a2 = _apply(session, w, 2, w.jobs[1])
    for days, stage in ((1, "screened"), (3, "interview"), (5, "offer"), (6, "hired")):
        apps.move(session, w.recruiter, application_id=a0, to_stage=stage, at=_at(days))
    for days, stage in ((2, "screened"), (4, "interview")):
        apps.move(session, w.recruiter, application_id=a1, to_stage=stage, at=_at(days))
    apps.reject(session, w.recruiter, application_id=a1, at=_at(4.5))
    apps.withdraw(session, w.students[2][0], application_id=a2, at=_at(0.5))
    t = q.stage_timings(session, organization_id=w.employer)
    assert t.applications == 3 and t.applications_per_hire == 3.0
    assert (t.stages["screened"].reached, t.stages["screened"].median_days) == (2, 1.5)
    assert (t.stages["interview"].reached, t.stages["interview"].mean_days) == (2, 3.5)
    assert (t.stages["hired"].reached, t.stages["hired"].median_days) == (1, 6.0)
    assert t.stages["declined"].reached == 2 and t.stages["declined"].median_days == 2.5
    one = q.stage_timings(session, posting_id=w.jobs[1])
    assert one.applications == 1 and one.applications_per_hire is None
    assert one.stages["offer"] == q.StageTiming("offer", 0, None, None)
    assert q.stage_timings(session, organization_id=w.employer, since=_at(10)).applications == 0


def test_applying_makes_a_profile_visible_to_that_organization_only(
    session: Session, w: World
) -> None:
    profile = w.students[0][1]  # has not consented
    consenting = w.students[2][1]
    assert [v.id for v in visible_profiles(session, w.recruiter)] == [consenting]
    with pytest.raises(NotFound):
        get_visible_profile(session, w.recruiter, profile)
    _apply(session, w, 0, w.jobs[0])
    assert sorted(v.id for v in visible_profiles(session, w.recruiter)) == [profile, consenting]
    assert get_visible_profile(session, w.recruiter, profile).id == profile
    assert [v.id for v in visible_profiles(session, w.rival)] == [consenting]
    with pytest.raises(NotFound):
        get_visible_profile(session, w.rival, profile)
