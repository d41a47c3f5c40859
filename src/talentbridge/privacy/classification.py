"""Which columns hold personal information (PIPL art. 4), classified on the column itself.

A column that identifies a person, or says something about one, carries its class in
SQLAlchemy's ``info={"personal": <class>}`` (``info`` is never part of the DDL, so the
schema is unchanged). ``personal_columns(metadata)`` lists them; the test
``tests/privacy/test_classification.py`` scans every table and fails when a column whose
name suggests personal data is neither classified nor listed in ``NOT_PERSONAL`` with a
reason.

What the system refuses to hold at all (data minimization, PIPL art. 6): ID card numbers
(身份证号), home addresses and photos. The importers drop such a column before any row
is validated, stored or written to a rejects file, and say so in the import summary
(``refused_columns``, ``without_refused``, ``refusal_note``).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import MetaData
from sqlalchemy.orm import Session, sessionmaker

from talentbridge.pipeline.readers import SourceRow
from talentbridge.pipeline.runs import ImportRecorder, ImportReport, RowProcessor
from talentbridge.store.tables import ImportRun


class PersonalClass(StrEnum):
    """Classes of personal information, from the most to the least identifying."""

    NAME = "name"  # a person's name (姓名), a user's display name
    CONTACT = "contact"  # phone, e-mail
    IDENTIFIER = "identifier"  # student number, user name: identify within the system
    FREE_TEXT = "free_text"  # résumé text, experiences, self-description, notes
    SENSITIVE = "sensitive"  # PIPL art. 28: protected attributes (profile_protected)
    ONLINE = "online"  # IP address, browser of a sign-in
    RAW_ROW = "raw_row"  # a rejected input row, as it came (may hold any of the above)


@dataclass(frozen=True)
class PersonalColumn:
    table: str
    column: str
    personal_class: PersonalClass

    @property
    def key(self) -> str:
        return f"{self.table}.{self.column}"


def personal_columns(metadata: MetaData) -> list[PersonalColumn]:
    """Every column classified as personal, by table and column name."""
    found = []
    for table in sorted(metadata.tables.values(), key=lambda t: t.name):
        for column in table.columns:
            value = column.info.get("personal")
            if value is not None:
                found.append(PersonalColumn(table.name, column.name, PersonalClass(value)))
    return found


# Columns whose names look personal but are not about a person, each with the reason.
NOT_PERSONAL: Mapping[str, str] = {
    "api_token.name": "a label the user gives a token (e.g. 'laptop')",
    "concept.description_zh": "a skill's description",
    "concept.description_en": "a skill's description",
    "concept_label.text": "a skill's label",
    "course.name": "a course's name",
    "course.name_en": "a course's name",
    "course.description": "a course's description",
    "demand_forecast.note": "a note about a forecast model",
    "demand_series.scope_name_zh": "a region's or industry's name",
    "demand_series.scope_name_en": "a region's or industry's name",
    "demand_series.skill_name_zh": "a skill's name",
    "demand_series.skill_name_en": "a skill's name",
    "direction.name_zh": "a major direction's name",
    "direction.name_en": "a major direction's name",
    "import_run.file_name": "the name of an imported file",
    "job_fair.name_zh": "a job fair's name",
    "job_fair.name_en": "a job fair's name",
    "library.name_zh": "a library's name",
    "library.name_en": "a library's name",
    "library.description_zh": "a library's description",
    "library.description_en": "a library's description",
    "library_event.query": "search words typed into the library search (usage statistics; "
    "purged after the retention period)",
    "major.name_zh": "a major's name",
    "major.name_en": "a major's name",
    "major.category_name": "a major category's name",
    "major.class_name": "a major class's name",
    "occupation.name_zh": "an occupation's name",
    "occupation.name_en": "an occupation's name",
    "occupation.description": "an occupation's description",
    "organization.name_zh": "an organization's name, not a person's",
    "organization.name_en": "an organization's name, not a person's",
    "organization.address": "an organization's address, not a home address",
    "placement.employer_name": "the employer's name (an organization)",
    "placement.job_title": "a job title, not free text about the person",
    "placement.place_text": "the place of work (a city), not a home address",
    "posting.title": "a job posting",
    "posting.employer_name": "a job posting's employer",
    "posting.salary_text": "a job posting",
    "posting.place_text": "a job posting's place of work",
    "posting.education_text": "a job posting",
    "posting.description": "a job posting",
    "posting_source.file_name": "the name of an imported file",
    "profile_course.name": "the name of a course a student took",
    "ranker_model.name": "a ranking model's name",
    "ranker_model.model_text": "a ranking model's parameters",
    "resource.title_zh": "a teaching resource",
    "resource.title_en": "a teaching resource",
    "resource.summary_zh": "a teaching resource",
    "resource.summary_en": "a teaching resource",
    "resource.author": "the published author of a teaching resource (as on its cover)",
    "resource.file_name": "a teaching resource's file",
    "resource.text": "a teaching resource's text",
    "resource.search_text": "a teaching resource's text",
    "taxonomy.name": "a skill taxonomy's name",
    "term.text": "a term in the term base",
    "term_concept.note": "a note on a term",
    "training_plan.name": "a training plan's name",
}

# Column names that suggest personal data (the classification test scans for these).
SUSPECT_NAME = re.compile(
    r"(^|_)(name|phone|mobile|tel|email|mail|id_card|idcard|identity|id_no|address|addr"
    r"|photo|avatar|picture|student_no|username|display|birth|gender|sex|ethnicity|hukou"
    r"|health|marital|ip|user_agent|author|note|raw|text|description|summary|title|query)"
    r"($|_)"
)


# --- what the importers refuse to store -----------------------------------------------

_REFUSED: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "ID card number",
        re.compile(r"身份证|证件号|公民身份|^(id_?card|id_?number|id_?no|identity_?(no|number))$"),
    ),
    (
        "home address",
        re.compile(r"住址|家庭地址|家庭住址|通讯地址|现居地址|^home_?address$"),
    ),
    ("photo", re.compile(r"照片|相片|头像|证件照|^(photo|avatar|picture|portrait)$")),
)


def refused_kind(header: str) -> str | None:
    """What a column holds that the system refuses to store, or ``None``."""
    text = header.strip().lower().replace(" ", "_").replace("-", "_")
    for kind, pattern in _REFUSED:
        if pattern.search(text):
            return kind
    return None


def refused_columns(columns: Iterable[str] | None) -> dict[str, str]:
    """Of an input's headers, those to drop: header -> what it holds."""
    found = {}
    for column in columns or ():
        kind = refused_kind(column)
        if kind is not None:
            found[column] = kind
    return found


def without_refused(rows: Iterable[SourceRow], refused: Mapping[str, str]) -> Iterator[SourceRow]:
    """The rows with refused columns removed (JSON Lines keys checked per row)."""
    for row in rows:
        drop = [k for k in row.values if k in refused or refused_kind(k) is not None]
        if drop:
            row = dataclasses.replace(
                row, values={k: v for k, v in row.values.items() if k not in drop}
            )
        yield row


def refusal_note(refused: Mapping[str, str]) -> str | None:
    """The sentence for the import summary, or ``None`` when nothing was dropped."""
    if not refused:
        return None
    listed = ", ".join(f"{header} ({kind})" for header, kind in refused.items())
    return (
        f"columns not stored (data minimization, PIPL art. 6): {listed}; "
        "TalentBridge does not keep ID card numbers, home addresses or photos"
    )


def record_refusal(
    factory: sessionmaker[Session], report: ImportReport, refused: Mapping[str, str]
) -> None:
    """Say in the import's summary (the report and its ``import_run`` row) which columns
    were dropped unstored."""
    note = refusal_note(refused)
    if note is None:
        return
    report.message = f"{report.message}; {note}" if report.message else note
    with factory() as session:
        run = session.get(ImportRun, report.run_id)
        if run is not None:
            run.message = report.message
            session.commit()


def refusing(process: RowProcessor, refused: Mapping[str, str]) -> RowProcessor:
    """An importer's row processor that never sees the refused columns."""

    def run(session: Session, rows: Iterator[SourceRow], rec: ImportRecorder) -> None:
        process(session, without_refused(rows, refused), rec)

    return run
