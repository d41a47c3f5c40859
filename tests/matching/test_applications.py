"""The application state machine: legal moves only, sides, who may act, events, feedback."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from talentbridge.accounts.policy import Principal
from talentbridge.accounts.roles import Role
from talentbridge.errors import Conflict, Forbidden, NotFound
from talentbridge.matching import applications as apps
from talentbridge.matching import invitations
from talentbridge.matching.applications import IllegalTransition
from talentbridge.matching.profile_access import has_applied_to
from talentbridge.store.matching_tables import ApplicationEvent, MatchFeedback
from talentbridge.store.tables import Posting
from trackingtools import add_job, add_org, add_principal, add_profile, add_student

T0 = dt.datetime(2026, 3, 2, 9, 0)


@dataclass
class World:
    college: int
    employer: int
    student: Principal
    profile: int
    other_student: Principal
    other_profile: int
    recruiter: Principal
    rival: Principal  # a recruiter of another enterprise
    admin: Principal  # the college's admin
    platform: Principal
    job: int
    rival_job: int


@pytest.fixture()
def w(session: Session) -> World:
    college = add_org(session, "college")
    employer = add_org(session, "enterprise")
    rival_org = add_org(session, "enterprise")
    student, profile = add_student(session, college)
    other_student, other_profile = add_student(session, college, visible=True)
    return World(
        college=college,
        employer=employer,
        student=student,
        profile=profile,
        other_student=other_student,
        other_profile=other_profile,
        recruiter=add_principal(session, Role.RECRUITER, employer),
        rival=add_principal(session, Role.RECRUITER, rival_org),
        admin=add_principal(session, Role.COLLEGE_ADMIN, college),
        platform=add_principal(session, Role.PLATFORM_ADMIN, None),
        job=add_job(session, employer),
        rival_job=add_job(session, rival_org),
    )


def _at(hours: float) -> dt.datetime:
    return T0 + dt.timedelta(hours=hours)


def _events(session: Session, application_id: int) -> list[tuple[str, dt.datetime, int | None]]:
    rows = session.scalars(
        select(ApplicationEvent)
        .where(ApplicationEvent.application_id == application_id)
        .order_by(ApplicationEvent.id)
    )
    return [(e.stage, e.at, e.user_id) for e in rows]


def _feedback(session: Session) -> list[tuple[str, str, int | None]]:
    rows = session.scalars(select(MatchFeedback).order_by(MatchFeedback.id))
    return [(f.event, f.side, f.position) for f in rows]


def test_the_whole_way_to_hired_is_timestamped_step_by_step(session: Session, w: World) -> None:
    a = apps.apply(
        session, w.student, profile_id=w.profile, posting_id=w.job, at=T0, position=2, score=0.8
    )
    assert (a.stage, a.origin, a.organization_id, a.declined_by) == (
        "applied",
        "student",
        w.employer,
        None,
    )
    for hours, stage in enumerate(("screened", "interview", "offer", "hired"), start=1):
        apps.move(session, w.recruiter, application_id=a.id, to_stage=stage, at=_at(hours))
    assert a.stage == "hired" and a.updated_at == _at(4)
    assert _events(session, a.id) == [
        ("applied", T0, w.student.user_id),
        ("screened", _at(1), w.recruiter.user_id),
        ("interview", _at(2), w.recruiter.user_id),
        ("offer", _at(3), w.recruiter.user_id),
        ("hired", _at(4), w.recruiter.user_id),
    ]
    assert _feedback(session) == [
        ("apply", "student", 2),
        ("interview", "employer", None),
        ("hire", "employer", None),
    ]
    # Nothing moves after hired, not even a withdrawal.
    with pytest.raises(IllegalTransition):
        apps.withdraw(session, w.student, application_id=a.id)
    with pytest.raises(IllegalTransition):
        apps.reject(session, w.recruiter, application_id=a.id)


@pytest.mark.parametrize(
    ("path", "illegal"),
    [
        ((), "interview"),  # applied → interview skips screening
        ((), "offer"),
        ((), "hired"),
        ((), "applied"),
        (("screened",), "applied"),  # never backwards
        (("screened",), "offer"),
        (("screened", "interview"), "screened"),
        (("screened", "interview", "offer"), "interview"),
        ((), "archived"),  # not a stage at all
    ],
)
def test_illegal_moves_are_refused_and_change_nothing(
    session: Session, w: World, path: tuple[str, ...], illegal: str
) -> None:
    a = apps.apply(session, w.student, profile_id=w.profile, posting_id=w.job, at=T0)
    for stage in path:
        apps.move(session, w.recruiter, application_id=a.id, to_stage=stage)
    before = (a.stage, len(_events(session, a.id)))
    with pytest.raises(IllegalTransition) as caught:
        apps.move(session, w.recruiter, application_id=a.id, to_stage=illegal)
    assert isinstance(caught.value, Conflict)
    assert caught.value.from_stage == before[0] and caught.value.to_stage == illegal
    assert (a.stage, len(_events(session, a.id))) == before


@pytest.mark.parametrize("stages", [(), ("screened",), ("screened", "interview", "offer")])
def test_declines_record_the_side_from_any_open_stage(
    session: Session, w: World, stages: tuple[str, ...]
) -> None:
    mine = apps.apply(session, w.student, profile_id=w.profile, posting_id=w.job, at=T0)
    theirs = apps.apply(
        session, w.other_student, profile_id=w.other_profile, posting_id=w.job, at=T0
    )
    for stage in stages:
        for a in (mine, theirs):
            apps.move(session, w.recruiter, application_id=a.id, to_stage=stage)
    apps.withdraw(session, w.student, application_id=mine.id, note="took another job")
    apps.reject(session, w.recruiter, application_id=theirs.id)
    assert (mine.stage, mine.declined_by) == ("declined", "student")
    assert (theirs.stage, theirs.declined_by) == ("declined", "employer")
    assert _events(session, mine.id)[-1][::2] == ("declined", w.student.user_id)
    assert _events(session, theirs.id)[-1][::2] == ("declined", w.recruiter.user_id)
    # Declined is final.
    with pytest.raises(IllegalTransition):
        apps.withdraw(session, w.student, application_id=mine.id)
    with pytest.raises(IllegalTransition):
        apps.move(session, w.recruiter, application_id=theirs.id, to_stage="screened")


def test_only_the_student_applies_for_their_own_profile(session: Session, w: World) -> None:
    # Another student cannot see the profile: NotFound, nothing leaks.
    with pytest.raises(NotFound):
        apps.apply(session, w.other_student, profile_id=w.profile, posting_id=w.job)
    # The college admin and the platform admin see it but do not apply for the student.
    for who in (w.admin, w.platform):
        with pytest.raises(Forbidden):
            apps.apply(session, who, profile_id=w.profile, posting_id=w.job)
    with pytest.raises(NotFound):
        apps.apply(session, w.recruiter, profile_id=w.profile, posting_id=w.job)
    with pytest.raises(NotFound):
        apps.apply(session, w.student, profile_id=w.profile, posting_id=w.job + 999)
    a = apps.apply(session, w.student, profile_id=w.profile, posting_id=w.job)
    with pytest.raises(Conflict):
        apps.apply(session, w.student, profile_id=w.profile, posting_id=w.job)
    assert a.stage == "applied"


def test_flagged_postings_can_be_applied_to(session: Session, w: World) -> None:
    posting = session.get(Posting, w.job)
    assert posting is not None
    posting.flag_count = 2
    a = apps.apply(session, w.student, profile_id=w.profile, posting_id=w.job)
    assert a.stage == "applied"


def test_only_the_postings_recruiters_move_and_only_the_student_withdraws(
    session: Session, w: World
) -> None:
    a = apps.apply(session, w.student, profile_id=w.profile, posting_id=w.job)
    with pytest.raises(NotFound):  # another enterprise's recruiter
        apps.move(session, w.rival, application_id=a.id, to_stage="screened")
    with pytest.raises(NotFound):
        apps.move(session, w.admin, application_id=a.id, to_stage="screened")
    with pytest.raises(Forbidden):  # the student may only withdraw
        apps.move(session, w.student, application_id=a.id, to_stage="screened")
    with pytest.raises(Forbidden):
        apps.withdraw(session, w.recruiter, application_id=a.id)
    with pytest.raises(Forbidden):  # the college admin sees but cannot withdraw
        apps.withdraw(session, w.admin, application_id=a.id)
    with pytest.raises(NotFound):
        apps.withdraw(session, w.rival, application_id=a.id)
    with pytest.raises(NotFound):
        apps.move(session, w.recruiter, application_id=a.id + 999, to_stage="screened")
    apps.move(session, w.platform, application_id=a.id, to_stage="screened")
    assert a.stage == "screened"


def test_steps_cannot_be_dated_before_the_previous_one(session: Session, w: World) -> None:
    a = apps.apply(session, w.student, profile_id=w.profile, posting_id=w.job, at=_at(5))
    with pytest.raises(Conflict):
        apps.move(session, w.recruiter, application_id=a.id, to_stage="screened", at=_at(4))
    assert a.stage == "applied"


def test_an_invitation_becomes_an_application_only_when_accepted(
    session: Session, w: World
) -> None:
    inv = invitations.invite(
        session, w.recruiter, profile_id=w.other_profile, posting_id=w.job, position=1, at=T0
    )
    assert (inv.status, inv.profile_id, inv.posting_id) == ("pending", w.other_profile, w.job)
    assert inv.invited_by == w.recruiter.user_id
    assert has_applied_to(session, w.other_profile, w.employer) is False
    with pytest.raises(Conflict):  # not answered yet
        invitations.invite(session, w.recruiter, profile_id=w.other_profile, posting_id=w.job)
    with pytest.raises(NotFound):  # someone else's invitation
        invitations.accept_invitation(session, w.student, invitation_id=inv.id)
    a = invitations.accept_invitation(session, w.other_student, invitation_id=inv.id, at=_at(1))
    assert (a.origin, a.stage, a.created_at) == ("invitation", "applied", _at(1))
    assert _events(session, a.id) == [("applied", _at(1), w.other_student.user_id)]
    assert _feedback(session) == [("invite", "employer", 1), ("apply", "student", None)]
    with pytest.raises(Conflict):
        invitations.accept_invitation(session, w.other_student, invitation_id=inv.id)
    with pytest.raises(Conflict):  # applied already
        invitations.invite(session, w.recruiter, profile_id=w.other_profile, posting_id=w.job)


def test_a_declined_invitation_creates_nothing_and_can_be_renewed(
    session: Session, w: World
) -> None:
    inv = invitations.invite(session, w.recruiter, profile_id=w.other_profile, posting_id=w.job)
    answered = invitations.decline_invitation(session, w.other_student, invitation_id=inv.id)
    assert answered.status == "declined"
    assert has_applied_to(session, w.other_profile, w.employer) is False
    with pytest.raises(Conflict):
        invitations.accept_invitation(session, w.other_student, invitation_id=inv.id)
    again = invitations.invite(session, w.recruiter, profile_id=w.other_profile, posting_id=w.job)
    assert again.status == "pending" and again.id != inv.id
    # Applying while invited accepts the invitation.
    a = apps.apply(session, w.other_student, profile_id=w.other_profile, posting_id=w.job)
    assert a.origin == "invitation"


def test_recruiters_invite_only_visible_candidates_to_their_own_postings(
    session: Session, w: World
) -> None:
    with pytest.raises(NotFound):  # no consent, never applied here
        invitations.invite(session, w.recruiter, profile_id=w.profile, posting_id=w.job)
    with pytest.raises(Forbidden):  # another enterprise's posting
        invitations.invite(session, w.recruiter, profile_id=w.other_profile, posting_id=w.rival_job)
    with pytest.raises(Forbidden):
        invitations.invite(session, w.admin, profile_id=w.other_profile, posting_id=w.job)
    # Having applied to the organization makes a candidate visible to it.
    second = add_job(session, w.employer, title="仓储主管")
    apps.apply(session, w.student, profile_id=w.profile, posting_id=w.job)
    inv = invitations.invite(session, w.recruiter, profile_id=w.profile, posting_id=second)
    assert inv.status == "pending"


def test_profiles_without_an_owner_cannot_apply(session: Session, w: World) -> None:
    orphan = add_profile(session, w.college)
    with pytest.raises(NotFound):
        apps.apply(session, w.student, profile_id=orphan, posting_id=w.job)
