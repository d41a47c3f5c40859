"""Library usage statistics in the JSON API: ``GET /api/v1/library/stats``.

The same report as the dashboard (``library.usage_report``), under the same rules:
the platform admin and analysts see every college, a college's admins and teachers their
own college plus alliance-wide totals, other roles get 403. UsageCountsOut only: no user id or
name is in any answer. ``stats_params`` parses the period for the API and the page alike.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from pydantic import BaseModel, ConfigDict
from sqlalchemy.orm import Session

from talentbridge.accounts.policy import Principal, can_view_library_stats, library_stats_college
from talentbridge.errors import Forbidden
from talentbridge.library.usage import Period, default_period
from talentbridge.library.usage_report import UsageReport, usage_report
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

# The report scans every event of the period several times (seconds at a million events):
# the page, its downloads and the API share one per app for a few minutes.
CACHE_SECONDS = 300.0
CACHE_ENTRIES = 64
_CacheKey = tuple[int | None, dt.date, dt.date, dt.date, int, int]


def cached_report(
    request: Request, session: Session, principal: Principal, params: StatsParams, top: int = 20
) -> UsageReport:
    """``usage_report`` for the principal, reused for ``CACHE_SECONDS`` by everyone who
    sees the same figures (the same college, or all) in this app."""
    if not can_view_library_stats(principal):
        raise Forbidden("your role may not see the library usage statistics")
    state = request.app.state
    cache: dict[_CacheKey, tuple[float, UsageReport]] | None = getattr(
        state, "library_stats_cache", None
    )
    if cache is None:
        cache = {}
        state.library_stats_cache = cache
    period = params.period
    key = (library_stats_college(principal), period.start, period.end, params.today,
           params.active_days, top)  # fmt: skip
    now = time.monotonic()
    found = cache.get(key)
    if found is not None and now - found[0] < CACHE_SECONDS:
        return found[1]
    report = usage_report(
        session,
        principal=principal,
        period=period,
        today=params.today,
        active_days=params.active_days,
        top=top,
    )
    for old in [k for k, (at, _) in cache.items() if now - at >= CACHE_SECONDS]:
        del cache[old]
    while len(cache) >= CACHE_ENTRIES:
        del cache[next(iter(cache))]
    cache[key] = (now, report)
    return report


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
    computed_at: dt.datetime
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
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    params: StatsParamsDep,
    top: Annotated[int, Query(ge=1, le=200)] = 20,
) -> LibraryStatsOut:
    """Usage of the resource libraries over a period (counts only; figures may be up to
    five minutes old: ``computed_at``)."""
    report = cached_report(request, session, principal, params, top)
    return LibraryStatsOut.model_validate(report)
