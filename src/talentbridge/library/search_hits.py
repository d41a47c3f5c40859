"""The result side of the library search: resource hits with snippets and the matched
terms, and term-base cards (``TermHit``) for the concepts found in the query."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from talentbridge.library.search_query import Alternative, QueryPlan
from talentbridge.store.library_tables import Resource, ResourceTerm, TermConcept

SNIPPET_SOURCE = 20_000  # characters of a resource's text looked at for its snippet
SNIPPET_BEFORE = 30
SNIPPET_AFTER = 70


@dataclass(frozen=True)
class ResourceHit:
    resource_id: int
    score: float
    title_zh: str
    title_en: str
    snippet: str
    library_id: int
    kind: str
    languages: tuple[str, ...]
    level: str | None
    matched: tuple[str, ...]  # query terms and expansions that matched


@dataclass(frozen=True)
class TermHit:
    concept_id: int
    entry_id: str
    subject_field: str | None
    zh: tuple[str, ...]
    en: tuple[str, ...]
    definition_zh: str | None
    definition_en: str | None
    query_term_status: str | None  # e.g. 'deprecated' when the user typed a deprecated term


def _present(alternative: Alternative, tokens: str) -> bool:
    """Whether a segmented text (tokens between single spaces) holds the alternative."""
    if alternative.phrase:
        return f" {' '.join(alternative.tokens)} " in tokens
    return all(f" {token} " in tokens for token in alternative.tokens)


def resource_hits(
    session: Session,
    plan: QueryPlan,
    page: list[tuple[int, float]],
    candidates: dict[int, list[str]],
) -> tuple[ResourceHit, ...]:
    if not page:
        return ()
    ids = [rid for rid, _ in page]
    rows = {
        row.id: row
        for row in session.execute(
            select(
                Resource.id,
                Resource.title_zh,
                Resource.title_en,
                Resource.summary_zh,
                Resource.summary_en,
                func.substr(Resource.text, 1, SNIPPET_SOURCE).label("text"),
                func.substr(Resource.search_text, 1, 2 * SNIPPET_SOURCE).label("tokens"),
                Resource.library_id,
                Resource.kind,
                Resource.languages,
                Resource.level,
            ).where(Resource.id.in_(ids))
        )
    }
    by_label = {a.label: a for a in plan.alternatives}
    concept_terms = _concept_labels(plan)
    tags: dict[int, list[int]] = {}
    if plan.concept_weights:
        for resource_id, concept_id in session.execute(
            select(ResourceTerm.resource_id, ResourceTerm.term_concept_id).where(
                ResourceTerm.resource_id.in_(ids),
                ResourceTerm.term_concept_id.in_(list(plan.concept_weights)),
            )
        ):
            tags.setdefault(resource_id, []).append(concept_id)
    hits = []
    for resource_id, score in page:
        row = rows[resource_id]
        tokens = f" {row.tokens or ''} "
        matched = [
            label
            for label in dict.fromkeys(candidates.get(resource_id, []))
            if _present(by_label[label], tokens)
        ]
        for concept_id in tags.get(resource_id, []):
            for label in concept_terms.get(concept_id, [])[:1]:
                if label not in matched:
                    matched.append(label)
        snippet = make_snippet([row.summary_zh, row.summary_en, row.text], [*matched, *plan.tokens])
        hits.append(
            ResourceHit(
                resource_id=resource_id,
                score=round(score, 6),
                title_zh=row.title_zh,
                title_en=row.title_en,
                snippet=snippet,
                library_id=row.library_id,
                kind=row.kind,
                languages=tuple(row.languages or ()),
                level=row.level,
                matched=tuple(matched[:8]),
            )
        )
    return tuple(hits)


def _concept_labels(plan: QueryPlan) -> dict[int, list[str]]:
    """Per matched concept, the terms typed by the user first, then the others."""
    dictionary = plan.dictionary
    out: dict[int, list[str]] = {}
    for concept_id, typed in plan.typed.items():
        names = [row.text for row in typed]
        names += [
            row.text
            for row in (dictionary.by_concept.get(concept_id, []) if dictionary else [])
            if row.status != "deprecated" and row.text not in names
        ]
        out[concept_id] = names
    return out


def make_snippet(texts: Sequence[str | None], needles: Sequence[str]) -> str:
    """A short piece of the first text that contains one of ``needles`` (case-insensitive),
    else the start of the first non-empty text."""
    needles = [n for n in dict.fromkeys(needles) if n and len(n) > 1]
    for body in texts:
        if not body:
            continue
        folded = body.lower()
        best = -1
        for needle in needles:
            at = folded.find(needle.lower())
            if at >= 0 and (best < 0 or at < best):
                best = at
        if best >= 0:
            start = max(0, best - SNIPPET_BEFORE)
            end = min(len(body), best + SNIPPET_AFTER)
            piece = " ".join(body[start:end].split())
            return ("…" if start > 0 else "") + piece + ("…" if end < len(body) else "")
    for body in texts:
        if body and body.strip():
            piece = " ".join(body[: SNIPPET_BEFORE + SNIPPET_AFTER].split())
            return piece + ("…" if len(body) > SNIPPET_BEFORE + SNIPPET_AFTER else "")
    return ""


def term_hits(session: Session, plan: QueryPlan) -> tuple[TermHit, ...]:
    dictionary = plan.dictionary
    if not plan.typed or dictionary is None:
        return ()
    concepts = {
        c.id: c
        for c in session.scalars(select(TermConcept).where(TermConcept.id.in_(list(plan.typed))))
    }
    out = []
    for concept_id, typed in plan.typed.items():
        concept = concepts.get(concept_id)
        if concept is None:
            continue
        rows = [r for r in dictionary.by_concept.get(concept_id, []) if r.status != "deprecated"]
        statuses = {r.status for r in typed}
        status = next((s for s in ("deprecated", "admitted", "preferred") if s in statuses), None)
        out.append(
            TermHit(
                concept_id=concept_id,
                entry_id=concept.entry_id,
                subject_field=concept.subject_field,
                zh=tuple(r.text for r in rows if r.lang.split("-")[0] == "zh"),
                en=tuple(r.text for r in rows if r.lang.split("-")[0] == "en"),
                definition_zh=concept.definition_zh,
                definition_en=concept.definition_en,
                query_term_status=status,
            )
        )
    return tuple(out)
