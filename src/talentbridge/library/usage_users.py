"""Who uses the libraries, counted (never named): registered and active users per
college and per library, and how fresh each library's resources are.

* **registered at a college**: the college's active user accounts;
* **registered in a library**: distinct users who ever used it (viewed, downloaded or
  searched in it);
* **active**: distinct users with any event in the ``active_days`` days up to ``today``
  (30 by default).

SQLAlchemy Core only (SQLite and PostgreSQL); counts only, no user id leaves here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import case, distinct, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import Subquery

from talentbridge.accounts.roles import OrgKind
from talentbridge.library.usage import Period
from talentbridge.store.library_tables import Library, LibraryEvent, Resource
from talentbridge.store.tables import Organization, User, table_of

EV = table_of(LibraryEvent).c
LIB = table_of(Library).c
RES = table_of(Resource).c
ORG = table_of(Organization).c
USR = table_of(User).c

ACTIVE_DAYS = 30
FRESH_DAYS = 365


@dataclass(frozen=True)
class CollegeUsers:
    organization_id: int
    code: str
    name_zh: str
    name_en: str | None
    registered: int  # active accounts at the college
    users: int  # distinct users who ever used a library
    active: int  # distinct users with an event in the active window


@dataclass(frozen=True)
class LibraryUsers:
    library_id: int
    code: str
    name_zh: str
    name_en: str
    registered: int  # distinct users who ever used the library
    active: int


@dataclass(frozen=True)
class LibraryFreshness:
    library_id: int
    code: str
    name_zh: str
    name_en: str
    resources: int  # published resources
    fresh: int  # of them added, published or updated in the last ``days`` days

    @property
    def share(self) -> float | None:
        return self.fresh / self.resources if self.resources else None


def active_window(today: dt.date, days: int = ACTIVE_DAYS) -> Period:
    """``days`` days up to and including ``today``."""
    if days < 1:
        raise ValueError("the active window is at least one day")
    return Period.last_days(today, days)


def _users_per(
    key: ColumnElement[int | None], organization_id: int | None, window: Period | None
) -> Subquery:
    """Distinct users per ``key`` (all time, or in ``window``) as a subquery (key, n);
    events without a key are grouped as 0. Grouping by an expression rather than the
    column keeps SQLite from walking the column's index with a lookup per event."""
    key = func.coalesce(key, 0)
    conditions: list[ColumnElement[bool]] = [EV.user_id.is_not(None)]
    if organization_id is not None:
        conditions.append(EV.organization_id == organization_id)
    if window is not None:
        conditions += [EV.at >= window.since, EV.at < window.until]
    return (
        select(key.label("key"), func.count(distinct(EV.user_id)).label("n"))
        .where(*conditions)
        .group_by(key)
        .subquery()
    )


def users_by_college(
    session: Session,
    *,
    today: dt.date,
    active_days: int = ACTIVE_DAYS,
    organization_id: int | None = None,
) -> list[CollegeUsers]:
    """Every college (or only ``organization_id``): accounts, users, active users."""
    window = active_window(today, active_days)
    accounts = (
        select(USR.organization_id.label("key"), func.count().label("n"))
        .where(USR.is_active.is_(True), USR.organization_id.is_not(None))
        .group_by(USR.organization_id)
        .subquery()
    )
    ever = _users_per(EV.organization_id, None, None)
    active = _users_per(EV.organization_id, None, window)
    stmt = (
        select(
            ORG.id,
            ORG.code,
            ORG.name_zh,
            ORG.name_en,
            accounts.c.n.label("registered"),
            ever.c.n.label("users"),
            active.c.n.label("active"),
        )
        .outerjoin(accounts, accounts.c.key == ORG.id)
        .outerjoin(ever, ever.c.key == ORG.id)
        .outerjoin(active, active.c.key == ORG.id)
        .where(ORG.kind == OrgKind.COLLEGE.value)
        .order_by(ORG.code)
    )
    if organization_id is not None:
        stmt = stmt.where(ORG.id == organization_id)
    return [
        CollegeUsers(
            organization_id=r.id,
            code=r.code,
            name_zh=r.name_zh,
            name_en=r.name_en,
            registered=int(r.registered or 0),
            users=int(r.users or 0),
            active=int(r.active or 0),
        )
        for r in session.execute(stmt)
    ]


def users_by_library(
    session: Session,
    *,
    today: dt.date,
    active_days: int = ACTIVE_DAYS,
    organization_id: int | None = None,
) -> list[LibraryUsers]:
    """Every library: distinct users who ever used it and those active lately (only
    users of ``organization_id`` when given)."""
    window = active_window(today, active_days)
    ever = _users_per(EV.library_id, organization_id, None)
    active = _users_per(EV.library_id, organization_id, window)
    stmt = (
        select(
            LIB.id,
            LIB.code,
            LIB.name_zh,
            LIB.name_en,
            ever.c.n.label("registered"),
            active.c.n.label("active"),
        )
        .outerjoin(ever, ever.c.key == LIB.id)
        .outerjoin(active, active.c.key == LIB.id)
        .order_by(LIB.code)
    )
    return [
        LibraryUsers(
            library_id=r.id,
            code=r.code,
            name_zh=r.name_zh,
            name_en=r.name_en,
            registered=int(r.registered or 0),
            active=int(r.active or 0),
        )
        for r in session.execute(stmt)
    ]


def active_users(
    session: Session,
    *,
    today: dt.date,
    active_days: int = ACTIVE_DAYS,
    organization_id: int | None = None,
) -> int:
    """Distinct users with any library event in the window (of one organization)."""
    window = active_window(today, active_days)
    stmt = select(func.count(distinct(EV.user_id))).where(
        EV.at >= window.since, EV.at < window.until, EV.user_id.is_not(None)
    )
    if organization_id is not None:
        stmt = stmt.where(EV.organization_id == organization_id)
    return int(session.scalar(stmt) or 0)


def resource_freshness(
    session: Session, *, today: dt.date, days: int = FRESH_DAYS
) -> list[LibraryFreshness]:
    """Per library: published resources, and how many were added, published or updated
    in the ``days`` days up to ``today``."""
    cutoff = Period.last_days(today, days).since
    recent = or_(RES.created_at >= cutoff, RES.updated_at >= cutoff, RES.published_at >= cutoff)
    fresh = func.coalesce(func.sum(case((recent, 1), else_=0)), 0)
    published = (
        select(RES.library_id.label("key"), func.count().label("n"), fresh.label("fresh"))
        .where(RES.status == "published")
        .group_by(RES.library_id)
        .subquery()
    )
    stmt = (
        select(LIB.id, LIB.code, LIB.name_zh, LIB.name_en, published.c.n, published.c.fresh)
        .outerjoin(published, published.c.key == LIB.id)
        .order_by(LIB.code)
    )
    return [
        LibraryFreshness(
            library_id=r.id,
            code=r.code,
            name_zh=r.name_zh,
            name_en=r.name_en,
            resources=int(r.n or 0),
            fresh=int(r.fresh or 0),
        )
        for r in session.execute(stmt)
    ]
