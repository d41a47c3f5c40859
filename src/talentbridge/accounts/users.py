"""User accounts: creation with role/organization rules, authentication, passwords.

Service functions take a ``Session`` and flush; the caller commits (the web edge
commits once per request, the CLI once per command).
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from talentbridge.accounts.passwords import (
    describe_problems,
    hash_password,
    needs_rehash,
    password_problems,
    verify_password,
)
from talentbridge.accounts.policy import Principal, can_manage_users
from talentbridge.accounts.roles import ROLE_ORG_KINDS, OrgKind, Role, parse_role
from talentbridge.accounts.sessions import account_usable, revoke_all_sessions
from talentbridge.errors import Conflict, NotFound, TalentBridgeError
from talentbridge.store.tables import Organization, User, utcnow

USERNAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{1,63}$")
LOCALES = ("zh", "en")

# Verified when the username is unknown, so that a miss costs as much as a hit.
_DUMMY_HASH = hash_password("dummy-password-for-timing")


class PasswordRejected(TalentBridgeError):
    """The password breaks one or more rules; ``problems`` holds the reason codes."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(describe_problems(problems))
        self.problems = problems


def _check_role_and_org(session: Session, role: Role, organization_id: int | None) -> None:
    kinds = ROLE_ORG_KINDS[role]
    if organization_id is None:
        if kinds is None:
            return
        names = " or ".join(sorted(k.value for k in kinds))
        raise TalentBridgeError(f"a {role.value} must belong to an organization ({names})")
    org = session.get(Organization, organization_id)
    if org is None:
        raise NotFound(f"organization {organization_id} does not exist")
    if kinds is not None and OrgKind(org.kind) not in kinds:
        names = " or ".join(sorted(k.value for k in kinds))
        raise Conflict(f"a {role.value} must belong to a {names}, but {org.code} is a {org.kind}")


def create_user(
    session: Session,
    *,
    username: str,
    password: str,
    role: Role | str,
    organization_id: int | None,
    display_name: str,
    email: str | None = None,
    locale: str = "zh",
    check_password: bool = True,
) -> User:
    """Create a user after checking username, password rules and role vs organization kind.

    Raises ``TalentBridgeError`` (bad input), ``PasswordRejected``, ``NotFound`` (no such
    organization) or ``Conflict`` (username taken, role does not fit the organization).
    """
    if not USERNAME_RE.match(username):
        raise TalentBridgeError(
            f"username {username!r} must be 2-64 letters, digits or . _ @ - "
            "and start with a letter or digit"
        )
    try:
        parsed_role = role if isinstance(role, Role) else parse_role(role)
    except ValueError as exc:
        raise TalentBridgeError(str(exc)) from None
    if locale not in LOCALES:
        raise TalentBridgeError(f"locale must be one of {', '.join(LOCALES)}")
    if check_password:
        problems = password_problems(password, username=username)
        if problems:
            raise PasswordRejected(problems)
    _check_role_and_org(session, parsed_role, organization_id)
    if get_user_by_username(session, username) is not None:
        raise Conflict(f"username {username!r} is already taken")
    user = User(
        username=username,
        password_hash=hash_password(password),
        role=parsed_role.value,
        organization_id=organization_id,
        display_name=display_name.strip() or username,
        email=email,
        locale=locale,
        is_active=True,
    )
    session.add(user)
    session.flush()
    return user


def get_user(session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)


def get_user_by_username(session: Session, username: str) -> User | None:
    return session.scalars(select(User).where(User.username == username)).one_or_none()


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The active user with this username and password, or ``None``.

    An unknown username still costs one hash verification. On success the login time
    is recorded and an outdated hash is upgraded.
    """
    user = get_user_by_username(session, username)
    if user is None:
        verify_password(_DUMMY_HASH, password)
        return None
    if not verify_password(user.password_hash, password) or not account_usable(user):
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    session.flush()
    return user


def set_password(
    session: Session, *, user_id: int, password: str, keep_session_id: int | None = None
) -> None:
    """Replace a user's password (rules apply). Every sign-in session of the user ends,
    but ``keep_session_id`` (the one that made the change)."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"user {user_id} does not exist")
    problems = password_problems(password, username=user.username)
    if problems:
        raise PasswordRejected(problems)
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    revoke_all_sessions(session, user_id=user.id, except_id=keep_session_id)
    session.flush()


def set_active(session: Session, *, user_id: int, active: bool) -> None:
    """Enable or disable an account; disabling it signs out every session at once."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"user {user_id} does not exist")
    user.is_active = active
    if not active:
        revoke_all_sessions(session, user_id=user.id)
    session.flush()


class WrongPassword(TalentBridgeError):
    """The current password given to change it was not right."""


def change_password(
    session: Session,
    *,
    user_id: int,
    current: str,
    new: str,
    keep_session_id: int | None = None,
) -> None:
    """A user changes their own password: the current one must be right."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"user {user_id} does not exist")
    if not verify_password(user.password_hash, current):
        raise WrongPassword("the current password is not right")
    set_password(session, user_id=user_id, password=new, keep_session_id=keep_session_id)


def list_users(session: Session, *, viewer: Principal) -> list[User]:
    """The users the viewer may manage: all for a platform admin, their own
    organization's for a college admin, only themselves otherwise."""
    stmt = select(User).order_by(User.organization_id, User.username)
    if can_manage_users(viewer, None):
        return list(session.scalars(stmt))  # every organization
    if viewer.organization_id is not None and can_manage_users(viewer, viewer.organization_id):
        return list(session.scalars(stmt.where(User.organization_id == viewer.organization_id)))
    return list(session.scalars(stmt.where(User.id == viewer.user_id)))
