"""Login rate limits and account lockout, shared by every worker (``LoginAttempt`` rows).

Only failed attempts count, so many successful sign-ins from one address (a college
behind one NAT address, a load test) are never held back.

- Account: ``max_failures`` failures for one username within ``window_minutes`` (since
  that user's last successful sign-in) lock it for ``lock_minutes`` after the last of
  them. The rule reads only the attempt rows, so an unknown username locks exactly like
  a real one and the answer never tells whether an account exists. For a real account
  ``User.locked_until`` is also set (for administrators and the audit trail).
- Address: ``ip_max_failures`` failures from one address within ``ip_window_minutes``
  make it wait until the oldest of them leaves the window (HTTP 429, Retry-After).

Attempts refused by a limit are not counted again, so a lock ends on time.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from talentbridge.accounts.audit import record_event
from talentbridge.config import LoginLimits
from talentbridge.store.tables import User, utcnow
from talentbridge.store.trust_tables import LoginAttempt

ACCOUNT_LOCKED = "account_locked"
ADDRESS_LIMITED = "address_limited"


@dataclass(frozen=True)
class LoginRefusal:
    """Why a sign-in is refused before the password is checked, and for how long."""

    reason: str  # ACCOUNT_LOCKED | ADDRESS_LIMITED
    retry_after_seconds: int


def _seconds(until: dt.datetime, now: dt.datetime) -> int:
    return max(1, math.ceil((until - now).total_seconds()))


def _user(session: Session, username: str) -> User | None:
    return session.scalars(select(User).where(User.username == username)).one_or_none()


def _account_lock_end(
    session: Session, username: str, limits: LoginLimits, now: dt.datetime
) -> dt.datetime | None:
    """When the lock of ``username`` ends, if it is locked now (read from attempts)."""
    since = now - dt.timedelta(minutes=limits.window_minutes + limits.lock_minutes)
    user = _user(session, username)
    if user is not None and user.last_login_at is not None and user.last_login_at > since:
        since = user.last_login_at
    recent = list(
        session.scalars(
            select(LoginAttempt.at)
            .where(
                LoginAttempt.username == username,
                LoginAttempt.succeeded.is_(False),
                LoginAttempt.at > since,
            )
            .order_by(LoginAttempt.at.desc())
            .limit(limits.max_failures)
        )
    )
    if len(recent) >= limits.max_failures:
        latest, oldest = recent[0], recent[-1]
        if latest - oldest <= dt.timedelta(minutes=limits.window_minutes):
            end = latest + dt.timedelta(minutes=limits.lock_minutes)
            if end > now:
                return end
    if user is not None and user.locked_until is not None and user.locked_until > now:
        return user.locked_until
    return None


def _address_failures(
    session: Session, ip: str, limits: LoginLimits, now: dt.datetime
) -> tuple[int, dt.datetime | None]:
    start = now - dt.timedelta(minutes=limits.ip_window_minutes)
    count, oldest = session.execute(
        select(func.count(), func.min(LoginAttempt.at)).where(
            LoginAttempt.ip == ip, LoginAttempt.succeeded.is_(False), LoginAttempt.at > start
        )
    ).one()
    return int(count), oldest


def login_refusal(
    session: Session,
    *,
    username: str,
    ip: str | None,
    limits: LoginLimits,
    now: dt.datetime | None = None,
) -> LoginRefusal | None:
    """Why this attempt must be refused without checking the password, or ``None``."""
    now = now or utcnow()
    if ip:
        count, oldest = _address_failures(session, ip, limits, now)
        if count >= limits.ip_max_failures and oldest is not None:
            until = oldest + dt.timedelta(minutes=limits.ip_window_minutes)
            return LoginRefusal(ADDRESS_LIMITED, _seconds(until, now))
    end = _account_lock_end(session, username, limits, now)
    if end is not None:
        return LoginRefusal(ACCOUNT_LOCKED, _seconds(end, now))
    return None


def record_attempt(
    session: Session,
    *,
    username: str,
    ip: str | None,
    succeeded: bool,
    limits: LoginLimits,
    now: dt.datetime | None = None,
) -> LoginRefusal | None:
    """Store one attempt. A failure that reaches a limit locks the account (or the
    address), is audited, and is returned as the refusal now in force."""
    now = now or utcnow()
    username = username[:64]
    session.add(LoginAttempt(at=now, username=username, ip=ip and ip[:45], succeeded=succeeded))
    session.flush()
    if succeeded:
        return None
    end = _account_lock_end(session, username, limits, now)
    if end is not None:
        user = _user(session, username)
        if user is not None:
            user.locked_until = end
        record_event(
            session,
            user_id=user.id if user is not None else None,
            action="login.locked",
            organization_id=user.organization_id if user is not None else None,
            detail=f"{username} until {end.isoformat(timespec='seconds')}",
        )
        session.flush()
        return LoginRefusal(ACCOUNT_LOCKED, _seconds(end, now))
    if ip:
        count, oldest = _address_failures(session, ip, limits, now)
        if count >= limits.ip_max_failures and oldest is not None:
            record_event(session, user_id=None, action="login.address_limited", detail=ip)
            until = oldest + dt.timedelta(minutes=limits.ip_window_minutes)
            return LoginRefusal(ADDRESS_LIMITED, _seconds(until, now))
    return None
