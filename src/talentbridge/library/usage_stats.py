"""Counts of library usage events over a period: per resource, library, college
(organization) and role, per month, in all; and the searches that found nothing.

Every function reads ``library_event`` with SQLAlchemy Core (runs on SQLite and
PostgreSQL) and returns typed rows with counts only: no user id or name leaves this
module. ``organization_id`` restricts the events to those of users who belonged to that
organization at the time (a college's own figures); ``None`` counts everyone's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Integer, and_, case, cast, distinct, extract, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from talentbridge.library.usage import Period
from talentbridge.store.library_tables import Library, LibraryEvent, Resource
from talentbridge.store.tables import Organization, table_of

EV = table_of(LibraryEvent).c
LIB = table_of(Library).c
RES = table_of(Resource).c
ORG = table_of(Organization).c


@dataclass(frozen=True)
class KindCounts:
    views: int
    downloads: int
    searches: int

    @property
    def uses(self) -> int:
        return self.views + self.downloads + self.searches


@dataclass(frozen=True)
class UsageTotals(KindCounts):
    zero_hit_searches: int
    users: int  # distinct users with an event in the period


@dataclass(frozen=True)
class ResourceUsage(KindCounts):
    resource_id: int
    library_id: int
    library_code: str
    title_zh: str
    title_en: str


@dataclass(frozen=True)
class LibraryUsage(KindCounts):
    library_id: int
    code: str
    name_zh: str
    name_en: str
    users: int


@dataclass(frozen=True)
class OrganizationUsage(KindCounts):
    organization_id: int | None  # None: users of no organization (platform admins)
    code: str | None
    kind: str | None
    name_zh: str | None
    name_en: str | None
    users: int


@dataclass(frozen=True)
class RoleUsage(KindCounts):
    role: str
    users: int


@dataclass(frozen=True)
class MonthUsage(KindCounts):
    month: str  # YYYY-MM


@dataclass(frozen=True)
class ZeroHitSearch:
    query: str  # normalized (see ``usage.normalize_query``)
    library_id: int | None  # None: searched in all libraries
    library_code: str | None
    library_name_zh: str | None
    library_name_en: str | None
    searches: int
    last_at: dt.datetime


def _sum(kind: str) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((EV.kind == kind, 1), else_=0)), 0)


def _kinds() -> list[ColumnElement[int]]:
    return [
        _sum("view").label("views"),
        _sum("download").label("downloads"),
        _sum("search").label("searches"),
    ]


def _events(period: Period, organization_id: int | None) -> ColumnElement[bool]:
    """The events of the period (and of one organization's users)."""
    condition = and_(EV.at >= period.since, EV.at < period.until)
    if organization_id is not None:
        condition = and_(condition, EV.organization_id == organization_id)
    return condition


def _counts(row: object) -> dict[str, int]:
    return {k: int(getattr(row, k) or 0) for k in ("views", "downloads", "searches")}


def usage_totals(
    session: Session, *, period: Period, organization_id: int | None = None
) -> UsageTotals:
    zero = func.coalesce(func.sum(case((and_(EV.kind == "search", EV.hits == 0), 1), else_=0)), 0)
    stmt = select(*_kinds(), zero.label("zero"), func.count(distinct(EV.user_id)).label("users"))
    row = session.execute(stmt.where(_events(period, organization_id))).one()
    return UsageTotals(**_counts(row), zero_hit_searches=int(row.zero), users=int(row.users))


def usage_by_resource(
    session: Session, *, period: Period, organization_id: int | None = None, limit: int = 20
) -> list[ResourceUsage]:
    """The most used published resources (views plus downloads, then views), at most
    ``limit``. A draft, a resource under review or a withdrawn one is left out: its
    title is for its submitter and reviewers only (``can_view_resource``), and this
    list is shown to analysts and to every teacher of the college."""
    used = (
        select(EV.resource_id, *_kinds())
        .where(_events(period, organization_id), EV.kind.in_(("view", "download")))
        .group_by(EV.resource_id)
        .subquery()
    )
    stmt = (
        select(
            RES.id,
            RES.library_id,
            LIB.code,
            RES.title_zh,
            RES.title_en,
            used.c.views,
            used.c.downloads,
            used.c.searches,
        )
        .join_from(used, table_of(Resource), RES.id == used.c.resource_id)
        .join(table_of(Library), LIB.id == RES.library_id)
        .where(RES.status == "published")
        .order_by((used.c.views + used.c.downloads).desc(), used.c.views.desc(), RES.id)
        .limit(limit)
    )
    return [
        ResourceUsage(
            **_counts(r),
            resource_id=r.id,
            library_id=r.library_id,
            library_code=r.code,
            title_zh=r.title_zh,
            title_en=r.title_en,
        )
        for r in session.execute(stmt)
    ]


def usage_by_library(
    session: Session, *, period: Period, organization_id: int | None = None
) -> list[LibraryUsage]:
    """Every library, with its views, downloads, searches made in it and distinct users
    (searches over all libraries at once count in the totals only)."""
    # grouped by an expression (searches over all libraries: 0), not by the column: SQLite
    # would otherwise walk the library_id index, one table lookup per event
    key = func.coalesce(EV.library_id, 0)
    used = (
        select(key.label("library_id"), *_kinds(), func.count(distinct(EV.user_id)).label("users"))
        .where(_events(period, organization_id))
        .group_by(key)
        .subquery()
    )
    stmt = (
        select(
            LIB.id,
            LIB.code,
            LIB.name_zh,
            LIB.name_en,
            used.c.views,
            used.c.downloads,
            used.c.searches,
            used.c.users,
        )
        .outerjoin(used, used.c.library_id == LIB.id)
        .order_by(LIB.code)
    )
    return [
        LibraryUsage(
            **_counts(r),
            library_id=r.id,
            code=r.code,
            name_zh=r.name_zh,
            name_en=r.name_en,
            users=int(r.users or 0),
        )
        for r in session.execute(stmt)
    ]


def usage_by_organization(
    session: Session, *, period: Period, organization_id: int | None = None
) -> list[OrganizationUsage]:
    """Usage by the organization its users belonged to at the time (colleges first),
    only organizations with events in the period."""
    used = (
        select(EV.organization_id, *_kinds(), func.count(distinct(EV.user_id)).label("users"))
        .where(_events(period, organization_id))
        .group_by(EV.organization_id)
        .subquery()
    )
    stmt = select(used, ORG.code, ORG.kind, ORG.name_zh, ORG.name_en).outerjoin_from(
        used, table_of(Organization), ORG.id == used.c.organization_id
    )
    rows = [
        OrganizationUsage(
            **_counts(r),
            organization_id=r.organization_id,
            code=r.code,
            kind=r.kind,
            name_zh=r.name_zh,
            name_en=r.name_en,
            users=int(r.users),
        )
        for r in session.execute(stmt)
    ]
    return sorted(rows, key=lambda r: (r.kind != "college", r.kind or "~", r.code or "~"))


def usage_by_role(
    session: Session, *, period: Period, organization_id: int | None = None
) -> list[RoleUsage]:
    stmt = (
        select(EV.role, *_kinds(), func.count(distinct(EV.user_id)).label("users"))
        .where(_events(period, organization_id))
        .group_by(EV.role)
        .order_by(EV.role)
    )
    return [
        RoleUsage(**_counts(r), role=r.role or "", users=int(r.users))
        for r in session.execute(stmt)
    ]


def usage_by_month(
    session: Session, *, period: Period, organization_id: int | None = None
) -> list[MonthUsage]:
    """Events per calendar month of the period, by kind; months without events are
    listed with zeros so a chart's axis has no gaps."""
    year = cast(extract("year", EV.at), Integer)
    month = cast(extract("month", EV.at), Integer)
    stmt = (
        select(year.label("y"), month.label("m"), *_kinds())
        .where(_events(period, organization_id))
        .group_by(year, month)
    )
    found = {(int(r.y), int(r.m)): _counts(r) for r in session.execute(stmt)}
    rows: list[MonthUsage] = []
    y, m = period.start.year, period.start.month
    while (y, m) <= (period.end.year, period.end.month):
        counts = found.get((y, m), {"views": 0, "downloads": 0, "searches": 0})
        rows.append(MonthUsage(**counts, month=f"{y:04d}-{m:02d}"))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return rows


def zero_hit_searches(
    session: Session, *, period: Period, organization_id: int | None = None, limit: int = 100
) -> list[ZeroHitSearch]:
    """Searches that found nothing, grouped by normalized query and the library searched
    in: how often and when last (most frequent first), so editors know what is missing."""
    grouped = (
        select(
            EV.query,
            EV.library_id,
            func.count().label("searches"),
            func.max(EV.at).label("last_at"),
        )
        .where(_events(period, organization_id), EV.kind == "search", EV.hits == 0)
        .group_by(EV.query, EV.library_id)
        .subquery()
    )
    stmt = (
        select(grouped, LIB.code, LIB.name_zh, LIB.name_en)
        .outerjoin_from(grouped, table_of(Library), LIB.id == grouped.c.library_id)
        .order_by(grouped.c.searches.desc(), grouped.c.last_at.desc(), grouped.c.query)
        .limit(limit)
    )
    return [
        ZeroHitSearch(
            query=r.query or "",
            library_id=r.library_id,
            library_code=r.code,
            library_name_zh=r.name_zh,
            library_name_en=r.name_en,
            searches=int(r.searches),
            last_at=r.last_at,
        )
        for r in session.execute(stmt)
    ]
