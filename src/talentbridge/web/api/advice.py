"""Advice and supply vs demand in the JSON API:

* ``GET /advice/recommendations?region=&college=&scope=``: the ranked recommendations,
  each with its score, components, reasons and evidence;
* ``GET /supply/majors?region=&college=&scope=``: supply vs demand per major and
  direction (a ``DataTable``);
* ``GET /supply/gaps?…``: the skill coverage gaps (a ``DataTable``).

The same checks as the pages (``web.advice_deps.advice_query`` over
``accounts.policy``): students and recruiters are refused.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from talentbridge.analytics.advice_tables import gaps_table, supply_table
from talentbridge.web.advice_deps import AdviceReportDep

router = APIRouter(tags=["advice"])


@router.get("/advice/recommendations")
def recommendations(
    report: AdviceReportDep,
) -> dict[str, Any]:
    """Ranked open / expand / hold / shrink recommendations with their evidence."""
    return report.to_dict()


@router.get("/supply/majors")
def supply_majors(
    report: AdviceReportDep,
) -> dict[str, Any]:
    """Demand, supply, gap, pay and trend per catalog major and direction."""
    return supply_table(report.supply).to_dict()


@router.get("/supply/gaps")
def supply_gaps(
    report: AdviceReportDep,
) -> dict[str, Any]:
    """Skills demanded by a major's related occupations that no course teaches."""
    return gaps_table(report.supply).to_dict()
