"""Import external monthly demand series in the Job-SDF format into ``DemandSeries``.

A Job-SDF folder (Chen et al., NeurIPS 2024 Datasets and Benchmarks, arXiv 2406.11920)
holds ``demand/r0.parquet`` (the whole market), ``demand/r1.parquet`` (14 L1
occupations) and ``demand/region.parquet`` (7 regions): one row per scope × skill with
an id column (``r0_id`` / ``r1_id`` / ``region_id``), ``skill_id`` and one column per
month named ``YYYY-MM`` (consecutive months). Names are in ``entity_map/*.list``
(Chinese) and ``entity_map_en/*.list`` (English, optional): a header line, then id ``k``
on the ``k``-th line after it. A demand file may also be a CSV/XLSX with the same
columns (``r0.csv`` …), which is how small corrections are fed in.

Each file is one import run (``pipeline.runs``): series are stored under source
``job-sdf`` with ``scope_kind`` ``market`` / ``occupation`` / ``region``, the scope id
and skill id as codes, their zh/en names, ``start_month`` and the monthly values.
Rows with a missing, non-numeric or negative value, or an id not in the name lists, are
rejected with file, row, field and reason (row = 1-based record number in a parquet
file; as a person counts it, header = 1, in CSV/XLSX). Re-importing the same file
changes nothing. A file that cannot be read at all, or lacks the id, ``skill_id`` or
month columns, is one ``InputFileError``.

``concept_id`` links a series to an active taxonomy concept whose label (preferred
label or any zh/en label, compared case-insensitively with spaces collapsed) equals the
skill's Chinese or English name; the first taxonomy (by id) wins a tie.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session, sessionmaker

from talentbridge.errors import InputFileError
from talentbridge.pipeline.readers import SourceRow, read_table
from talentbridge.pipeline.runs import ImportRecorder, ImportReport, Progress
from talentbridge.store.demand_tables import DemandSeries
from talentbridge.store.tables import Concept, ConceptLabel, Taxonomy
from talentbridge.taxonomy.concepts import label_key

SOURCE = "job-sdf"
KIND = "demand_series"
MONTH_COLUMN = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
BATCH = 2000
MARKET_NAMES = ("全国", "Whole market")


@dataclass(frozen=True)
class SeriesFile:
    """One Job-SDF demand file: its stem, scope kind, id column and name list."""

    stem: str
    scope_kind: str
    id_column: str
    names: str | None  # the entity_map list naming the scope ids; None: the market


SERIES_FILES = (
    SeriesFile("r0", "market", "r0_id", None),
    SeriesFile("r1", "occupation", "r1_id", "r1"),
    SeriesFile("region", "region", "region_id", "region"),
)
SUFFIXES = (".parquet", ".csv", ".xlsx")


@dataclass(frozen=True)
class Names:
    """Chinese and English names by id (English may be missing)."""

    zh: list[str]
    en: list[str] | None

    def get(self, index: int) -> tuple[str, str | None]:
        en = self.en[index] if self.en is not None and index < len(self.en) else None
        return self.zh[index], en


def read_name_list(path: Path) -> list[str]:
    """Names by id from a ``.list`` file: id ``k`` is the ``k``-th line after the header."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise InputFileError(path, "name list not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputFileError(path, f"not a readable UTF-8 name list ({exc})") from None
    if not lines:
        raise InputFileError(path, "empty name list (expected a header line)")
    return [line.strip() for line in lines[1:]]


def read_names(directory: Path, stem: str) -> Names:
    zh = read_name_list(directory / "entity_map" / f"{stem}.list")
    en_path = directory / "entity_map_en" / f"{stem}.list"
    return Names(zh, read_name_list(en_path) if en_path.exists() else None)


# --- reading a demand file ----------------------------------------------------------


@dataclass(frozen=True)
class _Table:
    columns: list[str]
    months: list[str]
    rows: Iterator[tuple[int, dict[str, Any]]]


def _month_columns(path: Path, columns: Sequence[str], required: Sequence[str]) -> list[str]:
    missing = [c for c in required if c not in columns]
    if missing:
        raise InputFileError(path, f"missing column(s): {', '.join(missing)}")
    months = sorted(c for c in columns if MONTH_COLUMN.match(c))
    if not months:
        raise InputFileError(path, "no month columns (YYYY-MM)")
    for before, after in pairwise(months):
        if _month_index(after) != _month_index(before) + 1:
            raise InputFileError(path, f"month columns are not consecutive ({before}, {after})")
    return months


def _month_index(month: str) -> int:
    return int(month[:4]) * 12 + int(month[5:7]) - 1


def _read_parquet(path: Path, required: Sequence[str]) -> _Table:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except FileNotFoundError:
        raise InputFileError(path, "file not found") from None
    except (pa.ArrowException, OSError) as exc:
        raise InputFileError(path, f"not a readable parquet file ({exc})") from None
    columns = list(table.column_names)
    months = _month_columns(path, columns, required)
    data = {name: table.column(name).to_pylist() for name in columns}

    def rows() -> Iterator[tuple[int, dict[str, Any]]]:
        for i in range(table.num_rows):
            yield i + 1, {name: data[name][i] for name in columns}

    return _Table(columns, months, rows())


def _read_tabular(path: Path, required: Sequence[str]) -> _Table:
    table = read_table(path)
    columns = list(table.columns or ())
    try:
        months = _month_columns(path, columns, required)
    except InputFileError:
        table.close()
        raise

    def rows() -> Iterator[tuple[int, dict[str, Any]]]:
        with table:
            for row in table:
                yield row.row_number, dict(row.values)

    return _Table(columns, months, rows())


def _open(path: Path, required: Sequence[str]) -> _Table:
    if not path.exists():
        raise InputFileError(path, "file not found")
    if path.suffix.lower() == ".parquet":
        return _read_parquet(path, required)
    return _read_tabular(path, required)


# --- validation ---------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _as_id(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    text = _text(value).strip()
    if text.lstrip("-").isdigit():
        return int(text)
    try:
        number = float(text)
    except ValueError:
        return None
    return int(number) if number.is_integer() else None


def _count(value: Any) -> tuple[float | None, str | None]:
    """A monthly count, or why it is not one."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, "missing value"
    if isinstance(value, bool):
        return None, "not a number"
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None, f"not a number: {_text(value)[:40]!r}"
    if math.isnan(number):
        return None, "missing value"
    if math.isinf(number):
        return None, "not a finite number"
    if number < 0:
        return None, f"negative count {number:g}"
    return number, None


@dataclass(frozen=True)
class _Series:
    scope_code: str
    scope_name_zh: str | None
    scope_name_en: str | None
    skill_code: str
    skill_name_zh: str | None
    skill_name_en: str | None
    concept_id: int | None
    start_month: str
    values: list[float]

    def fields(self) -> dict[str, Any]:
        return {
            "scope_name_zh": self.scope_name_zh,
            "scope_name_en": self.scope_name_en,
            "skill_name_zh": self.skill_name_zh,
            "skill_name_en": self.skill_name_en,
            "concept_id": self.concept_id,
            "start_month": self.start_month,
            "values": self.values,
        }


def concept_links(session: Session) -> dict[str, int]:
    """``label_key`` of every label of an active concept → the concept's id."""
    query = (
        select(Concept.id, Concept.label_zh, Concept.label_en)
        .join(Taxonomy, Taxonomy.id == Concept.taxonomy_id)
        .where(Taxonomy.is_active.is_(True), Concept.status == "active")
        .order_by(Taxonomy.id, Concept.id)
    )
    links: dict[str, int] = {}
    for concept_id, zh, en in session.execute(query):
        for label in (zh, en):
            if label:
                links.setdefault(label_key(label), concept_id)
    labels = (
        select(ConceptLabel.concept_id, ConceptLabel.text)
        .join(Concept, Concept.id == ConceptLabel.concept_id)
        .join(Taxonomy, Taxonomy.id == Concept.taxonomy_id)
        .where(Taxonomy.is_active.is_(True), Concept.status == "active")
        .order_by(Taxonomy.id, Concept.id)
    )
    for concept_id, text in session.execute(labels):
        links.setdefault(label_key(text), concept_id)
    return links


# --- import -------------------------------------------------------------------------


def import_series_file(
    factory: sessionmaker[Session],
    path: Path,
    *,
    spec: SeriesFile,
    skills: Names,
    scopes: Names | None,
    rejects_dir: Path | None = None,
    rejects_beside_input: bool = True,
    progress: Progress | None = None,
) -> ImportReport:
    """Import one demand file of ``spec``'s kind (see the module docstring)."""
    path = Path(path)
    table = _open(path, [spec.id_column, "skill_id"])
    recorder = ImportRecorder.start(
        factory,
        kind=KIND,
        path=path,
        columns=table.columns,
        source=SOURCE,
        rejects_beside_input=rejects_beside_input,
        rejects_dir=rejects_dir,
        progress=progress,
    )
    try:
        with factory() as session:
            _load(session, table, spec, skills, scopes, recorder)
            return recorder.finish(session, message=f"{spec.scope_kind} series, {SOURCE}")
    except BaseException as exc:
        recorder.fail(str(exc) or type(exc).__name__)
        raise


def _load(
    session: Session,
    table: _Table,
    spec: SeriesFile,
    skills: Names,
    scopes: Names | None,
    recorder: ImportRecorder,
) -> None:
    links = concept_links(session)
    existing = {
        (row.scope_code, row.skill_code): row
        for row in session.execute(
            select(DemandSeries).where(
                DemandSeries.source == SOURCE, DemandSeries.scope_kind == spec.scope_kind
            )
        ).scalars()
    }
    seen: set[tuple[str, str]] = set()
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    start_month = table.months[0]
    for row_number, cells in table.rows:
        recorder.read()
        series = _validate(row_number, cells, table, spec, skills, scopes, links, recorder)
        if series is None:
            continue
        key = (series.scope_code, series.skill_code)
        if key in seen:
            recorder.duplicate()
            continue
        seen.add(key)
        fields = series.fields()
        fields["start_month"] = start_month
        old = existing.get(key)
        if old is None:
            inserts.append(
                {
                    "source": SOURCE,
                    "scope_kind": spec.scope_kind,
                    "scope_code": series.scope_code,
                    "skill_code": series.skill_code,
                    "import_run_id": recorder.run_id,
                    **fields,
                }
            )
            recorder.stored()
        elif any(getattr(old, name) != value for name, value in fields.items()):
            updates.append({"id": old.id, "import_run_id": recorder.run_id, **fields})
            recorder.stored()
        else:
            recorder.unchanged()
        if len(inserts) >= BATCH:
            session.execute(insert(DemandSeries), inserts)
            inserts = []
        if recorder.report.read % BATCH == 0:
            recorder.tick(recorder.report.read, 0)
    session.expunge_all()  # the bulk update below must not race loaded objects
    if inserts:
        session.execute(insert(DemandSeries), inserts)
    for start in range(0, len(updates), BATCH):
        session.execute(update(DemandSeries), updates[start : start + BATCH])


def _validate(
    row_number: int,
    cells: dict[str, Any],
    table: _Table,
    spec: SeriesFile,
    skills: Names,
    scopes: Names | None,
    links: dict[str, int],
    recorder: ImportRecorder,
) -> _Series | None:
    def reject(field: str, reason: str) -> None:
        raw = {name: _text(cells.get(name)) for name in table.columns}
        recorder.reject(SourceRow(row_number, raw), field, reason)

    scope_id = _as_id(cells.get(spec.id_column))
    scope_count = 1 if scopes is None else len(scopes.zh)
    if scope_id is None or not 0 <= scope_id < scope_count:
        value = _text(cells.get(spec.id_column)) or "(empty)"
        reject(spec.id_column, f"unknown {spec.scope_kind} id {value}")
        return None
    skill_id = _as_id(cells.get("skill_id"))
    if skill_id is None or not 0 <= skill_id < len(skills.zh):
        reject("skill_id", f"unknown skill id {_text(cells.get('skill_id')) or '(empty)'}")
        return None
    values: list[float] = []
    for month in table.months:
        number, problem = _count(cells.get(month))
        if problem is not None or number is None:
            reject(month, problem or "missing value")
            return None
        values.append(number)
    scope_zh, scope_en = MARKET_NAMES if scopes is None else scopes.get(scope_id)
    skill_zh, skill_en = skills.get(skill_id)
    concept_id = links.get(label_key(skill_zh)) if skill_zh else None
    if concept_id is None and skill_en:
        concept_id = links.get(label_key(skill_en))
    return _Series(
        scope_code=str(scope_id),
        scope_name_zh=scope_zh,
        scope_name_en=scope_en,
        skill_code=str(skill_id),
        skill_name_zh=skill_zh or None,
        skill_name_en=skill_en or None,
        concept_id=concept_id,
        start_month=table.months[0],
        values=values,
    )


def _demand_file(directory: Path, stem: str) -> Path | None:
    for suffix in SUFFIXES:
        candidate = directory / "demand" / f"{stem}{suffix}"
        if candidate.exists():
            return candidate
    return None


def import_job_sdf(
    factory: sessionmaker[Session],
    directory: Path,
    *,
    rejects_dir: Path | None = None,
    rejects_beside_input: bool = True,
    progress: Progress | None = None,
) -> list[ImportReport]:
    """Import every demand file of a Job-SDF folder, one import run per file."""
    directory = Path(directory)
    if not directory.is_dir():
        raise InputFileError(directory, "not a folder (expected demand/ and entity_map/)")
    found = [(spec, _demand_file(directory, spec.stem)) for spec in SERIES_FILES]
    present = [(spec, path) for spec, path in found if path is not None]
    if not present:
        raise InputFileError(directory, "no demand/r0, demand/r1 or demand/region file")
    skills = read_names(directory, "skill")
    reports = []
    for spec, path in present:
        scopes = read_names(directory, spec.names) if spec.names else None
        reports.append(
            import_series_file(
                factory,
                path,
                spec=spec,
                skills=skills,
                scopes=scopes,
                rejects_dir=rejects_dir,
                rejects_beside_input=rejects_beside_input,
                progress=progress,
            )
        )
    return reports
