"""Employment-outcome pages: ``/outcomes`` (the alliance, or a college admin's or
teacher's own college with the alliance beside it) and ``/outcomes/colleges/{code}``
(one college): every indicator of the latest graduation year, trends over the years,
the majors compared, where graduates work and enrollment per major and direction, with
filters. Figures come from ``outcomes.views.dashboard`` (scope and drill-down rights
are decided there, by ``accounts.outcomes_policy``); the yearly report workbook and the
CSV/XLSX of each table are downloads here. The drill-down (``/outcomes/records``) and
the recruiting page have their own modules."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from starlette.responses import Response

from talentbridge.accounts.outcomes_policy import can_import_placements
from talentbridge.accounts.principal import Principal
from talentbridge.outcomes.dashboard import (
    DESTINATION_COLUMNS,
    Dashboard,
    dashboard,
    drill_query,
)
from talentbridge.outcomes.report_tables import dashboard_tables
from talentbridge.outcomes.report_workbook import report_filename, report_workbook
from talentbridge.outcomes.views import INDICATORS, REGIONS, OutcomeFilters
from talentbridge.web.deps import PrincipalDep, SessionDep, SettingsDep
from talentbridge.web.downloads import FORMATS, table_download
from talentbridge.web.i18n import load_catalogs, translator
from talentbridge.web.pages.outcomes_charts import (
    enrollment_lines,
    majors_bars,
    rates_trend,
    salary_trend,
)
from talentbridge.web.rendering import current_viewer, render, request_locale

router = APIRouter()


def outcome_filters(
    year: Annotated[int | None, Query(ge=1990, le=2100, description="graduation year")] = None,
    college: Annotated[str | None, Query(max_length=64, description="college code")] = None,
    major: Annotated[str | None, Query(max_length=12, description="catalog major code")] = None,
    direction: Annotated[str | None, Query(max_length=12, pattern=r"^\d*$")] = None,
    region: Annotated[str | None, Query(max_length=12)] = None,
) -> OutcomeFilters:
    """The filter form (empty values mean "all")."""
    if region and region not in REGIONS:
        raise HTTPException(422, f"unknown region {region!r}: use one of {', '.join(REGIONS)}")
    return OutcomeFilters(
        year=year,
        college=college or None,
        major=major or None,
        direction=direction or None,
        region=region or None,
    )


FiltersDep = Annotated[OutcomeFilters, Depends(outcome_filters)]


def _lang(request: Request) -> str:
    return request_locale(request, current_viewer(request))


def _page(request: Request, principal: Principal, view: Dashboard, template: str) -> Response:
    lang = _lang(request)
    t = translator(load_catalogs(), lang)
    charts = {
        "rates": rates_trend(view.trend, t, view.alliance_trend),
        "salary": salary_trend(view.trend, t),
        "majors": majors_bars(view.majors, t, lang),
        "enrollment": enrollment_lines(view.enrollment, t, lang),
    }
    return render(
        request,
        template,
        view=view,
        charts=charts,
        threshold=view.threshold,
        indicators=INDICATORS,
        drill=drill_query,
        can_import=can_import_placements(principal),
        destination_keys=DESTINATION_COLUMNS,
        query=urlencode(view.filters.query(college=view.college.code if view.college else None)),
    )


@router.get("/outcomes", name="outcomes")
def overview(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    settings: SettingsDep,
    filters: FiltersDep,
) -> Response:
    view = dashboard(session, principal, filters, threshold=settings.small_cell_threshold)
    return _page(request, principal, view, "outcomes/overview.html")


@router.get("/outcomes/colleges/{code}", name="outcomes_college")
def college_page(
    code: str,
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    settings: SettingsDep,
    filters: FiltersDep,
) -> Response:
    view = dashboard(
        session, principal, filters, threshold=settings.small_cell_threshold, college_code=code
    )
    return _page(request, principal, view, "outcomes/college.html")


@router.get("/outcomes/report.xlsx", name="outcomes_report")
def report(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    settings: SettingsDep,
    filters: FiltersDep,
) -> Response:
    """The yearly employment quality report (就业质量年度报告) tables of a college (or
    the alliance) and year as one workbook; small cells as ``<5``."""
    view = dashboard(session, principal, filters, threshold=settings.small_cell_threshold)
    lang = _lang(request)
    return Response(
        report_workbook(view, lang),
        media_type=FORMATS["xlsx"],
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{report_filename(view)}"},
    )


@router.get("/outcomes/download/{name}.{fmt}", name="outcomes_download")
def download(
    name: str,
    fmt: str,
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    settings: SettingsDep,
    filters: FiltersDep,
) -> Response:
    """One table of the report (see ``outcomes.report_tables``) as CSV or XLSX."""
    if fmt not in FORMATS:
        raise HTTPException(400, f"unknown format {fmt!r}: use csv or xlsx")
    view = dashboard(session, principal, filters, threshold=settings.small_cell_threshold)
    tables = dashboard_tables(view)
    if name not in tables:
        raise HTTPException(404, f"no table {name!r}")
    return table_download(tables[name], fmt, _lang(request))
