"""Posting ingestion: files (or API records) → clean, deduplicated postings in the store.

The wiring of the pure steps, batch by batch::

    read_table → map_headers/apply → normalize_posting → hashes → dedup_batch → load

Each batch commits its postings, their sources and flags, its rejected rows and the
run's counts together, so an import killed half-way leaves a consistent store and
re-running it completes the file: rows already recorded for the same file content
(``posting_source.file_sha256`` + row) count as unchanged and add nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from itertools import islice
from pathlib import Path

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from talentbridge.analytics.cube import refresh
from talentbridge.errors import InputFileError
from talentbridge.pipeline.columns import ColumnMap, apply, load_mapping_file, map_headers
from talentbridge.pipeline.ingest_types import BATCH_SIZE, BatchHook, IngestOptions, Origin
from talentbridge.pipeline.load import BatchLoader
from talentbridge.pipeline.readers import SourceRow, read_table, sha256_of
from talentbridge.pipeline.runs import ImportReport, RejectsWriter
from talentbridge.store.engine import bulk_load_sessions
from talentbridge.store.tables import (
    ImportRun,
    PostingSource,
    utcnow,
)

Progress = Callable[[int, int], None]


def import_postings(
    factory: sessionmaker[Session],
    path: Path,
    *,
    source: str | None = None,
    mapping: Mapping[str, str] | Path | None = None,
    reference: dt.date | None = None,
    user_id: int | None = None,
    organization_id: int | None = None,
    rejects_dir: Path | None = None,
    rejects_beside_input: bool = True,
    progress: Progress | None = None,
    batch_size: int = BATCH_SIZE,
    on_new_postings: BatchHook | None = None,
    tag: bool = True,
    refresh_demand: bool = False,
) -> ImportReport:
    """Import one posting file (CSV in any common Chinese encoding, XLSX, JSON Lines).

    ``mapping`` (a dict or a mapping file) names columns the automatic header mapping
    does not know. ``reference`` is the date relative dates (``3天前``) count from:
    the import date by default. File-level problems raise ``InputFileError``.
    """
    path = Path(path)
    user_mapping = load_mapping_file(mapping) if isinstance(mapping, Path) else mapping
    options = IngestOptions(
        reference=reference or dt.date.today(),
        organization_id=organization_id,
        user_id=user_id,
        batch_size=batch_size,
        on_new_postings=on_new_postings,
        tag=tag,
        refresh_demand=refresh_demand,
    )
    with read_table(path) as table:
        first: list[SourceRow] = []
        if table.columns is not None:
            headers = list(table.columns)
        else:  # JSON Lines: the keys of the first object(s) are the headers
            first = list(islice(table, 50))
            headers = list(
                dict.fromkeys(k for row in first if row.error is None for k in row.values)
            )
        cmap = map_headers(headers, user_mapping)
        missing = cmap.missing_required()
        if missing:
            raise InputFileError(
                path,
                f"no column for {', '.join(missing)} (columns: {', '.join(headers) or 'none'}); "
                "pass --mapping to name it",
            )
        origin = Origin("file", str(path), sha256_of(path), source or path.stem)
        rows: Iterable[SourceRow] = _chain(first, table)

        def tick() -> None:
            if progress is not None:
                progress(table.position, table.total)

        writer = RejectsWriter(path, rejects_dir=rejects_dir, beside=rejects_beside_input)
        return ingest_rows(factory, rows, cmap, origin, options, rejects=writer, tick=tick)


def _chain(first: list[SourceRow], rest: Iterable[SourceRow]) -> Iterator[SourceRow]:
    yield from first
    yield from rest


def ingest_records(
    factory: sessionmaker[Session],
    records: Sequence[Mapping[str, object]],
    *,
    channel: str,
    source: str,
    reference: dt.date | None = None,
    user_id: int | None = None,
    organization_id: int | None = None,
    refresh_demand: bool = False,
) -> ImportReport:
    """Ingest postings given as objects (API, form): the same pipeline as files.

    Keys are canonical field names or any header the automatic mapping knows. The
    request's content hash makes re-sending the same records a no-op.
    """
    # Each record is mapped on its own keys, so one request may mix 职位名称 and title.
    maps: dict[tuple[str, ...], ColumnMap] = {}
    rows: list[SourceRow] = []
    for i, record in enumerate(records):
        values = {str(k): "" if v is None else str(v) for k, v in record.items()}
        keys = tuple(values)
        if keys not in maps:
            maps[keys] = map_headers(keys, None)
        fields, extra = apply(values, maps[keys])
        rows.append(SourceRow(i + 1, {**extra, **fields}))
    headers = list(dict.fromkeys(k for row in rows for k in row.values))
    cmap = map_headers(headers, None)
    body = json.dumps([r.values for r in rows], ensure_ascii=False, sort_keys=True)
    origin = Origin(
        channel, f"{channel}:{source}", hashlib.sha256(body.encode()).hexdigest(), source
    )
    options = IngestOptions(
        reference=reference or dt.date.today(),
        organization_id=organization_id,
        user_id=user_id,
        refresh_demand=refresh_demand,
    )
    if cmap.missing_required():
        raise InputFileError(origin.name, f"no field for {', '.join(cmap.missing_required())}")
    return ingest_rows(factory, rows, cmap, origin, options, rejects=None)


def ingest_rows(
    factory: sessionmaker[Session],
    rows: Iterable[SourceRow],
    cmap: ColumnMap,
    origin: Origin,
    options: IngestOptions,
    *,
    rejects: RejectsWriter | None,
    tick: Callable[[], None] | None = None,
) -> ImportReport:
    """Run the pipeline over rows, committing batch by batch into one import run."""
    with factory() as session:
        run = ImportRun(
            kind="postings",
            source=origin.source,
            file_name=origin.name,
            file_sha256=origin.sha256,
            user_id=options.user_id,
            status="running",
        )
        session.add(run)
        session.commit()
        run_id = run.id
        resumed = bool(
            session.scalar(
                select(func.count())
                .select_from(PostingSource)
                .where(PostingSource.file_sha256 == origin.sha256)
            )
        )
    report = ImportReport(run_id=run_id, kind="postings", file=Path(origin.name))
    writer = rejects
    try:
        with bulk_load_sessions(factory) as batches:
            loader = BatchLoader(batches, origin, options, report, writer, resumed=resumed)
            batch: list[SourceRow] = []
            for row in rows:
                batch.append(row)
                if len(batch) >= options.batch_size:
                    loader.load(batch, cmap)
                    batch = []
                    if tick is not None:
                        tick()
            if batch:
                loader.load(batch, cmap)
            if tick is not None:
                tick()
    except BaseException as exc:
        _finish_run(factory, report, status="failed", message=str(exc) or type(exc).__name__)
        raise
    finally:
        if writer is not None:
            writer.close()
            report.rejects_path = writer.path
    message = (
        f"salary parsed {loader.salary_parsed}/{loader.salary_given}; "
        f"place resolved {loader.place_resolved}/{loader.place_given}; "
        f"flagged {loader.flagged}"
    )
    _finish_run(factory, report, status="finished", message=message)
    if resumed:
        _close_interrupted_runs(factory, origin, report.run_id)
    if options.refresh_demand and report.stored:
        refresh(factory)  # the demand cube counts the new postings (incrementally)
    return report


def _close_interrupted_runs(factory: sessionmaker[Session], origin: Origin, run_id: int) -> None:
    """Earlier runs of the same content left ``running`` (their process was killed or the
    machine stopped) end as ``failed``: this run completed the file. Their counts stay
    what they committed. (Were one still running, its own finish sets its status again.)"""
    with factory() as session:
        session.execute(
            update(ImportRun)
            .where(
                ImportRun.kind == "postings",
                ImportRun.file_sha256 == origin.sha256,
                ImportRun.status == "running",
                ImportRun.id < run_id,
            )
            .values(
                status="failed",
                message=f"stopped before the end of the input; run {run_id} completed it",
            )
        )
        session.commit()


def _finish_run(
    factory: sessionmaker[Session], report: ImportReport, *, status: str, message: str
) -> None:
    report.status = status
    report.message = message
    with factory() as session:
        session.execute(
            update(ImportRun)
            .where(ImportRun.id == report.run_id)
            .values(
                status=status,
                finished_at=utcnow(),
                message=message[:2000],
                rows_read=report.read,
                rows_stored=report.stored,
                rows_unchanged=report.unchanged,
                rows_duplicate=report.duplicates,
                rows_rejected=report.rejected,
                rejects_path=str(report.rejects_path) if report.rejects_path else None,
            )
        )
        session.commit()
