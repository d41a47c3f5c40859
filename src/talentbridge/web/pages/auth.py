"""Login and logout. Signing in starts a new server-side session (new session token,
new CSRF token); too many failures lock the account or hold back the address."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from talentbridge.accounts.audit import record_event
from talentbridge.accounts.login_limits import LoginRefusal, login_refusal, record_attempt
from talentbridge.accounts.sessions import revoke_token, start_user_session
from talentbridge.accounts.users import authenticate
from talentbridge.web.deps import OptionalUser, SessionDep, SettingsDep, session_limits
from talentbridge.web.rendering import render
from talentbridge.web.security import (
    client_ip,
    end_session,
    safe_next,
    session_token,
    start_session,
)

router = APIRouter()


@router.get("/login", name="login_form")
def login_form(request: Request, user: OptionalUser, next: str = "/") -> Response:
    if user is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return render(request, "login.html", next=safe_next(next), username="", error="")


def _refused(request: Request, refusal: LoginRefusal, username: str, next: str) -> Response:
    """The same answer whether or not the username exists."""
    minutes = max(1, -(-refusal.retry_after_seconds // 60))
    response = render(
        request,
        "login.html",
        status_code=429,
        next=safe_next(next),
        username=username,
        error=f"login.{refusal.reason}",
        error_params={"minutes": minutes},
    )
    response.headers["Retry-After"] = str(refusal.retry_after_seconds)
    return response


@router.post("/login", name="login")
def login(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=256)],
    next: Annotated[str, Form(max_length=500)] = "/",
) -> Response:
    username = username.strip()
    ip = client_ip(request)
    refusal = login_refusal(session, username=username, ip=ip, limits=settings.login)
    if refusal is not None:
        return _refused(request, refusal, username, next)
    user = authenticate(session, username, password)
    if user is None:
        record_event(session, user_id=None, action="login.failed", detail=username[:64])
        refusal = record_attempt(
            session, username=username, ip=ip, succeeded=False, limits=settings.login
        )
        if refusal is not None:
            return _refused(request, refusal, username, next)
        return render(
            request,
            "login.html",
            status_code=400,
            next=safe_next(next),
            username=username,
            error="login.failed",
        )
    record_attempt(session, username=username, ip=ip, succeeded=True, limits=settings.login)
    record_event(session, user_id=user.id, action="login", organization_id=user.organization_id)
    token = start_user_session(
        session,
        user=user,
        limits=session_limits(settings),
        ip=ip,
        user_agent=request.headers.get("user-agent"),
    )
    start_session(request, token)
    return RedirectResponse(safe_next(next), status_code=303)


@router.post("/logout", name="logout")
def logout(request: Request, session: SessionDep) -> Response:
    token = session_token(request)
    if token is not None:
        revoke_token(session, token)
    end_session(request)
    return RedirectResponse("/login", status_code=303)
