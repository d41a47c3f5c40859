"""The app's security middleware (sessions, headers, request limits), installed once."""

from __future__ import annotations

from fastapi import FastAPI
from starlette.middleware.sessions import SessionMiddleware

from talentbridge.config import Settings
from talentbridge.web.security import SESSION_COOKIE, SecurityHeadersMiddleware


def install_middleware(app: FastAPI, settings: Settings) -> None:
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie=SESSION_COOKIE,
        max_age=settings.session_max_age_seconds,
        same_site="lax",
        https_only=settings.https_only,
    )
    app.add_middleware(SecurityHeadersMiddleware)
