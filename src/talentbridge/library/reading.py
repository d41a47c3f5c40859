"""The reading view of a resource: its extracted text cut into plain runs and term runs.

Every mention the term-base matcher finds (the same one that tags resources,
``term_tagging.term_extractor``) becomes a :class:`TermRun` carrying the concept's
terms in both languages and its definitions, so a page can show the other-language
equivalent and the definition beside the word. Overlapping mentions keep the longest
(then the earliest). Nothing here is HTML: the page escapes every run.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from talentbridge.library.browse import first_terms
from talentbridge.library.term_tagging import term_extractor
from talentbridge.store.library_tables import Resource, TermConcept

MAX_READ_CHARS = 200_000


@dataclass(frozen=True)
class TermInfo:
    term_concept_id: int
    entry_id: str
    zh: str | None
    en: str | None
    definition_zh: str | None
    definition_en: str | None
    subject_field: str | None


@dataclass(frozen=True)
class TermRun:
    text: str
    info: TermInfo
    surface_lang: str  # the language of the words in the text: zh or en
    is_term = True

    @property
    def other(self) -> str | None:
        """The equivalent in the other language (the point of the view)."""
        return self.info.en if self.surface_lang == "zh" else self.info.zh


@dataclass(frozen=True)
class TextRun:
    text: str
    is_term = False


Run = TextRun | TermRun


@dataclass(frozen=True)
class Reading:
    runs: list[Run]
    truncated: bool
    concepts: list[TermInfo]  # every concept found, in order of first mention


def _is_chinese(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" for ch in text)


def reading_of(session: Session, resource: Resource) -> Reading:
    """The resource's text as runs (see the module docstring)."""
    text = resource.text or ""
    truncated = len(text) > MAX_READ_CHARS
    if truncated:
        text = text[:MAX_READ_CHARS]
    hits = term_extractor(session).extract(text).hits if text else []
    chosen = []
    taken_until = -1
    for hit in sorted(hits, key=lambda h: (h.start, -(h.end - h.start))):
        if hit.start < taken_until or hit.end <= hit.start:
            continue
        chosen.append(hit)
        taken_until = hit.end
    concept_ids = sorted({h.concept_id for h in chosen})
    infos: dict[int, TermInfo] = {}
    if concept_ids:
        names = first_terms(session, concept_ids)
        for concept in session.scalars(select(TermConcept).where(TermConcept.id.in_(concept_ids))):
            own = names.get(concept.id, {})
            infos[concept.id] = TermInfo(
                term_concept_id=concept.id,
                entry_id=concept.entry_id,
                zh=own.get("zh"),
                en=own.get("en"),
                definition_zh=concept.definition_zh,
                definition_en=concept.definition_en,
                subject_field=concept.subject_field,
            )
    runs: list[Run] = []
    order: list[TermInfo] = []
    position = 0
    for hit in chosen:
        info = infos.get(hit.concept_id)
        if info is None:
            continue
        if hit.start > position:
            runs.append(TextRun(text[position : hit.start]))
        surface = text[hit.start : hit.end]
        runs.append(TermRun(surface, info, "zh" if _is_chinese(surface) else "en"))
        if info not in order:
            order.append(info)
        position = hit.end
    if position < len(text):
        runs.append(TextRun(text[position:]))
    return Reading(runs=runs, truncated=truncated, concepts=order)
