"""Library usage statistics in the JSON API: ``GET /api/v1/library/stats``.

The same report as the dashboard (``library.usage_report``), under the same rules:
the platform admin and analysts see every college, a college's admins and teachers their
own college plus alliance-wide totals, other roles get 403. UsageCountsOut only: no user id or
name is in any answer. ``stats_params`` parses the period for the API and the page alike.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query
from pydantic import BaseModel, ConfigDict

from talentbridge.library.usage import Period, default_period
from talentbridge.library.usage_report import usage_report
from talentbridge.library.usage_users import ACTIVE_DAYS
from talentbridge.store.tables import utcnow
from talentbridge.web.deps import PrincipalDep, SessionDep

router = APIRouter(prefix="/library", tags=["library"])


@dataclass(frozen=True)
class StatsParams:
    period: Period
    today: dt.date
    active_days: int


def stats_params(
    start: Annotated[dt.date | None, Query(description="first day, YYYY-MM-DD")] = None,
    end: Annotated[
        dt.date | None, Query(description="last day, YYYY-MM-DD (default today)")
    ] = None,
    days: Annotated[
        int | None, Query(ge=1, le=3660, description="the last DAYS days up to end (no start)")
    ] = None,
    active_days: Annotated[
        int, Query(ge=1, le=366, description="days counted for active users")
    ] = ACTIVE_DAYS,
) -> StatsParams:
    """The period (``start``–``end``, or the ``days`` days up to ``end``; by default the
    365 days up to today, UTC) and the active-user window."""
    today = utcnow().date()
    last = end or today
    try:
        if start is not None:
            period = Period(start, last)
        elif days is not None:
            period = Period.last_days(last, days)
        else:
            period = default_period(last)
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from None
    return StatsParams(period=period, today=today, active_days=active_days)


StatsParamsDep = Annotated[StatsParams, Depends(stats_params)]


# --- response models -----------------------------------------------------------------------


class _Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class UsageCountsOut(_Out):
    views: int
    downloads: int
    searches: int


class UsageTotalsOut(UsageCountsOut):
    zero_hit_searches: int
    users: int


class UsagePeriodOut(_Out):
    start: dt.date
    end: dt.date


class LibraryUsageOut(UsageCountsOut):
    library_id: int
    code: str
    name_zh: str
    name_en: str
    users: int


class OrganizationUsageOut(UsageCountsOut):
    organization_id: int | None
    code: str | None
    kind: str | None
    name_zh: str | None
    name_en: str | None
    users: int


class RoleUsageOut(UsageCountsOut):
    role: str
    users: int


class MonthUsageOut(UsageCountsOut):
    month: str


class ResourceUsageOut(_Out):
    resource_id: int
    library_id: int
    library_code: str
    title_zh: str
    title_en: str
    views: int
    downloads: int


class LibraryUsersOut(_Out):
    library_id: int
    code: str
    registered: int
    active: int


class CollegeUsersOut(_Out):
    organization_id: int
    code: str
    name_zh: str
    name_en: str | None
    registered: int
    users: int
    active: int


class LibraryFreshnessOut(_Out):
    library_id: int
    code: str
    resources: int
    fresh: int
    share: float | None


class ZeroHitSearchOut(_Out):
    query: str
    library_id: int | None
    library_code: str | None
    searches: int
    last_at: dt.datetime


class LibraryStatsOut(_Out):
    period: UsagePeriodOut
    today: dt.date
    active_days: int
    fresh_days: int
    college_id: int | None
    synthetic: bool
    totals: UsageTotalsOut
    active_users: int
    alliance: UsageTotalsOut | None
    alliance_active_users: int | None
    alliance_by_library: list[LibraryUsageOut] | None
    by_library: list[LibraryUsageOut]
    by_organization: list[OrganizationUsageOut]
    by_role: list[RoleUsageOut]
    by_month: list[MonthUsageOut]
    top_resources: list[ResourceUsageOut]
    library_users: list[LibraryUsersOut]
    college_users: list[CollegeUsersOut]
    freshness: list[LibraryFreshnessOut]
    zero_hits: list[ZeroHitSearchOut]


@router.get("/stats", response_model=LibraryStatsOut)
def library_stats(
    session: SessionDep,
    principal: PrincipalDep,
    params: StatsParamsDep,
    top: Annotated[int, Query(ge=1, le=200)] = 20,
) -> LibraryStatsOut:
    """Usage of the resource libraries over a period (counts only)."""
    report = usage_report(
        session,
        principal=principal,
        period=params.period,
        today=params.today,
        active_days=params.active_days,
        top=top,
    )
    return LibraryStatsOut.model_validate(report)
