"""Append-only audit of sensitive actions (reads of personal records, logins)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from talentbridge.accounts.principal import Principal
from talentbridge.accounts.roles import Role
from talentbridge.store.tables import AuditEvent

# Why a personal record is read (``AuditEvent.purpose``), by the reader's role.
PURPOSES: dict[Role, str] = {
    Role.RECRUITER: "recruiting.candidate_review",
    Role.COLLEGE_ADMIN: "college.student_records",
    Role.TEACHER: "college.student_records",
    Role.PLATFORM_ADMIN: "platform.administration",
    Role.ANALYST: "analysis.aggregates",
    Role.STUDENT: "student.own_record",
}
PLACEMENT_PURPOSE = "college.placement_records"  # placement (destination) records
FAIR_PURPOSE = "fair.organization"  # a job fair's registrations and schedule


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


def read_purpose(principal: Principal, *, placement: bool = False) -> str:
    """The purpose code of a read of someone's record by ``principal``."""
    if placement and principal.role in (Role.COLLEGE_ADMIN, Role.TEACHER):
        return PLACEMENT_PURPOSE
    return PURPOSES[principal.role]


def events_for(session: Session, *, user_id: int | None = None) -> list[AuditEvent]:
    stmt = select(AuditEvent).order_by(AuditEvent.id)
    if user_id is not None:
        stmt = stmt.where(AuditEvent.user_id == user_id)
    return list(session.scalars(stmt))


def record_reads(
    session: Session,
    principal: Principal,
    *,
    action: str,
    records: Iterable[tuple[int, int | None]],
    purpose: str | None = None,
    target_type: str = "profile",
) -> list[AuditEvent]:
    """One event per organization whose records (``(record id, organization id)``) a list
    showed to ``principal``: each college's admin then finds the reads of their students
    in their own audit log. The caller leaves out the principal's own record."""
    by_org: dict[int | None, list[int]] = {}
    for record_id, org_id in records:
        ids = by_org.setdefault(org_id, [])
        if record_id not in ids:
            ids.append(record_id)
    return [
        record_event(
            session,
            user_id=principal.user_id,
            action=action,
            target_type=target_type,
            target_id=ids[0] if len(ids) == 1 else None,
            organization_id=org_id,
            detail=f"{len(ids)} {target_type}s: " + ",".join(str(i) for i in sorted(ids)[:200]),
            purpose=purpose or read_purpose(principal),
        )
        for org_id, ids in sorted(by_org.items(), key=lambda kv: kv[0] or 0)
    ]
