"""Pages: the audit log (``/audit``) and its CSV export, for college admins (the events on
their organization's records) and the platform admin (every event); 403 for anyone
else. Filters: date range, action, actor; 50 events a page."""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from urllib.parse import quote, urlencode

from fastapi import APIRouter, HTTPException, Query, Request
from starlette.responses import Response

from talentbridge.accounts.audit_log import AuditFilters, audit_csv, audit_events
from talentbridge.web.deps import PrincipalDep, SessionDep
from talentbridge.web.rendering import render

router = APIRouter()
PAGE_SIZE = 50

Since = Annotated[str | None, Query(max_length=10)]  # a form sends empty fields
Action = Annotated[str | None, Query(max_length=40)]
Actor = Annotated[str | None, Query(max_length=64)]


def _date(value: str | None, name: str) -> dt.date | None:
    if not value or not value.strip():
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise HTTPException(422, f"{name} wants a date as YYYY-MM-DD, not {value!r}") from None


def _filters(since: str | None, until: str | None, action: str | None,
             actor: str | None) -> AuditFilters:  # fmt: skip
    return AuditFilters(
        since=_date(since, "since"), until=_date(until, "until"),
        action=(action or "").strip() or None, actor=(actor or "").strip() or None,
    )  # fmt: skip


@router.get("/audit", name="audit")
def audit_page(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    since: Since = None,
    until: Since = None,
    action: Action = None,
    actor: Actor = None,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> Response:
    filters = _filters(since, until, action, actor)
    page = audit_events(session, principal, filters, limit=PAGE_SIZE, offset=offset)
    params = filters.params()

    def url(at: int) -> str:
        return "/audit?" + urlencode({**params, "offset": str(at)})

    return render(
        request,
        "audit/index.html",
        page=page,
        filters=filters,
        csv_url="/audit/events.csv" + ("?" + urlencode(params) if params else ""),
        prev_url=url(max(0, offset - PAGE_SIZE)) if offset > 0 else None,
        next_url=url(offset + PAGE_SIZE) if offset + PAGE_SIZE < page.total else None,
    )


@router.get("/audit/events.csv", name="audit_csv")
def audit_export(
    session: SessionDep,
    principal: PrincipalDep,
    since: Since = None,
    until: Since = None,
    action: Action = None,
    actor: Actor = None,
) -> Response:
    text = audit_csv(session, principal, _filters(since, until, action, actor))
    name = f"audit-{dt.date.today().isoformat()}.csv"
    return Response(
        ("\ufeff" + text).encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"},
    )
