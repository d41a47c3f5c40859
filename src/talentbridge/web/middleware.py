"""The app's security middleware (sessions, headers, cookies, request limits), installed
once by ``install_middleware``.

Order, outermost first: security headers and cookie flags (so every answer carries
them, a 413 included), the request size limit, then the signed session cookie.
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.datastructures import MutableHeaders
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from talentbridge.config import Settings
from talentbridge.web.busy_retry import SqliteBusyRetryMiddleware
from talentbridge.web.limits import RequestSizeLimitMiddleware
from talentbridge.web.security import SESSION_COOKIE

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
STRICT_TRANSPORT_SECURITY = "max-age=31536000"


def served_over_tls(scope: Scope) -> bool:
    """Whether the request came over HTTPS: directly, or through a proxy uvicorn trusts
    (``--proxy-headers`` with ``--forwarded-allow-ips``: it rewrites the scheme from
    ``X-Forwarded-Proto``)."""
    return scope.get("scheme") in ("https", "wss")


def _secure_cookie(value: bytes) -> bytes:
    """A ``Set-Cookie`` value with HttpOnly, SameSite=Lax and Secure."""
    flags = {part.strip().split(b"=")[0].lower() for part in value.split(b";")[1:]}
    if b"httponly" not in flags:
        value += b"; httponly"
    if b"samesite" not in flags:
        value += b"; samesite=lax"
    if b"secure" not in flags:
        value += b"; secure"
    return value


class SecurityHeadersMiddleware:
    """Adds CSP and related headers to every response, and HSTS and the Secure flag on
    cookies over TLS (or always when ``https_only``)."""

    def __init__(self, app: ASGIApp, *, https_only: bool = False) -> None:
        self.app = app
        self.https_only = https_only

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        tls = served_over_tls(scope)
        secure = tls or self.https_only

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                if secure:
                    message["headers"] = [
                        (name, _secure_cookie(value) if name.lower() == b"set-cookie" else value)
                        for name, value in message.get("headers", [])
                    ]
                headers = MutableHeaders(scope=message)
                headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("X-Frame-Options", "DENY")
                headers.setdefault("Referrer-Policy", "same-origin")
                headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
                headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
                if secure:  # browsers heed it only over TLS
                    headers.setdefault("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def install_middleware(app: FastAPI, settings: Settings) -> None:
    if settings.is_sqlite:  # innermost: a re-run starts from a fresh session cookie read
        app.add_middleware(SqliteBusyRetryMiddleware)
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie=SESSION_COOKIE,
        max_age=settings.session_max_age_seconds,
        same_site="lax",
        https_only=settings.https_only,
    )
    app.add_middleware(
        RequestSizeLimitMiddleware,
        small_limit=settings.max_form_bytes,
        upload_limit=settings.max_upload_bytes,
    )
    app.add_middleware(SecurityHeadersMiddleware, https_only=settings.https_only)
