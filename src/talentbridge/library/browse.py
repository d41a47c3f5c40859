"""Read queries behind the library pages, API and CLI: libraries with counts, filtered
resource lists, a resource's links (majors, skills, terms), the review queue and the
status actions a principal may take.

Visibility is always ``resources.visible_condition`` (the query side of
``policy.can_view_resource``); nothing here decides access on its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import String, cast, func, or_, select
from sqlalchemy.orm import Session

from talentbridge.accounts.policy import (
    Principal,
    can_review_resource,
    can_submit_resource,
    can_update_resource,
    is_library_editor,
)
from talentbridge.library.resources import KINDS, LEVELS, ResourceError, visible_condition
from talentbridge.store.library_tables import (
    Library,
    Resource,
    ResourceConcept,
    ResourceMajor,
    ResourceTerm,
    Term,
    TermConcept,
)
from talentbridge.store.tables import Concept, Major, Taxonomy

LANGUAGES = ("zh", "en")
MAX_PAGE = 100

# Which status moves (``resources.change_status`` actions) start from which status.
_ACTION_FROM = {
    "submit": {"draft"},
    "publish": {"draft", "review", "withdrawn"},
    "return": {"review"},
    "withdraw": {"published", "review"},
}


@dataclass(frozen=True)
class LibraryCount:
    library: Library
    resources: int  # published (what every reader sees)
    visible: int  # every resource the principal may see (drafts of their own, …)


def libraries_with_counts(session: Session, *, principal: Principal) -> list[LibraryCount]:
    """Every library in code order with its published and visible resource counts."""
    published = dict(
        session.execute(
            select(Resource.library_id, func.count(Resource.id))
            .where(Resource.status == "published")
            .group_by(Resource.library_id)
        ).all()
    )
    visible = dict(
        session.execute(
            select(Resource.library_id, func.count(Resource.id))
            .where(visible_condition(principal))
            .group_by(Resource.library_id)
        ).all()
    )
    libraries = session.scalars(select(Library).order_by(Library.code))
    return [
        LibraryCount(lib, int(published.get(lib.id, 0)), int(visible.get(lib.id, 0)))
        for lib in libraries
    ]


@dataclass(frozen=True)
class ResourceFilters:
    """Filters of a resource list; ``None`` means any."""

    library_id: int | None = None
    kind: str | None = None
    level: str | None = None
    language: str | None = None
    major_id: int | None = None
    status: str | None = None

    def check(self) -> None:
        if self.kind is not None and self.kind not in KINDS:
            raise ResourceError(f"unknown resource type {self.kind!r}; one of {', '.join(KINDS)}")
        if self.level is not None and self.level not in LEVELS:
            raise ResourceError(f"unknown level {self.level!r}; one of {', '.join(LEVELS)}")
        if self.language is not None and self.language not in LANGUAGES:
            raise ResourceError(f"unknown language {self.language!r}; zh or en")


@dataclass(frozen=True)
class ResourcePage:
    resources: list[Resource]
    total: int
    limit: int
    offset: int


def find_resources(
    session: Session,
    *,
    principal: Principal,
    filters: ResourceFilters,
    limit: int = 20,
    offset: int = 0,
) -> ResourcePage:
    """Resources the principal may see matching ``filters``, newest first, with the total."""
    filters.check()
    limit = max(1, min(limit, MAX_PAGE))
    offset = max(0, offset)
    query = select(Resource).where(visible_condition(principal))
    if filters.library_id is not None:
        query = query.where(Resource.library_id == filters.library_id)
    if filters.kind is not None:
        query = query.where(Resource.kind == filters.kind)
    if filters.level is not None:
        # "any" level resources serve every level
        query = query.where(or_(Resource.level == filters.level, Resource.level == "any"))
    if filters.language is not None:
        # languages is a JSON list: '["zh", "en"]' as text on SQLite and PostgreSQL alike
        query = query.where(cast(Resource.languages, String).like(f'%"{filters.language}"%'))
    if filters.major_id is not None:
        query = query.where(
            Resource.id.in_(
                select(ResourceMajor.resource_id).where(ResourceMajor.major_id == filters.major_id)
            )
        )
    if filters.status is not None:
        query = query.where(Resource.status == filters.status)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(
        query.order_by(Resource.updated_at.desc(), Resource.id.desc()).limit(limit).offset(offset)
    )
    return ResourcePage(list(rows), int(total), limit, offset)


def majors_with_resources(session: Session) -> list[Major]:
    """Majors that at least one resource serves (for the major filter)."""
    used = select(ResourceMajor.major_id).distinct()
    return list(session.scalars(select(Major).where(Major.id.in_(used)).order_by(Major.code)))


def library_names(session: Session, ids: Iterable[int]) -> dict[int, Library]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    return {lib.id: lib for lib in session.scalars(select(Library).where(Library.id.in_(wanted)))}


# --- one resource ------------------------------------------------------------------------


@dataclass(frozen=True)
class SkillLink:
    concept_id: int
    key: str
    label_zh: str | None
    label_en: str | None
    source: str  # author | tagger


@dataclass(frozen=True)
class TermMention:
    term_concept_id: int
    entry_id: str
    zh: str | None  # first preferred (or any) Chinese term
    en: str | None
    mentions: int


@dataclass
class ResourceLinks:
    library: Library
    majors: list[Major] = field(default_factory=list)
    skills: list[SkillLink] = field(default_factory=list)
    terms: list[TermMention] = field(default_factory=list)


def _first_terms(session: Session, concept_ids: Sequence[int]) -> dict[int, dict[str, str]]:
    """The first preferred (else admitted, else any) term per concept and language."""
    rank = {"preferred": 0, "admitted": 1}
    best: dict[int, dict[str, tuple[int, int, str]]] = {}
    for start in range(0, len(concept_ids), 500):
        chunk = list(concept_ids[start : start + 500])
        rows = session.execute(
            select(Term.term_concept_id, Term.lang, Term.text, Term.status, Term.position).where(
                Term.term_concept_id.in_(chunk)
            )
        )
        for concept_id, lang, text, status, position in rows:
            short = lang.split("-")[0]
            key = (rank.get(status, 2), position, text)
            current = best.setdefault(concept_id, {}).get(short)
            if current is None or key < current:
                best[concept_id][short] = key
    return {cid: {lang: key[2] for lang, key in langs.items()} for cid, langs in best.items()}


def first_terms(session: Session, concept_ids: Sequence[int]) -> dict[int, dict[str, str]]:
    """``{term_concept_id: {"zh": ..., "en": ...}}``: each concept's display terms."""
    return _first_terms(session, list(concept_ids))


def resource_links(session: Session, resource: Resource) -> ResourceLinks:
    """The library, majors, skills (authored first) and term-base concepts of a resource."""
    library = session.get(Library, resource.library_id)
    assert library is not None  # the foreign key holds
    majors = list(
        session.scalars(
            select(Major)
            .join(ResourceMajor, ResourceMajor.major_id == Major.id)
            .where(ResourceMajor.resource_id == resource.id)
            .order_by(Major.code)
        )
    )
    skills = [
        SkillLink(cid, key, zh, en, source)
        for cid, key, zh, en, source in session.execute(
            select(
                Concept.id, Concept.key, Concept.label_zh, Concept.label_en, ResourceConcept.source
            )
            .join(ResourceConcept, ResourceConcept.concept_id == Concept.id)
            .where(ResourceConcept.resource_id == resource.id)
            .order_by(ResourceConcept.source, Concept.label_zh)
        )
    ]
    rows = session.execute(
        select(ResourceTerm.term_concept_id, TermConcept.entry_id, ResourceTerm.mentions)
        .join(TermConcept, TermConcept.id == ResourceTerm.term_concept_id)
        .where(ResourceTerm.resource_id == resource.id)
        .order_by(ResourceTerm.mentions.desc(), TermConcept.entry_id)
    ).all()
    names = _first_terms(session, [r[0] for r in rows])
    terms = [
        TermMention(cid, entry_id, names.get(cid, {}).get("zh"), names.get(cid, {}).get("en"), n)
        for cid, entry_id, n in rows
    ]
    return ResourceLinks(library=library, majors=majors, skills=skills, terms=terms)


def allowed_actions(principal: Principal, resource: Resource) -> list[str]:
    """The status actions (``change_status``) the principal may take on the resource now."""
    actions = []
    reviewer = can_review_resource(principal, resource.organization_id)
    for action, sources in _ACTION_FROM.items():
        if resource.status not in sources:
            continue
        if action == "submit":
            if resource.submitted_by == principal.user_id or reviewer:
                actions.append(action)
        elif reviewer:
            actions.append(action)
    return actions


def may_upload_version(principal: Principal, resource: Resource) -> bool:
    return resource.file_sha256 is not None and can_update_resource(
        principal, submitted_by=resource.submitted_by, resource_org_id=resource.organization_id
    )


def may_upload(principal: Principal) -> bool:
    return can_submit_resource(principal)


def may_edit_termbase(principal: Principal) -> bool:
    return is_library_editor(principal)


def review_queue(session: Session, *, principal: Principal, limit: int = 200) -> list[Resource]:
    """Resources waiting for review (and drafts) that the principal may review, oldest first."""
    if not is_library_editor(principal):
        return []
    query = (
        select(Resource)
        .where(visible_condition(principal), Resource.status.in_(("review", "draft")))
        .order_by(Resource.status.desc(), Resource.updated_at, Resource.id)
        .limit(limit * 2)
    )
    found = [r for r in session.scalars(query) if can_review_resource(principal, r.organization_id)]
    return found[:limit]


# --- authoring helpers ----------------------------------------------------------------------


def skill_ids_for(session: Session, names: Iterable[str]) -> list[int]:
    """Active-taxonomy concept ids for skill keys or labels (zh or en, any case);
    ``ResourceError`` names the ones not found."""
    wanted = [n.strip() for n in names if n.strip()]
    if not wanted:
        return []
    active = select(Taxonomy.id).where(Taxonomy.is_active.is_(True))
    ids: list[int] = []
    missing: list[str] = []
    for name in wanted:
        low = name.lower()
        found = session.scalar(
            select(Concept.id)
            .where(
                Concept.taxonomy_id.in_(active),
                or_(
                    Concept.key == name,
                    func.lower(Concept.label_zh) == low,
                    func.lower(Concept.label_en) == low,
                ),
            )
            .order_by(Concept.id)
            .limit(1)
        )
        if found is None:
            missing.append(name)
        elif found not in ids:
            ids.append(found)
    if missing:
        raise ResourceError(f"unknown skills: {', '.join(missing)}")
    return ids


def major_ids_for(session: Session, codes: Iterable[str]) -> list[int]:
    """Major ids for catalog codes (or ids); ``ResourceError`` names unknown ones."""
    ids: list[int] = []
    missing: list[str] = []
    for code in (c.strip() for c in codes):
        if not code:
            continue
        found = session.scalar(select(Major.id).where(Major.code == code).limit(1))
        if found is None and code.isdigit() and session.get(Major, int(code)) is not None:
            found = int(code)
        if found is None:
            missing.append(code)
        elif found not in ids:
            ids.append(found)
    if missing:
        raise ResourceError(f"unknown majors: {', '.join(missing)}")
    return ids


def all_majors(session: Session, limit: int = 500) -> list[Major]:
    return list(session.scalars(select(Major).order_by(Major.code).limit(limit)))


def sample_ids(session: Session, resource_ids: Iterable[int]) -> set[int]:
    """Which of the resources are sample data (labelled 示例 / Sample wherever shown)."""
    wanted = sorted(set(resource_ids))
    if not wanted:
        return set()
    return set(
        session.scalars(
            select(Resource.id).where(Resource.id.in_(wanted), Resource.is_sample.is_(True))
        )
    )
