"""Term base and search in the JSON API (``/api/v1/library/terms…``, ``/search``): term
lookups and concepts, term-base import (TBX, CSV, XLSX) and export, and the
cross-lingual search over resources and terms (recorded by ``library.usage``).
Libraries and resources are in ``web.api.library``.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, File, Query, Request, UploadFile
from sqlalchemy.orm import Session, sessionmaker
from starlette.responses import Response

from talentbridge.errors import Forbidden
from talentbridge.library import browse, term_views, usage
from talentbridge.library.resources import library_by_code
from talentbridge.library.search import SearchFilters, search
from talentbridge.library.termbase_io import export_termbase, import_termbase_upload
from talentbridge.web.api.library_schemas import (
    RejectedOut,
    ResourceHitOut,
    SearchOut,
    TermConceptDetailOut,
    TermConceptOut,
    TermHitOut,
    TermImportOut,
    TermLookupOut,
    TermMatchOut,
    TermOut,
    errors,
)
from talentbridge.web.deps import PrincipalDep, SessionDep, SettingsDep

router = APIRouter(prefix="/library", tags=["library"])


# --- term base --------------------------------------------------------------------------------


def _concept(row: term_views.ConceptRow) -> TermConceptOut:
    return TermConceptOut(
        entry_id=row.entry_id,
        subject_field=row.subject_field,
        definition_zh=row.definition_zh,
        definition_en=row.definition_en,
        zh=row.zh,
        en=row.en,
    )


@router.get("/terms", response_model=TermLookupOut, responses=errors())
def terms(
    session: SessionDep,
    _principal: PrincipalDep,
    q: Annotated[str, Query(min_length=1, max_length=100, description="a term, any language")],
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> TermLookupOut:
    """Terms equal to ``q`` (width, case and spaces normalized) first, then terms starting
    with it; each with its concept's preferred terms in both languages."""
    found = term_views.lookup_terms(session, q, limit=limit)
    return TermLookupOut(
        query=q,
        matches=[
            TermMatchOut(
                lang=m.lang,
                text=m.text,
                status=m.status,
                term_type=m.term_type,
                concept=_concept(m.concept),
            )
            for m in found
        ],
    )


@router.get(
    "/terms/export",
    responses={
        200: {
            "content": {
                "application/x-tbx+xml": {},
                "text/csv": {},
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {},
            }
        },
        **errors(403),
    },
    summary="The whole term base as TBX v3, CSV or XLSX",
)
def terms_export(
    session: SessionDep,
    principal: PrincipalDep,
    format: Literal["tbx", "csv", "xlsx"] = "tbx",
) -> Response:
    if not browse.may_edit_termbase(principal):
        raise Forbidden("only library editors export the term base")
    data, media_type, suffix = export_termbase(session, format)
    return Response(
        data,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="termbase{suffix}"'},
    )


@router.post(
    "/terms/import",
    response_model=TermImportOut,
    responses=errors(400, 403),
    summary="Import a TBX (v3 or v2 martif), CSV or XLSX term file",
)
def terms_import(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    principal: PrincipalDep,
    file: Annotated[UploadFile, File(description=".tbx, .xml, .csv or .xlsx")],
) -> TermImportOut:
    """A file that is not well-formed or of an unknown dialect answers 400 with the line
    and reason, and nothing is stored. Every resource is tagged again afterwards."""
    if not browse.may_edit_termbase(principal):
        raise Forbidden("only library editors import the term base")
    session.commit()  # the import writes in its own transactions
    factory: sessionmaker[Session] = request.app.state.sessionmaker
    result = import_termbase_upload(
        factory,
        file.file.read(settings.max_upload_bytes + 1),
        file.filename or "",
        data_dir=settings.data_dir,
        max_bytes=settings.max_upload_bytes,
        user_id=principal.user_id,
    )
    report = result.report
    return TermImportOut(
        run_id=report.run_id,
        read=report.read,
        stored=report.stored,
        unchanged=report.unchanged,
        duplicates=report.duplicates,
        rejected=report.rejected,
        message=report.message,
        retagged=result.retagged,
        errors=[
            RejectedOut(row=e.row_number, field=e.field, reason=e.reason) for e in report.errors
        ],
    )


@router.get("/terms/{entry_id}", response_model=TermConceptDetailOut, responses=errors(404))
def term(entry_id: str, session: SessionDep, principal: PrincipalDep) -> TermConceptDetailOut:
    detail = term_views.concept_detail(session, principal=principal, entry_id=entry_id)
    names = browse.first_terms(session, [detail.concept.id]).get(detail.concept.id, {})
    c = detail.concept
    return TermConceptDetailOut(
        entry_id=c.entry_id,
        subject_field=c.subject_field,
        definition_zh=c.definition_zh,
        definition_en=c.definition_en,
        zh=names.get("zh"),
        en=names.get("en"),
        note=c.note,
        skill_key=detail.skill.key if detail.skill else None,
        terms=[TermOut.model_validate(t, from_attributes=True) for t in detail.terms],
        resource_ids=[r.id for r in detail.resources],
    )


# --- search -----------------------------------------------------------------------------------


@router.get("/search", response_model=SearchOut, responses=errors(404))
def search_endpoint(
    session: SessionDep,
    principal: PrincipalDep,
    q: Annotated[str, Query(min_length=1, max_length=200)],
    library: Annotated[list[str] | None, Query(description="library codes")] = None,
    kind: Annotated[list[str] | None, Query()] = None,
    level: Annotated[list[str] | None, Query()] = None,
    language: Annotated[list[str] | None, Query()] = None,
    major: Annotated[list[int] | None, Query(description="major ids")] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=10_000)] = 0,
    expand: Annotated[bool, Query(description="expand through the term base")] = True,
) -> SearchOut:
    """One search over resources and terms: a Chinese query finds English resources and
    the reverse, through the term base. Filters combine with AND, values of one filter
    with OR."""
    library_ids = tuple(library_by_code(session, code).id for code in library or [])
    filters = SearchFilters(
        library_ids=library_ids,
        kinds=tuple(kind or ()),
        levels=tuple(level or ()),
        languages=tuple(language or ()),
        major_ids=tuple(major or ()),
    )
    results = search(
        session,
        principal=principal,
        query=q,
        filters=filters,
        limit=limit,
        offset=offset,
        expand=expand,
    )
    usage.record_search(
        session,
        principal=principal,
        query=q,
        hits=results.total,
        library_id=library_ids[0] if len(library_ids) == 1 else None,
    )
    return SearchOut(
        query=results.query,
        total=results.total,
        limit=limit,
        offset=offset,
        expanded=list(results.expanded),
        terms=[
            TermHitOut(
                entry_id=h.entry_id,
                subject_field=h.subject_field,
                zh=list(h.zh),
                en=list(h.en),
                definition_zh=h.definition_zh,
                definition_en=h.definition_en,
                query_term_status=h.query_term_status,
            )
            for h in results.terms
        ],
        resources=[
            ResourceHitOut(
                resource_id=h.resource_id,
                score=h.score,
                title_zh=h.title_zh,
                title_en=h.title_en,
                snippet=h.snippet,
                library_id=h.library_id,
                kind=h.kind,
                languages=list(h.languages),
                level=h.level,
                matched=list(h.matched),
            )
            for h in results.resources
        ],
    )
