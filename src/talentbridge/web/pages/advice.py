"""Major-direction advice pages: ``GET /advice`` (recommendations with their evidence,
supply vs demand per major, skill coverage gaps), the downloads of every table, and the
planning-meeting report (printable HTML and XLSX).

College admins and teachers see their own college's view by default and may switch to
the region's view; analysts and the platform admin choose any college or the region.
Who may see what is decided in ``accounts.policy``; the numbers come from
``analytics.advice`` and ``analytics.supply``.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Request
from starlette.responses import Response

from talentbridge.accounts.policy import (
    default_advice_college,
)
from talentbridge.analytics.advice import college_choices
from talentbridge.analytics.advice_tables import TABLES, table_named
from talentbridge.analytics.regions import region_choices
from talentbridge.errors import NotFound
from talentbridge.web.advice_deps import AdviceQueryDep, AdviceReportDep, AdviceViewer
from talentbridge.web.deps import SessionDep
from talentbridge.web.downloads import FORMATS, table_download
from talentbridge.web.i18n import load_catalogs, translator
from talentbridge.web.pages.advice_charts import supply_demand_figure, trend_figure
from talentbridge.web.pages.advice_workbook import report_workbook
from talentbridge.web.rendering import render, request_locale

router = APIRouter()

REGION_LEVELS = ("all", "circle", "province", "city")
XLSX = FORMATS["xlsx"]


@router.get("/advice", name="advice")
def advice_page(
    request: Request,
    session: SessionDep,
    principal: AdviceViewer,
    query: AdviceQueryDep,
    report: AdviceReportDep,
) -> Response:
    tables = {name: table_named(report, name) for name in TABLES}
    colleges = college_choices(session)
    if default_advice_college(principal) is not None:
        colleges = [c for c in colleges if c.id == principal.organization_id]
    return render(
        request,
        "advice/index.html",
        report=report,
        query=query,
        tables=tables,
        regions=[r for r in region_choices() if r.level in REGION_LEVELS],
        colleges=colleges,
    )


@router.get("/advice/download/{name}.{fmt}", name="advice_download")
def advice_download(
    request: Request,
    name: str,
    fmt: str,
    report: AdviceReportDep,
) -> Response:
    if name not in TABLES:
        raise NotFound(f"no table {name!r}")
    if fmt not in FORMATS:
        raise HTTPException(400, f"unknown format {fmt!r}: use csv or xlsx")
    return table_download(table_named(report, name), fmt, request_locale(request))


@router.get("/advice/report", name="advice_report")
def report_page(
    request: Request,
    query: AdviceQueryDep,
    report: AdviceReportDep,
) -> Response:
    """The planning-meeting report: a printable page with charts."""
    lang = request_locale(request)
    t = translator(load_catalogs(), lang)
    return render(
        request,
        "advice/report.html",
        report=report,
        query=query,
        tables={name: table_named(report, name) for name in TABLES},
        today=dt.date.today().isoformat(),
        supply_chart=supply_demand_figure(report, lang=lang, t=t),
        trend_chart=trend_figure(report, lang=lang, t=t),
    )


@router.get("/advice/report.xlsx", name="advice_report_xlsx")
def advice_report_xlsx(
    request: Request,
    query: AdviceQueryDep,
    report: AdviceReportDep,
) -> Response:
    """The report as a workbook: recommendations, supply vs demand and skill gaps."""
    content = report_workbook(report, request_locale(request))
    who = query.college.code if query.college is not None else query.region.replace(":", "-")
    filename = f"advice-report-{who}.xlsx"
    return Response(
        content,
        media_type=XLSX,
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}"},
    )
