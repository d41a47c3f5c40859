"""Account and security (``/account``): the user's signed-in sessions (created, last
seen, address, browser) with "sign out this one" and "sign out everywhere", and the
change-password form (the current password is required; other sessions end)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from talentbridge.accounts.audit import record_event
from talentbridge.accounts.sessions import active_sessions, revoke_all_sessions, revoke_session
from talentbridge.accounts.users import PasswordRejected, WrongPassword, change_password
from talentbridge.store.tables import User
from talentbridge.web.deps import CurrentUser, SessionDep, SettingsDep, session_limits
from talentbridge.web.rendering import render
from talentbridge.web.security import end_session

router = APIRouter()


def _current_session_id(request: Request) -> int | None:
    value = getattr(request.state, "user_session_id", None)
    return value if isinstance(value, int) else None


def browser_name(user_agent: str | None) -> str:
    """A short name for a User-Agent string (the full string is shown on hover)."""
    ua = user_agent or ""
    for needle, name in (
        ("MicroMessenger", "WeChat"),
        ("Edg/", "Edge"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
        ("python-httpx", "httpx"),
        ("testclient", "Test client"),
    ):
        if needle in ua:
            system = next(
                (s for s in ("Android", "iPhone", "Windows", "Mac OS", "Linux") if s in ua), ""
            )
            return f"{name} · {system}" if system else name
    return ua[:40] or "—"


def _page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: User,
    *,
    status_code: int = 200,
    errors: list[str] | None = None,
    message: str = "",
) -> Response:
    rows = active_sessions(session, user_id=user.id, limits=session_limits(settings))
    return render(
        request,
        "account/index.html",
        user=user,
        status_code=status_code,
        sessions=rows,
        current_id=_current_session_id(request),
        browser_name=browser_name,
        errors=errors or [],
        message=message,
        idle_minutes=settings.session_idle_minutes,
    )


@router.get("/account", name="account")
def account(
    request: Request, user: CurrentUser, session: SessionDep, settings: SettingsDep
) -> Response:
    saved = request.query_params.get("saved")
    message = "account.password_changed" if saved == "password" else ""
    return _page(request, session, settings, user, message=message)


@router.post("/account/sessions/{session_id}/revoke", name="account_revoke_session")
def revoke_one(
    request: Request, session_id: int, user: CurrentUser, session: SessionDep
) -> Response:
    revoke_session(session, session_id=session_id, user_id=user.id)
    record_event(session, user_id=user.id, action="session.revoked", target_id=session_id)
    if session_id == _current_session_id(request):
        end_session(request)
        return RedirectResponse("/login", status_code=303)
    return RedirectResponse("/account", status_code=303)


@router.post("/account/sessions/revoke-all", name="account_revoke_all")
def revoke_all(request: Request, user: CurrentUser, session: SessionDep) -> Response:
    count = revoke_all_sessions(session, user_id=user.id)
    record_event(session, user_id=user.id, action="session.revoked_all", detail=str(count))
    end_session(request)
    return RedirectResponse("/login", status_code=303)


@router.post("/account/password", name="account_password")
def password(
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    current: Annotated[str, Form(max_length=256)],
    new: Annotated[str, Form(max_length=256)],
    confirm: Annotated[str, Form(max_length=256)],
) -> Response:
    if new != confirm:
        return _page(request, session, settings, user, status_code=400, errors=["account.mismatch"])
    try:
        change_password(
            session,
            user_id=user.id,
            current=current,
            new=new,
            keep_session_id=_current_session_id(request),
        )
    except WrongPassword:
        record_event(session, user_id=user.id, action="password.change_failed")
        return _page(
            request, session, settings, user, status_code=400, errors=["account.wrong_current"]
        )
    except PasswordRejected as exc:
        errors = [f"password.{problem}" for problem in exc.problems]
        return _page(request, session, settings, user, status_code=400, errors=errors)
    record_event(session, user_id=user.id, action="password.changed")
    return RedirectResponse("/account?saved=password", status_code=303)
