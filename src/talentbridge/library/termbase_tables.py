"""The term base as a table (CSV or XLSX): one row per term, with its concept's columns.

Columns: see :data:`COLUMNS`. Every row of a concept repeats the concept columns (the
first non-empty value wins on import); a concept without terms has one row with empty
``lang`` and ``term``. ``term_extra`` and ``concept_extra`` hold the unmodelled TBX data
categories as JSON (the same lists the store keeps), so TBX -> table -> TBX is lossless.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from talentbridge.errors import InputFileError
from talentbridge.library.tbx import STATUSES, TermEntry
from talentbridge.library.termbase import entry_of, normalize, store_entries
from talentbridge.pipeline.readers import SourceRow, read_table
from talentbridge.pipeline.runs import ImportRecorder, ImportReport
from talentbridge.store.library_tables import Term, TermConcept

COLUMNS = (
    "entry_id",
    "subject_field",
    "definition_zh",
    "definition_en",
    "note",
    "lang",
    "term",
    "status",
    "term_type",
    "part_of_speech",
    "context",
    "source",
    "term_extra",
    "concept_extra",
)
CONCEPT_COLUMNS = ("subject_field", "definition_zh", "definition_en", "note", "concept_extra")


def rows_of(session: Session) -> Iterator[dict[str, str]]:
    """The stored term base as table rows, concepts in entry-id order."""
    terms: dict[int, list[Term]] = {}
    for term in session.scalars(select(Term).order_by(Term.lang, Term.position)):
        terms.setdefault(term.term_concept_id, []).append(term)
    for concept in session.scalars(select(TermConcept).order_by(TermConcept.entry_id)):
        head = {
            "entry_id": concept.entry_id,
            "subject_field": concept.subject_field or "",
            "definition_zh": concept.definition_zh or "",
            "definition_en": concept.definition_en or "",
            "note": concept.note or "",
            "concept_extra": json.dumps(concept.extra, ensure_ascii=False) if concept.extra else "",
        }
        own = terms.get(concept.id, [])
        if not own:
            yield {c: head.get(c, "") for c in COLUMNS}
        for term in own:
            yield {
                **{c: head.get(c, "") for c in COLUMNS},
                "lang": term.lang,
                "term": term.text,
                "status": term.status,
                "term_type": term.term_type or "",
                "part_of_speech": term.part_of_speech or "",
                "context": term.context or "",
                "source": term.source or "",
                "term_extra": json.dumps(term.extra, ensure_ascii=False) if term.extra else "",
            }


def write_csv(session: Session, path: Path) -> int:
    """Write the term base as UTF-8 CSV (with BOM, for Excel); returns rows written."""
    count = 0
    with Path(path).open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        for row in rows_of(session):
            writer.writerow(row)
            count += 1
    return count


def write_xlsx(session: Session, path: Path) -> int:
    """Write the term base as one XLSX sheet named ``terms``; returns rows written."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("terms")
    sheet.append(list(COLUMNS))
    count = 0
    for row in rows_of(session):
        sheet.append([row[c] for c in COLUMNS])
        count += 1
    book.save(str(path))
    return count


def _json_list(row: SourceRow, column: str) -> list[Any] | None:
    raw = row.get(column)
    if not raw:
        return None
    value = json.loads(raw)
    if not isinstance(value, list):
        raise ValueError("expected a JSON list")
    return value


class _Draft:
    """A concept being assembled from its rows."""

    def __init__(self, entry_id: str) -> None:
        self.concept = TermConcept(entry_id=entry_id)
        self.terms: list[Term] = []
        self.keys: set[tuple[str, str]] = set()
        self.rows: list[int] = []


def import_table(
    factory: sessionmaker[Session],
    path: Path,
    *,
    source: str | None = None,
    user_id: int | None = None,
) -> ImportReport:
    """Import a CSV/XLSX term table as an import run (kind ``termbase``)."""
    path = Path(path)
    with read_table(path) as table:
        table.require("entry_id", "lang", "term")
        recorder = ImportRecorder.start(
            factory, kind="termbase", path=path, columns=COLUMNS, source=source or "table"
        )
        try:
            drafts = _read_drafts(table, recorder)
        except InputFileError as exc:
            recorder.fail(str(exc))
            raise
    try:
        with factory() as session:
            entries: list[TermEntry] = [entry_of(d.concept, d.terms) for d in drafts.values()]
            counts = store_entries(session, entries, source=source or path.name)
            for draft in drafts.values():
                if draft.concept.entry_id in counts.unchanged_ids:
                    recorder.unchanged(len(draft.rows))
                else:
                    recorder.stored(len(draft.rows))
            return recorder.finish(session)
    except Exception as exc:
        recorder.fail(str(exc))
        raise


def _read_drafts(table: Any, recorder: ImportRecorder) -> dict[str, _Draft]:
    drafts: dict[str, _Draft] = {}
    for row in table:
        recorder.read()
        entry_id = row.get("entry_id")
        if not entry_id:
            recorder.reject(row, "entry_id", "missing")
            continue
        lang, text = row.get("lang"), row.get("term")
        status = row.get("status") or "admitted"
        if bool(lang) != bool(text):
            recorder.reject(row, "lang" if not lang else "term", "lang and term go together")
            continue
        if status not in STATUSES:
            recorder.reject(row, "status", f"unknown status {status!r} (use {', '.join(STATUSES)})")
            continue
        try:
            term_extra = _json_list(row, "term_extra")
            concept_extra = _json_list(row, "concept_extra")
        except ValueError as exc:
            recorder.reject(row, "term_extra/concept_extra", f"not valid JSON: {exc}")
            continue
        draft = drafts.setdefault(entry_id, _Draft(entry_id))
        if text and (lang, text) in draft.keys:
            recorder.duplicate()
            continue
        concept = draft.concept
        for column in CONCEPT_COLUMNS[:4]:
            if row.get(column) and getattr(concept, column) is None:
                setattr(concept, column, row.get(column))
        if concept_extra is not None and concept.extra is None:
            concept.extra = concept_extra
        draft.rows.append(row.row_number)
        if text:
            draft.keys.add((lang, text))
            draft.terms.append(
                Term(
                    lang=lang,
                    text=text,
                    normalized=normalize(text),
                    status=status,
                    term_type=row.get("term_type") or None,
                    part_of_speech=row.get("part_of_speech") or None,
                    context=row.get("context") or None,
                    source=row.get("source") or None,
                    position=sum(1 for t in draft.terms if t.lang == lang),
                    extra=term_extra,
                )
            )
    return drafts
