"""Login limits read from LoginAttempt rows: an account locks after 5 failures in 15
minutes (for 15 minutes), an unknown username exactly alike, an address after 20
failures in 10 minutes; successes never count."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from talentbridge.accounts.login_limits import (
    ACCOUNT_LOCKED,
    ADDRESS_LIMITED,
    login_refusal,
    record_attempt,
)
from talentbridge.accounts.users import create_user
from talentbridge.config import LoginLimits, load_login_limits
from talentbridge.store.tables import AuditEvent, Organization, User

LIMITS = LoginLimits()
T0 = dt.datetime(2026, 11, 29, 8, 0)


def _user(session: Session, orgs: dict[str, Organization]) -> User:
    return create_user(
        session,
        username="wang",
        password="logistics-2024",
        role="teacher",
        organization_id=orgs["college"].id,
        display_name="wang",
    )


def _fail(session: Session, username: str, at: dt.datetime, ip: str = "10.0.0.1") -> object:
    return record_attempt(session, username=username, ip=ip, succeeded=False, limits=LIMITS, now=at)


def test_five_failures_lock_a_real_account_for_fifteen_minutes(
    session: Session, orgs: dict[str, Organization]
) -> None:
    user = _user(session, orgs)
    for minute in range(4):
        assert _fail(session, "wang", T0 + dt.timedelta(minutes=minute * 3)) is None
    assert login_refusal(session, username="wang", ip="10.0.0.1", limits=LIMITS, now=T0) is None
    fifth = T0 + dt.timedelta(minutes=12)
    refusal = _fail(session, "wang", fifth)
    assert refusal is not None and refusal.reason == ACCOUNT_LOCKED  # type: ignore[attr-defined]
    assert user.locked_until == fifth + dt.timedelta(minutes=15)
    during = login_refusal(
        session, username="wang", ip="10.0.0.9", limits=LIMITS, now=fifth + dt.timedelta(minutes=14)
    )
    assert during is not None and during.reason == ACCOUNT_LOCKED
    assert during.retry_after_seconds == 60
    after = fifth + dt.timedelta(minutes=15, seconds=1)
    assert login_refusal(session, username="wang", ip="10.0.0.9", limits=LIMITS, now=after) is None
    locks = session.scalars(select(AuditEvent).where(AuditEvent.action == "login.locked")).all()
    assert [event.user_id for event in locks] == [user.id]


def test_failures_spread_wider_than_the_window_do_not_lock(
    session: Session, orgs: dict[str, Organization]
) -> None:
    _user(session, orgs)
    for n in range(8):
        assert _fail(session, "wang", T0 + dt.timedelta(minutes=n * 4)) is None


def test_an_unknown_username_locks_exactly_like_a_real_one(
    session: Session, orgs: dict[str, Organization]
) -> None:
    _user(session, orgs)
    for name in ("wang", "nobody"):
        results = [_fail(session, name, T0 + dt.timedelta(minutes=m)) for m in range(5)]
        assert results[:4] == [None] * 4
        assert results[4] is not None
        refusal = login_refusal(
            session, username=name, ip=None, limits=LIMITS, now=T0 + dt.timedelta(minutes=10)
        )
        assert refusal is not None
        assert (refusal.reason, refusal.retry_after_seconds) == (ACCOUNT_LOCKED, 9 * 60)


def test_a_successful_sign_in_clears_earlier_failures(
    session: Session, orgs: dict[str, Organization]
) -> None:
    user = _user(session, orgs)
    for m in range(4):
        _fail(session, "wang", T0 + dt.timedelta(minutes=m))
    user.last_login_at = T0 + dt.timedelta(minutes=5)
    assert _fail(session, "wang", T0 + dt.timedelta(minutes=6)) is None


def test_an_address_is_held_back_after_twenty_failures_then_released(session: Session) -> None:
    for n in range(19):
        assert _fail(session, f"user{n}", T0 + dt.timedelta(seconds=n)) is None
    refusal = _fail(session, "user19", T0 + dt.timedelta(seconds=19))
    assert refusal is not None and refusal.reason == ADDRESS_LIMITED  # type: ignore[attr-defined]
    held = login_refusal(
        session, username="fresh", ip="10.0.0.1", limits=LIMITS, now=T0 + dt.timedelta(minutes=5)
    )
    assert held is not None and held.reason == ADDRESS_LIMITED
    assert held.retry_after_seconds == 5 * 60
    other = login_refusal(
        session, username="fresh", ip="10.0.0.2", limits=LIMITS, now=T0 + dt.timedelta(minutes=5)
    )
    assert other is None
    released = T0 + dt.timedelta(minutes=10, seconds=1)
    assert (
        login_refusal(session, username="fresh", ip="10.0.0.1", limits=LIMITS, now=released) is None
    )


def test_successes_from_one_address_never_count(session: Session) -> None:
    for n in range(500):
        record_attempt(
            session,
            username=f"user{n % 7}",
            ip="127.0.0.1",
            succeeded=True,
            limits=LIMITS,
            now=T0 + dt.timedelta(seconds=n),
        )
    later = T0 + dt.timedelta(minutes=9)
    assert (
        login_refusal(session, username="user1", ip="127.0.0.1", limits=LIMITS, now=later) is None
    )


def test_limits_come_from_the_environment() -> None:
    limits = load_login_limits(
        {"TALENTBRIDGE_LOGIN_MAX_FAILURES": "3", "TALENTBRIDGE_LOGIN_IP_WINDOW_MINUTES": "2"}
    )
    assert (limits.max_failures, limits.ip_window_minutes, limits.lock_minutes) == (3, 2, 15)
