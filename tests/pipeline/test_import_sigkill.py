"""An import killed with SIGKILL half-way, then run again, completes the file: every
row counted exactly once, no posting stored twice, and every run's counts balanced.

A real ``talentbridge import postings`` process on the test's store (SQLite, or the
PostgreSQL server when the suite runs on one), killed once a few batches committed.
"""

from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from talentbridge.config import Settings
from talentbridge.store.tables import ImportRun, Posting, PostingSource

ROWS = 16_000
REPO = Path(__file__).resolve().parents[2]
CLI = Path(sys.executable).parent / "talentbridge"


def _bench() -> ModuleType:
    """benchmarks/ingest_bench.py: its streaming generator of realistic posting rows."""
    spec = importlib.util.spec_from_file_location(
        "ingest_bench", REPO / "benchmarks/ingest_bench.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _env(settings: Settings) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TALENTBRIDGE_")}
    env["TALENTBRIDGE_DATA_DIR"] = str(settings.data_dir)
    env["TALENTBRIDGE_DATABASE_URL"] = settings.database_url
    return env


def _count(engine: Engine, what: object) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(what)).scalar_one())  # type: ignore[arg-type]


def test_import_killed_half_way_and_rerun_loses_and_doubles_nothing(
    settings: Settings, engine: Engine, tmp_path: Path
) -> None:
    path = tmp_path / "postings.csv"
    generated = _bench().write_postings_csv(path, ROWS)
    assert generated["exact"] > 100 and generated["bad"] > 10
    command = [str(CLI), "import", "postings", str(path), "--source", "board"]

    first = subprocess.Popen(
        command, env=_env(settings), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 120  # a busy CI machine starts the CLI slowly
    stored = 0
    while time.monotonic() < deadline and first.poll() is None:
        stored = _count(engine, Posting)
        if stored >= 3_000:
            break
        time.sleep(0.05)
    assert first.poll() is None, "the import finished before it could be killed"
    assert stored >= 3_000, "no batch committed in time"
    os.kill(first.pid, signal.SIGKILL)
    first.wait(timeout=10)
    assert first.returncode == -signal.SIGKILL
    assert first.stderr is not None
    first.stderr.close()

    with Session(engine) as session:
        killed = session.scalars(select(ImportRun)).one()
    assert killed.status == "running"  # it never got to finish
    assert 0 < killed.rows_read < ROWS
    # What the killed run recorded is what it committed: its counts balance.
    assert killed.rows_read == (
        killed.rows_stored + killed.rows_unchanged + killed.rows_duplicate + killed.rows_rejected
    )
    assert _count(engine, Posting) == killed.rows_stored

    again = subprocess.run(command, env=_env(settings), capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    assert "database is locked" not in again.stderr

    with Session(engine) as session:
        runs = session.scalars(select(ImportRun).order_by(ImportRun.id)).all()
        sources = session.execute(
            select(func.count(), func.count(PostingSource.row_number.distinct())).where(
                PostingSource.file_sha256 == runs[-1].file_sha256
            )
        ).one()
        doubled = session.execute(
            select(Posting.content_hash).group_by(Posting.content_hash).having(func.count() > 1)
        ).all()
    assert len(runs) == 2
    # The killed run is closed as failed (its counts are what it committed).
    assert runs[0].status == "failed" and f"run {runs[1].id} completed it" in runs[0].message
    assert runs[0].rows_stored == killed.rows_stored
    rerun = runs[1]
    assert rerun.status == "finished"
    assert rerun.rows_read == ROWS
    assert rerun.rows_read == (
        rerun.rows_stored + rerun.rows_unchanged + rerun.rows_duplicate + rerun.rows_rejected
    )
    # The rows the killed run stored (or found duplicate) count as unchanged, not again.
    assert rerun.rows_unchanged == killed.rows_stored + killed.rows_duplicate
    # Every row of the file: stored once, a duplicate, or rejected.
    assert (
        killed.rows_stored
        + killed.rows_duplicate
        + rerun.rows_stored
        + rerun.rows_duplicate
        + rerun.rows_rejected
        == ROWS
    )
    assert sources[0] == sources[1] == ROWS - rerun.rows_rejected  # one source per row
    assert _count(engine, Posting) == killed.rows_stored + rerun.rows_stored
    assert not doubled
