"""Stored candidate phrases: discover them over the postings, accept or dismiss them.

Accepting a candidate writes a new version of the taxonomy (the old version stays, so
earlier extractions keep naming the version that produced them); ``talentbridge
extract --stale`` then re-tags the postings with it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from talentbridge.errors import Conflict, NotFound
from talentbridge.store.tables import (
    CandidatePhrase,
    Concept,
    ConceptLabel,
    Posting,
    PostingConcept,
    Taxonomy,
)
from talentbridge.taxonomy.concepts import (
    ConceptSpec,
    InstallReport,
    active_taxonomies,
    install_taxonomy,
    next_version,
    specs_of,
)
from talentbridge.taxonomy.discovery import Candidate, PostingText, group_spans, rank_candidates
from talentbridge.taxonomy.semantic import suggested_concepts
from talentbridge.taxonomy.tagging import posting_text

SCAN_BATCH = 2000


def _month_minus(month: str, months: int) -> str:
    year, mon = int(month[:4]), int(month[5:7])
    index = year * 12 + mon - 1 - months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _posting_texts(factory: sessionmaker[Session]) -> Iterator[PostingText]:
    last_id = 0
    while True:
        with factory() as session:
            rows = session.execute(
                select(Posting.id, Posting.title, Posting.requirements, Posting.posted_month)
                .where(Posting.id > last_id)
                .order_by(Posting.id)
                .limit(SCAN_BATCH)
            ).all()
            if not rows:
                return
            spans = group_spans(
                session.execute(
                    select(
                        PostingConcept.posting_id, PostingConcept.start, PostingConcept.end
                    ).where(PostingConcept.posting_id.in_([r[0] for r in rows]))
                ).all()
            )
        for posting_id, title, requirements, month in rows:
            yield PostingText(posting_text(title, requirements), month, spans.get(posting_id, ()))
        last_id = rows[-1][0]


def discover(
    factory: sessionmaker[Session], *, recent_months: int = 6, min_postings: int = 3
) -> list[Candidate]:
    """Scan every posting, rank candidate phrases and store them (keeping decisions)."""
    with factory() as session:
        latest = session.scalar(select(func.max(Posting.posted_month)))
    if latest is None:
        return []
    with factory() as session:
        active = [t.id for t in active_taxonomies(session)]
        known = frozenset(
            text.lower()
            for text in session.scalars(
                select(ConceptLabel.text)
                .join(Concept, Concept.id == ConceptLabel.concept_id)
                .where(Concept.taxonomy_id.in_(active))
            )
        )
    ranked = rank_candidates(
        _posting_texts(factory),
        known_labels=known,
        recent_from=_month_minus(latest, recent_months - 1),
        min_postings=min_postings,
    )
    with factory() as session:
        existing = {(c.lang, c.phrase): c for c in session.scalars(select(CandidatePhrase))}
        # Optional semantic layer: None (suggestions left as they were) without the encoder.
        suggested = suggested_concepts(session, [c.phrase for c in ranked])
        for i, cand in enumerate(ranked):
            row = existing.get((cand.lang, cand.phrase))
            if row is None:
                row = CandidatePhrase(lang=cand.lang, phrase=cand.phrase)
                session.add(row)
            row.postings, row.recent_postings = cand.postings, cand.recent_postings
            row.first_month, row.last_month = cand.first_month, cand.last_month
            row.example = cand.example[:500]
            if suggested is not None:
                row.suggested_concept_id = suggested[i]
        session.commit()
    return ranked


def list_candidates(
    session: Session, *, status: str = "new", limit: int = 100
) -> list[CandidatePhrase]:
    return list(
        session.scalars(
            select(CandidatePhrase)
            .where(CandidatePhrase.status == status)
            .order_by(CandidatePhrase.recent_postings.desc(), CandidatePhrase.postings.desc())
            .limit(limit)
        )
    )


def dismiss_candidate(session: Session, candidate_id: int) -> None:
    row = session.get(CandidatePhrase, candidate_id)
    if row is None:
        raise NotFound(f"candidate phrase {candidate_id} does not exist")
    row.status = "dismissed"


def _with_alias(spec: ConceptSpec, lang: str, phrase: str) -> ConceptSpec:
    if lang == "zh":
        return dataclasses.replace(spec, aliases_zh=(*spec.aliases_zh, phrase))
    return dataclasses.replace(spec, aliases_en=(*spec.aliases_en, phrase))


def accept_candidate(
    factory: sessionmaker[Session],
    candidate_id: int,
    *,
    alias_of: str | None = None,
    new_concept: ConceptSpec | None = None,
) -> InstallReport:
    """Accept a candidate as an alias of the concept ``alias_of`` (its key) or as
    ``new_concept``, writing a new version of that concept's taxonomy."""
    if (alias_of is None) == (new_concept is None):
        raise Conflict("accept a candidate either as an alias or as a new concept")
    with factory() as session:
        row = session.get(CandidatePhrase, candidate_id)
        if row is None:
            raise NotFound(f"candidate phrase {candidate_id} does not exist")
        key = alias_of or (new_concept.parent if new_concept else "")
        concept = session.scalar(
            select(Concept).join(Taxonomy).where(Concept.key == key, Taxonomy.is_active)
        )
        if concept is None:
            raise NotFound(f"no concept {key!r} in an active taxonomy")
        taxonomy = session.get(Taxonomy, concept.taxonomy_id)
        assert taxonomy is not None
        specs = specs_of(session, taxonomy.id)
        phrase, lang = row.phrase, row.lang
        code, version, name = taxonomy.code, taxonomy.version, taxonomy.name
    if alias_of is not None:
        specs = [_with_alias(s, lang, phrase) if s.key == alias_of else s for s in specs]
    elif new_concept is not None:
        specs = [*specs, new_concept]
    report = install_taxonomy(
        factory, specs, code=code, version=next_version(version), name=name,
        source=f"accepted candidate {phrase!r}",
    )  # fmt: skip
    with factory() as session:
        row2 = session.get(CandidatePhrase, candidate_id)
        if row2 is not None:
            row2.status = "accepted"
            row2.concept_id = session.scalar(
                select(Concept.id).where(
                    Concept.taxonomy_id == report.taxonomy_id,
                    Concept.key == (alias_of or (new_concept.key if new_concept else "")),
                )
            )
            session.commit()
    return report
