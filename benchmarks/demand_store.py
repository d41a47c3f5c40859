"""The store of the demand map benchmark (``demand_bench.py``): built through the real
pipeline and cached under ``benchmarks/out/demand-store/`` (git-ignored), copied for the
incremental refresh, and described (sizes, cube rows).

Build: the bundled majors, occupations and skill taxonomy, then chunks of generated
postings (``ingest_bench.write_postings_csv``: the demo generator's posting model over 36
months and the demo's regions, each board's cell formats, ~4% re-posts and a few broken
rows) imported with ``import_postings`` (skill extraction and occupation classification
on), each chunk followed by the cube ``refresh``, until the store holds the postings
asked for. The next chunk is generated in a child process while the current one
imports. An interrupted build resumes at its last chunk (re-importing a file changes
nothing). Then the demo's colleges, majors offered, cohorts and courses, and an analyst.
"""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import json
import math
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ingest_bench import SEED, TODAY, write_postings_csv
from talentbridge.analytics.cube import refresh
from talentbridge.config import load_settings
from talentbridge.pipeline.postings import import_postings
from talentbridge.store.engine import create_engine_for, session_factory
from talentbridge.store.migrate import upgrade
from talentbridge.taxonomy.concepts import load_bundled_taxonomy
from talentbridge.taxonomy.majors import load_bundled_majors
from talentbridge.taxonomy.occupations import load_bundled_occupations

OUT_DIR = Path(__file__).resolve().parent / "out"
CACHE_ROOT = OUT_DIR / "demand-store"
YIELD = 0.955  # stored ÷ generated rows, a first guess; measured after the first chunk


def log(message: str) -> None:
    print(f"[{dt.datetime.now():%H:%M:%S}] {message}", flush=True)


# --- step 1: the store ----------------------------------------------------------------------


def cache_dir(postings: int, chunk: int, seed: int) -> Path:
    return CACHE_ROOT / f"p{postings}-c{chunk}-s{seed}-{TODAY:%Y%m%d}"


def store_settings(data_dir: Path) -> Any:
    return load_settings({"TALENTBRIDGE_DATA_DIR": str(data_dir)})


def count_postings(factory: Any) -> int:
    from sqlalchemy import func, select

    from talentbridge.store.tables import Posting

    with factory() as session:
        return int(session.scalar(select(func.count()).select_from(Posting)) or 0)


def stamp_undated(factory: Any) -> tuple[int, int]:
    """Postings whose date could not be read count in the month they were stored; the
    generator's calendar ends on ``TODAY``, so their stored time is set to ``TODAY`` to
    keep the months contiguous (else they would sit alone in the month of the build).
    Returns (postings stamped, of them already counted in the cube)."""
    from sqlalchemy import update

    from talentbridge.analytics.cube import get_state
    from talentbridge.store.tables import Posting

    stamp = dt.datetime.combine(TODAY, dt.time(12))
    with factory.begin() as session:
        watermark = get_state(session).posting_watermark or 0
        undated = (Posting.posted_month.is_(None), Posting.created_at > stamp)
        counted = session.execute(
            update(Posting).where(*undated, Posting.id <= watermark).values(created_at=stamp)
        ).rowcount
        new = session.execute(update(Posting).where(*undated).values(created_at=stamp)).rowcount
        if counted:
            get_state(session).stale = True  # the next refresh rebuilds the cube
    return counted + new, counted


def _generate(path: str, rows: int, seed: int) -> dict[str, float]:
    return write_postings_csv(Path(path), rows, seed=seed)


def build_store(postings: int, chunk: int, seed: int) -> tuple[Path, dict[str, Any]]:
    """The store directory holding ``postings`` postings, built or resumed; its manifest."""
    root = cache_dir(postings, chunk, seed)
    data_dir = root / "data"
    manifest_path = root / "build.json"
    manifest: dict[str, Any] = (
        json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    )
    if manifest.get("complete"):
        log(f"reusing the store in {root} ({manifest['postings']:,} postings)")
        return data_dir, manifest
    root.mkdir(parents=True, exist_ok=True)
    engine = create_engine_for(store_settings(data_dir))
    factory = session_factory(engine)
    if not manifest:
        started = time.perf_counter()
        upgrade(engine)
        load_bundled_majors(factory)
        load_bundled_occupations(factory)
        load_bundled_taxonomy(factory)
        manifest = {
            "postings_target": postings, "chunk": chunk, "seed": seed,
            "today": TODAY.isoformat(), "chunks": [], "complete": False,
            "setup_seconds": time.perf_counter() - started,
            "started": dt.datetime.now().isoformat(timespec="seconds"),
        }  # fmt: skip
        manifest_path.write_text(json.dumps(manifest, indent=1))
    else:
        upgrade(engine)
        stamped, counted = stamp_undated(factory)
        if counted:
            cube = refresh(factory)
            log(f"{stamped} undated postings stamped {TODAY}; cube rebuilt in {cube.seconds:.0f}s")
            manifest["rebuilds"] = [*manifest.get("rebuilds", []), {
                "postings": cube.postings, "seconds": round(cube.seconds, 1),
                "load": os.getloadavg(),
            }]  # fmt: skip
    stored = count_postings(factory)
    log(f"store {data_dir}: {stored:,} postings so far, target {postings:,}")

    def rows_for(stored: int, done: list[tuple[int, int]]) -> int:
        """Rows to generate next: what is missing ÷ the share of rows stored so far."""
        rate = sum(s for _r, s in done) / sum(r for r, _s in done) if done else YIELD
        return min(chunk, math.ceil((postings - stored) / rate * 1.002) + 10)

    history = [(c["rows"], c["stored"]) for c in manifest["chunks"]]

    with concurrent.futures.ProcessPoolExecutor(max_workers=1) as pool:
        index = len(manifest["chunks"])
        pending = None
        if stored < postings:
            path = root / f"chunk{index:03d}.csv"
            pending = (
                path,
                pool.submit(_generate, str(path), rows_for(stored, history), seed + index),
            )
        while pending is not None:
            path, future = pending
            gen = future.result()
            pending = None
            log(f"chunk {index}: {int(gen['rows']):,} rows generated; importing")
            started = time.perf_counter()
            last = [started]

            def progress(
                done: int, total: int, _started: float = started, _last: list[float] = last,
                _index: int = index,
            ) -> None:  # fmt: skip
                now = time.perf_counter()
                if now - _last[0] >= 60 and total:
                    _last[0] = now
                    log(f"  chunk {_index}: {done / total:.0%} of the file read "
                        f"after {now - _started:.0f}s")  # fmt: skip

            report = import_postings(
                factory, path, source=f"bench{index}", reference=TODAY, rejects_dir=root,
                rejects_beside_input=False, progress=progress, tag=True, refresh_demand=False,
            )  # fmt: skip
            imported = time.perf_counter() - started
            now_stored = count_postings(factory)
            remaining = postings - now_stored
            if remaining > 0:  # generate the next chunk while this one's cube refreshes
                nxt = root / f"chunk{index + 1:03d}.csv"
                history.append((int(gen["rows"]), report.stored))
                rows = rows_for(now_stored, history)
                pending = (nxt, pool.submit(_generate, str(nxt), rows, seed + index + 1))
            stamp_undated(factory)
            started = time.perf_counter()
            cube = refresh(factory)
            refreshed = time.perf_counter() - started
            path.unlink()
            manifest["chunks"].append(
                {
                    "rows": int(gen["rows"]), "stored": report.stored,
                    "duplicates": report.duplicates, "rejected": report.rejected,
                    "import_seconds": round(imported, 1), "refresh_seconds": round(refreshed, 1),
                    "refresh_postings": cube.postings, "load": os.getloadavg(),
                }
            )  # fmt: skip
            manifest["postings"] = now_stored
            manifest_path.write_text(json.dumps(manifest, indent=1))
            log(
                f"chunk {index}: {report.stored:,} stored, {report.duplicates:,} duplicates, "
                f"{report.rejected:,} rejected in {imported:.0f}s "
                f"({gen['rows'] / imported:,.0f} rows/s); refresh {refreshed:.1f}s; "
                f"store {now_stored:,} postings; load {os.getloadavg()[0]:.1f}"
            )
            index += 1
    manifest["postings"] = count_postings(factory)
    manifest["complete"] = manifest["postings"] >= postings
    manifest["finished"] = dt.datetime.now().isoformat(timespec="seconds")
    manifest_path.write_text(json.dumps(manifest, indent=1))
    engine.dispose()
    return data_dir, manifest


def existing_store(data_dir: Path) -> tuple[Path, dict[str, Any]]:
    """A store measured as it is: its cube counts every posting (refreshed here)."""
    manifest_path = data_dir.parent / "build.json"
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    engine = create_engine_for(store_settings(data_dir))
    factory = session_factory(engine)
    upgrade(engine)
    stamped, counted = stamp_undated(factory)
    log(f"{stamped} undated postings stamped {TODAY} ({counted} of them already counted)")
    cube = refresh(factory)
    log(f"{data_dir}: cube refresh counted {cube.postings:,} more postings in {cube.seconds:.0f}s")
    manifest["postings"] = count_postings(factory)
    manifest_path.write_text(json.dumps(manifest, indent=1))
    engine.dispose()
    return data_dir, manifest


def add_registry(data_dir: Path, manifest: dict[str, Any], manifest_path: Path) -> None:
    """The demo's colleges, majors offered, cohorts and courses (generated files through
    the real importers), so that supply and advice have something to weigh; and an
    analyst to read the pages as."""
    if manifest.get("registry"):
        return
    from talentbridge.demo.generator import (
        COHORTS,
        COLLEGE_MAJORS,
        COURSES,
        ORGANIZATIONS,
        generate_demo_files,
    )
    from talentbridge.registry.courses import import_courses
    from talentbridge.registry.offerings import import_cohorts, import_college_majors
    from talentbridge.registry.organizations import import_organizations
    from talentbridge.store.tables import Organization, User

    files = data_dir.parent / "registry"
    generate_demo_files(files, seed=SEED, scale=0.05, today=TODAY)
    engine = create_engine_for(store_settings(data_dir))
    factory = session_factory(engine)
    for name, run in (
        (ORGANIZATIONS, import_organizations), (COLLEGE_MAJORS, import_college_majors),
        (COHORTS, import_cohorts), (COURSES, import_courses),
    ):  # fmt: skip
        report = run(factory, files / name, rejects_dir=files)
        log(f"registry: {name}: {report.stored} stored, {report.rejected} rejected")
    with factory.begin() as session:
        org = Organization(code="BENCHANALYST", kind="association", name_zh="基准协会")
        session.add(org)
        session.flush()
        session.add(User(username="bench-analyst", display_name="bench", password_hash="x",
                         role="analyst", organization_id=org.id, locale="zh"))  # fmt: skip
    engine.dispose()
    manifest["registry"] = True
    manifest_path.write_text(json.dumps(manifest, indent=1))


# --- step 3: the incremental refresh -------------------------------------------------------


def copy_store(data_dir: Path, target: Path) -> None:
    """A copy of the SQLite store (checkpointed first, so one file holds everything)."""
    import sqlite3

    db = data_dir / "talentbridge.db"
    con = sqlite3.connect(db)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    shutil.copyfile(db, target / "talentbridge.db")


def time_refresh(data_dir: Path, rows: int, repeats: int, seed: int) -> list[dict[str, Any]]:
    """On a fresh copy of the store each time: import ``rows`` new postings without the
    cube refresh, then time ``refresh`` alone."""
    work = OUT_DIR / "demand-refresh"
    work.mkdir(parents=True, exist_ok=True)
    csv_path = work / f"new{rows}.csv"
    write_postings_csv(csv_path, rows, seed=seed)
    runs = []
    for run in range(repeats):
        copy = work / "data"
        started = time.perf_counter()
        copy_store(data_dir, copy)
        log(f"refresh run {run + 1}: store copied in {time.perf_counter() - started:.0f}s")
        engine = create_engine_for(store_settings(copy))
        factory = session_factory(engine)
        try:
            started = time.perf_counter()
            report = import_postings(
                factory, csv_path, source="bench-new", reference=TODAY, rejects_dir=work,
                rejects_beside_input=False, tag=True, refresh_demand=False,
            )  # fmt: skip
            imported = time.perf_counter() - started
            load = os.getloadavg()[0]
            cpu = time.process_time()
            cube = refresh(factory)
            cpu = time.process_time() - cpu
            runs.append({
                "rows": rows, "stored": report.stored, "duplicates": report.duplicates,
                "rejected": report.rejected, "import_seconds": imported,
                "refresh_seconds": cube.seconds, "refresh_cpu": cpu, "counted": cube.postings,
                "rebuilt": cube.rebuilt, "load": load,
            })  # fmt: skip
            log(
                f"refresh run {run + 1}: import {report.stored:,} stored of {rows:,} in "
                f"{imported:.1f}s; refresh counted {cube.postings:,} in {cube.seconds:.2f}s "
                f"({cpu:.2f} CPU-s), rebuilt: {cube.rebuilt}"
            )
        finally:
            engine.dispose()
            shutil.rmtree(copy, ignore_errors=True)
    csv_path.unlink()
    return runs


CUBE_TABLES = ("demand_cell", "demand_salary_bin", "demand_skill", "demand_skill_salary_bin",
               "demand_occupation_skill", "demand_skill_pair", "demand_year")  # fmt: skip


def store_facts(data_dir: Path) -> dict[str, Any]:
    import sqlite3

    db = data_dir / "talentbridge.db"
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in CUBE_TABLES}
        postings = con.execute("SELECT count(*) FROM posting").fetchone()[0]
        tags = con.execute("SELECT count(*) FROM posting_concept").fetchone()[0]
        tagged = con.execute(
            "SELECT count(*) FROM posting WHERE occupation_id IS NOT NULL"
        ).fetchone()[0]
        months = con.execute(
            "SELECT min(month), max(month), count(DISTINCT month) FROM demand_cell "
            "WHERE region = 'all'"
        ).fetchone()
        regions = con.execute(
            "SELECT region, sum(postings) FROM demand_cell WHERE region IN "
            "('circle', 'c:510100', 'p:500000') GROUP BY region"
        ).fetchall()
    finally:
        con.close()
    size = sum(f.stat().st_size for f in data_dir.glob("talentbridge.db*"))
    return {"cube": counts, "postings": postings, "posting_concepts": tags,
            "classified": tagged, "months": months, "regions": dict(regions), "bytes": size}  # fmt: skip
