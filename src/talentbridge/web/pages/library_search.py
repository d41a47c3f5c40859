"""The library search page (``/library/search``): one box for resources and terms.

The query goes to ``library.search.search`` (cross-lingual through the term base);
the term cards show both languages and the definition, with a note when the query was
a deprecated synonym. Every search is recorded by ``library.usage.record_search`` so
editors see what was looked for and not found.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from talentbridge.library import browse, usage
from talentbridge.library.resources import KINDS, LEVELS, list_libraries
from talentbridge.library.search import COUNT_CAP, SearchFilters, search
from talentbridge.web.deps import SessionDep
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


@router.get("/library/search", name="library_search")
def search_page(
    request: Request,
    session: SessionDep,
    principal: LibraryArea,
    q: Annotated[str, Query(max_length=200)] = "",
    library: Annotated[str | None, Query(max_length=40)] = None,
    kind: Annotated[str | None, Query(max_length=20)] = None,
    level: Annotated[str | None, Query(max_length=20)] = None,
    language: Annotated[str | None, Query(max_length=5)] = None,
    major: Annotated[str | None, Query(max_length=12)] = None,
    offset: Annotated[int, Query(ge=0, le=10_000)] = 0,
) -> Response:
    libraries = list_libraries(session)
    chosen = next((lib for lib in libraries if lib.code == optional(library)), None)
    kind, level, language = optional(kind), optional(level), optional(language)
    major_id = optional_int(major)
    filters = SearchFilters(
        library_ids=(chosen.id,) if chosen else (),
        kinds=(kind,) if kind in KINDS else (),
        levels=(level,) if level in LEVELS else (),
        languages=(language,) if language in browse.LANGUAGES else (),
        major_ids=(major_id,) if major_id is not None else (),
    )
    results = None
    samples: set[int] = set()
    names = {}
    query = q.strip()
    if query:
        results = search(
            session,
            principal=principal,
            query=query,
            filters=filters,
            limit=PAGE_SIZE,
            offset=offset,
        )
        usage.record_search(
            session,
            principal=principal,
            query=query,
            hits=results.total,
            library_id=chosen.id if chosen else None,
        )
        ids = [hit.resource_id for hit in results.resources]
        samples = browse.sample_ids(session, ids)
        names = browse.library_names(session, [hit.library_id for hit in results.resources])
    return render(
        request,
        "library/search.html",
        q=query,
        results=results,
        pager=pager(request, total=results.total if results else 0, limit=PAGE_SIZE, offset=offset)
        if results
        else None,
        count_cap=COUNT_CAP,
        samples=samples,
        library_names=names,
        libraries=libraries,
        library=chosen.code if chosen else "",
        kind=kind or "",
        level=level or "",
        language=language or "",
        major=major_id,
        kinds=KINDS,
        levels=LEVELS,
        languages=browse.LANGUAGES,
        majors=browse.majors_with_resources(session),
        **nav_flags(principal),
    )
