"""Resource pages: detail, reading view, download, the teacher's upload form, the
editors' review queue and the status actions (publish, return, withdraw, submit).

Every change goes through ``library.resources``; reads through ``library.browse`` and
``library.reading``. A refused upload shows the service's message and leaves nothing
stored (the request's transaction is rolled back before the form is shown again).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from starlette.responses import FileResponse, RedirectResponse, Response

from talentbridge.errors import Forbidden, NotFound, TalentBridgeError
from talentbridge.library import browse, usage
from talentbridge.library.reading import reading_of
from talentbridge.library.resources import (
    KINDS,
    LEVELS,
    change_status,
    library_by_code,
    list_libraries,
    new_version,
    read_resource,
    submit_resource,
)
from talentbridge.store.library_tables import Resource
from talentbridge.web.deps import SessionDep, SettingsDep
from talentbridge.web.pages.library_common import LibraryArea, nav_flags
from talentbridge.web.rendering import render

router = APIRouter()

ACTIONS = ("submit", "publish", "return", "withdraw")
FORM_FIELDS = (
    "library",
    "title_zh",
    "title_en",
    "summary_zh",
    "summary_en",
    "kind",
    "level",
    "author",
    "license",
    "url",
    "majors",
    "skills",
)


def _detail_page(
    request: Request,
    session: SessionDep,
    principal: LibraryArea,
    resource: Resource,
    *,
    version_error: str | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "library/resource.html",
        status_code=status_code,
        resource=resource,
        links=browse.resource_links(session, resource),
        actions=browse.allowed_actions(principal, resource),
        may_version=browse.may_upload_version(principal, resource),
        version_error=version_error,
        done=request.query_params.get("done", ""),
    )


@router.get("/library/resources/{resource_id}", name="library_resource")
def resource_detail(
    request: Request, resource_id: int, session: SessionDep, principal: LibraryArea
) -> Response:
    resource = read_resource(session, principal=principal, resource_id=resource_id)
    usage.record_view(session, principal=principal, resource=resource)
    return _detail_page(request, session, principal, resource)


@router.post("/library/resources/{resource_id}/version", name="library_version")
def upload_version(
    request: Request,
    resource_id: int,
    session: SessionDep,
    settings: SettingsDep,
    principal: LibraryArea,
    file: Annotated[UploadFile, File()],
) -> Response:
    """A new file for a resource: the version goes up and it is tagged again; a
    published resource changed by its teacher goes back to review."""
    read_resource(session, principal=principal, resource_id=resource_id)  # 404 if unseen
    try:
        new_version(
            session,
            principal=principal,
            resource_id=resource_id,
            data=file.file.read(settings.max_upload_bytes + 1),
            file_name=file.filename,
            data_dir=settings.data_dir,
            max_bytes=settings.max_upload_bytes,
        )
    except Forbidden:
        raise
    except TalentBridgeError as exc:  # refused file, the same file again …
        session.rollback()
        resource = read_resource(session, principal=principal, resource_id=resource_id)
        return _detail_page(
            request, session, principal, resource, version_error=str(exc), status_code=400
        )
    return RedirectResponse(f"/library/resources/{resource_id}?done=version", status_code=303)


@router.get("/library/resources/{resource_id}/read", name="library_read")
def resource_read(
    request: Request, resource_id: int, session: SessionDep, principal: LibraryArea
) -> Response:
    resource = read_resource(session, principal=principal, resource_id=resource_id)
    return render(
        request,
        "library/read.html",
        resource=resource,
        library=browse.resource_links(session, resource).library,
        reading=reading_of(session, resource),
    )


@router.get("/library/resources/{resource_id}/download", name="library_download")
def resource_download(
    resource_id: int, session: SessionDep, settings: SettingsDep, principal: LibraryArea
) -> Response:
    resource, path = usage.download(
        session, principal=principal, resource_id=resource_id, data_dir=settings.data_dir
    )
    return FileResponse(
        path,
        media_type=resource.media_type,
        filename=resource.file_name or path.name,
        headers={"X-Content-Type-Options": "nosniff"},
    )


# --- upload --------------------------------------------------------------------------------


def _upload_page(
    request: Request,
    session: SessionDep,
    principal: LibraryArea,
    *,
    values: dict[str, str],
    languages: list[str],
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "library/upload.html",
        status_code=status_code,
        libraries=list_libraries(session),
        kinds=KINDS,
        levels=LEVELS,
        languages=browse.LANGUAGES,
        values=values,
        chosen_languages=languages,
        error=error,
        **nav_flags(principal),
    )


@router.get("/library/upload", name="library_upload_form")
def upload_form(request: Request, session: SessionDep, principal: LibraryArea) -> Response:
    if not browse.may_upload(principal):
        raise Forbidden("only teachers and library editors upload resources")
    values = {name: "" for name in FORM_FIELDS}
    values["library"] = request.query_params.get("library", "")
    values["kind"] = "courseware"
    return _upload_page(request, session, principal, values=values, languages=[])


@router.post("/library/upload", name="library_upload")
def upload(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    principal: LibraryArea,
    library: Annotated[str, Form(max_length=40)],
    title_zh: Annotated[str, Form(max_length=300)] = "",
    title_en: Annotated[str, Form(max_length=300)] = "",
    summary_zh: Annotated[str, Form(max_length=4000)] = "",
    summary_en: Annotated[str, Form(max_length=4000)] = "",
    kind: Annotated[str, Form(max_length=20)] = "courseware",
    level: Annotated[str, Form(max_length=20)] = "",
    author: Annotated[str, Form(max_length=200)] = "",
    license: Annotated[str, Form(max_length=100)] = "",
    url: Annotated[str, Form(max_length=1000)] = "",
    majors: Annotated[str, Form(max_length=500)] = "",
    skills: Annotated[str, Form(max_length=1000)] = "",
    languages: Annotated[list[str] | None, Form()] = None,
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    if not browse.may_upload(principal):
        raise Forbidden("only teachers and library editors upload resources")
    values = {
        "library": library, "title_zh": title_zh, "title_en": title_en,
        "summary_zh": summary_zh, "summary_en": summary_en, "kind": kind, "level": level,
        "author": author, "license": license, "url": url, "majors": majors, "skills": skills,
    }  # fmt: skip
    chosen = [lang for lang in languages or [] if lang in browse.LANGUAGES]
    data: bytes | None = None
    file_name: str | None = None
    if file is not None and file.filename:
        data = file.file.read(settings.max_upload_bytes + 1)
        file_name = file.filename
    try:
        target = library_by_code(session, library)
        resource = submit_resource(
            session,
            principal=principal,
            library_id=target.id,
            title_zh=title_zh,
            title_en=title_en,
            summary_zh=summary_zh,
            summary_en=summary_en,
            kind=kind,
            level=level or None,
            languages=chosen or None,
            author=author.strip() or None,
            license=license.strip() or None,
            data=data,
            file_name=file_name,
            url=(url.strip() or None) if data is None else None,
            major_ids=browse.major_ids_for(session, majors.replace("，", ",").split(",")),
            skill_concept_ids=browse.skill_ids_for(session, skills.replace("，", ",").split(",")),
            data_dir=settings.data_dir,
            max_bytes=settings.max_upload_bytes,
        )
    except Forbidden:
        raise
    except TalentBridgeError as exc:  # refused file, missing title, unknown skill …
        session.rollback()
        return _upload_page(
            request,
            session,
            principal,
            values=values,
            languages=chosen,
            error=str(exc),
            status_code=400,
        )
    return RedirectResponse(f"/library/resources/{resource.id}?done=uploaded", status_code=303)


# --- review ----------------------------------------------------------------------------------


@router.get("/library/review", name="library_review")
def review(request: Request, session: SessionDep, principal: LibraryArea) -> Response:
    if not browse.may_edit_termbase(principal):
        raise Forbidden("only library editors review resources")
    queue = browse.review_queue(session, principal=principal)
    return render(
        request,
        "library/review.html",
        queue=queue,
        libraries=browse.library_names(session, [r.library_id for r in queue]),
        actions={r.id: browse.allowed_actions(principal, r) for r in queue},
        **nav_flags(principal),
    )


@router.post("/library/resources/{resource_id}/status", name="library_status")
def status(
    resource_id: int,
    session: SessionDep,
    principal: LibraryArea,
    action: Annotated[str, Form(max_length=20)],
    back: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    if action not in ACTIONS:
        raise NotFound(f"no action {action}")
    read_resource(session, principal=principal, resource_id=resource_id)  # 404 if unseen
    change_status(session, principal=principal, resource_id=resource_id, action=action)
    target = (
        "/library/review" if back == "review" else f"/library/resources/{resource_id}?done={action}"
    )
    return RedirectResponse(target, status_code=303)
