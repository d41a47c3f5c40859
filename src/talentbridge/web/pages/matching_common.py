"""Shared pieces of the matching pages: the page language, redirects back to a page
with a notice, and form values parsed at the edge (what pages and API share is in
``web.match_deps``)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse

from talentbridge.web.rendering import current_viewer, request_locale


def page_lang(request: Request) -> str:
    return request_locale(request, current_viewer(request))


def back(path: str, **params: object) -> RedirectResponse:
    """303 to ``path`` with query parameters (``None`` values left out)."""
    query = urlencode({k: str(v) for k, v in params.items() if v is not None})
    return RedirectResponse(f"{path}?{query}" if query else path, status_code=303)


def split_list(text: str) -> list[str]:
    """Items a person typed separated by commas, semicolons or new lines (any width)."""
    for sep in ("，", "、", "；", ";", "\n"):
        text = text.replace(sep, ",")
    return [part.strip() for part in text.split(",") if part.strip()]


def int_or_none(text: str | None) -> int | None:
    value = (text or "").strip().replace(",", "")
    if not value:
        return None
    try:
        return int(float(value))
    except ValueError:
        return None


def date_or_none(text: str | None) -> dt.date | None:
    """An ISO date, or a month (``2024-07``) as its first day; ``None`` when empty or bad."""
    value = (text or "").strip()
    if not value:
        return None
    try:
        if len(value) == 7:
            return dt.date.fromisoformat(value + "-01")
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def checked(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "on", "yes"}
