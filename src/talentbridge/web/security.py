"""Session sign-in state, CSRF tokens and security headers.

The session is a signed cookie (Starlette ``SessionMiddleware``). It holds the user id,
a fingerprint of the user's password hash (so a password change ends old sessions),
the CSRF token and the chosen language. Signing in clears the session first.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from talentbridge.store.tables import User

SESSION_COOKIE = "tb_session"
CSRF_SESSION_KEY = "csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"
)


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


def password_fingerprint(user: User) -> str:
    return hashlib.sha256(user.password_hash.encode("utf-8")).hexdigest()[:24]


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


def start_session(request: Request, user: User) -> None:
    """Sign in: drop everything the anonymous session held (but the language)."""
    lang = request.session.get("lang")
    request.session.clear()
    request.session.update(
        {
            "uid": user.id,
            "pwv": password_fingerprint(user),
            CSRF_SESSION_KEY: secrets.token_urlsafe(32),
        }
    )
    if isinstance(lang, str):
        request.session["lang"] = lang


def end_session(request: Request) -> None:
    lang = request.session.get("lang")
    request.session.clear()
    if isinstance(lang, str):
        request.session["lang"] = lang


def session_user_id(request: Request) -> int | None:
    value = request.session.get("uid")
    return value if isinstance(value, int) else None


def session_matches(request: Request, user: User) -> bool:
    sent = request.session.get("pwv")
    return isinstance(sent, str) and hmac.compare_digest(sent, password_fingerprint(user))


def safe_next(target: str | None) -> str:
    """A local path to go to after signing in (never another site)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


class SecurityHeadersMiddleware:
    """Adds CSP and related headers to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("X-Frame-Options", "DENY")
                headers.setdefault("Referrer-Policy", "same-origin")
            await send(message)

        await self.app(scope, receive, send_with_headers)
