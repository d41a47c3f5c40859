"""The talent demand map pages (人才需求图谱): overview, trends with forecasts, region
comparison and the skill profile of an occupation, each table downloadable as CSV or
XLSX. Reads come from ``analytics.demand``, ``analytics.trends`` and
``analytics.regional`` (the pre-aggregated cube); region and period are parsed by
``web.api.demand.demand_params``, the same as the API's.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from starlette.responses import Response

from talentbridge.accounts.policy import Principal
from talentbridge.analytics import demand, regional, trends
from talentbridge.analytics.cube import get_state
from talentbridge.analytics.datatable import DataTable
from talentbridge.analytics.demand import Period
from talentbridge.analytics.regions import district_choices, parse_region, region_choices
from talentbridge.taxonomy.concepts import LEAF_KINDS
from talentbridge.web.api.demand import DemandParams, ParamsDep
from talentbridge.web.deps import SessionDep, require_area
from talentbridge.web.downloads import table_download
from talentbridge.web.i18n import load_catalogs, translator
from talentbridge.web.pages.demand_charts import bar_figure, series_figure, share_figure
from talentbridge.web.rendering import current_viewer, render, request_locale

router = APIRouter()

Reader = Annotated[Principal, Depends(require_area("demand"))]
TABLES = ("top-skills", "top-occupations", "rising-skills", "falling-skills",
          "region-overview", "region-comparison")  # fmt: skip


def _lang(request: Request) -> str:
    return request_locale(request, current_viewer(request))


def _query(params: DemandParams, **more: object) -> str:
    period = params.period
    values: dict[str, object] = {"region": params.region}
    if period is not None:
        values |= {"start": period.start, "end": period.end}
    if params.kind:
        values["kind"] = params.kind
    values |= {k: v for k, v in more.items() if v is not None}
    return urlencode(values)


def _context(request: Request, session: SessionDep, params: DemandParams) -> dict[str, Any]:
    """What every demand page shows around its content: filters and cube status."""
    region = parse_region(params.region)
    districts = []
    if region.level in ("city", "province", "district"):
        parent = region.key
        if region.level == "district" and region.code:
            parent = (
                "c:" + region.code[:4] + "00" if not region.code.startswith("50") else "p:500000"
            )
        districts = district_choices(parent)
    state = get_state(session)
    return {
        "params": params,
        "region": region,
        "regions": region_choices(),
        "districts": districts,
        "months": demand.available_months(session),
        "kinds": sorted(LEAF_KINDS),
        "query": _query(params),
        "state": state,
    }


@router.get("/demand", name="demand")
def overview(request: Request, session: SessionDep, _p: Reader, params: ParamsDep) -> Response:
    lang = _lang(request)
    t = translator(load_catalogs(), lang)
    context = _context(request, session, params)
    if params.period is None:
        return render(request, "demand/overview.html", empty=True, **context)
    period = params.period
    totals = demand.totals(session, region=params.region, period=period)
    occupations = demand.top_occupations(session, region=params.region, period=period, limit=15)
    skills = demand.top_skills(
        session, region=params.region, period=period, kind=params.kind, limit=params.limit
    )
    series = trends.series_view(session, kind="total", ref_id=None, region=params.region)
    return render(
        request,
        "demand/overview.html",
        empty=False,
        totals=totals,
        occupations=occupations,
        skills=skills,
        series=series,
        series_chart=series_figure(series, lang=lang, t=t) if series else None,
        occupations_chart=bar_figure(occupations, label="name", value="postings", lang=lang, t=t),
        skills_chart=bar_figure(skills, label="label", value="postings", lang=lang, t=t),
        **context,
    )


@router.get("/demand/trends", name="demand_trends")
def trends_page(
    request: Request,
    session: SessionDep,
    _p: Reader,
    params: ParamsDep,
    concept_id: Annotated[int | None, Query(ge=1)] = None,
    occupation_id: Annotated[int | None, Query(ge=1)] = None,
) -> Response:
    lang = _lang(request)
    t = translator(load_catalogs(), lang)
    context = _context(request, session, params)
    if params.period is None:
        return render(request, "demand/trends.html", empty=True, **context)
    found = trends.movers(session, region=params.region, period=params.period, limit=20)
    if not concept_id and not occupation_id and found.rising.rows:
        concept_id = int(found.rising.rows[0]["concept_id"])
    # nothing rose significantly and nothing was picked: the series of all postings
    view = trends.series_of(
        session, region=params.region, concept_id=concept_id, occupation_id=occupation_id
    )
    return render(
        request,
        "demand/trends.html",
        empty=False,
        movers=found,
        view=view,
        chart=series_figure(view, lang=lang, t=t) if view else None,
        occupations=demand.occupation_choices(session),
        concept_id=concept_id,
        occupation_id=occupation_id,
        **context,
    )


@router.get("/demand/regions", name="demand_regions")
def regions_page(request: Request, session: SessionDep, _p: Reader, params: ParamsDep) -> Response:
    lang = _lang(request)
    t = translator(load_catalogs(), lang)
    context = _context(request, session, params)
    if params.period is None:
        return render(request, "demand/regions.html", empty=True, **context)
    overview_table = regional.region_overview(session, period=params.period)
    comparison = regional.region_comparison(
        session, period=params.period, kind=params.kind, limit=params.limit
    )
    return render(
        request,
        "demand/regions.html",
        empty=False,
        overview=overview_table,
        comparison=comparison,
        compared=regional.COMPARED,
        chart=share_figure(comparison, regions=regional.COMPARED, lang=lang, t=t),
        **context,
    )


@router.get("/demand/occupations/{occupation_id}", name="demand_occupation")
def occupation_page(
    occupation_id: int, request: Request, session: SessionDep, _p: Reader, params: ParamsDep
) -> Response:
    lang = _lang(request)
    t = translator(load_catalogs(), lang)
    names = demand.occupation_names(session, [occupation_id]).get(occupation_id)
    if names is None:
        raise HTTPException(404, "no such occupation")
    context = _context(request, session, params)
    if params.period is None:
        return render(
            request, "demand/occupation.html", empty=True, names=names,
            occupation_id=occupation_id, **context,
        )  # fmt: skip
    profile = demand.occupation_profile(
        session, occupation_id=occupation_id, region=params.region, period=params.period
    )
    ranked = demand.top_occupations(session, region=params.region, period=params.period, limit=200)
    pay = next((r for r in ranked.rows if r["occupation_id"] == occupation_id), None)
    view = trends.series_view(
        session, kind="occupation", ref_id=occupation_id, region=params.region
    )
    return render(
        request,
        "demand/occupation.html",
        empty=False,
        names=names,
        occupation_id=occupation_id,
        profile=profile,
        pay=pay,
        view=view,
        chart=series_figure(view, lang=lang, t=t) if view else None,
        skills_chart=bar_figure(profile, label="label", value="postings", lang=lang, t=t),
        **context,
    )


@router.get("/demand/download/{name}.{fmt}", name="demand_download")
def download(
    name: str,
    fmt: str,
    request: Request,
    session: SessionDep,
    _p: Reader,
    params: ParamsDep,
    concept_id: Annotated[int | None, Query(ge=1)] = None,
    occupation_id: Annotated[int | None, Query(ge=1)] = None,
) -> Response:
    """Every table of the demand pages as CSV or XLSX, for the same filters."""
    if params.period is None:
        raise HTTPException(404, "the demand cube is empty")
    table = _table(session, name, params, params.period, concept_id, occupation_id)
    return table_download(table, fmt, _lang(request))


def _table(
    session: SessionDep,
    name: str,
    params: DemandParams,
    period: Period,
    concept_id: int | None,
    occupation_id: int | None,
) -> DataTable:
    region, limit = params.region, params.limit
    if name == "top-skills":
        return demand.top_skills(
            session, region=region, period=period, kind=params.kind, limit=limit
        )
    if name == "top-occupations":
        return demand.top_occupations(session, region=region, period=period, limit=limit)
    if name in ("rising-skills", "falling-skills"):
        found = trends.movers(session, region=region, period=period, limit=limit)
        return found.rising if name == "rising-skills" else found.falling
    if name == "region-overview":
        return regional.region_overview(session, period=period)
    if name == "region-comparison":
        return regional.region_comparison(session, period=period, kind=params.kind, limit=limit)
    if name == "occupation-skills" and occupation_id:
        return demand.occupation_profile(
            session, occupation_id=occupation_id, region=region, period=period, limit=limit
        )
    if name == "series":
        view = trends.series_of(
            session, region=region, concept_id=concept_id, occupation_id=occupation_id
        )
        if view is not None:
            return view.table()
    raise HTTPException(404, f"no table {name!r}")
