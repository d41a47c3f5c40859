"""Bookkeeping every importer shares: the import run, its counts and its rejected rows.

An importer opens its table (file-level errors are raised before any run exists),
then::

    recorder = ImportRecorder.start(factory, kind="majors", path=path)
    with factory() as session:
        for row in table:
            recorder.read()
            ...                          # validate; then one of:
            recorder.reject(row, "majorCode", "must be 6 digits")
            recorder.stored() / recorder.unchanged() / recorder.duplicate()
        report = recorder.finish(session)   # adds rejected rows + counts, commits

``finish`` commits the importer's changes together with the run's counts and its
``RejectedRow`` records, and writes ``<input stem>.rejects.csv`` beside the input file
(or into the rejects folder when that is not writable). If the importer raises,
``fail`` marks the run failed in its own transaction and the data changes roll back.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from talentbridge.pipeline.readers import SourceRow, Table, read_table, sha256_of
from talentbridge.store.tables import ImportRun, RejectedRow, utcnow

Progress = Callable[[int, int], None]
"""Called now and then with (done, total) in the table's own unit."""

RowProcessor = Callable[[Session, Iterator[SourceRow], "ImportRecorder"], None]
"""Consumes the readable rows of one file, counting each as stored/unchanged/… ."""

PROGRESS_EVERY = 200

REJECT_COLUMNS = ("_row", "_field", "_reason")
MAX_ERRORS_KEPT = 1000


@dataclass(frozen=True)
class RowError:
    row_number: int
    field: str | None
    reason: str
    raw: Mapping[str, str]

    def describe(self) -> str:
        where = f"row {self.row_number}"
        if self.field:
            where += f", column {self.field}"
        return f"{where}: {self.reason}"


@dataclass
class ImportReport:
    run_id: int
    kind: str
    file: Path
    read: int = 0
    stored: int = 0
    unchanged: int = 0
    duplicates: int = 0
    rejected: int = 0
    rejects_path: Path | None = None
    errors: list[RowError] = field(default_factory=list)
    status: str = "finished"
    message: str | None = None  # e.g. the share of fields parsed

    @property
    def balanced(self) -> bool:
        """Every row read is accounted for: nothing silently dropped."""
        return self.read == self.stored + self.unchanged + self.duplicates + self.rejected

    def summary(self) -> str:
        text = (
            f"{self.kind} from {self.file.name}: read {self.read}, stored {self.stored}, "
            f"unchanged {self.unchanged}, duplicates {self.duplicates}, rejected {self.rejected}"
        )
        if self.rejects_path is not None:
            text += f" (rejects: {self.rejects_path})"
        return text


def _rejects_target(path: Path, *, beside: bool, rejects_dir: Path | None) -> list[Path]:
    name = f"{path.stem}.rejects.csv"
    targets: list[Path] = []
    if beside:
        targets.append(path.parent / name)
    if rejects_dir is not None:
        targets.append(rejects_dir / name)
    return targets


def _is_our_rejects_file(path: Path) -> bool:
    try:
        with path.open("r", encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(handle), [])
    except (OSError, UnicodeDecodeError, csv.Error):
        return False
    return "_reason" in header


class ImportRecorder:
    """Counts and rejected rows of one import run (see the module docstring)."""

    def __init__(
        self,
        factory: sessionmaker[Session],
        run_id: int,
        kind: str,
        path: Path,
        *,
        columns: Sequence[str] | None = None,
        rejects_beside_input: bool = True,
        rejects_dir: Path | None = None,
        progress: Progress | None = None,
    ) -> None:
        self.factory = factory
        self.run_id = run_id
        self.kind = kind
        self.path = path
        self.columns = list(columns or [])
        self.rejects_beside_input = rejects_beside_input
        self.rejects_dir = rejects_dir
        self.progress = progress
        self.report = ImportReport(run_id=run_id, kind=kind, file=path)
        self._rejects: list[RowError] = []

    @classmethod
    def start(
        cls,
        factory: sessionmaker[Session],
        *,
        kind: str,
        path: Path,
        columns: Sequence[str] | None = None,
        source: str | None = None,
        user_id: int | None = None,
        rejects_beside_input: bool = True,
        rejects_dir: Path | None = None,
        progress: Progress | None = None,
    ) -> ImportRecorder:
        """Create the ``ImportRun`` row (committed at once, status ``running``)."""
        with factory() as session:
            run = ImportRun(
                kind=kind,
                source=source,
                file_name=str(path),
                file_sha256=sha256_of(path),
                user_id=user_id,
                status="running",
            )
            session.add(run)
            session.commit()
            run_id = run.id
        return cls(
            factory,
            run_id,
            kind,
            path,
            columns=columns,
            rejects_beside_input=rejects_beside_input,
            rejects_dir=rejects_dir,
            progress=progress,
        )

    # --- counting ---------------------------------------------------------------

    def read(self) -> None:
        self.report.read += 1

    def stored(self, count: int = 1) -> None:
        self.report.stored += count

    def unchanged(self, count: int = 1) -> None:
        self.report.unchanged += count

    def duplicate(self, count: int = 1) -> None:
        self.report.duplicates += count

    def reject(self, row: SourceRow, field: str | None, reason: str) -> RowError:
        error = RowError(row.row_number, field, reason, dict(row.values))
        self._rejects.append(error)
        self.report.rejected += 1
        if len(self.report.errors) < MAX_ERRORS_KEPT:
            self.report.errors.append(error)
        for column in row.values:
            if column not in self.columns:
                self.columns.append(column)
        return error

    def tick(self, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(done, total)

    # --- finishing --------------------------------------------------------------

    def _write_rejects(self) -> Path | None:
        writer = RejectsWriter(
            self.path,
            rejects_dir=self.rejects_dir,
            beside=self.rejects_beside_input,
            columns=self.columns,
        )
        for error in self._rejects:
            writer.write(error)
        writer.close()
        return writer.path

    def finish(self, session: Session, *, message: str | None = None) -> ImportReport:
        """Record counts and rejected rows in ``session`` and commit it with the data."""
        self._rejects.sort(key=lambda error: error.row_number)
        self.report.errors.sort(key=lambda error: error.row_number)
        self.report.rejects_path = self._write_rejects()
        session.add_all(
            RejectedRow(
                import_run_id=self.run_id,
                row_number=error.row_number,
                field=error.field,
                reason=error.reason,
                raw=dict(error.raw),
            )
            for error in self._rejects
        )
        run = session.get(ImportRun, self.run_id)
        if run is None:  # pragma: no cover - the row was created by ``start``
            raise RuntimeError(f"import run {self.run_id} vanished")
        report = self.report
        run.rows_read = report.read
        run.rows_stored = report.stored
        run.rows_unchanged = report.unchanged
        run.rows_duplicate = report.duplicates
        run.rows_rejected = report.rejected
        run.rejects_path = str(report.rejects_path) if report.rejects_path else None
        run.status = "finished"
        run.finished_at = utcnow()
        run.message = message
        session.commit()
        return report

    def fail(self, reason: str) -> None:
        """Mark the run failed (in its own transaction); the importer's data rolled back."""
        self.report.status = "failed"
        with self.factory() as session:
            run = session.get(ImportRun, self.run_id)
            if run is not None:
                run.status = "failed"
                run.finished_at = utcnow()
                run.message = reason[:2000]
                run.rows_read = self.report.read
                session.commit()


def _counted_rows(table: Table, recorder: ImportRecorder) -> Iterator[SourceRow]:
    """Rows of ``table`` with every row counted as read; unreadable rows rejected here."""
    for row in table:
        recorder.read()
        if recorder.report.read % PROGRESS_EVERY == 0:
            recorder.tick(table.position, table.total)
        if row.error is not None:
            recorder.reject(row, None, row.error)
            continue
        yield row
    recorder.tick(table.total, table.total)


def run_import(
    factory: sessionmaker[Session],
    path: Path,
    *,
    kind: str,
    required: Sequence[str],
    process: RowProcessor,
    user_id: int | None = None,
    source: str | None = None,
    encoding: str | None = None,
    rejects_beside_input: bool = True,
    rejects_dir: Path | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Open ``path``, check its columns, and run ``process`` over its rows as one import.

    File-level problems raise ``InputFileError`` (before a run is recorded when they
    are found in the header); the data changes and the run's counts commit together.
    """
    path = Path(path)
    with read_table(path, encoding=encoding) as table:
        table.require(*required)
        recorder = ImportRecorder.start(
            factory,
            kind=kind,
            path=path,
            columns=table.columns,
            source=source,
            user_id=user_id,
            rejects_beside_input=rejects_beside_input,
            rejects_dir=rejects_dir,
            progress=progress,
        )
        try:
            with factory() as session:
                process(session, _counted_rows(table, recorder), recorder)
                return recorder.finish(session)
        except BaseException as exc:
            recorder.fail(str(exc) or type(exc).__name__)
            raise


class RejectsWriter:
    """Append rejected rows to a ``*.rejects.csv`` as they come (flat memory).

    The file goes beside the input when that folder is writable, else into
    ``rejects_dir``; it is created only when the first row is rejected.
    """

    def __init__(
        self,
        path: Path,
        *,
        rejects_dir: Path | None,
        beside: bool = True,
        columns: Sequence[str] | None = None,
    ) -> None:
        self.targets = _rejects_target(path, beside=beside, rejects_dir=rejects_dir)
        self.path: Path | None = None
        self._handle: object | None = None
        self._writer: Any = None
        self._columns: list[str] = list(columns or [])

    def write(self, error: RowError) -> None:
        if self._writer is None:
            self._open(self._columns or list(error.raw))
        extra = [c for c in error.raw if c not in self._columns]
        cells = [error.raw.get(c, "") for c in self._columns]
        if extra:  # JSON Lines rows may carry keys the first rejected row did not
            cells.append("; ".join(f"{c}={error.raw[c]}" for c in extra))
        self._writer.writerow([*cells, error.row_number, error.field or "", error.reason])

    def _open(self, columns: list[str]) -> None:
        self._columns = [c for c in columns if c not in REJECT_COLUMNS]
        for target in self.targets:
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                handle = target.open("w", encoding="utf-8-sig", newline="")
            except OSError:
                continue
            self.path, self._handle = target, handle
            self._writer = csv.writer(handle)
            self._writer.writerow([*self._columns, *REJECT_COLUMNS])
            return
        raise OSError(f"no writable place for the rejects file of {self.targets}")

    def close(self) -> None:
        """Close the file; remove a stale rejects file of ours when nothing was rejected."""
        if self._handle is not None:
            self._handle.close()  # type: ignore[attr-defined]
            self._handle = None
        elif self.path is None:
            for target in self.targets:
                if target.exists() and _is_our_rejects_file(target):
                    target.unlink(missing_ok=True)
