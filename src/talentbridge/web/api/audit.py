"""API: the audit log of reads and changes of personal records (issue 9).

``GET /api/v1/audit/events``: for college admins (their organization's records) and the
platform admin (everything); 403 for anyone else. The log cannot be changed through
any route.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict

from talentbridge.accounts.audit_log import MAX_LIMIT, AuditFilters, audit_events
from talentbridge.web.api.outcomes_schemas import OutcomeErrorOut
from talentbridge.web.deps import PrincipalDep, SessionDep

router = APIRouter(tags=["audit"])

ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": OutcomeErrorOut, "description": "not signed in and no valid bearer token"},
    403: {"model": OutcomeErrorOut, "description": "only college admins and the platform admin"},
    422: {"model": OutcomeErrorOut, "description": "a parameter has the wrong form"},
}


class AuditEventOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    at: dt.datetime
    actor_id: int | None
    actor_username: str | None
    actor_role: str | None
    actor_organization: str | None
    action: str
    target_type: str | None
    target_id: int | None
    organization_id: int | None
    organization_name: str | None
    purpose: str | None
    detail: str | None


class AuditEventsOut(BaseModel):
    total: int
    limit: int
    offset: int
    events: list[AuditEventOut]


@router.get(
    "/audit/events",
    response_model=AuditEventsOut,
    responses=ERRORS,
    summary="Audit events on records you administer, newest first",
)
def events(
    principal: PrincipalDep,
    session: SessionDep,
    since: dt.date | None = None,
    until: dt.date | None = None,
    action: Annotated[str | None, Query(max_length=40)] = None,
    actor: Annotated[str | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> AuditEventsOut:
    filters = AuditFilters(since=since, until=until, action=action or None, actor=actor or None)
    page = audit_events(session, principal, filters, limit=limit, offset=offset)
    return AuditEventsOut(
        total=page.total,
        limit=page.limit,
        offset=page.offset,
        events=[AuditEventOut.model_validate(r) for r in page.rows],
    )
