"""Tag a resource with the term-base concepts it mentions (``resource_term``).

The same dictionary matcher as skill extraction (``taxonomy.extractor.Extractor``,
which finds Chinese terms without word boundaries) built over every term of the term
base: preferred terms, admitted and deprecated synonyms, abbreviations. Built once per
store and term-base state (the terms' count and highest id) and cached.
"""

from __future__ import annotations

import threading

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from talentbridge.store.library_tables import ResourceTerm, Term
from talentbridge.taxonomy.extractor import Extractor, LabelEntry

_LABEL_TYPES = {"preferred": "preferred", "admitted": "alias", "deprecated": "alias"}
_cache: dict[tuple[object, ...], Extractor] = {}
_lock = threading.Lock()


def term_extractor(session: Session) -> Extractor:
    """The matcher over the store's current term base (cached per state)."""
    count, top = session.execute(select(func.count(Term.id), func.max(Term.id))).one()
    key = (str(session.get_bind().engine.url), count, top)
    with _lock:
        found = _cache.get(key)
        if found is not None:
            return found
    entries = [
        LabelEntry(
            concept_id=concept_id,
            text=text,
            lang=lang,
            label_type="abbreviation"
            if term_type in ("abbreviation", "acronym")
            else _LABEL_TYPES.get(status, "alias"),
            kind="term",
        )
        for concept_id, text, lang, status, term_type in session.execute(
            select(Term.term_concept_id, Term.text, Term.lang, Term.status, Term.term_type)
        )
    ]
    extractor = Extractor.build(entries, version=f"termbase:{count}:{top}")
    with _lock:
        _cache.clear()  # one term base per process is the common case
        _cache[key] = extractor
    return extractor


def tag_terms(session: Session, resource_id: int, text: str, *, body_start: int = 0) -> int:
    """Replace the resource's term tags by those found in ``text``; how many concepts.

    ``first_offset`` is counted from ``body_start`` (where the resource's own text
    begins inside ``text``); a concept named only before it (title, summary) has none."""
    session.execute(delete(ResourceTerm).where(ResourceTerm.resource_id == resource_id))
    if session.scalar(select(Term.id).limit(1)) is None:
        return 0
    counts: dict[int, int] = {}
    first: dict[int, int] = {}
    for hit in term_extractor(session).extract(text).hits:
        counts[hit.concept_id] = counts.get(hit.concept_id, 0) + 1
        if hit.start >= body_start:
            offset = hit.start - body_start
            first[hit.concept_id] = min(first.get(hit.concept_id, offset), offset)
    for concept_id in sorted(counts):
        session.add(
            ResourceTerm(
                resource_id=resource_id,
                term_concept_id=concept_id,
                mentions=counts[concept_id],
                first_offset=first.get(concept_id),
            )
        )
    session.flush()
    return len(counts)


def retag_all(session: Session) -> int:
    """Re-tag every resource (after a term-base import); how many resources."""
    from talentbridge.store.library_tables import Resource

    rows = session.execute(
        select(
            Resource.id,
            Resource.title_zh,
            Resource.title_en,
            Resource.summary_zh,
            Resource.summary_en,
            Resource.text,
        )
    ).all()
    for resource_id, *parts in rows:
        body = parts[-1] or ""
        whole = "\n".join(part for part in parts if part)
        start = len(whole) - len(body) if body else len(whole) + 1
        tag_terms(session, resource_id, whole, body_start=start)
    return len(rows)
