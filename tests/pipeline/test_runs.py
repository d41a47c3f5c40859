from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from talentbridge.errors import InputFileError
from talentbridge.pipeline.readers import SourceRow
from talentbridge.pipeline.runs import ImportRecorder, ImportReport, run_import
from talentbridge.store.tables import ImportRun, Occupation, RejectedRow


def store_occupations(session: Session, rows: Iterator[SourceRow], rec: ImportRecorder) -> None:
    for row in rows:
        if not row.get("name"):
            rec.reject(row, "name", "name is empty")
            continue
        session.add(Occupation(code=row.get("code"), name_zh=row.get("name")))
        rec.stored()


def test_run_import_counts_rejects_and_reports_progress(
    factory: sessionmaker[Session], tmp_path: Path
) -> None:
    path = tmp_path / "occ.jsonl"
    path.write_text(
        '{"code": "4-02-06-01", "name": "仓储管理员"}\n'
        "{broken\n"
        '{"code": "4-02-06-02", "name": ""}\n',
        encoding="utf-8",
    )
    ticks: list[tuple[int, int]] = []
    report = run_import(
        factory,
        path,
        kind="test",
        required=("code",),
        process=store_occupations,
        progress=lambda done, total: ticks.append((done, total)),
    )
    assert (report.read, report.stored, report.rejected) == (3, 1, 2)
    assert report.balanced
    assert [(e.row_number, e.field) for e in report.errors] == [(2, None), (3, "name")]
    assert ticks[-1] == (path.stat().st_size, path.stat().st_size)
    assert "read 3, stored 1" in report.summary()
    assert report.rejects_path == tmp_path / "occ.rejects.csv"
    text = report.rejects_path.read_text("utf-8-sig")
    assert "_line" in text and "invalid JSON" in text
    with factory() as session:
        run = session.get(ImportRun, report.run_id)
        assert run is not None
        assert (run.status, run.rows_read, run.rows_stored, run.rows_rejected) == (
            "finished",
            3,
            1,
            2,
        )
        assert run.finished_at is not None and run.rejects_path == str(report.rejects_path)
        assert session.scalar(select(func.count()).select_from(RejectedRow)) == 2


def test_a_decoding_error_deep_in_the_file_fails_the_run_and_stores_nothing(
    factory: sessionmaker[Session], tmp_path: Path
) -> None:
    path = tmp_path / "late.csv"
    filler = "长" * 1000  # valid UTF-8 well past the bytes the encoding sniffer reads
    good = "".join(f"4-02-06-{i:02d},{filler}\n" for i in range(100))
    path.write_bytes(("code,name\n" + good).encode("utf-8") + b"4-02-06-99,\xff\xfe\n")
    with pytest.raises(InputFileError, match="decoded"):
        run_import(factory, path, kind="test", required=("code",), process=store_occupations)
    with factory() as session:
        run = session.scalars(select(ImportRun)).one()
        assert run.status == "failed" and run.message and "decoded" in run.message
        assert session.scalar(select(func.count()).select_from(Occupation)) == 0


def test_report_balance_detects_lost_rows() -> None:
    report = ImportReport(run_id=1, kind="x", file=Path("f.csv"), read=3, stored=1, rejected=1)
    assert not report.balanced
    report.unchanged = 1
    assert report.balanced
