"""The demand map in the JSON API, ``/api/v1/demand/…``: the same tables the pages
show (``DataTable.to_dict()``: columns with zh/en labels, rows, notes), read from the
pre-aggregated cube. Whoever may open the demand area may read them (aggregates only).

``demand_params`` parses region and period for the API and the pages alike: region keys
``all``, ``circle``, ``p:CODE``, ``c:CODE``, ``d:CODE``; months ``YYYY-MM``; the period
defaults to the last 12 months the cube holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query

from talentbridge.accounts.policy import Principal
from talentbridge.analytics import demand, regional, trends
from talentbridge.analytics.cube import get_state
from talentbridge.analytics.demand import BadPeriod, Period
from talentbridge.analytics.regions import UnknownRegion, parse_region
from talentbridge.taxonomy.concepts import KINDS
from talentbridge.web.deps import SessionDep, require_area

router = APIRouter(prefix="/demand", tags=["demand"])

Reader = Annotated[Principal, Depends(require_area("demand"))]


@dataclass(frozen=True)
class DemandParams:
    region: str
    period: Period | None  # None: the cube is empty
    kind: str | None
    limit: int


def demand_params(
    session: SessionDep,
    region: Annotated[
        str, Query(max_length=12, description="all, circle, p:CODE, c:CODE, d:CODE")
    ] = "all",
    start: Annotated[str, Query(max_length=7, description="first month, YYYY-MM")] = "",
    end: Annotated[str, Query(max_length=7, description="last month, YYYY-MM")] = "",
    kind: Annotated[
        str, Query(max_length=16, description=f"concept kind: {', '.join(KINDS)}")
    ] = "",
    limit: Annotated[int, Query(ge=1, le=200)] = 30,
) -> DemandParams:
    try:
        key = parse_region(region).key
        default = demand.default_period(session)
        period = None
        if default is not None or (start and end):
            period = Period(
                start or (default.start if default else end),
                end or (default.end if default else start),
            )
    except (UnknownRegion, BadPeriod) as exc:
        raise HTTPException(422, str(exc)) from None
    if kind and kind not in KINDS:
        raise HTTPException(422, f"unknown kind {kind!r}: use one of {', '.join(KINDS)}")
    return DemandParams(key, period, kind or None, limit)


ParamsDep = Annotated[DemandParams, Depends(demand_params)]


def _period(params: DemandParams) -> Period:
    if params.period is None:
        raise HTTPException(404, "the demand cube is empty: import postings first")
    return params.period


@router.get("/status")
def status(session: SessionDep, _p: Reader) -> dict[str, Any]:
    """What the cube holds: months, postings counted, synthetic share, last refresh."""
    state = get_state(session)
    months = demand.available_months(session)
    return {
        "months": months,
        "postings": state.postings,
        "sample_postings": state.sample_postings,
        "version": state.version,
        "refreshed_at": state.refreshed_at.isoformat() if state.refreshed_at else None,
    }


@router.get("/totals")
def totals(session: SessionDep, _p: Reader, params: ParamsDep) -> dict[str, Any]:
    period = _period(params)
    found = demand.totals(session, region=params.region, period=period)
    return {"region": params.region, "start": period.start, "end": period.end, **found.__dict__}


@router.get("/top-skills")
def top_skills(session: SessionDep, _p: Reader, params: ParamsDep) -> dict[str, Any]:
    table = demand.top_skills(
        session, region=params.region, period=_period(params), kind=params.kind, limit=params.limit
    )
    return table.to_dict()


@router.get("/top-occupations")
def top_occupations(session: SessionDep, _p: Reader, params: ParamsDep) -> dict[str, Any]:
    table = demand.top_occupations(
        session, region=params.region, period=_period(params), limit=params.limit
    )
    return table.to_dict()


@router.get("/movers")
def movers(
    session: SessionDep,
    _p: Reader,
    params: ParamsDep,
    min_postings: Annotated[int, Query(ge=1, le=100_000)] = 20,
) -> dict[str, Any]:
    """Rising and falling skills year on year, with the test each passed."""
    found = trends.movers(
        session,
        region=params.region,
        period=_period(params),
        min_postings=min_postings,
        limit=params.limit,
    )
    return {
        "period": found.period.__dict__,
        "previous": found.previous.__dict__,
        "tested": found.tested,
        "rising": found.rising.to_dict(),
        "falling": found.falling.to_dict(),
    }


@router.get("/regions")
def regions(session: SessionDep, _p: Reader, params: ParamsDep) -> dict[str, Any]:
    """Chengdu, Chongqing, the circle and elsewhere: totals and location quotients."""
    period = _period(params)
    return {
        "overview": regional.region_overview(session, period=period).to_dict(),
        "skills": regional.region_comparison(
            session, period=period, kind=params.kind, limit=params.limit
        ).to_dict(),
    }


@router.get("/occupations/{occupation_id}/skills")
def occupation_skills(
    occupation_id: int, session: SessionDep, _p: Reader, params: ParamsDep
) -> dict[str, Any]:
    table = demand.occupation_profile(
        session,
        occupation_id=occupation_id,
        region=params.region,
        period=_period(params),
        limit=params.limit,
    )
    return table.to_dict()


@router.get("/series")
def series(
    session: SessionDep,
    _p: Reader,
    params: ParamsDep,
    concept_id: Annotated[int | None, Query(ge=1)] = None,
    occupation_id: Annotated[int | None, Query(ge=1)] = None,
) -> dict[str, Any]:
    """The monthly series of an occupation, a skill, or of all postings (neither given),
    with its forecast, the model used and its backtest against seasonal naive."""
    view = trends.series_of(
        session, region=params.region, concept_id=concept_id, occupation_id=occupation_id
    )
    if view is None:
        raise HTTPException(404, "no such skill or occupation, or the demand cube is empty")
    return {
        "kind": view.kind,
        "ref_id": view.ref_id,
        "region": view.region,
        "label_zh": view.label_zh,
        "label_en": view.label_en,
        "months": view.months,
        "values": view.values,
        "forecast": view.forecast,
    }
