"""The usage report one principal may see: every statistic of the dashboard, the API and
the CLI export, put together under the access rules of ``accounts.policy``.

* the platform admin and analysts: every college's figures;
* a college's admins and teachers: their own college's figures (events of its users,
  its accounts) and the alliance-wide aggregates (totals, and per library);
* anyone else: ``Forbidden``.

The report holds counts only, for every role: no user id or name is read out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from talentbridge.accounts.directory import holds_sample_data
from talentbridge.accounts.policy import (
    Principal,
    can_view_library_stats,
    library_stats_college,
)
from talentbridge.errors import Forbidden
from talentbridge.library.usage import Period
from talentbridge.library.usage_stats import (
    LibraryUsage,
    MonthUsage,
    OrganizationUsage,
    ResourceUsage,
    RoleUsage,
    UsageTotals,
    ZeroHitSearch,
    usage_by_library,
    usage_by_month,
    usage_by_organization,
    usage_by_resource,
    usage_by_role,
    usage_totals,
    zero_hit_searches,
)
from talentbridge.library.usage_users import (
    ACTIVE_DAYS,
    FRESH_DAYS,
    CollegeUsers,
    LibraryFreshness,
    LibraryUsers,
    active_users,
    resource_freshness,
    users_by_college,
    users_by_library,
)
from talentbridge.store.tables import Organization, utcnow


@dataclass(frozen=True)
class UsageReport:
    period: Period
    today: dt.date
    active_days: int
    fresh_days: int
    college_id: int | None  # figures restricted to this college's users (None: all)
    college_name_zh: str | None
    college_name_en: str | None
    synthetic: bool  # the store is the demo's: the events are generated
    computed_at: dt.datetime  # UTC
    totals: UsageTotals
    active_users: int
    alliance: UsageTotals | None  # college staff: the whole alliance's totals
    alliance_active_users: int | None
    alliance_by_library: list[LibraryUsage] | None
    by_library: list[LibraryUsage]
    by_organization: list[OrganizationUsage]
    by_role: list[RoleUsage]
    by_month: list[MonthUsage]
    top_resources: list[ResourceUsage]
    library_users: list[LibraryUsers]
    college_users: list[CollegeUsers]
    freshness: list[LibraryFreshness]
    zero_hits: list[ZeroHitSearch]


def usage_report(
    session: Session,
    *,
    principal: Principal,
    period: Period,
    today: dt.date,
    active_days: int = ACTIVE_DAYS,
    fresh_days: int = FRESH_DAYS,
    top: int = 20,
) -> UsageReport:
    """Everything the usage dashboard shows to ``principal`` (``Forbidden`` for roles
    that see nothing of it)."""
    if not can_view_library_stats(principal):
        raise Forbidden("your role may not see the library usage statistics")
    college = library_stats_college(principal)
    names = (None, None)
    if college is not None:
        row = session.execute(
            select(Organization.name_zh, Organization.name_en).where(Organization.id == college)
        ).one_or_none()
        names = (row.name_zh, row.name_en) if row is not None else (None, None)
    days = active_days
    return UsageReport(
        period=period,
        today=today,
        active_days=active_days,
        fresh_days=fresh_days,
        college_id=college,
        college_name_zh=names[0],
        college_name_en=names[1],
        synthetic=holds_sample_data(session),
        computed_at=utcnow(),
        totals=usage_totals(session, period=period, organization_id=college),
        active_users=active_users(session, today=today, active_days=days, organization_id=college),
        alliance=usage_totals(session, period=period) if college is not None else None,
        alliance_active_users=active_users(session, today=today, active_days=days)
        if college is not None
        else None,
        alliance_by_library=(
            usage_by_library(session, period=period) if college is not None else None
        ),
        by_library=usage_by_library(session, period=period, organization_id=college),
        by_organization=usage_by_organization(session, period=period, organization_id=college),
        by_role=usage_by_role(session, period=period, organization_id=college),
        by_month=usage_by_month(session, period=period, organization_id=college),
        top_resources=usage_by_resource(session, period=period, organization_id=college, limit=top),
        library_users=users_by_library(
            session, today=today, active_days=days, organization_id=college
        ),
        college_users=users_by_college(
            session, today=today, active_days=days, organization_id=college
        ),
        freshness=resource_freshness(session, today=today, days=fresh_days),
        zero_hits=zero_hit_searches(session, period=period, organization_id=college),
    )
