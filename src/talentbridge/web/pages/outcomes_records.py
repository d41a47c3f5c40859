"""The drill-down page, ``/outcomes/records``: the placement records behind a figure of
the outcomes pages (college, major, year, direction, region, destination, relatedness),
for those who may see records (the platform admin; a college admin for their own
college). Others get 403, a college admin asking for another college 403 as well (the
rule is ``accounts.outcomes_policy.can_view_placement_records``, applied by
``outcomes.placements.list_placements``, which also audits the read)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Query, Request
from starlette.responses import Response

from talentbridge.outcomes.placements import list_placements
from talentbridge.outcomes.views import RecordsQuery, records_filters, require_outcomes
from talentbridge.web.deps import PrincipalDep, SessionDep, SettingsDep
from talentbridge.web.rendering import render

router = APIRouter()
PAGE_SIZE = 50


@router.get("/outcomes/records", name="outcomes_records")
def records_page(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    settings: SettingsDep,
    college: Annotated[str | None, Query(max_length=64)] = None,
    major: Annotated[str | None, Query(max_length=12)] = None,
    year: Annotated[int | None, Query(ge=1990, le=2100)] = None,
    direction: Annotated[str | None, Query(max_length=12, pattern=r"^\d*$")] = None,
    region: Annotated[str | None, Query(max_length=12)] = None,
    destination: Annotated[str | None, Query(max_length=16)] = None,
    related: Annotated[str | None, Query(max_length=16)] = None,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Response:
    require_outcomes(principal)
    query = RecordsQuery(
        college=college or None,
        major=major or None,
        year=year,
        direction=direction or None,
        region=region or None,
        destination=destination or None,
        related=related or None,
    )
    try:
        filters = records_filters(session, query)
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from None
    page = list_placements(
        session, principal=principal, filters=filters, limit=PAGE_SIZE, offset=offset
    )
    return render(
        request,
        "outcomes/records.html",
        page=page,
        query=query,
        threshold=settings.small_cell_threshold,
        prev_url=(
            "/outcomes/records?" + urlencode(query.params(offset=max(0, offset - PAGE_SIZE)))
            if offset > 0
            else None
        ),
        next_url=(
            "/outcomes/records?" + urlencode(query.params(offset=offset + PAGE_SIZE))
            if offset + PAGE_SIZE < page.total
            else None
        ),
    )
