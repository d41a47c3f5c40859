"""Library pages (issue 7): the index of libraries and one library's resources.

Resource pages (detail, reading view, download, upload, review) are in
``library_resources``, the term base in ``library_terms``, the search in
``library_search``. Every read goes through ``library.browse``; access is
``accounts.policy``'s. ``ROUTERS`` lists them for the app; the catch-all
``/library/{code}`` only matches codes that are not one of the fixed page names.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from talentbridge.errors import TalentBridgeError
from talentbridge.library import browse
from talentbridge.library.resources import KINDS, LEVELS, library_by_code
from talentbridge.web.deps import SessionDep
from talentbridge.web.pages import library_resources, library_search, library_terms
from talentbridge.web.pages.library_common import (
    PAGE_SIZE,
    LibraryArea,
    nav_flags,
    optional,
    optional_int,
    pager,
)
from talentbridge.web.rendering import render

router = APIRouter()


@router.get("/library", name="library_index")
def library_index(request: Request, session: SessionDep, principal: LibraryArea) -> Response:
    rows = browse.libraries_with_counts(session, principal=principal)
    return render(
        request,
        "library/index.html",
        rows=rows,
        total=sum(r.resources for r in rows),
        **nav_flags(principal),
    )


@router.get("/library/{code:libcode}", name="library_detail")
def library_detail(
    request: Request,
    session: SessionDep,
    principal: LibraryArea,
    code: str,
    kind: Annotated[str | None, Query(max_length=20)] = None,
    level: Annotated[str | None, Query(max_length=20)] = None,
    language: Annotated[str | None, Query(max_length=5)] = None,
    major: Annotated[str | None, Query(max_length=12)] = None,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Response:
    library = library_by_code(session, code)
    filters = browse.ResourceFilters(
        library_id=library.id,
        kind=optional(kind),
        level=optional(level),
        language=optional(language),
        major_id=optional_int(major),
    )
    problem = None
    try:
        page = browse.find_resources(
            session, principal=principal, filters=filters, limit=PAGE_SIZE, offset=offset
        )
    except TalentBridgeError as exc:
        problem = str(exc)
        page = browse.ResourcePage([], 0, PAGE_SIZE, 0)
    return render(
        request,
        "library/library.html",
        library=library,
        page=page,
        pager=pager(request, total=page.total, limit=page.limit, offset=page.offset),
        filters=filters,
        problem=problem,
        kinds=KINDS,
        levels=LEVELS,
        languages=browse.LANGUAGES,
        majors=browse.majors_with_resources(session),
        **nav_flags(principal),
    )


# The fixed pages first, the /library/{code} catch-all last.
ROUTERS: tuple[APIRouter, ...] = (
    library_resources.router,
    library_terms.router,
    library_search.router,
    router,
)
