"""Jinja2 page rendering with the shared layout context (language, user, navigation)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import jinja2
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session, sessionmaker
from starlette.requests import Request
from starlette.responses import HTMLResponse

from talentbridge.accounts.directory import holds_sample_data
from talentbridge.accounts.policy import Principal, areas_for
from talentbridge.accounts.roles import Role
from talentbridge.config import Settings
from talentbridge.store.tables import User
from talentbridge.web.i18n import LOCALES, choose_locale, load_catalogs, translator
from talentbridge.web.security import Viewer, csrf_token

TEMPLATE_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"

log = logging.getLogger(__name__)


def make_templates() -> Jinja2Templates:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return Jinja2Templates(env=env)


def request_locale(request: Request, user: User | Viewer | None = None) -> str:
    """The page language; a valid ``?lang=`` is remembered in the session."""
    settings: Settings = request.app.state.settings
    query = request.query_params.get("lang")
    if query in LOCALES:
        request.session["lang"] = query
    chosen = request.session.get("lang")
    return choose_locale(
        query=query,
        chosen=chosen if isinstance(chosen, str) else None,
        user_preference=user.locale if user is not None else None,
        accept_language=request.headers.get("accept-language"),
        default=settings.default_locale,
    )


def current_viewer(request: Request) -> Viewer | None:
    viewer = getattr(request.state, "viewer", None)
    return viewer if isinstance(viewer, Viewer) else None


def _sample_data(request: Request) -> bool:
    """The store's sample-data flag, read through the request's own store session when
    it has one (deps.get_session), so as not to take a second pooled connection."""
    current = getattr(request.state, "store_session", None)
    try:
        if isinstance(current, Session):
            return holds_sample_data(current)
        factory: sessionmaker[Session] = request.app.state.sessionmaker
        with factory() as session:
            return holds_sample_data(session)
    except Exception:  # the banner must never break a page (e.g. an error page)
        log.warning("could not read the sample-data flag", exc_info=True)
        return False


def render(
    request: Request,
    template: str,
    *,
    user: User | None = None,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    """Render ``template`` inside the layout, in the request's language."""
    viewer = Viewer.of(user) if isinstance(user, User) else current_viewer(request)
    locale = request_locale(request, viewer)
    other = "en" if locale == "zh" else "zh"
    switch = request.url.include_query_params(lang=other)
    principal = Principal(viewer.id, Role(viewer.role), viewer.organization_id) if viewer else None
    base: dict[str, Any] = {
        "t": translator(load_catalogs(), locale),
        "lang": locale,
        "other_lang": other,
        "switch_url": f"{switch.path}?{switch.query}",
        "user": viewer,
        "areas": areas_for(principal) if principal is not None else [],
        "csrf_token": csrf_token(request),
        "sample_data": _sample_data(request),
        "path": request.url.path,
    }
    base.update(context)
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, template, base, status_code=status_code)
