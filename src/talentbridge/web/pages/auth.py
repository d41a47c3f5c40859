"""Login and logout. Signing in starts a fresh session (new CSRF token)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from talentbridge.accounts.audit import record_event
from talentbridge.accounts.users import authenticate
from talentbridge.web.deps import OptionalUser, SessionDep
from talentbridge.web.rendering import render
from talentbridge.web.security import end_session, safe_next, start_session

router = APIRouter()


@router.get("/login", name="login_form")
def login_form(request: Request, user: OptionalUser, next: str = "/") -> Response:
    if user is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return render(request, "login.html", next=safe_next(next), username="", error="")


@router.post("/login", name="login")
def login(
    request: Request,
    session: SessionDep,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=256)],
    next: Annotated[str, Form(max_length=500)] = "/",
) -> Response:
    user = authenticate(session, username.strip(), password)
    if user is None:
        record_event(session, user_id=None, action="login.failed", detail=username[:64])
        return render(
            request,
            "login.html",
            status_code=400,
            next=safe_next(next),
            username=username,
            error="login.failed",
        )
    record_event(session, user_id=user.id, action="login", organization_id=user.organization_id)
    start_session(request, user)
    return RedirectResponse(safe_next(next), status_code=303)


@router.post("/logout", name="logout")
def logout(request: Request) -> Response:
    end_session(request)
    return RedirectResponse("/login", status_code=303)
