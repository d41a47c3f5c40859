"""Cross-lingual search over the resource libraries and the term base (issue 7).

One search box for resources and terms. The query is analysed by
:func:`search_query.plan_query` into weighted alternatives (the whole query, the
term-base expansions of every term found inside it in both languages, leftover tokens);
each alternative is matched by the dialect's full-text backend (SQLite FTS5 or
PostgreSQL, ``search_backend.backend_for``) with visibility and filters in SQL. Scores
are combined per resource:

    score = sum over concepts of max over that concept's alternatives of w * s
          + sum over other alternatives of w * s
          + TAG_BOOST * w_concept * (1 - 0.5 ** mentions)   (resource tagged with the concept)

where ``s = 0.5 + 0.5 * raw / best raw of that alternative`` (so scores of different
alternatives and languages are comparable) and ``w`` the expansion weight. Resources
tagged with a matched concept (``resource_term``) are found even when their text does
not segment into the term.

Hits, snippets and term cards are built in ``search_hits``. The index is kept in sync by
the resource services: :func:`index_resource` on create, new version and status change
(withdrawn resources leave the index); :func:`reindex` rebuilds it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import String, cast, exists, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from talentbridge.accounts.policy import Principal
from talentbridge.library.search_backend import IndexRow, backend_for
from talentbridge.library.search_hits import ResourceHit, TermHit, resource_hits, term_hits
from talentbridge.library.search_query import WEIGHT_WHOLE, Alternative, QueryPlan, plan_query
from talentbridge.library.segment import segment_text
from talentbridge.store.library_tables import (
    Resource,
    ResourceMajor,
    ResourceTerm,
)

__all__ = [
    "ResourceHit",
    "SearchFilters",
    "SearchResults",
    "TermHit",
    "index_resource",
    "reindex",
    "search",
]

TAG_BOOST = 0.4
CANDIDATES = 60  # ranked per group of alternatives, at least
COUNT_CAP = 300  # a total above this is reported as this (counting costs time)
_LANG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")


@dataclass(frozen=True)
class SearchFilters:
    library_ids: tuple[int, ...] = ()
    kinds: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    major_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class SearchResults:
    query: str
    terms: tuple[TermHit, ...]
    resources: tuple[ResourceHit, ...]
    total: int
    expanded: tuple[str, ...]


# --- the index ------------------------------------------------------------------------------


def _row(resource_id: int, title_zh: str, title_en: str, search_text: str) -> IndexRow:
    title = segment_text("\n".join(t for t in (title_zh, title_en) if t))
    return IndexRow(resource_id, title, search_text or "")


def index_resource(session: Session, resource: Resource) -> None:
    """Bring one resource's index row up to date (withdrawn resources have none)."""
    backend = backend_for(session)
    if resource.status == "withdrawn":
        backend.delete(session, [resource.id])
    else:
        row = _row(resource.id, resource.title_zh, resource.title_en, resource.search_text)
        backend.upsert(session, [row])


def reindex(
    session: Session, resource_ids: Sequence[int] | None = None, *, batch: int = 2000
) -> int:
    """Rebuild the index rows of these resources (all when None); how many are indexed."""
    backend = backend_for(session)
    columns = (Resource.id, Resource.title_zh, Resource.title_en, Resource.search_text)
    chunks: list[list[int] | None]
    if resource_ids is None:
        backend.clear(session)
        chunks = [None]
    else:
        ids = sorted(set(resource_ids))
        backend.delete(session, ids)
        chunks = [ids[i : i + batch] for i in range(0, len(ids), batch)]
    indexed = 0
    for chunk in chunks:
        query = select(*columns).where(Resource.status != "withdrawn").order_by(Resource.id)
        if chunk is not None:
            query = query.where(Resource.id.in_(chunk))
        rows: list[IndexRow] = []
        for resource_id, title_zh, title_en, search_text in session.execute(query):
            rows.append(_row(resource_id, title_zh, title_en, search_text))
            if len(rows) >= batch:
                backend.upsert(session, rows)
                indexed += len(rows)
                rows = []
        backend.upsert(session, rows)
        indexed += len(rows)
    if resource_ids is None:
        backend.optimize(session)
    session.flush()
    return indexed


# --- conditions -----------------------------------------------------------------------------


def conditions_for(
    principal: Principal | None, filters: SearchFilters
) -> list[ColumnElement[bool]]:
    """Visibility and filters as SQL on ``resource`` (anonymous: published only)."""
    from talentbridge.library.resources import visible_condition

    conditions: list[ColumnElement[bool]] = [Resource.status != "withdrawn"]
    if principal is None:
        conditions.append(Resource.status == "published")
    else:
        conditions.append(visible_condition(principal))
    if filters.library_ids:
        conditions.append(Resource.library_id.in_(filters.library_ids))
    if filters.kinds:
        conditions.append(Resource.kind.in_(filters.kinds))
    if filters.levels:
        conditions.append(Resource.level.in_(filters.levels))
    if filters.languages:
        text_of = cast(Resource.languages, String)
        langs = [lang for lang in filters.languages if _LANG.match(lang)]
        conditions.append(
            or_(*(text_of.like(f'%"{lang}"%') for lang in langs)) if langs else Resource.id < 0
        )
    if filters.major_ids:
        conditions.append(
            exists().where(
                ResourceMajor.resource_id == Resource.id,
                ResourceMajor.major_id.in_(filters.major_ids),
            )
        )
    return conditions


# --- search ---------------------------------------------------------------------------------


def search(
    session: Session,
    *,
    principal: Principal | None,
    query: str,
    filters: SearchFilters = SearchFilters(),
    limit: int = 20,
    offset: int = 0,
    expand: bool = True,
) -> SearchResults:
    """Resources and term-base entries for ``query`` (see the module docstring)."""
    limit = max(0, min(limit, 200))
    offset = max(0, offset)
    plan = plan_query(session, query, expand=expand)
    if not plan.alternatives:
        return SearchResults(plan.query, (), (), 0, ())
    backend = backend_for(session)
    conditions = conditions_for(principal, filters)
    depth = max(CANDIDATES, 2 * (offset + limit))
    selective = any(
        (filters.library_ids, filters.kinds, filters.levels, filters.languages, filters.major_ids)
    )
    alternatives = [
        a
        for a in plan.alternatives
        if a.weight >= WEIGHT_WHOLE or a.concept_id is not None or not backend.is_common(session, a)
    ]
    groups: dict[tuple[object, float], list[Alternative]] = {}
    for index, alternative in enumerate(alternatives):
        owner: object = alternative.concept_id
        if owner is None:
            owner = "tokens" if alternative.weight < WEIGHT_WHOLE else ("whole", index)
        groups.setdefault((owner, alternative.weight), []).append(alternative)
    slots: dict[int, dict[object, float]] = {}
    matched_groups: dict[int, list[tuple[object, float]]] = {}
    complete = True
    for key, members in groups.items():
        found = backend.match(session, members, conditions, depth, selective=selective)
        complete = complete and found.complete
        if not found.rows:
            continue
        owner, weight = key
        best = max(score for _, score in found.rows) or 1.0
        for resource_id, raw in found.rows:
            value = weight * (0.5 + 0.5 * max(raw, 0.0) / best)
            own = slots.setdefault(resource_id, {})
            own[owner] = max(own.get(owner, 0.0), value)
            matched_groups.setdefault(resource_id, []).append(key)
    scores = {rid: sum(own.values()) for rid, own in slots.items()}
    if plan.concept_weights:
        boosts, tags_complete = _tag_boosts(session, plan, list(scores), conditions, depth)
        complete = complete and tags_complete
        for resource_id, boost in boosts.items():
            scores[resource_id] = scores.get(resource_id, 0.0) + boost
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    total = len(ranked)
    if not complete:
        total = max(total, backend.count(session, plan.alternatives, conditions, COUNT_CAP))
    page = ranked[offset : offset + limit]
    labels = {
        rid: [a.label for key in matched_groups.get(rid, []) for a in groups[key]]
        for rid, _ in page
    }
    return SearchResults(
        query=plan.query,
        terms=term_hits(session, plan),
        resources=resource_hits(session, plan, page, labels),
        total=total,
        expanded=tuple(dict.fromkeys(plan.expanded)),
    )


def _tag_boosts(
    session: Session,
    plan: QueryPlan,
    candidates: list[int],
    conditions: list[ColumnElement[bool]],
    depth: int,
) -> tuple[dict[int, float], bool]:
    """Boosts of resources tagged with the matched concepts: the candidates found by full
    text, and the ``depth`` most-mentioning others the reader may see (the second part
    complete when fewer exist)."""
    concepts = list(plan.concept_weights)
    mentions: dict[tuple[int, int], int] = {}
    for start in range(0, len(candidates), 900):
        chunk = candidates[start : start + 900]
        for resource_id, concept_id, count in session.execute(
            select(
                ResourceTerm.resource_id, ResourceTerm.term_concept_id, ResourceTerm.mentions
            ).where(ResourceTerm.resource_id.in_(chunk), ResourceTerm.term_concept_id.in_(concepts))
        ):
            mentions[(resource_id, concept_id)] = count
    others = session.execute(
        select(ResourceTerm.resource_id, ResourceTerm.term_concept_id, ResourceTerm.mentions)
        .where(ResourceTerm.term_concept_id.in_(concepts))
        .order_by(ResourceTerm.mentions.desc(), ResourceTerm.resource_id)
        .limit(depth)
    ).all()
    fresh = sorted({rid for rid, _, _ in others} - set(candidates))
    allowed = (
        set(session.scalars(select(Resource.id).where(Resource.id.in_(fresh), *conditions)))
        if fresh
        else set()
    )
    for resource_id, concept_id, count in others:
        if resource_id in allowed:
            mentions[(resource_id, concept_id)] = count
    boosts: dict[int, float] = {}
    for (resource_id, concept_id), count in mentions.items():
        weight = plan.concept_weights[concept_id]
        boost = TAG_BOOST * weight * (1 - 0.5 ** max(1, count))
        boosts[resource_id] = boosts.get(resource_id, 0.0) + boost
    return boosts, len(others) < depth
