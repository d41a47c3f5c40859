"""Browsing the term base: A–Z and by subject field, a substring search, and one
concept with its terms, linked skill and the resources that mention it.

Importing and exporting files is in ``termbase_io``; the cross-lingual search in
``search``. Resources listed on a concept are only those the principal may see.
"""

from __future__ import annotations

import string
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from talentbridge.accounts.policy import Principal
from talentbridge.errors import NotFound
from talentbridge.library.browse import MAX_PAGE, first_terms
from talentbridge.library.resources import visible_condition
from talentbridge.library.termbase import normalize
from talentbridge.store.library_tables import Resource, ResourceTerm, Term, TermConcept
from talentbridge.store.tables import Concept

LETTERS = tuple(string.ascii_uppercase)


@dataclass(frozen=True)
class ConceptRow:
    term_concept_id: int
    entry_id: str
    subject_field: str | None
    zh: str | None
    en: str | None
    definition_zh: str | None
    definition_en: str | None


@dataclass(frozen=True)
class ConceptPage:
    rows: list[ConceptRow]
    total: int
    limit: int
    offset: int


def subject_fields(session: Session) -> list[tuple[str, int]]:
    """Subject fields with their concept counts, alphabetically."""
    rows = session.execute(
        select(TermConcept.subject_field, func.count(TermConcept.id))
        .where(TermConcept.subject_field.is_not(None))
        .group_by(TermConcept.subject_field)
        .order_by(TermConcept.subject_field)
    ).all()
    return [(str(name), int(count)) for name, count in rows]


def browse_concepts(
    session: Session,
    *,
    letter: str | None = None,
    subject: str | None = None,
    query: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> ConceptPage:
    """Concepts by the first letter of an English term, a subject field, or a substring
    of any term (either language), in entry-id order."""
    limit = max(1, min(limit, MAX_PAGE))
    offset = max(0, offset)
    stmt = select(TermConcept.id)
    if subject:
        stmt = stmt.where(TermConcept.subject_field == subject)
    if letter:
        first = letter.strip()[:1].lower()
        stmt = stmt.where(
            TermConcept.id.in_(
                select(Term.term_concept_id).where(
                    Term.lang.like("en%"), Term.normalized.like(f"{first}%")
                )
            )
        )
    if query and normalize(query):
        needle = normalize(query).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = stmt.where(
            TermConcept.id.in_(
                select(Term.term_concept_id).where(Term.normalized.like(f"%{needle}%", escape="\\"))
            )
        )
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    concepts = list(
        session.scalars(
            select(TermConcept)
            .where(TermConcept.id.in_(stmt))
            .order_by(TermConcept.entry_id)
            .limit(limit)
            .offset(offset)
        )
    )
    names = first_terms(session, [c.id for c in concepts])
    rows = [
        ConceptRow(
            term_concept_id=c.id,
            entry_id=c.entry_id,
            subject_field=c.subject_field,
            zh=names.get(c.id, {}).get("zh"),
            en=names.get(c.id, {}).get("en"),
            definition_zh=c.definition_zh,
            definition_en=c.definition_en,
        )
        for c in concepts
    ]
    return ConceptPage(rows, int(total), limit, offset)


@dataclass(frozen=True)
class ConceptDetail:
    concept: TermConcept
    terms: list[Term]  # zh first, then en, then others; by position
    skill: Concept | None
    resources: list[Resource]  # visible ones that mention it, most mentions first


def concept_detail(
    session: Session, *, principal: Principal, entry_id: str, resource_limit: int = 50
) -> ConceptDetail:
    concept = session.scalar(select(TermConcept).where(TermConcept.entry_id == entry_id))
    if concept is None:
        raise NotFound(f"no term-base concept {entry_id}")
    order = {"zh": 0, "en": 1}
    terms = sorted(
        session.scalars(select(Term).where(Term.term_concept_id == concept.id)),
        key=lambda t: (order.get(t.lang.split("-")[0], 2), t.lang, t.position),
    )
    skill = session.get(Concept, concept.skill_concept_id) if concept.skill_concept_id else None
    resources = list(
        session.scalars(
            select(Resource)
            .join(ResourceTerm, ResourceTerm.resource_id == Resource.id)
            .where(ResourceTerm.term_concept_id == concept.id, visible_condition(principal))
            .order_by(ResourceTerm.mentions.desc(), Resource.id)
            .limit(resource_limit)
        )
    )
    return ConceptDetail(concept=concept, terms=terms, skill=skill, resources=resources)


@dataclass(frozen=True)
class TermMatch:
    """A term lookup answer: the concept and the term that matched."""

    entry_id: str
    lang: str
    text: str
    status: str
    term_type: str | None
    concept: ConceptRow


def lookup_terms(session: Session, query: str, *, limit: int = 20) -> list[TermMatch]:
    """Terms equal to ``query`` (normalized) first, then terms that start with it."""
    key = normalize(query)
    if not key:
        return []
    limit = max(1, min(limit, MAX_PAGE))
    needle = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    exact = list(session.scalars(select(Term).where(Term.normalized == key).order_by(Term.id)))
    prefix = list(
        session.scalars(
            select(Term)
            .where(Term.normalized.like(f"{needle}%", escape="\\"), Term.normalized != key)
            .order_by(func.length(Term.normalized), Term.id)
            .limit(limit)
        )
    )
    found = (exact + prefix)[:limit]
    concept_ids = sorted({t.term_concept_id for t in found})
    concepts = {
        c.id: c for c in session.scalars(select(TermConcept).where(TermConcept.id.in_(concept_ids)))
    }
    names = first_terms(session, concept_ids)
    out = []
    for term in found:
        c = concepts[term.term_concept_id]
        row = ConceptRow(
            term_concept_id=c.id,
            entry_id=c.entry_id,
            subject_field=c.subject_field,
            zh=names.get(c.id, {}).get("zh"),
            en=names.get(c.id, {}).get("en"),
            definition_zh=c.definition_zh,
            definition_en=c.definition_en,
        )
        out.append(TermMatch(c.entry_id, term.lang, term.text, term.status, term.term_type, row))
    return out
