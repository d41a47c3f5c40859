"""The library usage dashboard, ``/library/stats``: period filter, summary tiles, a
monthly trend chart, every table with CSV and XLSX downloads, and the whole report as one
workbook. The report comes from ``library.usage_report`` (who sees what is decided
there, by ``accounts.policy``); the period is parsed by ``web.api.library_stats``.
"""

from __future__ import annotations

from urllib.parse import urlencode

import plotly.graph_objects as go
from fastapi import APIRouter, HTTPException, Request
from starlette.responses import Response

from talentbridge.library.usage_report import UsageReport
from talentbridge.library.usage_stats import MonthUsage
from talentbridge.library.usage_tables import report_tables, workbook_bytes
from talentbridge.web.api.library_stats import StatsParams, StatsParamsDep, cached_report
from talentbridge.web.deps import PrincipalDep, SessionDep
from talentbridge.web.downloads import FORMATS, table_download
from talentbridge.web.i18n import Translator, load_catalogs, translator
from talentbridge.web.rendering import current_viewer, render, request_locale

router = APIRouter()

PRESETS = (30, 90, 365, 548)  # days: a month, a quarter, a year, about 18 months
KIND_COLORS = {"views": "#1f6fb2", "downloads": "#2a9d5b", "searches": "#d98c1f"}


def _lang(request: Request) -> str:
    return request_locale(request, current_viewer(request))


def _query(params: StatsParams) -> str:
    return urlencode(
        {
            "start": params.period.start.isoformat(),
            "end": params.period.end.isoformat(),
            "active_days": params.active_days,
        }
    )


def trend_figure(months: list[MonthUsage], t: Translator) -> str | None:
    """Events per month by kind (views, downloads, searches), as plotly JSON."""
    if not any(m.uses for m in months):
        return None
    x = [m.month for m in months]
    traces = [
        go.Scatter(
            name=t(f"library_stats.{kind}"),
            x=x,
            y=[getattr(m, kind) for m in months],
            mode="lines+markers",
            line={"color": color},
        )
        for kind, color in KIND_COLORS.items()
    ]
    figure = go.Figure(data=traces)
    figure.update_layout(
        template="plotly_white",
        margin={"l": 48, "r": 16, "t": 16, "b": 40},
        xaxis_title=t("library_stats.month"),
        yaxis_title=t("library_stats.events"),
        legend={"orientation": "h", "y": -0.25},
        height=320,
    )
    text: str = figure.to_json()
    return text


def _report(
    request: Request, session: SessionDep, principal: PrincipalDep, params: StatsParams
) -> UsageReport:
    return cached_report(request, session, principal, params)


@router.get("/library/stats", name="library_stats")
def stats_page(
    request: Request, session: SessionDep, principal: PrincipalDep, params: StatsParamsDep
) -> Response:
    report = _report(request, session, principal, params)
    t = translator(load_catalogs(), _lang(request))
    return render(
        request,
        "library/stats.html",
        report=report,
        tables=report_tables(report),
        chart=trend_figure(report.by_month, t),
        params=params,
        query=_query(params),
        presets=PRESETS,
    )


@router.get("/library/stats/download/{name}.{fmt}", name="library_stats_download")
def download(
    name: str,
    fmt: str,
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    params: StatsParamsDep,
) -> Response:
    """One table as CSV or XLSX, or ``all.xlsx``: every table, a sheet each."""
    if fmt not in FORMATS:
        raise HTTPException(400, f"unknown format {fmt!r}: use csv or xlsx")
    report = _report(request, session, principal, params)
    tables = report_tables(report)
    lang = _lang(request)
    if name == "all" and fmt == "xlsx":
        return Response(
            workbook_bytes(tables.values(), lang),
            media_type=FORMATS["xlsx"],
            headers={"Content-Disposition": "attachment; filename=library-usage.xlsx"},
        )
    if name not in tables:
        raise HTTPException(404, f"no table {name!r}")
    return table_download(tables[name], fmt, lang)
