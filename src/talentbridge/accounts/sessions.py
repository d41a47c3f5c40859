"""Server-side sign-in sessions (``UserSession`` rows).

Signing in creates a row and hands the browser a random token; the store keeps only
its SHA-256. A session ends when it is revoked (logout, "sign out everywhere", a
password change, the account deactivated or erased), when it has not been used for
the idle timeout, or at its absolute limit. ``last_seen_at`` is written at most once
per ``TOUCH_INTERVAL`` per session, so an ordinary page view does not write.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from talentbridge.errors import NotFound
from talentbridge.store.tables import User, utcnow
from talentbridge.store.trust_tables import UserSession

TOUCH_INTERVAL = dt.timedelta(minutes=5)
_UA_LENGTH = 200


@dataclass(frozen=True)
class SessionLimits:
    idle: dt.timedelta
    absolute: dt.timedelta


def session_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def start_user_session(
    session: Session,
    *,
    user: User,
    limits: SessionLimits,
    ip: str | None,
    user_agent: str | None,
    now: dt.datetime | None = None,
) -> str:
    """A new session for ``user``; returns the token (shown to the browser only)."""
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    session.add(
        UserSession(
            token_hash=session_token_hash(token),
            user_id=user.id,
            created_at=now,
            last_seen_at=now,
            expires_at=now + limits.absolute,
            ip=(ip or None) and ip[:45],
            user_agent=(user_agent or None) and user_agent[:_UA_LENGTH],
        )
    )
    session.flush()
    return token


def account_usable(user: User | None) -> bool:
    """Whether the account may be signed in at all (active, not erased)."""
    return user is not None and user.is_active and user.deleted_at is None


def resolve_session(
    session: Session, token: str, *, limits: SessionLimits, now: dt.datetime | None = None
) -> tuple[UserSession, User] | None:
    """The live session for ``token`` and its user, or ``None``.

    A session past its idle or absolute limit, or whose user is no longer usable, is
    revoked on the way out. ``last_seen_at`` moves only when older than
    ``TOUCH_INTERVAL``.
    """
    now = now or utcnow()
    found = session.execute(
        select(UserSession, User)
        .join(User, User.id == UserSession.user_id)
        .where(UserSession.token_hash == session_token_hash(token))
    ).one_or_none()
    if found is None:
        return None
    row, user = found
    if row.revoked_at is not None:
        return None
    expired = now >= row.expires_at or now - row.last_seen_at >= limits.idle
    if expired or not account_usable(user):
        row.revoked_at = now
        session.flush()
        return None
    if now - row.last_seen_at >= TOUCH_INTERVAL:
        row.last_seen_at = now
        session.flush()
    return row, user


def revoke_session(
    session: Session, *, session_id: int, user_id: int, now: dt.datetime | None = None
) -> None:
    """End one of the user's own sessions (404 for anyone else's)."""
    row = session.get(UserSession, session_id)
    if row is None or row.user_id != user_id:
        raise NotFound(f"session {session_id} does not exist")
    if row.revoked_at is None:
        row.revoked_at = now or utcnow()
        session.flush()


def revoke_token(session: Session, token: str, *, now: dt.datetime | None = None) -> None:
    """End the session a token belongs to (logout); unknown tokens are ignored."""
    session.execute(
        update(UserSession)
        .where(
            UserSession.token_hash == session_token_hash(token), UserSession.revoked_at.is_(None)
        )
        .values(revoked_at=now or utcnow())
    )


def revoke_all_sessions(
    session: Session, *, user_id: int, except_id: int | None = None, now: dt.datetime | None = None
) -> int:
    """End every live session of a user ("sign out everywhere"); returns how many."""
    stmt = update(UserSession).where(
        UserSession.user_id == user_id, UserSession.revoked_at.is_(None)
    )
    if except_id is not None:
        stmt = stmt.where(UserSession.id != except_id)
    result = session.execute(stmt.values(revoked_at=now or utcnow()))
    session.flush()
    return int(getattr(result, "rowcount", 0) or 0)


def active_sessions(
    session: Session, *, user_id: int, limits: SessionLimits, now: dt.datetime | None = None
) -> list[UserSession]:
    """The user's sessions that still work, newest first."""
    now = now or utcnow()
    stmt = (
        select(UserSession)
        .where(
            UserSession.user_id == user_id,
            UserSession.revoked_at.is_(None),
            UserSession.expires_at > now,
            UserSession.last_seen_at > now - limits.idle,
        )
        .order_by(UserSession.created_at.desc(), UserSession.id.desc())
    )
    return list(session.scalars(stmt))
