"""Server-side sign-in sessions: only the hash is stored; idle and absolute expiry;
revocation one by one and everywhere; the last-seen time written at most every 5 min."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from talentbridge.accounts.sessions import (
    SessionLimits,
    active_sessions,
    resolve_session,
    revoke_all_sessions,
    revoke_session,
    revoke_token,
    session_token_hash,
    start_user_session,
)
from talentbridge.accounts.users import create_user, set_active, set_password
from talentbridge.errors import NotFound
from talentbridge.store.tables import Organization, User
from talentbridge.store.trust_tables import UserSession

LIMITS = SessionLimits(idle=dt.timedelta(minutes=60), absolute=dt.timedelta(hours=8))
T0 = dt.datetime(2026, 11, 29, 8, 0)


def _user(session: Session, orgs: dict[str, Organization], name: str = "wang") -> User:
    return create_user(
        session,
        username=name,
        password="logistics-2024",
        role="teacher",
        organization_id=orgs["college"].id,
        display_name=name,
    )


def _start(session: Session, user: User, now: dt.datetime = T0) -> str:
    return start_user_session(
        session, user=user, limits=LIMITS, ip="10.0.0.7", user_agent="Firefox/140", now=now
    )


def test_only_the_hash_of_the_token_is_stored(
    session: Session, orgs: dict[str, Organization]
) -> None:
    user = _user(session, orgs)
    token = _start(session, user)
    row = session.scalars(select(UserSession)).one()
    assert row.token_hash == session_token_hash(token) != token
    assert row.expires_at == T0 + dt.timedelta(hours=8)
    assert (row.ip, row.user_agent) == ("10.0.0.7", "Firefox/140")
    assert resolve_session(session, token, limits=LIMITS, now=T0) is not None
    assert resolve_session(session, "not-a-token", limits=LIMITS, now=T0) is None


def test_each_sign_in_gets_a_new_token(session: Session, orgs: dict[str, Organization]) -> None:
    user = _user(session, orgs)
    assert _start(session, user) != _start(session, user)


def test_idle_session_expires_and_use_keeps_it_alive(
    session: Session, orgs: dict[str, Organization]
) -> None:
    user = _user(session, orgs)
    idle = _start(session, user)
    used = _start(session, user)
    assert resolve_session(session, used, limits=LIMITS, now=T0 + dt.timedelta(minutes=50))
    later = T0 + dt.timedelta(minutes=61)
    assert resolve_session(session, idle, limits=LIMITS, now=later) is None
    assert resolve_session(session, used, limits=LIMITS, now=later) is not None
    # once expired it stays ended, even if the clock were turned back
    assert resolve_session(session, idle, limits=LIMITS, now=T0) is None


def test_absolute_limit_ends_even_a_busy_session(
    session: Session, orgs: dict[str, Organization]
) -> None:
    user = _user(session, orgs)
    token = _start(session, user)
    now = T0
    for _ in range(15):  # every 30 minutes, up to 7 h 30 min
        now += dt.timedelta(minutes=30)
        assert resolve_session(session, token, limits=LIMITS, now=now) is not None
    assert resolve_session(session, token, limits=LIMITS, now=T0 + dt.timedelta(hours=8)) is None


def test_last_seen_is_written_at_most_every_five_minutes(
    session: Session, orgs: dict[str, Organization]
) -> None:
    user = _user(session, orgs)
    token = _start(session, user)
    row = session.scalars(select(UserSession)).one()
    resolve_session(session, token, limits=LIMITS, now=T0 + dt.timedelta(minutes=4))
    assert row.last_seen_at == T0
    resolve_session(session, token, limits=LIMITS, now=T0 + dt.timedelta(minutes=6))
    assert row.last_seen_at == T0 + dt.timedelta(minutes=6)


def test_inactive_or_erased_account_has_no_session(
    session: Session, orgs: dict[str, Organization]
) -> None:
    user = _user(session, orgs)
    token = _start(session, user)
    user.is_active = False
    assert resolve_session(session, token, limits=LIMITS, now=T0) is None
    user.is_active = True
    assert resolve_session(session, token, limits=LIMITS, now=T0) is None  # revoked on the way
    fresh = _start(session, user)
    user.deleted_at = T0
    assert resolve_session(session, fresh, limits=LIMITS, now=T0) is None


def test_revoke_one_everywhere_and_by_token(
    session: Session, orgs: dict[str, Organization]
) -> None:
    user, other = _user(session, orgs), _user(session, orgs, "li")
    a, b, c = _start(session, user), _start(session, user), _start(session, user)
    theirs = _start(session, other)
    revoke_token(session, a)
    assert resolve_session(session, a, limits=LIMITS, now=T0) is None
    row_b = session.scalars(
        select(UserSession).where(UserSession.token_hash == session_token_hash(b))
    ).one()
    other_row = session.scalars(select(UserSession).where(UserSession.user_id == other.id)).one()
    try:
        revoke_session(session, session_id=other_row.id, user_id=user.id)
        raise AssertionError("revoked someone else's session")
    except NotFound:
        pass
    revoke_session(session, session_id=row_b.id, user_id=user.id)
    assert [s.id for s in active_sessions(session, user_id=user.id, limits=LIMITS, now=T0)] == [
        row_b.id + 1
    ]
    assert revoke_all_sessions(session, user_id=user.id) == 1
    assert resolve_session(session, c, limits=LIMITS, now=T0) is None
    assert resolve_session(session, theirs, limits=LIMITS, now=T0) is not None


def test_password_change_ends_sessions_but_the_one_that_changed_it(
    session: Session, orgs: dict[str, Organization]
) -> None:
    user = _user(session, orgs)
    keep, lose = _start(session, user), _start(session, user)
    kept = session.scalars(
        select(UserSession).where(UserSession.token_hash == session_token_hash(keep))
    ).one()
    set_password(session, user_id=user.id, password="another-pass-77", keep_session_id=kept.id)
    assert user.password_changed_at is not None
    assert resolve_session(session, keep, limits=LIMITS, now=T0) is not None
    assert resolve_session(session, lose, limits=LIMITS, now=T0) is None


def test_disabling_an_account_revokes_its_sessions(
    session: Session, orgs: dict[str, Organization]
) -> None:
    user = _user(session, orgs)
    token = _start(session, user)
    set_active(session, user_id=user.id, active=False)
    assert all(row.revoked_at is not None for row in session.scalars(select(UserSession)))
    set_active(session, user_id=user.id, active=True)
    assert resolve_session(session, token, limits=LIMITS, now=T0) is None
    assert resolve_session(session, _start(session, user), limits=LIMITS, now=T0) is not None
