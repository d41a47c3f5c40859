"""Sign-in cookie state and CSRF tokens.

The cookie ``tb_session`` is signed (Starlette ``SessionMiddleware``) and holds the
chosen language, the CSRF token and, once signed in, the random token of a server-side
session (``accounts.sessions``: the store keeps its SHA-256, expiry and revocation).
Signing in clears the cookie first, so the session token and the CSRF token are new.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass

from starlette.requests import Request

from talentbridge.store.tables import User

SESSION_COOKIE = "tb_session"
SESSION_TOKEN_KEY = "sid"
CSRF_SESSION_KEY = "csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@dataclass(frozen=True)
class Viewer:
    """A detached snapshot of the signed-in user for layouts and error pages (which may
    render after the request's store session has rolled back)."""

    id: int
    username: str
    display_name: str
    role: str
    locale: str
    organization_id: int | None

    @classmethod
    def of(cls, user: User) -> Viewer:
        return cls(
            id=user.id,
            username=user.username,
            display_name=user.display_name,
            role=user.role,
            locale=user.locale,
            organization_id=user.organization_id,
        )


class CsrfFailed(Exception):
    """A state-changing request came without the session's CSRF token."""


class NotAuthenticated(Exception):
    """No valid session or token; the API answers 401, pages redirect to the login."""


def csrf_token(request: Request) -> str:
    """The session's CSRF token, created on first use."""
    token = request.session.get(CSRF_SESSION_KEY)
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        request.session[CSRF_SESSION_KEY] = token
    return token


def csrf_matches(request: Request, sent: object) -> bool:
    expected = request.session.get(CSRF_SESSION_KEY)
    if not isinstance(expected, str) or not expected or not isinstance(sent, str):
        return False
    return hmac.compare_digest(expected.encode("utf-8"), sent.encode("utf-8"))


async def verify_csrf(request: Request) -> None:
    """Dependency on every HTML router: unsafe methods need the form field or header."""
    if request.method not in UNSAFE_METHODS:
        return
    sent: object = request.headers.get(CSRF_HEADER)
    if sent is None:
        form = await request.form()
        sent = form.get(CSRF_FIELD)
    if not csrf_matches(request, sent):
        raise CsrfFailed()


def start_session(request: Request, token: str) -> None:
    """Sign in: drop everything the anonymous session held (but the language), keep the
    new server-side session token and a new CSRF token."""
    lang = request.session.get("lang")
    request.session.clear()
    request.session.update({SESSION_TOKEN_KEY: token, CSRF_SESSION_KEY: secrets.token_urlsafe(32)})
    if isinstance(lang, str):
        request.session["lang"] = lang


def end_session(request: Request) -> None:
    """Forget the sign-in in the cookie (and the CSRF token); the language stays."""
    lang = request.session.get("lang")
    request.session.clear()
    if isinstance(lang, str):
        request.session["lang"] = lang


def session_token(request: Request) -> str | None:
    """The server-side session token the cookie carries, if any."""
    value = request.session.get(SESSION_TOKEN_KEY)
    return value if isinstance(value, str) and value else None


def client_ip(request: Request) -> str | None:
    """The client address as uvicorn saw it (behind a trusted proxy: X-Forwarded-For)."""
    return request.client.host if request.client is not None else None


def safe_next(target: str | None) -> str:
    """A local path to go to after signing in (never another site)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target
