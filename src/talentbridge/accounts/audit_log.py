"""Reading the audit log (who read or changed whose record, when, and why).

The log is append-only: ``accounts.audit.record_event`` adds to it, and nothing in the
application updates or deletes an event (the store refuses UPDATE always, and DELETE of
an event younger than 1095 days, by triggers of migration 0012). This module only reads.

Who may read it: the platform admin (every event) and a college admin (the events on
their own organization's records: ``AuditEvent.organization_id``). Anyone else:
``Forbidden``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session, aliased

from talentbridge.accounts.audit import record_event
from talentbridge.accounts.principal import Principal
from talentbridge.accounts.roles import Role
from talentbridge.errors import Forbidden
from talentbridge.store.tables import AuditEvent, Organization, User

MAX_LIMIT = 500
EXPORT_LIMIT = 50_000


def can_view_audit_log(principal: Principal) -> bool:
    if principal.role is Role.PLATFORM_ADMIN:
        return True
    return principal.role is Role.COLLEGE_ADMIN and principal.organization_id is not None


@dataclass(frozen=True)
class AuditFilters:
    """``since``/``until``: dates (inclusive, UTC); ``action``: exact or a prefix ending
    in ``.`` (``profile.``); ``actor``: a user name (exact)."""

    since: dt.date | None = None
    until: dt.date | None = None
    action: str | None = None
    actor: str | None = None

    def params(self) -> dict[str, str]:
        out = {
            "since": self.since.isoformat() if self.since else "",
            "until": self.until.isoformat() if self.until else "",
            "action": self.action or "",
            "actor": self.actor or "",
        }
        return {k: v for k, v in out.items() if v}


@dataclass(frozen=True)
class AuditRow:
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


@dataclass(frozen=True)
class AuditPage:
    rows: list[AuditRow]
    total: int
    limit: int
    offset: int
    actions: list[str]  # the actions present in the viewer's log, for the filter


def _scope(principal: Principal) -> ColumnElement[bool] | None:
    if not can_view_audit_log(principal):
        raise Forbidden("the audit log is for college admins and the platform admin")
    if principal.role is Role.PLATFORM_ADMIN:
        return None
    return AuditEvent.organization_id == principal.organization_id


def _where(stmt: Select, principal: Principal, f: AuditFilters) -> Select:  # type: ignore[type-arg]
    scope = _scope(principal)
    if scope is not None:
        stmt = stmt.where(scope)
    if f.since is not None:
        stmt = stmt.where(AuditEvent.at >= dt.datetime.combine(f.since, dt.time()))
    if f.until is not None:
        end = dt.datetime.combine(f.until + dt.timedelta(days=1), dt.time())
        stmt = stmt.where(AuditEvent.at < end)
    if f.action:
        if f.action.endswith("."):
            stmt = stmt.where(AuditEvent.action.startswith(f.action, autoescape=True))
        else:
            stmt = stmt.where(AuditEvent.action == f.action)
    if f.actor:
        actor_ids = select(User.id).where(User.username == f.actor).scalar_subquery()
        stmt = stmt.where(AuditEvent.user_id.in_(actor_ids))
    return stmt


def _rows(session: Session, stmt: Select) -> list[AuditRow]:  # type: ignore[type-arg]
    return [
        AuditRow(e.id, e.at, e.user_id, username, role, actor_org, e.action, e.target_type,
                 e.target_id, e.organization_id, org_name, e.purpose, e.detail)
        for e, username, role, actor_org, org_name in session.execute(stmt)
    ]  # fmt: skip


def _select() -> Select:  # type: ignore[type-arg]
    actor_org = aliased(Organization)
    record_org = aliased(Organization)
    return (
        select(AuditEvent, User.username, User.role, actor_org.name_zh, record_org.name_zh)
        .outerjoin(User, User.id == AuditEvent.user_id)
        .outerjoin(actor_org, actor_org.id == User.organization_id)
        .outerjoin(record_org, record_org.id == AuditEvent.organization_id)
    )


def audit_events(
    session: Session,
    principal: Principal,
    filters: AuditFilters | None = None,
    *,
    limit: int = 50,
    offset: int = 0,
) -> AuditPage:
    """A page of the events the principal may read, the newest first."""
    f = filters or AuditFilters()
    limit = max(1, min(limit, MAX_LIMIT))
    offset = max(0, offset)
    counted = _where(select(func.count()).select_from(AuditEvent), principal, f)
    total = session.scalar(counted) or 0
    stmt = _where(_select(), principal, f).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    rows = _rows(session, stmt.limit(limit).offset(offset))
    actions_stmt = _where(select(AuditEvent.action).distinct(), principal, AuditFilters())
    actions = sorted(session.scalars(actions_stmt))
    return AuditPage(rows=rows, total=total, limit=limit, offset=offset, actions=actions)


CSV_COLUMNS = (
    "id", "at", "actor", "actor_role", "actor_organization", "action", "target_type",
    "target_id", "organization", "purpose", "detail",
)  # fmt: skip


def audit_csv(session: Session, principal: Principal, filters: AuditFilters | None = None) -> str:
    """The events the principal may read as CSV (UTF-8 text, newest first). The export
    itself is recorded (``audit.export``)."""
    f = filters or AuditFilters()
    stmt = _where(_select(), principal, f).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    rows = _rows(session, stmt.limit(EXPORT_LIMIT))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for r in rows:
        writer.writerow([r.id, r.at.isoformat(timespec="seconds"), r.actor_username or "",
                         r.actor_role or "", r.actor_organization or "", r.action,
                         r.target_type or "", r.target_id or "", r.organization_name or "",
                         r.purpose or "", r.detail or ""])  # fmt: skip
    record_event(
        session,
        user_id=principal.user_id,
        action="audit.export",
        organization_id=principal.organization_id,
        detail=f"{len(rows)} events; filters {f.params()}"[:2000],
        purpose="audit.review",
    )
    return out.getvalue()
