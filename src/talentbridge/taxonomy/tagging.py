"""Tag postings with taxonomy concepts and an occupation, and keep the tags current.

Used in three places: inside each ingestion batch (``ingest_hook``), by
``talentbridge extract`` after a taxonomy change (``reextract``), and by the API for
any text. Spans are offsets into ``posting_text(title, requirements)``: the title, a
line break, then the requirements (boilerplate already split off by ingestion).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session, sessionmaker

from talentbridge.pipeline.normalize import PostingDraft
from talentbridge.store.tables import (
    Concept,
    ConceptOccupation,
    Occupation,
    Posting,
    PostingConcept,
    table_of,
)
from talentbridge.taxonomy.concepts import active_taxonomies, version_tag
from talentbridge.taxonomy.extractor import Extractor, Hit, extractor_for
from talentbridge.taxonomy.occupations_classify import OccupationClassifier, OccupationGuess

REEXTRACT_BATCH = 1000


def posting_text(title: str, requirements: str) -> str:
    return f"{title}\n{requirements}"


@dataclass
class Tagger:
    extractor: Extractor
    classifier: OccupationClassifier
    version: str

    def tag(self, title: str, text: str) -> tuple[dict[int, Hit], OccupationGuess | None]:
        hits = self.extractor.concepts(text)
        required = [c for c, hit in hits.items() if not hit.negated and hit.strength == "required"]
        return hits, self.classifier.classify(title, required)


_TAGGERS: dict[tuple[object, ...], Tagger] = {}


def tagger_for(session: Session) -> Tagger:
    """The tagger of the active taxonomies, rebuilt when they or the occupations change.

    The cache key names the store (its URL) and each active taxonomy's id and content
    hash, so one process serving several stores never mixes their concepts.
    """
    taxonomies = active_taxonomies(session)
    tag = version_tag(taxonomies)
    occupations = int(session.scalar(select(func.count()).select_from(Occupation)) or 0)
    key = (
        str(session.get_bind().engine.url),
        tuple((t.id, t.content_sha256) for t in taxonomies),
        occupations,
    )
    if key not in _TAGGERS:
        rows = session.execute(select(Occupation.id, Occupation.code, Occupation.name_zh)).all()
        links: dict[int, list[int]] = defaultdict(list)
        ids = [t.id for t in taxonomies]
        for concept_id, occupation_id in session.execute(
            select(ConceptOccupation.concept_id, ConceptOccupation.occupation_id)
            .join(Concept, Concept.id == ConceptOccupation.concept_id)
            .where(Concept.taxonomy_id.in_(ids))
        ):
            links[concept_id].append(occupation_id)
        classifier = OccupationClassifier([(r[0], r[1], r[2]) for r in rows], links)
        _TAGGERS.clear()
        # The extractor comes from the extractor module's own cache (same key parts), so
        # the API, the pages and ingestion share one build per taxonomy version.
        _TAGGERS[key] = Tagger(extractor_for(session), classifier, tag)
    return _TAGGERS[key]


def tag_postings(session: Session, items: Sequence[tuple[int, str, str]]) -> int:
    """(posting id, title, requirements) → replace their concept tags and occupation.

    Returns the number of concept tags written. Nothing happens without a taxonomy.
    """
    if not items:
        return 0
    tagger = tagger_for(session)
    if not tagger.version:
        return 0
    ids = [posting_id for posting_id, _t, _r in items]
    session.execute(delete(PostingConcept).where(PostingConcept.posting_id.in_(ids)))
    rows: list[dict[str, object]] = []
    updates: list[dict[str, object]] = []
    for posting_id, title, requirements in items:
        hits, guess = tagger.tag(title, posting_text(title, requirements))
        rows += [
            {
                "posting_id": posting_id, "concept_id": concept_id, "start": hit.start,
                "end": hit.end, "surface": hit.surface[:300], "confidence": hit.confidence,
                "strength": hit.strength, "negated": hit.negated,
                "taxonomy_version": tagger.version,
            }
            for concept_id, hit in hits.items()
        ]  # fmt: skip
        updates.append(
            {
                "pid": posting_id,
                "occupation_id": guess.occupation_id if guess else None,
                "occupation_confidence": guess.confidence if guess else None,
                "extracted_version": tagger.version,
            }
        )
    # Core statements, executed as one batch each: thousands of tags per ingest batch.
    if rows:
        session.execute(insert(table_of(PostingConcept)), rows)
    posting = table_of(Posting)
    session.execute(
        update(posting)
        .where(posting.c.id == bindparam("pid"))
        .values(
            occupation_id=bindparam("occupation_id"),
            occupation_confidence=bindparam("occupation_confidence"),
            extracted_version=bindparam("extracted_version"),
        ),
        updates,
    )
    return len(rows)


def ingest_hook(session: Session, new: Sequence[tuple[int, PostingDraft]]) -> None:
    """The ingestion batch hook: tag the batch's new postings in its transaction."""
    tag_postings(session, [(pid, d.title, d.requirements or d.description) for pid, d in new])


@dataclass
class ReextractReport:
    postings: int
    tags: int
    version: str


def reextract(
    factory: sessionmaker[Session],
    *,
    only_stale: bool = False,
    batch_size: int = REEXTRACT_BATCH,
    progress: Callable[[int, int], None] | None = None,
) -> ReextractReport:
    """Re-run extraction over stored postings (after a taxonomy change), batch by batch.

    ``only_stale`` skips postings already tagged by the current taxonomy version.
    """
    with factory() as session:
        version = tagger_for(session).version
        counting = select(func.count()).select_from(Posting)
        if only_stale:
            counting = counting.where(
                (Posting.extracted_version.is_(None)) | (Posting.extracted_version != version)
            )
        total = int(session.scalar(counting) or 0)
    done = tags = 0
    last_id = 0
    while True:
        with factory() as session:
            query = (
                select(Posting.id, Posting.title, Posting.requirements, Posting.description)
                .where(Posting.id > last_id)
                .order_by(Posting.id)
                .limit(batch_size)
            )
            if only_stale:
                query = query.where(
                    (Posting.extracted_version.is_(None)) | (Posting.extracted_version != version)
                )
            batch = session.execute(query).all()
            if not batch:
                break
            tags += tag_postings(session, [(r[0], r[1], r[2] or r[3]) for r in batch])
            session.commit()
        last_id = batch[-1][0]
        done += len(batch)
        if progress is not None:
            progress(done, total)
    return ReextractReport(done, tags, version)
