"""Append-only audit of sensitive actions (reads of personal records, logins)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from talentbridge.store.tables import AuditEvent


def record_event(
    session: Session,
    *,
    user_id: int | None,
    action: str,
    target_type: str | None = None,
    target_id: int | None = None,
    organization_id: int | None = None,
    detail: str | None = None,
    purpose: str | None = None,
) -> AuditEvent:
    """Append one event; ``purpose`` says why a personal record was read (PIPL art. 6)."""
    event = AuditEvent(
        user_id=user_id,
        action=action,
        target_type=target_type,
        target_id=target_id,
        organization_id=organization_id,
        detail=detail,
        purpose=purpose[:80] if purpose else None,
    )
    session.add(event)
    session.flush()
    return event


def events_for(session: Session, *, user_id: int | None = None) -> list[AuditEvent]:
    stmt = select(AuditEvent).order_by(AuditEvent.id)
    if user_id is not None:
        stmt = stmt.where(AuditEvent.user_id == user_id)
    return list(session.scalars(stmt))
