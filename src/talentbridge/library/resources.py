"""Library and resource services: create, submit, review, publish, withdraw, version, read.

Keyword-only functions over a session; the caller commits. Who may do what is decided
by ``accounts.policy`` (editors are college and platform admins; teachers submit;
students read published resources only). A file upload is checked and read completely
(``library.files``) before anything is stored, so a refused file leaves no row and no
file. On create and on a new version the resource's ``text`` and segmented
``search_text`` are computed and it is tagged with the skill concepts it mentions; the
search index row follows every change (``library.search.index_resource``).

Status flow: draft → review (submit) → published (publish) → withdrawn (withdraw);
an editor may send a resource under review back to draft; a new file from a teacher
sends a published resource back to review.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from sqlalchemy import delete, or_, select, true
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from talentbridge.accounts.policy import (
    Principal,
    can_review_resource,
    can_submit_resource,
    can_update_resource,
    can_view_resource,
    is_library_editor,
)
from talentbridge.accounts.roles import Role
from talentbridge.errors import Conflict, Forbidden, NotFound, TalentBridgeError
from talentbridge.library.files import read_resource_file, store_resource_file
from talentbridge.library.search import index_resource
from talentbridge.library.segment import segment_text
from talentbridge.library.term_tagging import tag_terms
from talentbridge.store.library_tables import Library, Resource, ResourceConcept, ResourceMajor
from talentbridge.store.tables import utcnow
from talentbridge.taxonomy.extractor import extractor_for

KINDS = ("courseware", "document", "video", "exercise", "case", "standard")
LEVELS = ("secondary", "associate", "bachelor", "any")
STATUSES = ("draft", "review", "published", "withdrawn")


class ResourceError(TalentBridgeError):
    """A resource request is invalid; the message says why."""


# --- libraries -----------------------------------------------------------------------------


def create_library(
    session: Session,
    *,
    principal: Principal,
    code: str,
    name_zh: str,
    name_en: str,
    description_zh: str = "",
    description_en: str = "",
    organization_id: int | None = None,
    is_sample: bool = False,
) -> Library:
    if not is_library_editor(principal):
        raise Forbidden("only library editors create libraries")
    code = code.strip()
    if not code or not name_zh.strip() or not name_en.strip():
        raise ResourceError("a library needs a code and names in Chinese and English")
    if session.scalar(select(Library.id).where(Library.code == code)) is not None:
        raise Conflict(f"a library with code {code} exists")
    library = Library(
        code=code,
        name_zh=name_zh.strip(),
        name_en=name_en.strip(),
        description_zh=description_zh,
        description_en=description_en,
        organization_id=organization_id,
        is_sample=is_sample,
    )
    session.add(library)
    session.flush()
    return library


def list_libraries(session: Session) -> list[Library]:
    return list(session.scalars(select(Library).order_by(Library.code)))


def library_by_code(session: Session, code: str) -> Library:
    library = session.scalar(select(Library).where(Library.code == code))
    if library is None:
        raise NotFound(f"no library {code}")
    return library


# --- text and tagging ------------------------------------------------------------------------


def _index(session: Session, resource: Resource, file_text: str | None) -> None:
    """Set ``text`` and ``search_text`` and re-tag the resource's skill concepts."""
    if file_text is not None:
        resource.text = file_text
    whole = "\n".join(
        part
        for part in (
            resource.title_zh,
            resource.title_en,
            resource.summary_zh,
            resource.summary_en,
            resource.text,
        )
        if part
    )
    resource.search_text = segment_text(whole)
    body_start = len(whole) - len(resource.text) if resource.text else len(whole) + 1
    tag_terms(session, resource.id, whole, body_start=body_start)
    counts: dict[int, int] = {}
    for hit in extractor_for(session).extract(whole).hits:
        if not hit.negated:
            counts[hit.concept_id] = counts.get(hit.concept_id, 0) + 1
    session.execute(
        delete(ResourceConcept).where(
            ResourceConcept.resource_id == resource.id, ResourceConcept.source == "tagger"
        )
    )
    authored = set(
        session.scalars(
            select(ResourceConcept.concept_id).where(ResourceConcept.resource_id == resource.id)
        )
    )
    for concept_id in sorted(counts):
        if concept_id in authored:
            continue
        session.add(
            ResourceConcept(
                resource_id=resource.id,
                concept_id=concept_id,
                source="tagger",
                mentions=counts[concept_id],
            )
        )
    index_resource(session, resource)
    session.flush()


def _link(
    session: Session, resource: Resource, major_ids: Iterable[int], concept_ids: Iterable[int]
) -> None:
    for major_id in sorted(set(major_ids)):
        session.add(ResourceMajor(resource_id=resource.id, major_id=major_id))
    for concept_id in sorted(set(concept_ids)):
        session.add(
            ResourceConcept(resource_id=resource.id, concept_id=concept_id, source="author")
        )
    session.flush()


# --- submit and versions -------------------------------------------------------------------


def submit_resource(
    session: Session,
    *,
    principal: Principal,
    library_id: int,
    title_zh: str,
    title_en: str,
    kind: str,
    data_dir: Path,
    max_bytes: int,
    data: bytes | None = None,
    file_name: str | None = None,
    url: str | None = None,
    summary_zh: str = "",
    summary_en: str = "",
    languages: Sequence[str] | None = None,
    level: str | None = None,
    author: str | None = None,
    license: str | None = None,
    major_ids: Iterable[int] = (),
    skill_concept_ids: Iterable[int] = (),
    for_review: bool = True,
    is_sample: bool = False,
) -> Resource:
    """Upload a resource (a file or a link). It starts as a draft and goes to review when
    ``for_review``. The file is refused (``ResourceFileError``) before anything is kept."""
    if not can_submit_resource(principal):
        raise Forbidden("only teachers and library editors upload resources")
    if session.get(Library, library_id) is None:
        raise NotFound(f"no library {library_id}")
    if kind not in KINDS:
        raise ResourceError(f"unknown resource type {kind!r}; one of {', '.join(KINDS)}")
    if level is not None and level not in LEVELS:
        raise ResourceError(f"unknown level {level!r}; one of {', '.join(LEVELS)}")
    if not (title_zh.strip() or title_en.strip()):
        raise ResourceError("a resource needs a title")
    if (data is None) == (url is None):
        raise ResourceError("a resource has either a file or a link")
    if url is not None and not url.startswith(("https://", "http://")):
        raise ResourceError("a link must start with http:// or https://")
    read = (
        read_resource_file(data, max_bytes=max_bytes, file_name=file_name)
        if data is not None
        else None
    )
    resource = Resource(
        library_id=library_id,
        title_zh=title_zh.strip(),
        title_en=title_en.strip(),
        summary_zh=summary_zh,
        summary_en=summary_en,
        kind=kind,
        languages=list(languages) if languages else ([read.language] if read else []),
        level=level,
        author=author,
        organization_id=principal.organization_id,
        license=license,
        version=1,
        status="review" if for_review else "draft",
        url=url,
        file_name=file_name if read else None,
        media_type=read.media_type if read else None,
        file_sha256=read.sha256 if read else None,
        file_size=read.size if read else None,
        submitted_by=principal.user_id,
        is_sample=is_sample,
    )
    session.add(resource)
    session.flush()
    _link(session, resource, major_ids, skill_concept_ids)
    _index(session, resource, read.text if read else "")
    if read is not None and data is not None:
        store_resource_file(data_dir, data, read)
    return resource


def new_version(
    session: Session,
    *,
    principal: Principal,
    resource_id: int,
    data: bytes,
    file_name: str | None,
    data_dir: Path,
    max_bytes: int,
) -> Resource:
    """Replace a resource's file: the version goes up, text and tags are recomputed.
    A new file from anyone but a reviewing editor sends a published resource to review."""
    resource = _get(session, resource_id)
    if not can_update_resource(
        principal, submitted_by=resource.submitted_by, resource_org_id=resource.organization_id
    ):
        raise Forbidden("only the submitter or a library editor uploads a new version")
    read = read_resource_file(data, max_bytes=max_bytes, file_name=file_name)
    if read.sha256 == resource.file_sha256:
        raise Conflict("this file is the current version already")
    resource.version += 1
    resource.url = None
    resource.file_name = file_name
    resource.media_type = read.media_type
    resource.file_sha256 = read.sha256
    resource.file_size = read.size
    resource.updated_at = utcnow()
    if resource.status == "published" and not can_review_resource(
        principal, resource.organization_id
    ):
        resource.status = "review"
        resource.published_at = None
    _index(session, resource, read.text)
    store_resource_file(data_dir, data, read)
    return resource


# --- review ----------------------------------------------------------------------------------

_MOVES = {
    "submit": ({"draft"}, "review"),
    "publish": ({"draft", "review", "withdrawn"}, "published"),
    "return": ({"review"}, "draft"),
    "withdraw": ({"published", "review"}, "withdrawn"),
}


def change_status(
    session: Session, *, principal: Principal, resource_id: int, action: str
) -> Resource:
    """``submit`` (the submitter), ``publish``, ``return`` or ``withdraw`` (editors)."""
    if action not in _MOVES:
        raise ResourceError(f"unknown action {action!r}")
    resource = _get(session, resource_id)
    allowed, target = _MOVES[action]
    if action == "submit":
        ok = resource.submitted_by == principal.user_id or can_review_resource(
            principal, resource.organization_id
        )
    else:
        ok = can_review_resource(principal, resource.organization_id)
    if not ok:
        raise Forbidden(f"you may not {action} this resource")
    if resource.status not in allowed:
        raise Conflict(f"a resource in status {resource.status} cannot be {action}ed")
    resource.status = target
    resource.updated_at = utcnow()
    if target == "published":
        resource.published_at = utcnow()
        resource.reviewed_by = principal.user_id
    elif action == "return":
        resource.reviewed_by = principal.user_id
    index_resource(session, resource)
    session.flush()
    return resource


def publish_resource(session: Session, *, principal: Principal, resource_id: int) -> Resource:
    return change_status(session, principal=principal, resource_id=resource_id, action="publish")


def withdraw_resource(session: Session, *, principal: Principal, resource_id: int) -> Resource:
    return change_status(session, principal=principal, resource_id=resource_id, action="withdraw")


# --- reading ---------------------------------------------------------------------------------


def _get(session: Session, resource_id: int) -> Resource:
    resource = session.get(Resource, resource_id)
    if resource is None:
        raise NotFound(f"no resource {resource_id}")
    return resource


def read_resource(session: Session, *, principal: Principal, resource_id: int) -> Resource:
    """One resource the principal may see; ``NotFound`` otherwise (no existence leak)."""
    resource = session.get(Resource, resource_id)
    if resource is None or not can_view_resource(
        principal,
        status=resource.status,
        submitted_by=resource.submitted_by,
        resource_org_id=resource.organization_id,
    ):
        raise NotFound(f"no resource {resource_id}")
    return resource


def visible_condition(principal: Principal) -> ColumnElement[bool]:
    """SQL for ``policy.can_view_resource``: the query layer's side of the same rule."""
    conditions: list[ColumnElement[bool]] = [
        Resource.status == "published",
        Resource.submitted_by == principal.user_id,
    ]
    if principal.role is Role.PLATFORM_ADMIN:
        return true()
    if principal.role is Role.COLLEGE_ADMIN:
        conditions.append(Resource.organization_id.is_(None))
        if principal.organization_id is not None:
            conditions.append(Resource.organization_id == principal.organization_id)
    return or_(*conditions)


def list_resources(
    session: Session,
    *,
    principal: Principal,
    library_id: int | None = None,
    status: str | None = None,
    limit: int = 200,
    offset: int = 0,
) -> list[Resource]:
    query = select(Resource).where(visible_condition(principal))
    if library_id is not None:
        query = query.where(Resource.library_id == library_id)
    if status is not None:
        query = query.where(Resource.status == status)
    query = query.order_by(Resource.updated_at.desc(), Resource.id.desc())
    return list(session.scalars(query.limit(limit).offset(offset)))


def resource_file_path(data_dir: Path, resource: Resource) -> Path | None:
    """Where the resource's current file is kept, if it has one."""
    if resource.file_sha256 is None or resource.media_type is None:
        return None
    from talentbridge.library.files import stored_path

    return stored_path(data_dir, resource.file_sha256, resource.media_type)
