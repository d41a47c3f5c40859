"""Term-base pages: browse A–Z and by subject field, one concept, and the editors'
import (TBX, CSV, XLSX → import report, or the line and reason of a refused file) and
export (TBX, CSV, XLSX).

Reads are ``library.term_views``; files go through ``library.termbase_io``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Query, Request, UploadFile
from sqlalchemy.orm import Session, sessionmaker
from starlette.responses import Response

from talentbridge.errors import Forbidden, InputFileError
from talentbridge.files import UploadRefused
from talentbridge.library import browse, term_views
from talentbridge.library.termbase_io import (
    FORMATS,
    SUFFIXES,
    export_termbase,
    import_termbase_upload,
)
from talentbridge.web.deps import SessionDep, SettingsDep
from talentbridge.web.pages.library_common import LibraryArea, nav_flags, optional, pager
from talentbridge.web.rendering import render

router = APIRouter()

TERMS_PAGE = 50


@router.get("/library/terms", name="library_terms")
def terms(
    request: Request,
    session: SessionDep,
    principal: LibraryArea,
    letter: Annotated[str | None, Query(max_length=1)] = None,
    subject: Annotated[str | None, Query(max_length=200)] = None,
    q: Annotated[str | None, Query(max_length=100)] = None,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Response:
    letter = optional(letter)
    letter = letter.upper() if letter and letter.upper() in term_views.LETTERS else None
    page = term_views.browse_concepts(
        session,
        letter=letter,
        subject=optional(subject),
        query=optional(q),
        limit=TERMS_PAGE,
        offset=offset,
    )
    return render(
        request,
        "library/terms.html",
        page=page,
        pager=pager(request, total=page.total, limit=page.limit, offset=page.offset),
        letters=term_views.LETTERS,
        letter=letter or "",
        subject=optional(subject) or "",
        q=optional(q) or "",
        subjects=term_views.subject_fields(session),
        **nav_flags(principal),
    )


def _editor(principal: LibraryArea) -> None:
    if not browse.may_edit_termbase(principal):
        raise Forbidden("only library editors import and export the term base")


@router.get("/library/terms/import", name="library_terms_import_form")
def import_form(request: Request, principal: LibraryArea) -> Response:
    _editor(principal)
    return render(
        request,
        "library/terms_import.html",
        result=None,
        error=None,
        suffixes=SUFFIXES,
        **nav_flags(principal),
    )


@router.post("/library/terms/import", name="library_terms_import")
def import_upload(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    principal: LibraryArea,
    file: Annotated[UploadFile, File(description="TBX, CSV or XLSX")],
) -> Response:
    _editor(principal)
    session.commit()  # the import writes in its own transactions
    factory: sessionmaker[Session] = request.app.state.sessionmaker
    data = file.file.read(settings.max_upload_bytes + 1)
    try:
        result = import_termbase_upload(
            factory,
            data,
            file.filename or "",
            data_dir=settings.data_dir,
            max_bytes=settings.max_upload_bytes,
            user_id=principal.user_id,
        )
    except InputFileError as exc:
        return render(
            request,
            "library/terms_import.html",
            status_code=400,
            result=None,
            error=exc.reason,
            suffixes=SUFFIXES,
            **nav_flags(principal),
        )
    except UploadRefused as exc:
        return render(
            request,
            "library/terms_import.html",
            status_code=400,
            result=None,
            error=str(exc),
            suffixes=SUFFIXES,
            **nav_flags(principal),
        )
    return render(
        request,
        "library/terms_import.html",
        result=result,
        error=None,
        suffixes=SUFFIXES,
        **nav_flags(principal),
    )


@router.get("/library/terms/export", name="library_terms_export")
def export(
    session: SessionDep,
    principal: LibraryArea,
    format: Annotated[str, Query(pattern="^(tbx|csv|xlsx)$")] = "tbx",
) -> Response:
    _editor(principal)
    data, media_type, suffix = export_termbase(session, format)
    return Response(
        data,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="termbase{suffix}"'},
    )


@router.get("/library/terms/{entry_id}", name="library_term")
def term(request: Request, entry_id: str, session: SessionDep, principal: LibraryArea) -> Response:
    detail = term_views.concept_detail(session, principal=principal, entry_id=entry_id)
    return render(request, "library/term.html", detail=detail, formats=FORMATS)
