"""Advice and supply vs demand in the JSON API:

* ``GET /advice/recommendations?region=&college=&scope=``: the ranked recommendations,
  each with its score, components, reasons and evidence;
* ``GET /supply/majors?region=&college=&scope=``: supply vs demand per major and
  direction (a ``DataTable``);
* ``GET /supply/gaps?…``: the skill coverage gaps (a ``DataTable``).

The same checks as the pages (``web.pages.advice.resolve_query`` over
``accounts.policy``): students and recruiters are refused.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from talentbridge.accounts.policy import Principal
from talentbridge.analytics.advice_tables import gaps_table, supply_table
from talentbridge.web.deps import SessionDep, SettingsDep, require_area
from talentbridge.web.pages.advice import build_report, resolve_query

router = APIRouter(tags=["advice"])

AdviceViewer = Annotated[Principal, Depends(require_area("advice"))]


@router.get("/advice/recommendations")
def recommendations(
    session: SessionDep,
    settings: SettingsDep,
    principal: AdviceViewer,
    region: str = "",
    college: str = "",
    scope: str = "",
) -> dict[str, Any]:
    """Ranked open / expand / hold / shrink recommendations with their evidence."""
    query = resolve_query(session, principal, region, college, scope)
    return build_report(session, settings, query).to_dict()


@router.get("/supply/majors")
def supply_majors(
    session: SessionDep,
    settings: SettingsDep,
    principal: AdviceViewer,
    region: str = "",
    college: str = "",
    scope: str = "",
) -> dict[str, Any]:
    """Demand, supply, gap, pay and trend per catalog major and direction."""
    query = resolve_query(session, principal, region, college, scope)
    report = build_report(session, settings, query)
    return supply_table(report.supply).to_dict()


@router.get("/supply/gaps")
def supply_gaps(
    session: SessionDep,
    settings: SettingsDep,
    principal: AdviceViewer,
    region: str = "",
    college: str = "",
    scope: str = "",
) -> dict[str, Any]:
    """Skills demanded by a major's related occupations that no course teaches."""
    query = resolve_query(session, principal, region, college, scope)
    report = build_report(session, settings, query)
    return gaps_table(report.supply).to_dict()
