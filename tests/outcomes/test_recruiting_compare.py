"""Before/after comparison of recruiting efficiency: bootstrap interval, Mann–Whitney U,
insufficient data, the switch-date setting, and access."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest
from sqlalchemy.orm import Session

from talentbridge.accounts.roles import Role
from talentbridge.config import Settings, SettingsError
from talentbridge.errors import Forbidden
from talentbridge.matching import applications as apps
from talentbridge.outcomes.recruiting_compare import (
    SWITCH_DATE_KEY,
    SWITCH_DATE_VARIABLE,
    bootstrap_relative_change,
    compare_before_after,
    compare_values,
    configured_switch_date,
    mann_whitney_p,
    percent,
)
from talentbridge.store.tables import Posting, Profile, Setting
from trackingtools import add_job, add_org, add_principal, add_profile

SWITCH = dt.date(2025, 7, 1)


def test_mann_whitney_against_hand_values() -> None:
    # before 1 2 2 3, after 2 4 5: pooled ranks 1 | 3 3 3 (ties at 2) | 5 6 7
    # R_before = 1 + 3 + 3 + 5 = 12, U = 12 - 4*5/2 = 2, mean n1*n2/2 = 6,
    # variance n1*n2/12 * (N + 1 - sum(t^3 - t) / (N (N - 1))) = 8 - 24/42,
    # z = (|2 - 6| - 0.5) / sqrt(variance) (continuity), p = erfc(z / sqrt 2)
    variance = 1.0 * (8 - 24 / 42)
    z = (4 - 0.5) / math.sqrt(variance)
    expected = math.erfc(z / math.sqrt(2))
    assert expected == pytest.approx(0.1991, abs=1e-4)
    p = mann_whitney_p(np.array([1.0, 2, 2, 3]), np.array([2.0, 4, 5]))
    assert p == pytest.approx(expected, rel=1e-9)
    # no ties: 1..5 against 6..10, U = 0, variance 25*11/12, z = (12.5 - 0.5) / sd
    z = 12.0 / math.sqrt(25 * 11 / 12)
    p = mann_whitney_p(np.arange(1.0, 6), np.arange(6.0, 11))
    assert p == pytest.approx(math.erfc(z / math.sqrt(2)), rel=1e-9)
    assert mann_whitney_p(np.array([3.0, 3]), np.array([3.0, 3, 3])) == 1.0


def test_bootstrap_covers_a_known_shift_and_is_reproducible() -> None:
    """After = before's distribution scaled by 0.6: the true relative change of the
    medians is -40 %. The 95 % interval should hold it in about 95 of 100 samples."""
    rng = np.random.default_rng(123)
    covered = 0
    for rep in range(40):
        before = rng.exponential(20.0, size=150)
        after = 0.6 * rng.exponential(20.0, size=150)
        interval = bootstrap_relative_change(before, after, resamples=2000, seed=rep)
        assert interval is not None
        low, high = interval
        assert low < high
        covered += low <= -0.4 <= high
    assert covered >= 34  # 95 % nominal; 34/40 is far below what it should reach
    before = rng.exponential(20.0, size=80)
    after = 0.6 * rng.exponential(20.0, size=80)
    first = bootstrap_relative_change(before, after, resamples=2000, seed=7)
    again = bootstrap_relative_change(before, after, resamples=2000, seed=7)
    other = bootstrap_relative_change(before, after, resamples=2000, seed=8)
    assert first == again and first != other


def test_compare_values_change_and_headline() -> None:
    before = [float(x) for x in range(10, 30)]  # median 19.5
    after = [float(x) for x in range(5, 20)]  # median 12
    c = compare_values(before, after, measure="days_to_hire", switch_date=SWITCH, seed=1)
    assert c.status == "ok" and (c.before.n, c.after.n) == (20, 15)
    assert (c.before.median, c.after.median) == (19.5, 12.0)
    assert c.change_abs == -7.5
    assert c.change_rel == pytest.approx(12 / 19.5 - 1)
    assert c.efficiency_change == pytest.approx(1 - 12 / 19.5)  # "efficiency up 38 %"
    assert percent(c.efficiency_change) == "+38 %" and percent(c.change_rel) == "−38 %"
    assert c.ci_low is not None and c.ci_high is not None
    assert c.ci_low < c.change_rel < c.ci_high < 0
    assert c.efficiency_ci == (-c.ci_high, -c.ci_low)
    assert c.p_value is not None and c.p_value < 0.01
    assert c.before.last == SWITCH - dt.timedelta(days=1) and c.after.first == SWITCH
    assert percent(None) == "—" and percent(0.0) == "0 %"


def test_insufficient_data() -> None:
    c = compare_values([1.0] * 9, [2.0] * 30, measure="days_to_hire", switch_date=SWITCH)
    assert c.status == "insufficient_data" and not c.sufficient
    assert (c.before.n, c.after.n) == (9, 30) and c.before.median == 1.0
    assert c.change_rel is None and c.ci_low is None and c.p_value is None
    assert c.efficiency_change is None
    relaxed = compare_values([1.0] * 9, [2.0] * 30, measure="days_to_hire",
                             switch_date=SWITCH, min_n=5)  # fmt: skip
    assert relaxed.status == "ok" and relaxed.change_rel == 1.0


def _hired_posting(
    session: Session, employer: int, college: int, posted: dt.date, days: int
) -> None:
    posting_id = add_job(session, employer)
    posting = session.get(Posting, posting_id)
    profile = session.get(Profile, add_profile(session, college))
    assert posting is not None and profile is not None
    posting.posted_on = posted
    start = dt.datetime.combine(posted, dt.time())
    application = apps.create_application(session, profile=profile, posting=posting,
                                          origin="student", user_id=None, note=None, at=start)  # fmt: skip
    for n, stage in enumerate(("screened", "interview", "offer", "hired"), start=1):
        at = start + dt.timedelta(days=days * n / 4)
        apps.step(session, application, to_stage=stage, user_id=None, note=None, at=at)


def test_compare_before_after_on_a_store(session: Session) -> None:
    college = add_org(session, "college")
    a = add_org(session, "enterprise", "CMP-A")
    b = add_org(session, "enterprise", "CMP-B")
    for i in range(12):  # employer A: 20 days before, 12 after; B: 30 days on both sides
        _hired_posting(session, a, college, SWITCH - dt.timedelta(days=10 + 5 * i), 20)
        _hired_posting(session, a, college, SWITCH + dt.timedelta(days=5 * i), 12)
        _hired_posting(session, b, college, SWITCH - dt.timedelta(days=10 + 5 * i), 30)
        _hired_posting(session, b, college, SWITCH + dt.timedelta(days=5 * i), 30)
    analyst = add_principal(session, Role.ANALYST, add_org(session, "association"))
    c = compare_before_after(session, principal=analyst, switch_date=SWITCH, employer_id=a)
    assert (c.before.n, c.after.n, c.before.median, c.after.median) == (12, 12, 20.0, 12.0)
    assert c.change_rel == pytest.approx(-0.4) and c.efficiency_change == pytest.approx(0.4)
    assert c.ci_low == pytest.approx(-0.4) and c.ci_high == pytest.approx(-0.4)  # no spread
    assert c.employer_id == a and c.resamples == 2000 and not c.synthetic
    both = compare_before_after(session, principal=analyst, switch_date=SWITCH)
    assert (both.before.n, both.before.median, both.after.median) == (24, 25.0, 21.0)
    # a window keeps postings within 30 days on each side: posted -30 … +29
    near = compare_before_after(session, principal=analyst, switch_date=SWITCH, employer_id=a,
                                window_days=30, min_n=3)  # fmt: skip
    assert (near.before.n, near.after.n) == (5, 6) and near.before.first == dt.date(2025, 6, 1)
    other = compare_before_after(session, principal=analyst, switch_date=SWITCH,
                                 employer_id=b, measure="applications_per_hire")  # fmt: skip
    assert other.change_rel == 0.0 and other.p_value == 1.0
    recruiter = add_principal(session, Role.RECRUITER, b)
    own = compare_before_after(session, principal=recruiter, switch_date=SWITCH)
    assert own.employer_id == b and own.change_rel == 0.0
    with pytest.raises(Forbidden):
        compare_before_after(session, principal=recruiter, switch_date=SWITCH, employer_id=a)
    teacher = add_principal(session, Role.TEACHER, college)
    assert compare_before_after(session, principal=teacher, switch_date=SWITCH).before.n == 24
    with pytest.raises(Forbidden):
        compare_before_after(session, principal=teacher, switch_date=SWITCH, employer_id=a)
    with pytest.raises(ValueError):
        compare_before_after(session, principal=analyst, switch_date=SWITCH, measure="speed")
    with pytest.raises(ValueError):
        compare_before_after(session, principal=analyst, switch_date=SWITCH, resamples=100)


def test_switch_date_from_setting_or_store(session: Session, settings: Settings) -> None:
    assert configured_switch_date(session, settings) is None
    session.add(Setting(key=SWITCH_DATE_KEY, value="2025-11-01"))
    session.flush()
    assert configured_switch_date(session, settings) == dt.date(2025, 11, 1)
    env = settings.with_overrides(extra={SWITCH_DATE_VARIABLE: "2024-03-15"})
    assert configured_switch_date(session, env) == dt.date(2024, 3, 15)
    bad = settings.with_overrides(extra={SWITCH_DATE_VARIABLE: "15.03.2024"})
    with pytest.raises(SettingsError, match=SWITCH_DATE_VARIABLE):
        configured_switch_date(session, bad)
