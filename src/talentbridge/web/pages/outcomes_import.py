"""Placement files for college admins: ``/outcomes/import`` uploads a college's yearly
file (CSV or XLSX, optional mapping) through ``outcomes.placement_import``; the result
page lists every rejected row with its field and reason and the rows waiting for a
person to confirm the graduate they name, with a form to confirm them
(``outcomes.placement_runs.confirm_upload``); ``/outcomes/import/runs`` lists earlier
imports. Who may: ``accounts.outcomes_policy.can_import_placements``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from sqlalchemy.orm import Session, sessionmaker
from starlette.responses import RedirectResponse, Response

from talentbridge.accounts.policy import Principal, can_import_placements
from talentbridge.accounts.roles import Role
from talentbridge.errors import Forbidden, InputFileError
from talentbridge.outcomes.placement_import import import_placements
from talentbridge.outcomes.placement_runs import confirm_upload, placement_run, placement_runs
from talentbridge.web.deps import PrincipalDep, SessionDep, SettingsDep
from talentbridge.web.pages.posting_views import (
    MAPPING_SUFFIXES,
    FormError,
    UploadRefused,
    save_upload,
)
from talentbridge.web.rendering import render

router = APIRouter()
PLACEMENT_SUFFIXES: tuple[str, ...] = (".csv", ".xlsx")


def _importer(principal: PrincipalDep) -> Principal:
    if not can_import_placements(principal):
        raise Forbidden("only a college admin or the platform admin imports placement files")
    return principal


ImporterDep = Annotated[Principal, Depends(_importer)]


def _factory(request: Request) -> sessionmaker[Session]:
    factory: sessionmaker[Session] = request.app.state.sessionmaker
    return factory


def _form(request: Request, principal: Principal, *, errors: list[FormError], status: int = 200,
          college: str = "") -> Response:  # fmt: skip
    return render(
        request,
        "outcomes/import.html",
        status_code=status,
        errors=errors,
        college=college,
        any_college=principal.role is Role.PLATFORM_ADMIN,
    )


@router.get("/outcomes/import", name="outcomes_import_form")
def import_form(request: Request, principal: ImporterDep) -> Response:
    return _form(request, principal, errors=[])


@router.post("/outcomes/import", name="outcomes_import")
def import_upload(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    principal: ImporterDep,
    file: Annotated[UploadFile, File(description="the college's placement file, CSV or XLSX")],
    college: Annotated[str, Form(max_length=64)] = "",
    mapping: Annotated[UploadFile | None, File()] = None,
) -> Response:
    folder = settings.data_dir / "uploads"
    college = college.strip()
    try:
        if not file.filename:
            raise UploadRefused("postings.import.error.no_file")
        mapping_path = (
            save_upload(mapping, folder, max_bytes=settings.max_upload_bytes,
                        suffixes=MAPPING_SUFFIXES)
            if mapping is not None and mapping.filename
            else None
        )  # fmt: skip
        path = save_upload(
            file, folder, max_bytes=settings.max_upload_bytes, suffixes=PLACEMENT_SUFFIXES
        )
    except UploadRefused as refused:
        return _form(request, principal, errors=[refused.error], status=400, college=college)
    session.commit()  # the import writes on its own connection
    try:
        report = import_placements(
            _factory(request),
            path,
            college_code=college or None,
            principal=principal,
            mapping=mapping_path,
            rejects_dir=settings.rejects_dir,
        )
    except InputFileError as exc:
        error = FormError.from_input_error(file.filename or path.name, exc.reason)
        return _form(request, principal, errors=[error], status=400, college=college)
    params = {"mapping": mapping_path.name if mapping_path else "", "college": college}
    query = urlencode({k: v for k, v in params.items() if v})
    target = f"/outcomes/import/runs/{report.run_id}" + (f"?{query}" if query else "")
    return RedirectResponse(target, status_code=303)


@router.post("/outcomes/import/confirm", name="outcomes_import_confirm")
def confirm(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    principal: ImporterDep,
    file_name: Annotated[str, Form(max_length=300)],
    rows: Annotated[list[int], Form()],
    college: Annotated[str, Form(max_length=64)] = "",
    mapping: Annotated[str, Form(max_length=300)] = "",
) -> Response:
    session.commit()
    report = confirm_upload(
        _factory(request),
        principal=principal,
        uploads_dir=settings.data_dir / "uploads",
        file_name=file_name,
        rows=rows,
        college_code=college.strip() or None,
        mapping_name=mapping or None,
        rejects_dir=settings.rejects_dir,
    )
    return RedirectResponse(f"/outcomes/import/runs/{report.run_id}", status_code=303)


@router.get("/outcomes/import/runs", name="outcomes_import_runs")
def runs(request: Request, session: SessionDep, principal: ImporterDep) -> Response:
    return render(
        request, "outcomes/import_runs.html", runs=placement_runs(session, principal=principal)
    )


@router.get("/outcomes/import/runs/{run_id}", name="outcomes_import_run")
def run_detail(
    request: Request,
    session: SessionDep,
    principal: ImporterDep,
    run_id: int,
    mapping: str = "",
    college: str = "",
) -> Response:
    view = placement_run(session, principal=principal, run_id=run_id)
    return render(
        request,
        "outcomes/import_run.html",
        view=view,
        file_name=Path(view.run.file_name).name,
        mapping=Path(mapping).name if mapping else "",
        college=college[:64],
    )
