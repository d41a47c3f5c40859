"""Recruiting efficiency per posting, employer and month, on hand-computed stores."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from talentbridge.accounts.roles import Role
from talentbridge.errors import Forbidden
from talentbridge.matching import applications as apps
from talentbridge.outcomes.recruiting import (
    AppSteps,
    Distribution,
    load_posting_times,
    posting_times,
    recruiting_table,
)
from talentbridge.store.tables import Posting, Profile
from trackingtools import add_job, add_org, add_principal, add_profile

T = dt.datetime


def _posting(session: Session, employer_id: int, posted_on: dt.date) -> int:
    posting_id = add_job(session, employer_id)
    posting = session.get(Posting, posting_id)
    assert posting is not None
    posting.posted_on = posted_on
    posting.posted_month = posted_on.strftime("%Y-%m")
    session.flush()
    return posting_id


def _history(
    session: Session, posting_id: int, college_id: int, created: T, *steps: tuple[str, T]
) -> int:
    """An application created at ``created`` that then takes ``steps`` through the real
    state machine."""
    profile = session.get(Profile, add_profile(session, college_id))
    posting = session.get(Posting, posting_id)
    assert profile is not None and posting is not None
    application = apps.create_application(
        session, profile=profile, posting=posting, origin="student", user_id=None, note=None,
        at=created,
    )  # fmt: skip
    for stage, at in steps:
        apps.step(session, application, to_stage=stage, user_id=None, note=None, at=at)
    return application.id


@pytest.fixture()
def world(session: Session) -> dict[str, int]:
    """Employer A: posting 1 (posted 2025-03-01) with four applications, posting 2
    (2025-04-10) with one hire; employer B: posting 3 (2025-03-20) with no step."""
    college = add_org(session, "college")
    a = add_org(session, "enterprise", "EMP-A")
    b = add_org(session, "enterprise", "EMP-B")
    p1 = _posting(session, a, dt.date(2025, 3, 1))
    # applied on day 2 at noon, never screened
    _history(session, p1, college, T(2025, 3, 3, 12))
    # applied day 3, screened day 5, interview day 8, offer day 10, hired day 12
    _history(session, p1, college, T(2025, 3, 4), ("screened", T(2025, 3, 6)),
             ("interview", T(2025, 3, 9)), ("offer", T(2025, 3, 11)),
             ("hired", T(2025, 3, 13)))  # fmt: skip
    # applied day 4.5, screened, interview on day 6 (earlier than the first), offer, declined
    _history(session, p1, college, T(2025, 3, 5, 12), ("screened", T(2025, 3, 6, 6)),
             ("interview", T(2025, 3, 7)), ("offer", T(2025, 3, 8)),
             ("declined", T(2025, 3, 9)))  # fmt: skip
    # applied day 1 (earliest) but rejected without screening: not qualified
    _history(session, p1, college, T(2025, 3, 2), ("declined", T(2025, 3, 3)))
    p2 = _posting(session, a, dt.date(2025, 4, 10))
    _history(session, p2, college, T(2025, 4, 10, 6), ("screened", T(2025, 4, 11)),
             ("interview", T(2025, 4, 15)), ("offer", T(2025, 4, 16)),
             ("hired", T(2025, 4, 30)))  # fmt: skip
    _history(
        session,
        p2,
        college,
        T(2025, 4, 12),
        ("screened", T(2025, 4, 13)),
        ("interview", T(2025, 4, 20)),
        ("offer", T(2025, 4, 21)),
    )  # open offer
    p3 = _posting(session, b, dt.date(2025, 3, 20))
    _history(session, p3, college, T(2025, 3, 25))
    return {"college": college, "a": a, "b": b, "p1": p1, "p2": p2, "p3": p3}


def test_one_posting_exact_days(session: Session, world: dict[str, int]) -> None:
    admin = add_principal(session, Role.PLATFORM_ADMIN, None)
    times = {t.posting_id: t for t in load_posting_times(session, principal=admin)}
    p1 = times[world["p1"]]
    assert (p1.applications, p1.screened, p1.interviews, p1.offers, p1.hires) == (4, 2, 2, 2, 1)
    assert p1.days_to_first_qualified == 3.0  # created 2025-03-04 00:00, not the day-1 one
    assert p1.days_to_first_interview == 6.0  # 2025-03-07 (the third application)
    assert p1.days_to_hire == 12.0
    assert (p1.offers_decided, p1.offers_accepted) == (2, 1)
    assert p1.applications_per_hire == 4.0 and p1.screened_per_hire == 2.0
    p2 = times[world["p2"]]
    assert p2.days_to_first_qualified == 0.25  # created 06:00 on the posting day
    assert p2.days_to_first_interview == 5.0 and p2.days_to_hire == 20.0
    assert (p2.offers_decided, p2.offers_accepted) == (1, 1)  # the open offer waits
    p3 = times[world["p3"]]
    assert p3.days_to_first_qualified is None and p3.days_to_hire is None
    assert p3.applications_per_hire is None


def test_pure_times_clamp_and_ignore_order() -> None:
    posted = dt.date(2025, 1, 10)
    t = posting_times(
        9, 1, posted,
        [AppSteps(T(2025, 1, 9), (("screened", T(2025, 1, 12)),)),  # before the posting date
         AppSteps(T(2025, 1, 11), (("screened", T(2025, 1, 11)), ("interview", T(2025, 1, 13))))],
    )  # fmt: skip
    assert t.days_to_first_qualified == 0.0
    assert t.days_to_first_interview == 3.0
    assert t.days_to_hire is None and t.month == "2025-01"


def test_distribution_linear_quartiles() -> None:
    d = Distribution.of([1.0, 2.0, 3.0, 4.0, 10.0])
    assert (d.n, d.q1, d.median, d.q3) == (5, 2.0, 3.0, 4.0)
    e = Distribution.of([1.0, 2.0, 3.0, 4.0])
    assert (e.q1, e.median, e.q3) == (1.75, 2.5, 3.25)
    assert Distribution.of([]) == Distribution(0, None, None, None)


def test_table_by_employer_and_month(session: Session, world: dict[str, int]) -> None:
    analyst = add_principal(session, Role.ANALYST, add_org(session, "association"))
    table = recruiting_table(session, principal=analyst)
    overall = table.overall
    assert (overall.postings, overall.applications, overall.screened, overall.hires) == (3, 7, 4, 2)
    assert overall.offers_decided == 3 and overall.offer_acceptance_rate == pytest.approx(2 / 3)
    hire = overall.measures["days_to_hire"]
    assert (hire.n, hire.median, hire.q1, hire.q3) == (2, 16.0, 14.0, 18.0)
    assert overall.measures["days_to_first_qualified"].median == pytest.approx(1.625)
    assert overall.applications_per_hire_pooled == 3.5
    employers = {s.employer_code: s for s in table.by_employer}
    assert set(employers) == {"EMP-A", "EMP-B"}
    assert employers["EMP-A"].postings == 2 and employers["EMP-A"].hires == 2
    assert employers["EMP-B"].measures["days_to_hire"].n == 0
    assert employers["EMP-B"].offer_acceptance_rate is None
    months = {s.month: s for s in table.by_month}
    assert list(months) == ["2025-03", "2025-04"]
    assert months["2025-03"].postings == 2 and months["2025-03"].hires == 1
    assert months["2025-04"].measures["days_to_hire"].median == 20.0
    # the period filters on the posting date (inclusive)
    april = recruiting_table(session, principal=analyst, since=dt.date(2025, 4, 10))
    assert april.overall.postings == 1 and april.by_month[0].month == "2025-04"
    assert not table.synthetic


def test_recruiter_sees_only_their_own_employer(session: Session, world: dict[str, int]) -> None:
    recruiter = add_principal(session, Role.RECRUITER, world["b"])
    table = recruiting_table(session, principal=recruiter)
    assert table.employer_id == world["b"]
    assert [s.employer_code for s in table.by_employer] == ["EMP-B"]
    assert table.overall.postings == 1 and table.overall.employer_code == "EMP-B"
    with pytest.raises(Forbidden):
        recruiting_table(session, principal=recruiter, employer_id=world["a"])
    # college staff: the figures over all employers, but no employer on its own
    for role in (Role.COLLEGE_ADMIN, Role.TEACHER):
        staff = add_principal(session, role, world["college"])
        table = recruiting_table(session, principal=staff)
        assert table.overall.postings == 3 and table.by_employer == []
        with pytest.raises(Forbidden):
            recruiting_table(session, principal=staff, employer_id=world["a"])
    with pytest.raises(Forbidden):
        student = add_principal(session, Role.STUDENT, world["college"])
        recruiting_table(session, principal=student)
