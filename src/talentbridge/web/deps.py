"""Request dependencies, as ``Annotated`` aliases handlers declare.

``SessionDep`` is one store session per request, committed when the handler returns
(before the response goes out) and rolled back on any error. ``CurrentUser`` comes
from a bearer token or a server-side sign-in session (``accounts.sessions``) whose token
the signed cookie carries; without one the API answers 401 and
pages redirect to the login.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session, sessionmaker

from talentbridge.accounts.policy import Principal, can_use_area
from talentbridge.accounts.roles import Role
from talentbridge.accounts.sessions import SessionLimits, resolve_session
from talentbridge.accounts.tokens import user_for_token
from talentbridge.config import Settings
from talentbridge.errors import Forbidden
from talentbridge.store.tables import User
from talentbridge.web.security import (
    CSRF_HEADER,
    UNSAFE_METHODS,
    CsrfFailed,
    NotAuthenticated,
    Viewer,
    csrf_matches,
    end_session,
    session_token,
)

_bearer = HTTPBearer(auto_error=False, description="An API token: talentbridge user token")


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def session_limits(settings: Settings) -> SessionLimits:
    return SessionLimits(
        idle=dt.timedelta(minutes=settings.session_idle_minutes),
        absolute=dt.timedelta(seconds=settings.session_max_age_seconds),
    )


def get_session(request: Request) -> Iterator[Session]:
    factory: sessionmaker[Session] = request.app.state.sessionmaker
    with factory() as session:
        # The layout reads the sample-data flag through this session (rendering.py), so
        # that a page needs one pooled connection, not two: with every thread holding one
        # and waiting for a second, a busy server stalled until the pool timed out.
        request.state.store_session = session
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            request.state.store_session = None


SettingsDep = Annotated[Settings, Depends(get_settings)]
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
BearerDep = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


def _resolve_user(
    request: Request, session: Session, credentials: HTTPAuthorizationCredentials | None
) -> User | None:
    if credentials is not None:
        user = user_for_token(session, credentials.credentials)
        if user is None:
            raise NotAuthenticated()
        request.state.viewer = Viewer.of(user)
        return user
    token = session_token(request)
    if token is None:
        return None
    found = resolve_session(session, token, limits=session_limits(get_settings(request)))
    if found is None:  # revoked, expired, or the account is inactive or erased
        end_session(request)
        return None
    live, user = found
    request.state.user_session_id = live.id
    # A browser session calling the API must prove it comes from our page, not another site.
    api_write = request.url.path.startswith("/api/") and request.method in UNSAFE_METHODS
    if api_write and not csrf_matches(request, request.headers.get(CSRF_HEADER)):
        raise CsrfFailed()
    request.state.viewer = Viewer.of(user)
    return user


def get_optional_user(request: Request, session: SessionDep, credentials: BearerDep) -> User | None:
    try:
        return _resolve_user(request, session, credentials)
    except NotAuthenticated:
        return None


def get_current_user(request: Request, session: SessionDep, credentials: BearerDep) -> User:
    user = _resolve_user(request, session, credentials)
    if user is None:
        raise NotAuthenticated()
    return user


OptionalUser = Annotated[User | None, Depends(get_optional_user)]
CurrentUser = Annotated[User, Depends(get_current_user)]


def get_principal(user: CurrentUser) -> Principal:
    return Principal.of(user)


PrincipalDep = Annotated[Principal, Depends(get_principal)]


def require_roles(*roles: Role) -> Callable[[User], User]:
    """A dependency admitting only users with one of ``roles`` (403 otherwise)."""
    allowed = frozenset(roles)

    def dependency(user: CurrentUser) -> User:
        if Role(user.role) not in allowed:
            raise Forbidden("your role may not use this")
        return user

    return dependency


def require_area(area: str) -> Callable[[Principal], Principal]:
    """A dependency admitting only principals whose role may open ``area``."""

    def dependency(principal: PrincipalDep) -> Principal:
        if not can_use_area(principal, area):
            raise Forbidden("your role may not open this area")
        return principal

    return dependency
