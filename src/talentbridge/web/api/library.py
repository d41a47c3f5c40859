"""The libraries in the JSON API (``/api/v1/library/…``): libraries and resources (list
with filters, detail, multipart upload, new versions, status actions, JSON-LD metadata,
the file). The term base and the search are in ``web.api.library_terms``.

The same services and rules as the pages: ``library.resources`` for changes,
``library.browse``/``term_views`` for reads, ``accounts.policy`` for access (a resource
you may not see answers 404, an action your role may not take 403). Views, downloads
and searches are recorded by ``library.usage``.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from sqlalchemy.orm import Session
from starlette.responses import FileResponse, JSONResponse, Response

from talentbridge.accounts.policy import Principal
from talentbridge.errors import Forbidden
from talentbridge.library import browse, usage
from talentbridge.library.metadata import resource_jsonld
from talentbridge.library.resources import (
    change_status,
    library_by_code,
    new_version,
    read_resource,
    submit_resource,
)
from talentbridge.store.library_tables import Resource
from talentbridge.web.api.library_schemas import (
    LibraryOut,
    ResourceDetailOut,
    ResourceMajorOut,
    ResourceOut,
    ResourceSkillOut,
    ResourcesOut,
    TermMentionOut,
    errors,
)
from talentbridge.web.deps import PrincipalDep, SessionDep, SettingsDep

router = APIRouter(prefix="/library", tags=["library"])

JSONLD = "application/ld+json"
Action = Literal["submit", "publish", "return", "withdraw"]


def _detail(
    request: Request, session: Session, principal: Principal, resource: Resource
) -> ResourceDetailOut:
    links = browse.resource_links(session, resource)
    base = str(request.base_url).rstrip("/")
    return ResourceDetailOut(
        **ResourceOut.model_validate(resource).model_dump(),
        library_code=links.library.code,
        majors=[ResourceMajorOut.model_validate(m) for m in links.majors],
        skills=[ResourceSkillOut.model_validate(s) for s in links.skills],
        terms=[TermMentionOut.model_validate(t) for t in links.terms],
        actions=browse.allowed_actions(principal, resource),
        download_url=f"{base}/api/v1/library/resources/{resource.id}/file"
        if resource.file_sha256
        else None,
        metadata_url=f"{base}/api/v1/library/resources/{resource.id}/metadata",
    )


# --- libraries and resources ------------------------------------------------------------------


@router.get("/libraries", response_model=list[LibraryOut], responses=errors(403))
def libraries(session: SessionDep, principal: PrincipalDep) -> list[LibraryOut]:
    """Every library with its count of published resources."""
    return [
        LibraryOut.model_validate(row.library).model_copy(update={"resources": row.resources})
        for row in browse.libraries_with_counts(session, principal=principal)
    ]


@router.get("/resources", response_model=ResourcesOut, responses=errors(400, 404))
def resources(
    session: SessionDep,
    principal: PrincipalDep,
    library: Annotated[str | None, Query(max_length=40, description="library code")] = None,
    kind: Annotated[str | None, Query(max_length=20)] = None,
    level: Annotated[str | None, Query(max_length=20)] = None,
    language: Annotated[Literal["zh", "en"] | None, Query()] = None,
    major: Annotated[int | None, Query(description="major id")] = None,
    status: Annotated[Literal["draft", "review", "published", "withdrawn"] | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=browse.MAX_PAGE)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> ResourcesOut:
    """Resources you may see (students and enterprise users: published ones), newest first."""
    library_id = library_by_code(session, library).id if library else None
    filters = browse.ResourceFilters(
        library_id=library_id, kind=kind, level=level, language=language, major_id=major,
        status=status,
    )  # fmt: skip
    page = browse.find_resources(
        session, principal=principal, filters=filters, limit=limit, offset=offset
    )
    return ResourcesOut(
        total=page.total,
        limit=page.limit,
        offset=page.offset,
        resources=[ResourceOut.model_validate(r) for r in page.resources],
    )


@router.get("/resources/{resource_id}", response_model=ResourceDetailOut, responses=errors(404))
def resource(
    request: Request, resource_id: int, session: SessionDep, principal: PrincipalDep
) -> ResourceDetailOut:
    found = read_resource(session, principal=principal, resource_id=resource_id)
    usage.record_view(session, principal=principal, resource=found)
    return _detail(request, session, principal, found)


@router.post(
    "/resources",
    response_model=ResourceDetailOut,
    status_code=201,
    responses=errors(400, 403, 404),
    summary="Upload a resource (multipart: a file or a link)",
)
def create_resource(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    principal: PrincipalDep,
    library: Annotated[str, Form(max_length=40, description="library code")],
    title_zh: Annotated[str, Form(max_length=300)] = "",
    title_en: Annotated[str, Form(max_length=300)] = "",
    summary_zh: Annotated[str, Form(max_length=4000)] = "",
    summary_en: Annotated[str, Form(max_length=4000)] = "",
    kind: Annotated[str, Form(max_length=20)] = "courseware",
    level: Annotated[str | None, Form(max_length=20)] = None,
    languages: Annotated[list[str] | None, Form()] = None,
    author: Annotated[str | None, Form(max_length=200)] = None,
    license: Annotated[str | None, Form(max_length=100)] = None,
    url: Annotated[str | None, Form(max_length=1000)] = None,
    majors: Annotated[list[str] | None, Form(description="major codes")] = None,
    skills: Annotated[list[str] | None, Form(description="skill keys or labels")] = None,
    for_review: Annotated[bool, Form()] = True,
    file: Annotated[UploadFile | None, File(description="PDF, DOCX, PPTX, XLSX, MD, TXT")] = None,
) -> ResourceDetailOut:
    """Teachers and library editors upload; the resource waits for review (or stays a
    draft with ``for_review=false``). A refused file answers 400 with the reason and
    nothing is stored."""
    if not browse.may_upload(principal):
        raise Forbidden("only teachers and library editors upload resources")
    data = file.file.read(settings.max_upload_bytes + 1) if file is not None else None
    created = submit_resource(
        session,
        principal=principal,
        library_id=library_by_code(session, library).id,
        title_zh=title_zh,
        title_en=title_en,
        summary_zh=summary_zh,
        summary_en=summary_en,
        kind=kind,
        level=level or None,
        languages=languages or None,
        author=author,
        license=license,
        url=url or None,
        data=data,
        file_name=file.filename if file is not None else None,
        major_ids=browse.major_ids_for(session, majors or []),
        skill_concept_ids=browse.skill_ids_for(session, skills or []),
        for_review=for_review,
        data_dir=settings.data_dir,
        max_bytes=settings.max_upload_bytes,
    )
    return _detail(request, session, principal, created)


@router.post(
    "/resources/{resource_id}/version",
    response_model=ResourceDetailOut,
    responses=errors(400, 403, 404, 409),
    summary="Upload a new version of a resource's file (multipart)",
)
def resource_version(
    request: Request,
    resource_id: int,
    session: SessionDep,
    settings: SettingsDep,
    principal: PrincipalDep,
    file: Annotated[UploadFile, File(description="PDF, DOCX, PPTX, XLSX, MD, TXT")],
) -> ResourceDetailOut:
    """The submitter or a reviewing editor; the version goes up and the resource is tagged
    again; a published resource updated by its teacher goes back to review. 409 when the
    file is the current version already."""
    read_resource(session, principal=principal, resource_id=resource_id)
    changed = new_version(
        session,
        principal=principal,
        resource_id=resource_id,
        data=file.file.read(settings.max_upload_bytes + 1),
        file_name=file.filename,
        data_dir=settings.data_dir,
        max_bytes=settings.max_upload_bytes,
    )
    return _detail(request, session, principal, changed)


@router.post(
    "/resources/{resource_id}/{action}",
    response_model=ResourceDetailOut,
    responses=errors(403, 404, 409),
    summary="Change a resource's status: submit, publish, return or withdraw",
)
def resource_action(
    request: Request,
    resource_id: int,
    action: Action,
    session: SessionDep,
    principal: PrincipalDep,
) -> ResourceDetailOut:
    """``publish``, ``return`` and ``withdraw`` are for the editors who may review it
    (403 otherwise); ``submit`` for the submitter. 409 when the status does not allow it."""
    read_resource(session, principal=principal, resource_id=resource_id)
    changed = change_status(session, principal=principal, resource_id=resource_id, action=action)
    return _detail(request, session, principal, changed)


@router.get(
    "/resources/{resource_id}/metadata",
    responses={200: {"content": {JSONLD: {}}}, **errors(404)},
    summary="Dublin Core / LRMI metadata as JSON-LD",
)
def resource_metadata(
    request: Request, resource_id: int, session: SessionDep, principal: PrincipalDep
) -> Response:
    found = read_resource(session, principal=principal, resource_id=resource_id)
    base = str(request.base_url).rstrip("/")
    data = resource_jsonld(
        session,
        found,
        base_url=base,
        file_url=f"{base}/library/resources/{found.id}/download" if found.file_sha256 else None,
    )
    return JSONResponse(data, media_type=JSONLD)


@router.get(
    "/resources/{resource_id}/file",
    responses={200: {"content": {"application/octet-stream": {}}}, **errors(404)},
    summary="The resource's file, with its media type",
)
def resource_file(
    resource_id: int, session: SessionDep, settings: SettingsDep, principal: PrincipalDep
) -> Response:
    found, path = usage.download(
        session, principal=principal, resource_id=resource_id, data_dir=settings.data_dir
    )
    return FileResponse(path, media_type=found.media_type, filename=found.file_name or path.name)
