"""Request dependencies shared by the advice pages and the advice API: which region and
college a request asks about (checked against ``accounts.policy``) and the advice
report for it (cached per store state by ``analytics.advice_cache``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlencode

from fastapi import Depends, HTTPException

from talentbridge.accounts.policy import (
    Principal,
    can_view_college_advice,
    default_advice_college,
)
from talentbridge.analytics.advice import AdviceReport, college_by_code
from talentbridge.analytics.advice_cache import cached_advise
from talentbridge.analytics.regions import CIRCLE, UnknownRegion, parse_region
from talentbridge.errors import Forbidden, NotFound
from talentbridge.store.tables import Organization
from talentbridge.web.deps import SessionDep, SettingsDep, require_area

AdviceViewer = Annotated[Principal, Depends(require_area("advice"))]


@dataclass(frozen=True)
class AdviceQuery:
    region: str
    college: Organization | None
    scope: str  # college | region

    def params(self) -> str:
        pairs = [("region", self.region), ("scope", self.scope)]
        if self.college is not None:
            pairs.append(("college", self.college.code))
        return urlencode(pairs)


def advice_query(
    session: SessionDep,
    principal: AdviceViewer,
    region: str = "",
    college: str = "",
    scope: str = "",
) -> AdviceQuery:
    """The region and college to advise on (query parameters ``region``, ``college``,
    ``scope``), after the policy's checks: the one reading of them for pages and API."""
    try:
        region_key = parse_region(region or CIRCLE).key
    except UnknownRegion as exc:
        raise HTTPException(400, str(exc)) from None
    chosen: Organization | None = None
    if college:
        chosen = college_by_code(session, college)
        if chosen is None:
            raise NotFound(f"no college {college!r}")
    elif scope != "region":
        own = default_advice_college(principal)
        chosen = session.get(Organization, own) if own is not None else None
    if scope == "region":
        chosen = None
    if chosen is not None and not can_view_college_advice(principal, chosen.id):
        raise Forbidden("you may see only your own college's advice")
    return AdviceQuery(region_key, chosen, "college" if chosen is not None else "region")


AdviceQueryDep = Annotated[AdviceQuery, Depends(advice_query)]


def advice_report(
    session: SessionDep, settings: SettingsDep, query: AdviceQueryDep
) -> AdviceReport:
    """The advice for the query, cached per state of the store (``analytics.advice_cache``)."""
    return cached_advise(
        session,
        region=query.region,
        college_id=query.college.id if query.college is not None else None,
        settings=settings.advice,
    )


AdviceReportDep = Annotated[AdviceReport, Depends(advice_report)]
