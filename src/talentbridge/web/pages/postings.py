"""Posting pages: the staff upload, import runs, the recruiter form and posting details.

Every posting goes through ``pipeline.postings`` (files through ``import_postings``,
the form through ``ingest_records``); the reads are in ``pipeline.posting_queries``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from sqlalchemy.orm import Session, sessionmaker
from starlette.responses import RedirectResponse, Response

from talentbridge.accounts.policy import (
    Principal,
    can_import_postings,
    can_submit_postings,
    can_use_posting_form,
    can_view_import_run,
    can_view_posting_flags,
    can_view_posting_provenance_files,
    posting_employer_scope,
)
from talentbridge.accounts.roles import Role
from talentbridge.errors import Forbidden, InputFileError, NotFound
from talentbridge.pipeline import posting_queries as pq
from talentbridge.pipeline.postings import import_postings, ingest_records
from talentbridge.store.tables import ImportRun
from talentbridge.web.deps import PrincipalDep, SessionDep, SettingsDep
from talentbridge.web.pages.posting_views import (
    MAPPING_SUFFIXES,
    POSTING_SUFFIXES,
    FormError,
    UploadRefused,
    flag_views,
    posting_view,
    save_upload,
)
from talentbridge.web.rendering import current_viewer, render, request_locale

router = APIRouter()

FORM_FIELDS: tuple[str, ...] = (
    "title",
    "salary",
    "location",
    "education",
    "experience",
    "openings",
    "description",
)


def _importer(principal: PrincipalDep) -> Principal:
    if not can_import_postings(principal):
        raise Forbidden("only staff may upload posting files")
    return principal


def _form_user(principal: PrincipalDep) -> Principal:
    if not can_use_posting_form(principal):
        raise Forbidden("only recruiters of an organization may use the posting form")
    return principal


def _submitter(principal: PrincipalDep) -> Principal:
    if not can_submit_postings(principal):
        raise Forbidden("your role does not send postings")
    return principal


ImporterDep = Annotated[Principal, Depends(_importer)]
FormUserDep = Annotated[Principal, Depends(_form_user)]
SubmitterDep = Annotated[Principal, Depends(_submitter)]


def _factory(request: Request) -> sessionmaker[Session]:
    factory: sessionmaker[Session] = request.app.state.sessionmaker
    return factory


def _lang(request: Request) -> str:
    return request_locale(request, current_viewer(request))


def _visible_run(session: Session, principal: Principal, run_id: int) -> ImportRun:
    """The run, or 404 alike for a run that is missing and one the viewer may not see."""
    run = pq.get_posting_run(session, run_id)
    if not can_view_import_run(principal, run_user_id=run.user_id):
        raise NotFound(f"no posting import run {run_id}")
    return run


# --- staff upload ----------------------------------------------------------------------


@router.get("/postings/import", name="postings_import_form")
def import_form(request: Request, _p: ImporterDep) -> Response:
    return render(request, "postings/import.html", errors=[], runs=[], source="")


@router.post("/postings/import", name="postings_import")
def import_upload(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    principal: ImporterDep,
    files: Annotated[list[UploadFile], File(description="CSV, XLSX or JSON Lines files")],
    source: Annotated[str, Form(max_length=100)] = "",
    mapping: Annotated[UploadFile | None, File()] = None,
) -> Response:
    uploads = [f for f in files if f.filename]
    errors: list[FormError] = []
    if not uploads:
        errors.append(FormError("postings.import.error.no_file"))
    folder = settings.data_dir / "uploads"
    saved: list[tuple[str, Path]] = []
    mapping_path: Path | None = None
    try:
        if mapping is not None and mapping.filename:
            mapping_path = save_upload(
                mapping, folder, max_bytes=settings.max_upload_bytes, suffixes=MAPPING_SUFFIXES
            )
        for upload in uploads:
            saved.append(
                (
                    upload.filename or "",
                    save_upload(
                        upload,
                        folder,
                        max_bytes=settings.max_upload_bytes,
                        suffixes=POSTING_SUFFIXES,
                    ),
                )
            )
    except UploadRefused as refused:
        errors.append(refused.error)
    if errors:
        return render(
            request, "postings/import.html", status_code=400, errors=errors, runs=[], source=source
        )
    session.commit()  # release the request's transaction: the import writes on its own
    runs: list[int] = []
    for original, path in saved:
        try:
            report = import_postings(
                _factory(request),
                path,
                source=source.strip() or Path(original).stem or None,
                mapping=mapping_path,
                user_id=principal.user_id,
                rejects_dir=settings.rejects_dir,
                rejects_beside_input=False,
                refresh_demand=True,
            )
        except InputFileError as exc:
            errors.append(FormError.from_input_error(original, exc.reason))
            continue
        runs.append(report.run_id)
    if errors:
        return render(
            request,
            "postings/import.html",
            status_code=400,
            errors=errors,
            runs=runs,
            source=source,
        )
    target = f"/postings/runs/{runs[0]}" if len(runs) == 1 else "/postings/runs"
    return RedirectResponse(target, status_code=303)


# --- import runs -----------------------------------------------------------------------


@router.get("/postings/runs", name="posting_runs")
def runs_list(request: Request, session: SessionDep, principal: SubmitterDep) -> Response:
    only = None if principal.role is Role.PLATFORM_ADMIN else principal.user_id
    runs = pq.list_posting_runs(session, user_id=only)
    return render(
        request,
        "postings/runs.html",
        runs=runs,
        balanced={r.id: pq.run_is_balanced(r) for r in runs},
        names={r.id: pq.display_file_name(r.file_name) for r in runs},
        can_import=can_import_postings(principal),
    )


@router.get("/postings/runs/{run_id}", name="posting_run")
def run_detail(
    request: Request, run_id: int, session: SessionDep, principal: PrincipalDep
) -> Response:
    run = _visible_run(session, principal, run_id)
    flagged = pq.postings_of_run(session, run.id, flagged_only=True, limit=200)
    flags = pq.flags_by_posting(session, [p.id for p in flagged])
    lang = _lang(request)
    return render(
        request,
        "postings/run.html",
        run=run,
        file_name=pq.display_file_name(run.file_name),
        balanced=pq.run_is_balanced(run),
        rejects=pq.rejected_rows(session, run.id),
        max_rejects=pq.MAX_REJECTS_SHOWN,
        flagged=[(p, flag_views(flags.get(p.id, []), lang)) for p in flagged],
    )


@router.get("/postings/runs/{run_id}/rejects.csv", name="posting_run_rejects")
def run_rejects(run_id: int, session: SessionDep, principal: PrincipalDep) -> Response:
    run = _visible_run(session, principal, run_id)
    body = "\ufeff" + pq.rejects_csv(session, run.id)  # BOM: Excel reads it as UTF-8
    return Response(
        body.encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="run-{run.id}.rejects.csv"'},
    )


# --- recruiter form ----------------------------------------------------------------------


@router.get("/postings/new", name="posting_new_form")
def new_form(request: Request, principal: FormUserDep) -> Response:
    return render(
        request,
        "postings/new.html",
        values=dict.fromkeys(FORM_FIELDS, ""),
        company="",
        ask_company=posting_employer_scope(principal) is None,
        errors=[],
    )


@router.post("/postings/new", name="posting_new")
def new_submit(
    request: Request,
    session: SessionDep,
    principal: FormUserDep,
    title: Annotated[str, Form(max_length=200)] = "",
    salary: Annotated[str, Form(max_length=100)] = "",
    location: Annotated[str, Form(max_length=200)] = "",
    education: Annotated[str, Form(max_length=50)] = "",
    experience: Annotated[str, Form(max_length=50)] = "",
    openings: Annotated[str, Form(max_length=10)] = "",
    description: Annotated[str, Form(max_length=20000)] = "",
    company: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    values = {
        "title": title.strip(),
        "salary": salary.strip(),
        "location": location.strip(),
        "education": education.strip(),
        "experience": experience.strip(),
        "openings": openings.strip(),
        "description": description.strip(),
    }
    scope = posting_employer_scope(principal)
    record: dict[str, object] = {k: v for k, v in values.items() if v}
    record["title"] = values["title"]
    if scope is not None:  # the recruiter's own organization, never another employer
        record["company"] = pq.organization_name(session, scope) or ""
    elif company.strip():
        record["company"] = company.strip()
    errors: list[FormError] = []
    if not values["title"]:
        errors.append(FormError("postings.form.error.title"))
    else:
        session.commit()  # release the request's transaction: the pipeline writes on its own
        report = ingest_records(
            _factory(request),
            [record],
            channel="form",
            source="recruiter-form",
            organization_id=scope,
            user_id=principal.user_id,
            refresh_demand=True,
        )
        posting_ids = pq.posting_ids_of_run(session, report.run_id)
        if posting_ids:
            return RedirectResponse(f"/postings/{posting_ids[0]}?submitted=1", status_code=303)
        if report.unchanged:
            errors.append(FormError("postings.form.error.unchanged"))
        errors.extend(FormError.from_row(e.field, e.reason) for e in report.errors)
    return render(
        request,
        "postings/new.html",
        status_code=400,
        values=values,
        company=company,
        ask_company=scope is None,
        errors=errors,
    )


@router.get("/postings/mine", name="postings_mine")
def mine(request: Request, session: SessionDep, principal: FormUserDep) -> Response:
    org_id = principal.organization_id
    postings = pq.list_postings(session, organization_id=org_id, limit=500) if org_id else []
    return render(request, "postings/mine.html", postings=postings)


# --- one posting -------------------------------------------------------------------------


@router.get("/postings/{posting_id}", name="posting")
def posting_detail(
    request: Request,
    posting_id: int,
    session: SessionDep,
    principal: PrincipalDep,
    submitted: int = 0,
) -> Response:
    posting = pq.get_posting(session, posting_id)
    lang = _lang(request)
    show_flags = can_view_posting_flags(principal, posting.organization_id)
    flags = flag_views(pq.posting_flags(session, posting.id), lang) if show_flags else []
    return render(
        request,
        "postings/detail.html",
        p=posting,
        view=posting_view(posting, lang),
        flags=flags,
        show_flags=show_flags,
        sources=pq.posting_sources(session, posting.id),
        show_files=can_view_posting_provenance_files(principal),
        display_file_name=pq.display_file_name,
        submitted=bool(submitted),
    )
