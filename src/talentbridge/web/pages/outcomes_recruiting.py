"""The recruiting-efficiency page, ``/outcomes/recruiting``: per employer and by month,
and the before/after comparison around the switch date with n, medians, the change, its
95 % interval and the p-value, explained in plain words. Figures come from
``outcomes.views.recruiting_view`` (who sees which employer is decided there, by
``accounts.outcomes_policy``); CSV/XLSX of each table."""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Query, Request
from starlette.responses import Response

from talentbridge.outcomes.recruiting_view import RecruitingView, recruiting_view
from talentbridge.outcomes.report_tables import recruiting_tables
from talentbridge.web.deps import PrincipalDep, SessionDep, SettingsDep
from talentbridge.web.downloads import table_download
from talentbridge.web.i18n import load_catalogs, translator
from talentbridge.web.pages.outcomes_charts import recruiting_trend
from talentbridge.web.rendering import current_viewer, render, request_locale

router = APIRouter()

EmployerQ = Annotated[str | None, Query(max_length=64, description="employer code")]
CutoffQ = Annotated[dt.date | None, Query(description="switch date, YYYY-MM-DD")]
WindowQ = Annotated[int | None, Query(ge=1, le=3660, description="days on either side")]


def _view(
    session: SessionDep,
    principal: PrincipalDep,
    settings: SettingsDep,
    employer: str | None,
    cutoff: dt.date | None,
    window: int | None,
) -> RecruitingView:
    return recruiting_view(
        session,
        principal=principal,
        settings=settings,
        employer_code=employer or None,
        cutoff=cutoff,
        window_days=window,
    )


def _query(view: RecruitingView) -> str:
    params = {
        "employer": view.employer_code or "",
        "cutoff": view.cutoff.isoformat() if view.cutoff else "",
        "window": view.window_days or "",
    }
    return urlencode({k: v for k, v in params.items() if v})


@router.get("/outcomes/recruiting", name="outcomes_recruiting")
def recruiting_page(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    settings: SettingsDep,
    employer: EmployerQ = None,
    cutoff: CutoffQ = None,
    window: WindowQ = None,
) -> Response:
    view = _view(session, principal, settings, employer, cutoff, window)
    lang = request_locale(request, current_viewer(request))
    t = translator(load_catalogs(), lang)
    months = view.table.by_month
    chart = recruiting_trend(
        [m.month or "" for m in months],
        [m.measures["days_to_hire"].median for m in months],
        t,
        view.cutoff.strftime("%Y-%m") if view.cutoff else None,
    )
    return render(
        request,
        "outcomes/recruiting.html",
        view=view,
        chart=chart,
        query=_query(view),
    )


@router.get("/outcomes/recruiting/download/{name}.{fmt}", name="outcomes_recruiting_download")
def recruiting_download(
    name: str,
    fmt: str,
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    settings: SettingsDep,
    employer: EmployerQ = None,
    cutoff: CutoffQ = None,
    window: WindowQ = None,
) -> Response:
    """One table of the page (``employers``, ``months``, ``compare``) as CSV or XLSX."""
    view = _view(session, principal, settings, employer, cutoff, window)
    tables = recruiting_tables(view)
    if name not in tables:
        raise HTTPException(404, f"no table {name!r}")
    return table_download(tables[name], fmt, request_locale(request, current_viewer(request)))
