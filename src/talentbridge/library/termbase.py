"""The term base in the store: import (TBX), export (TBX), lookups and expansion.

Entries are upserted by their TBX entry id: an entry that equals what is stored counts
as unchanged and writes nothing, so importing the same file twice changes nothing.
Definitions in zh and en go to their columns; definitions in other languages and every
unmodelled data category go to ``extra`` (``{"level": "concept"|"lang:<code>", "xml":
...}`` on the concept, a list of ``{"xml": ...}`` on a term) and come back on export.

Language sections are stored without their order in the file; an entry read back from
the store lists its languages canonically (zh, en, then the rest alphabetically), see
:func:`canonical`.

:func:`expand` is the cross-lingual lookup the search uses: a query that is a term
(after :func:`normalize`) leads to its concepts, and from them to every preferred and
admitted term in every language, the user's own term weighted highest.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session, sessionmaker

from talentbridge.errors import InputFileError
from talentbridge.library.tbx import LangSection, TermEntry, TermItem, parse_tbx, write_tbx
from talentbridge.pipeline.runs import ImportRecorder, ImportReport
from talentbridge.store.library_tables import Term, TermConcept
from talentbridge.store.tables import Concept, ConceptLabel, Taxonomy, table_of, utcnow

BUNDLED_TBX = Path(__file__).parent / "data" / "termbase.tbx"  # written by us (TBX v3)
MODELLED_DEFINITIONS = ("zh", "en")
_SPACES = re.compile(r"\s+")
_DEFINITION_PREFIX = '<descrip type="definition">'

# Weights of expansion terms: the user's own term, then preferred, then admitted.
WEIGHT_QUERY = 1.0
WEIGHT_PREFERRED = 0.8
WEIGHT_ADMITTED = 0.6


def normalize(text: str) -> str:
    """The lookup form of a term: NFKC (full-width to half-width), lower case, one space."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip().lower()


_LANG_ORDER = {"zh": 0, "en": 1}


def _lang_key(lang: str) -> tuple[int, str]:
    return (_LANG_ORDER.get(lang.split("-")[0].lower(), 2), lang)


def canonical(entry: TermEntry) -> TermEntry:
    """The entry as the store gives it back: languages in canonical order, duplicates of a
    term text within one language dropped (the first kept)."""
    langs: list[LangSection] = []
    present = {s.lang for s in entry.langs}
    missing = [LangSection(lang=lang) for lang in entry.definitions if lang not in present]
    for section in sorted([*entry.langs, *missing], key=lambda s: _lang_key(s.lang)):
        seen: set[str] = set()
        terms = []
        for item in section.terms:
            if item.text not in seen:
                seen.add(item.text)
                terms.append(item)
        langs.append(LangSection(lang=section.lang, terms=terms, extra=list(section.extra)))
    definitions = dict(sorted(entry.definitions.items(), key=lambda kv: _lang_key(kv[0])))
    return TermEntry(
        entry_id=entry.entry_id,
        subject_field=entry.subject_field,
        definitions=definitions,
        note=entry.note,
        langs=langs,
        extra=list(entry.extra),
    )


# --- entry <-> rows -----------------------------------------------------------------------


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _concept_extra(entry: TermEntry) -> list[dict[str, str]] | None:
    extra = [{"level": "concept", "xml": x} for x in entry.extra]
    for section in entry.langs:
        extra.extend({"level": f"lang:{section.lang}", "xml": x} for x in section.extra)
    for lang, definition in entry.definitions.items():
        if lang not in MODELLED_DEFINITIONS:
            xml = f"{_DEFINITION_PREFIX}{_escape(definition)}</descrip>"
            extra.append({"level": f"lang:{lang}", "xml": xml})
    return extra or None


def _term_rows(entry: TermEntry, concept_id: int) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for section in canonical(entry).langs:
        for position, item in enumerate(section.terms):
            rows.append(
                {
                    "term_concept_id": concept_id,
                    "lang": section.lang,
                    "text": item.text,
                    "normalized": normalize(item.text),
                    "status": item.status,
                    "term_type": item.term_type,
                    "part_of_speech": item.part_of_speech,
                    "context": item.context,
                    "source": item.source,
                    "position": position,
                    "extra": [{"xml": x} for x in item.extra] or None,
                }
            )
    return rows


def entry_of(concept: TermConcept, terms: Sequence[Term]) -> TermEntry:
    """Rebuild the TBX entry of a stored concept (its terms in any order)."""
    entry = TermEntry(
        entry_id=concept.entry_id, subject_field=concept.subject_field, note=concept.note
    )
    sections: dict[str, LangSection] = {}
    if concept.definition_zh is not None:
        entry.definitions["zh"] = concept.definition_zh
    if concept.definition_en is not None:
        entry.definitions["en"] = concept.definition_en
    for item in concept.extra or []:
        level, xml = item["level"], item["xml"]
        if level == "concept":
            entry.extra.append(xml)
            continue
        lang = level.removeprefix("lang:")
        section = sections.setdefault(lang, LangSection(lang=lang))
        if xml.startswith(_DEFINITION_PREFIX) and xml.count("<") == 2:
            entry.definitions[lang] = _unescape(xml[len(_DEFINITION_PREFIX) : -len("</descrip>")])
        else:
            section.extra.append(xml)
    for term in sorted(terms, key=lambda t: (t.lang, t.position)):
        section = sections.setdefault(term.lang, LangSection(lang=term.lang))
        section.terms.append(
            TermItem(
                text=term.text,
                status=term.status,
                term_type=term.term_type,
                part_of_speech=term.part_of_speech,
                context=term.context,
                source=term.source,
                extra=[x["xml"] for x in term.extra or []],
            )
        )
    entry.langs = list(sections.values())
    return canonical(entry)


# --- storing --------------------------------------------------------------------------------


@dataclass
class StoreCounts:
    stored: int = 0
    unchanged: int = 0
    concept_ids: list[int] = field(default_factory=list)
    unchanged_ids: set[str] = field(default_factory=set)  # entry ids not rewritten


def store_entries(
    session: Session, entries: Iterable[TermEntry], *, source: str | None = None
) -> StoreCounts:
    """Upsert entries by entry id (not committed); unchanged entries are not written."""
    entries = list(entries)
    counts = StoreCounts()
    existing: dict[str, TermConcept] = {}
    ids = [e.entry_id for e in entries]
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        query = select(TermConcept).where(TermConcept.entry_id.in_(chunk))
        for found in session.scalars(query):
            existing[found.entry_id] = found
    # Stored terms only serve the comparison: Core rows (attribute access like the ORM
    # objects) cost a fraction of building tens of thousands of ORM instances.
    terms_by_concept: dict[int, list[Term]] = {}
    concept_ids = [c.id for c in existing.values()]
    term_table = table_of(Term)
    for start in range(0, len(concept_ids), 500):
        chunk_ids = concept_ids[start : start + 500]
        rows = session.execute(
            select(term_table).where(term_table.c.term_concept_id.in_(chunk_ids))
        )
        for row in rows:
            terms_by_concept.setdefault(row.term_concept_id, []).append(cast(Term, row))
    fresh: list[TermEntry] = []
    new_rows: list[dict[str, object]] = []
    rewritten: list[int] = []
    now = utcnow()
    for entry in entries:
        concept = existing.get(entry.entry_id)
        values: dict[str, object] = {
            "subject_field": entry.subject_field,
            "definition_zh": entry.definitions.get("zh"),
            "definition_en": entry.definitions.get("en"),
            "note": entry.note,
            "extra": _concept_extra(entry),
            "updated_at": now,
        }
        if concept is not None:
            if entry_of(concept, terms_by_concept.get(concept.id, [])) == canonical(entry):
                counts.unchanged += 1
                counts.unchanged_ids.add(entry.entry_id)
                counts.concept_ids.append(concept.id)
                continue
            for key, value in values.items():
                setattr(concept, key, value)
            if source is not None:
                concept.source = source
            rewritten.append(concept.id)
        else:
            new_rows.append({"entry_id": entry.entry_id, "source": source, **values})
        fresh.append(entry)
        counts.stored += 1
    # Core bulk statements: tens of thousands of ORM objects would dominate the time.
    for start in range(0, len(rewritten), 500):
        chunk_ids = rewritten[start : start + 500]
        session.execute(delete(Term).where(Term.term_concept_id.in_(chunk_ids)))
    session.flush()
    if new_rows:
        session.connection().execute(insert(table_of(TermConcept)), new_rows)
    id_of = {c.entry_id: c.id for c in existing.values()}
    new_ids = [str(r["entry_id"]) for r in new_rows]
    for start in range(0, len(new_ids), 500):
        chunk = new_ids[start : start + 500]
        id_query = select(TermConcept.entry_id, TermConcept.id).where(
            TermConcept.entry_id.in_(chunk)
        )
        for entry_id, concept_id in session.execute(id_query):
            id_of[entry_id] = concept_id
    term_rows: list[dict[str, object]] = []
    for entry in fresh:
        counts.concept_ids.append(id_of[entry.entry_id])
        term_rows.extend(_term_rows(entry, id_of[entry.entry_id]))
    if term_rows:
        session.connection().execute(insert(table_of(Term)), term_rows)
    return counts


def import_tbx(
    factory: sessionmaker[Session],
    path: Path,
    *,
    source: str | None = None,
    user_id: int | None = None,
    link_skills: bool = True,
) -> ImportReport:
    """Import a TBX file as an import run (kind ``termbase``). File-level errors (not
    well-formed, unknown dialect) are raised before any run exists."""
    path = Path(path)
    if not path.is_file():
        raise InputFileError(path, "file not found")
    document = parse_tbx(path.read_bytes(), path)
    recorder = ImportRecorder.start(
        factory, kind="termbase", path=path, source=source or "tbx", user_id=user_id
    )
    try:
        with factory() as session:
            for _ in document.entries:
                recorder.read()
            counts = store_entries(session, document.entries, source=source or path.name)
            recorder.stored(counts.stored)
            recorder.unchanged(counts.unchanged)
            linked = link_to_skills(session, counts.concept_ids) if link_skills else 0
            message = f"{document.dialect}; {linked} concepts linked to skills"
            report = recorder.finish(session, message=message)
            report.message = message
            return report
    except Exception as exc:
        recorder.fail(str(exc))
        raise


def import_bundled(factory: sessionmaker[Session]) -> ImportReport:
    """Import (or refresh) the bundled logistics term base; concepts' source ``bundled``."""
    return import_tbx(factory, BUNDLED_TBX, source="bundled")


def load_entries(session: Session, concept_ids: Sequence[int] | None = None) -> list[TermEntry]:
    """Stored entries in entry-id order (all, or those of ``concept_ids``)."""
    query = select(TermConcept).order_by(TermConcept.entry_id)
    if concept_ids is not None:
        query = query.where(TermConcept.id.in_(concept_ids))
    concepts = list(session.scalars(query))
    terms: dict[int, list[Term]] = {}
    term_query = select(Term)
    if concept_ids is not None:
        term_query = term_query.where(Term.term_concept_id.in_(concept_ids))
    for term in session.scalars(term_query):
        terms.setdefault(term.term_concept_id, []).append(term)
    return [entry_of(c, terms.get(c.id, [])) for c in concepts]


def export_tbx(session: Session) -> bytes:
    """The whole term base as TBX v3 TBX-Basic (DCA)."""
    return write_tbx(load_entries(session))


# --- skills -----------------------------------------------------------------------------------


def link_to_skills(session: Session, concept_ids: Sequence[int] | None = None) -> int:
    """Link term concepts without a skill link to the one active-taxonomy concept whose label
    equals one of their preferred or admitted terms (same language or ``any``).

    Ambiguous matches (several skill concepts) are left unlinked. Returns links made."""
    labels: dict[tuple[str, str], set[int]] = {}
    active = select(Concept.id).join(Taxonomy).where(Taxonomy.is_active.is_(True))
    for concept_id, lang, text in session.execute(
        select(ConceptLabel.concept_id, ConceptLabel.lang, ConceptLabel.text).where(
            ConceptLabel.concept_id.in_(active)
        )
    ):
        labels.setdefault((lang, normalize(text)), set()).add(concept_id)
    for concept_id, label_zh, label_en in session.execute(
        select(Concept.id, Concept.label_zh, Concept.label_en).where(Concept.id.in_(active))
    ):
        if label_zh:
            labels.setdefault(("zh", normalize(label_zh)), set()).add(concept_id)
        if label_en:
            labels.setdefault(("en", normalize(label_en)), set()).add(concept_id)
    if not labels:
        return 0
    query = select(TermConcept).where(TermConcept.skill_concept_id.is_(None))
    if concept_ids is not None:
        query = query.where(TermConcept.id.in_(concept_ids))
    candidates = {c.id: c for c in session.scalars(query)}
    found: dict[int, set[int]] = {}
    for term in session.scalars(
        select(Term).where(Term.term_concept_id.in_(list(candidates)), Term.status != "deprecated")
    ):
        lang = term.lang.split("-")[0]
        for key in ((lang, term.normalized), ("any", term.normalized)):
            found.setdefault(term.term_concept_id, set()).update(labels.get(key, ()))
    linked = 0
    for term_concept_id, skills in found.items():
        if len(skills) == 1:
            candidates[term_concept_id].skill_concept_id = next(iter(skills))
            linked += 1
    session.flush()
    return linked


# --- lookups ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Expansion:
    """One term a query expands to: its concept, language, status and weight."""

    term_concept_id: int
    entry_id: str
    lang: str
    text: str
    normalized: str
    status: str
    weight: float
    is_query: bool  # the user's own term


def lookup(session: Session, text: str) -> list[Term]:
    """Terms (any language, any status) whose normalized form equals ``text``'s."""
    key = normalize(text)
    if not key:
        return []
    return list(session.scalars(select(Term).where(Term.normalized == key).order_by(Term.id)))


def expand(session: Session, query: str) -> list[Expansion]:
    """Cross-lingual expansion of a whole query that is a term (exact normalized match).

    term → concepts → every preferred and admitted term of those concepts in all
    languages. The matched term itself comes first with weight 1.0 (even when it is
    deprecated: the user typed it); preferred terms weigh 0.8, admitted 0.6; deprecated
    terms other than the query are left out. Sorted by weight, then concept and
    language order. Empty when the query is not a term (the search then ranks plain
    full text)."""
    matched = lookup(session, query)
    if not matched:
        return []
    concept_ids = sorted({t.term_concept_id for t in matched})
    entry_ids = dict(
        session.execute(
            select(TermConcept.id, TermConcept.entry_id).where(TermConcept.id.in_(concept_ids))
        ).all()
    )
    matched_ids = {t.id for t in matched}
    out: list[Expansion] = []
    seen: set[tuple[str, str]] = set()
    for term in matched:
        seen.add((term.lang, term.normalized))
        out.append(_expansion(term, entry_ids, WEIGHT_QUERY, True))
    others = session.scalars(
        select(Term)
        .where(Term.term_concept_id.in_(concept_ids), Term.status.in_(("preferred", "admitted")))
        .order_by(Term.term_concept_id, Term.lang, Term.position)
    )
    for term in others:
        if term.id in matched_ids or (term.lang, term.normalized) in seen:
            continue
        seen.add((term.lang, term.normalized))
        weight = WEIGHT_PREFERRED if term.status == "preferred" else WEIGHT_ADMITTED
        out.append(_expansion(term, entry_ids, weight, False))
    out.sort(key=lambda e: (-e.weight, e.term_concept_id, _lang_key(e.lang)))
    return out


def _expansion(term: Term, entry_ids: dict[int, str], weight: float, is_query: bool) -> Expansion:
    return Expansion(
        term_concept_id=term.term_concept_id,
        entry_id=entry_ids[term.term_concept_id],
        lang=term.lang,
        text=term.text,
        normalized=term.normalized,
        status=term.status,
        weight=weight,
        is_query=is_query,
    )
