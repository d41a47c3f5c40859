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
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, HTTPException, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from talentbridge.accounts.policy import (
    Principal,
    can_view_college_advice,
    default_advice_college,
)
from talentbridge.analytics.advice import AdviceReport, college_by_code, college_choices
from talentbridge.analytics.advice_cache import cached_advise
from talentbridge.analytics.advice_tables import TABLES, table_named
from talentbridge.analytics.regions import CIRCLE, UnknownRegion, parse_region, region_choices
from talentbridge.config import Settings
from talentbridge.errors import Forbidden, NotFound
from talentbridge.store.tables import Organization
from talentbridge.web.deps import SessionDep, SettingsDep, require_area
from talentbridge.web.downloads import FORMATS, table_download
from talentbridge.web.i18n import load_catalogs, translator
from talentbridge.web.pages.advice_charts import supply_demand_figure, trend_figure
from talentbridge.web.pages.advice_workbook import report_workbook
from talentbridge.web.rendering import render, request_locale

router = APIRouter()

AdviceViewer = Annotated[Principal, Depends(require_area("advice"))]
REGION_LEVELS = ("all", "circle", "province", "city")
XLSX = FORMATS["xlsx"]


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


def resolve_query(
    session: Session, principal: Principal, region: str, college: str, scope: str
) -> AdviceQuery:
    """The region and college to advise on, after the policy's checks."""
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


def build_report(session: Session, settings: Settings, query: AdviceQuery) -> AdviceReport:
    """The advice for the query, cached per state of the store (``analytics.advice_cache``)."""
    return cached_advise(
        session,
        region=query.region,
        college_id=query.college.id if query.college is not None else None,
        settings=settings.advice,
    )


@router.get("/advice", name="advice")
def advice_page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    principal: AdviceViewer,
    region: str = "",
    college: str = "",
    scope: str = "",
) -> Response:
    query = resolve_query(session, principal, region, college, scope)
    report = build_report(session, settings, query)
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
    session: SessionDep,
    settings: SettingsDep,
    principal: AdviceViewer,
    name: str,
    fmt: str,
    region: str = "",
    college: str = "",
    scope: str = "",
) -> Response:
    if name not in TABLES:
        raise NotFound(f"no table {name!r}")
    if fmt not in FORMATS:
        raise HTTPException(400, f"unknown format {fmt!r}: use csv or xlsx")
    query = resolve_query(session, principal, region, college, scope)
    report = build_report(session, settings, query)
    return table_download(table_named(report, name), fmt, request_locale(request))


@router.get("/advice/report", name="advice_report")
def advice_report(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    principal: AdviceViewer,
    region: str = "",
    college: str = "",
    scope: str = "",
) -> Response:
    """The planning-meeting report: a printable page with charts."""
    query = resolve_query(session, principal, region, college, scope)
    report = build_report(session, settings, query)
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
    session: SessionDep,
    settings: SettingsDep,
    principal: AdviceViewer,
    region: str = "",
    college: str = "",
    scope: str = "",
) -> Response:
    """The report as a workbook: recommendations, supply vs demand and skill gaps."""
    query = resolve_query(session, principal, region, college, scope)
    report = build_report(session, settings, query)
    content = report_workbook(report, request_locale(request))
    who = query.college.code if query.college is not None else query.region.replace(":", "-")
    filename = f"advice-report-{who}.xlsx"
    return Response(
        content,
        media_type=XLSX,
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}"},
    )
