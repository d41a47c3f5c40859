"""Ingestion benchmark: generated postings → ``import_postings`` into a fresh SQLite store.

Run: ``.venv/bin/python benchmarks/ingest_bench.py [--rows 20000] [--repeats 3] [--million]``

1. Streams a CSV of ``--rows`` generated postings to disk (the demo generator's postings,
   about 600 Chinese characters of description each, every board's salary/place/
   education/date forms, about 4% exact and near re-posts, a few broken rows) and
   times ``import_postings`` end to end into a fresh SQLite store, ``--repeats`` times
   (median). A per-stage split is timed separately over the same rows: read + header
   mapping, ``normalize_posting``, ``posting_keys``; the rest (dedup decisions and the
   batched inserts) is the remainder of the end-to-end time.
2. Baseline in the same process: ``pandas.read_csv`` of the same file +
   ``DataFrame.to_sql`` into a fresh SQLite file (no normalization), same repeats.
3. ``--million``: streams a 1,000,000-posting CSV to disk and imports it in a child
   process; reports the child's peak RSS (``VmHWM`` of its own address space; on Linux
   ``ru_maxrss`` would also count this parent's peak, which a child inherits through
   fork + exec) and its throughput.
4. ``--profile``: one more import under cProfile; prints the top functions by
   cumulative time.

Results are printed as a markdown table with the machine and written to
``benchmarks/out/ingest.md``. One core: the pipeline is single-threaded.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import datetime as dt
import io
import json
import os
import platform
import pstats
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from bisect import bisect
from collections import deque
from collections.abc import Callable
from itertools import accumulate
from pathlib import Path
from typing import Any

from talentbridge.config import load_settings
from talentbridge.demo import generator as gen
from talentbridge.demo import postings as pg
from talentbridge.pipeline.columns import apply, map_headers
from talentbridge.pipeline.dedup import posting_keys
from talentbridge.pipeline.normalize import PostingDraft, normalize_posting
from talentbridge.pipeline.postings import import_postings
from talentbridge.pipeline.readers import read_table
from talentbridge.store.engine import create_engine_for, session_factory
from talentbridge.store.migrate import upgrade
from talentbridge.taxonomy.concepts import load_bundled_taxonomy
from talentbridge.taxonomy.majors import load_bundled_majors
from talentbridge.taxonomy.occupations import load_bundled_occupations

TODAY = dt.date(2025, 5, 20)
SEED = 2026
OUT_DIR = Path(__file__).resolve().parent / "out"
HEADERS = pg.BOARD_A_HEADERS  # the Chinese headers of board A (职位名称, 薪资, 公司, ...)
EXACT_SAME_ROW = 0.015  # the same row again
EXACT_OTHER_BOARD = 0.010  # the same posting rendered in another board's style
NEAR_COPY = 0.015  # re-posted later with small edits
RECENT = 2_000  # re-posts come from the last RECENT postings (bounded memory)

# Each board's render() keys, in the order of HEADERS.
_KEYS = {
    pg.BOARD_A: pg.BOARD_A_HEADERS,
    pg.BOARD_B: pg.BOARD_B_HEADERS,
    pg.PARTNER: ("title", "salary_text", "employer", "location", "experience", "education",
                 "headcount", "posted_at", "description", "source"),
}  # fmt: skip


# --- generating the input ----------------------------------------------------------------


def _row(rendered: dict[str, object], board: str) -> list[str]:
    cells = []
    for key in _KEYS[board]:
        value = rendered.get(key)
        if value is None:
            cells.append("")
        elif isinstance(value, dt.datetime):
            cells.append(value.strftime("%Y-%m-%d %H:%M"))
        else:
            cells.append(str(value))
    return cells


def write_postings_csv(path: Path, rows: int, *, seed: int = SEED) -> dict[str, float]:
    """Stream ``rows`` generated postings to a UTF-8 CSV; nothing is held but a small window.

    Reuses the demo generator's posting model and its three boards' renderings, so the
    salary, place, education, experience and date cells come in every form the demo
    files use, and descriptions are the demo's (400–800 characters, some as HTML).
    """
    rng = random.Random(seed)
    _org_rows, employers = gen._org_rows(rng)
    factory = pg.PostingFactory(rng, employers, TODAY)
    boards_cum = list(accumulate(pg.BOARD_SHARES))
    recent: deque[tuple[pg.Posting, str, list[str]]] = deque(maxlen=RECENT)
    counts = {"exact": 0, "near": 0, "bad": 0}
    chars = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(HEADERS)
        for seq in range(rows):
            r = rng.random()
            if recent and r < EXACT_SAME_ROW + EXACT_OTHER_BOARD + NEAR_COPY:
                posting, board, cells = recent[rng.randrange(len(recent))]
                if r < EXACT_SAME_ROW:
                    counts["exact"] += 1
                elif r < EXACT_SAME_ROW + EXACT_OTHER_BOARD:
                    other = rng.choice([b for b in pg.BOARDS if b != board])
                    cells = _row(pg.render(rng, posting, other, TODAY), other)
                    counts["exact"] += 1
                else:
                    near = pg._near_copy(rng, posting, TODAY)
                    other = rng.choice(pg.BOARDS)
                    cells = _row(pg.render(rng, near, other, TODAY), other)
                    counts["near"] += 1
            else:
                posting = factory.draw(seq)
                if rng.random() < pg.BAD_ROW_SHARE:
                    posting.bad = "title" if rng.random() < 0.5 else "salary"
                    counts["bad"] += 1
                board = pg.BOARDS[bisect(boards_cum, rng.random() * boards_cum[-1])]
                cells = _row(pg.render(rng, posting, board, TODAY), board)
                if not posting.bad:
                    recent.append((posting, board, cells))
            chars += len(cells[8])
            writer.writerow(cells)
    return {
        "rows": rows,
        "exact": counts["exact"],
        "near": counts["near"],
        "bad": counts["bad"],
        "mean_chars": chars / max(rows, 1),
        "bytes": path.stat().st_size,
    }


# --- timing ------------------------------------------------------------------------------


def fresh_store(root: Path) -> Any:
    settings = load_settings({"TALENTBRIDGE_DATA_DIR": str(root)})
    engine = create_engine_for(settings)
    upgrade(engine)
    return engine


def time_import(
    csv_path: Path, root: Path, *, extraction: bool = False
) -> tuple[float, dict[str, Any]]:
    """One end-to-end import into a fresh store under ``root``: wall seconds and the
    report's counts, with ``cpu``: this process's CPU seconds (robust on a busy machine).

    ``extraction`` installs the bundled occupations and skill taxonomy first, so every
    new posting is also tagged with skills and an occupation (issue 4's step); without
    it the store has no taxonomy and the tagging step does nothing.
    """
    engine = fresh_store(root / "store")
    try:
        factory = session_factory(engine)
        if extraction:
            load_bundled_majors(factory)
            load_bundled_occupations(factory)
            load_bundled_taxonomy(factory)
        cpu = time.process_time()
        start = time.perf_counter()
        report = import_postings(
            factory,
            csv_path,
            source="bench",
            reference=TODAY,
            rejects_dir=root,
            rejects_beside_input=False,
        )
        elapsed = time.perf_counter() - start
        cpu = time.process_time() - cpu
    finally:
        engine.dispose()
    counts: dict[str, Any] = {
        "cpu": cpu,
        "read": report.read,
        "stored": report.stored,
        "duplicates": report.duplicates,
        "rejected": report.rejected,
        "balanced": int(report.balanced),
    }
    return elapsed, counts


def time_stages(csv_path: Path) -> dict[str, float]:
    """Seconds for read + map, normalize and dedup keys over every row of the file."""
    start = time.perf_counter()
    with read_table(csv_path) as table:
        cmap = map_headers(list(table.columns or ()))
        mapped = [apply(row.values, cmap) for row in table]
    read_map = time.perf_counter() - start

    start = time.perf_counter()
    drafts = [
        d
        for fields, extra in mapped
        if isinstance(
            d := normalize_posting(fields, reference=TODAY, attributes=extra), PostingDraft
        )
    ]
    normalize = time.perf_counter() - start

    start = time.perf_counter()
    for d in drafts:
        posting_keys(
            title=d.title,
            company=d.employer_name,
            location=d.city_code or d.place_text or "",
            description=d.description,
        )
    keys = time.perf_counter() - start
    return {"read + map": read_map, "normalize_posting": normalize, "posting_keys": keys}


def pandas_available() -> bool:
    try:
        import pandas  # noqa: F401
    except ImportError:
        return False
    return True


def time_pandas(csv_path: Path, root: Path) -> tuple[float, dict[str, Any]]:
    """``read_csv`` + ``to_sql`` into a fresh SQLite file (WAL, synchronous=NORMAL as ours)."""
    import pandas as pd

    db = root / "pandas.db"
    con = sqlite3.connect(db)
    try:
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA synchronous=NORMAL")
        cpu = time.process_time()
        start = time.perf_counter()
        frame = pd.read_csv(csv_path, dtype=str, keep_default_na=False)
        frame.to_sql("postings", con, index=False, chunksize=500)
        con.commit()
        elapsed = time.perf_counter() - start
        cpu = time.process_time() - cpu
        rows = con.execute("SELECT count(*) FROM postings").fetchone()[0]
    finally:
        con.close()
    return elapsed, {"rows": int(rows), "cpu": cpu}


def median_of(
    repeats: int, run: Callable[[Path], tuple[float, dict[str, Any]]]
) -> tuple[float, list[float], float, dict[str, Any]]:
    """Median wall seconds, every run's wall seconds, median CPU seconds, the last result."""
    times: list[float] = []
    cpus: list[float] = []
    last: dict[str, Any] = {}
    for _ in range(repeats):
        with tempfile.TemporaryDirectory(prefix="tb-bench-") as tmp:
            elapsed, last = run(Path(tmp))
        times.append(elapsed)
        cpus.append(last["cpu"])
    return statistics.median(times), times, statistics.median(cpus), last


def profile_import(csv_path: Path, top: int) -> str:
    with tempfile.TemporaryDirectory(prefix="tb-prof-") as tmp:
        profiler = cProfile.Profile()
        profiler.enable()
        time_import(csv_path, Path(tmp))
        profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(top)
    out.write("\n--- by own time ---\n")
    stats.sort_stats("tottime").print_stats(top)
    return out.getvalue()


# --- the million-row child ----------------------------------------------------------------


def _rss_mb(field: str = "VmRSS") -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return 0.0


class RssSampler:
    """Samples this process's RSS twice a second (Linux) to say *when* it peaked: the
    high-water mark alone cannot tell a slow climb from a spike at the end."""

    def __init__(self) -> None:
        self.start = time.perf_counter()
        self.peak = (0.0, 0.0)  # (seconds since start, MB)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.5):
            try:
                rss = _rss_mb()
            except OSError:
                return
            if rss > self.peak[1]:
                self.peak = (time.perf_counter() - self.start, rss)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()


def child_import(csv_path: Path, data_dir: Path) -> None:
    """Run in a child process: import once, print JSON with seconds, counts, own peak RSS
    and when (seconds after the start) the sampled RSS peaked."""
    with RssSampler() as sampler:
        elapsed, counts = time_import(csv_path, data_dir)
        total = time.perf_counter() - sampler.start
    # The high-water mark of this process's own address space. ``ru_maxrss`` is not it:
    # Linux keeps the larger of it and the parent's peak at fork + exec (measured: a child
    # of a 600 MB parent reports 600 MB there and 14 MB here).
    peak_kb = _rss_mb("VmHWM") * 1024
    inherited_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    at, sampled = sampler.peak
    print(
        json.dumps(
            {
                "seconds": elapsed,
                "counts": counts,
                "self_peak_kb": peak_kb,
                "ru_maxrss_kb": inherited_kb,
                "sampled_peak_mb": sampled,
                "sampled_peak_at": at,
                "child_seconds": total,
            }
        )
    )


def million(rows: int, workdir: Path) -> dict[str, Any]:
    csv_path = workdir / f"postings_{rows}.csv"
    start = time.perf_counter()
    gen_stats = write_postings_csv(csv_path, rows, seed=SEED + 1)
    generate = time.perf_counter() - start
    print(
        f"[million] generated {rows:,} rows ({gen_stats['bytes'] / 1e9:.2f} GB) "
        f"in {generate:.0f}s; importing in a child process...",
        flush=True,
    )
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    before = usage.ru_maxrss
    cpu_before = usage.ru_utime + usage.ru_stime
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, __file__, "--child-import", str(csv_path), str(workdir / "child")],
        check=True,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    after = usage.ru_maxrss
    child_cpu = usage.ru_utime + usage.ru_stime - cpu_before
    result = json.loads(done.stdout.strip().splitlines()[-1])
    csv_path.unlink()
    return {
        "rows": rows,
        "bytes": gen_stats["bytes"],
        "mean_chars": gen_stats["mean_chars"],
        "peak_mb": result["self_peak_kb"] / 1024,
        "ru_maxrss_mb": max(after, result["ru_maxrss_kb"]) / 1024,
        "sampled_peak_mb": result["sampled_peak_mb"],
        "sampled_peak_at": result["sampled_peak_at"],
        "child_seconds": result["child_seconds"],
        "load": os.getloadavg(),
        "children_before_mb": before / 1024,
        "seconds": result["seconds"],
        "wall": wall,
        "rate": rows / result["seconds"],
        "cpu": result["counts"]["cpu"],
        "child_cpu": child_cpu,
        "cpu_rate": rows / result["counts"]["cpu"],
        "counts": result["counts"],
    }


# --- reporting ------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "CPU": cpu,
        "cores": str(os.cpu_count()),
        "OS": f"{platform.system()} {platform.release()}",
        "Python": platform.python_version(),
        "SQLite": sqlite3.sqlite_version,
        "date": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--million", action="store_true", help="also the 1,000,000-row run")
    parser.add_argument("--million-rows", type=int, default=1_000_000, help=argparse.SUPPRESS)
    parser.add_argument("--profile", action="store_true", help="cProfile one import")
    parser.add_argument("--top", type=int, default=25, help="functions listed by --profile")
    parser.add_argument("--child-import", nargs=2, metavar=("CSV", "DIR"), help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child_import:
        child_import(Path(args.child_import[0]), Path(args.child_import[1]))
        return

    has_pandas = pandas_available()
    if not has_pandas:
        print(
            "pandas is not installed: the baseline is skipped. Install the benchmark extra: "
            ".venv/bin/pip install -e '.[bench]'",
            file=sys.stderr,
        )

    host = machine()
    lines: list[str] = []
    with tempfile.TemporaryDirectory(prefix="tb-bench-input-") as tmp:
        csv_path = Path(tmp) / f"postings_{args.rows}.csv"
        start = time.perf_counter()
        gen_stats = write_postings_csv(csv_path, args.rows)
        print(
            f"generated {args.rows:,} postings in {time.perf_counter() - start:.1f}s: "
            f"mean description {gen_stats['mean_chars']:.0f} characters, "
            f"{gen_stats['bytes'] / 1e6:.1f} MB, exact re-posts {gen_stats['exact']}, "
            f"near {gen_stats['near']}, broken {gen_stats['bad']}",
            flush=True,
        )
        time_import(csv_path, Path(tmp) / "warmup")  # imports, OpenCC, regex caches

        ours, ours_runs, ours_cpu, counts = median_of(
            args.repeats, lambda root: time_import(csv_path, root)
        )
        rate = args.rows / ours
        cpu_rate = args.rows / ours_cpu
        print(
            f"import_postings: median {ours:.2f}s = {rate:,.0f} postings/s "
            f"({cpu_rate:,.0f} per CPU-second) {counts}",
            flush=True,
        )
        tagged, _runs, tagged_cpu, _tagged_counts = median_of(
            args.repeats, lambda root: time_import(csv_path, root, extraction=True)
        )
        print(
            f"import_postings with skill extraction: median {tagged:.2f}s = "
            f"{args.rows / tagged:,.0f} postings/s ({args.rows / tagged_cpu:,.0f} per CPU-second)",
            flush=True,
        )
        stages = time_stages(csv_path)

        base = base_rate = base_cpu_rate = None
        base_runs: list[float] = []
        if has_pandas:
            base, base_runs, base_cpu, base_result = median_of(
                args.repeats, lambda root: time_pandas(csv_path, root)
            )
            base_rate = base_result["rows"] / base
            base_cpu_rate = base_result["rows"] / base_cpu
            print(f"pandas read_csv + to_sql: median {base:.2f}s = {base_rate:,.0f} rows/s")

        profile = profile_import(csv_path, args.top) if args.profile else ""

    big = None
    if args.million:
        with tempfile.TemporaryDirectory(prefix="tb-bench-million-") as tmp:
            big = million(args.million_rows, Path(tmp))
        print(
            f"[million] {big['rate']:,.0f} postings/s, peak RSS {big['peak_mb']:.0f} MB "
            f"{big['counts']}",
            flush=True,
        )

    runs = ", ".join(f"{t:.2f}s" for t in ours_runs)
    lines += [
        f"Command: `.venv/bin/python benchmarks/ingest_bench.py --rows {args.rows} "
        f"--repeats {args.repeats}{' --million' if args.million else ''}`",
        "",
        f"Input: {args.rows:,} generated postings in one CSV ({gen_stats['bytes'] / 1e6:.1f} MB), "
        f"mean description {gen_stats['mean_chars']:.0f} characters; "
        f"{gen_stats['exact']} exact and {gen_stats['near']} near re-posts, "
        f"{gen_stats['bad']} broken rows.",
        "",
        "Wall-clock figures depend on what else the machine runs; the CPU column divides by"
        " the process's CPU seconds (`time.process_time`, or the child's `ru_utime + ru_stime`)"
        " and is steadier on a shared machine.",
        "",
        "| Measurement | Wall clock | Per CPU-second |",
        "|---|---|---|",
        f"| `import_postings` end to end, {args.rows:,} postings (median of {args.repeats}: "
        f"{runs}) | **{rate:,.0f} postings/s** ({ours / args.rows * 1e6:,.0f} µs/posting) "
        f"| {cpu_rate:,.0f} postings/s |",
        f"| stored / duplicates / rejected | {counts['stored']:,} / {counts['duplicates']:,} / "
        f"{counts['rejected']:,} (balanced: {bool(counts['balanced'])}) | |",
        f"| `import_postings` with skill extraction and occupation classification (bundled "
        f"taxonomy loaded; median of {args.repeats}) | **{args.rows / tagged:,.0f} postings/s** "
        f"| {args.rows / tagged_cpu:,.0f} postings/s |",
    ]
    for label, seconds in stages.items():
        lines.append(
            f"| stage: {label} | {seconds / args.rows * 1e6:,.0f} µs/posting "
            f"({seconds / ours:.0%} of end to end) | |"
        )
    rest = ours - sum(stages.values())
    lines.append(
        f"| stage: dedup decisions + batched inserts + bookkeeping (remainder) | "
        f"{rest / args.rows * 1e6:,.0f} µs/posting ({rest / ours:.0%}) | |"
    )
    if base is not None and base_rate is not None and base_cpu_rate is not None:
        base_text = ", ".join(f"{t:.2f}s" for t in base_runs)
        lines += [
            f"| baseline: pandas `read_csv` + `to_sql`, no normalization (median of "
            f"{args.repeats}: {base_text}) | {base_rate:,.0f} rows/s | {base_cpu_rate:,.0f} rows/s |",
            f"| ratio ours / pandas | {rate / base_rate:.3f}× (pandas {base_rate / rate:.0f}× faster) "
            f"| {cpu_rate / base_cpu_rate:.3f}× |",
        ]
    else:
        lines.append("| baseline: pandas | not run (pandas not installed) | |")
    if big is not None:
        lines += [
            f"| `import_postings`, {big['rows']:,} postings ({big['bytes'] / 1e9:.2f} GB CSV), "
            f"child process | **{big['rate']:,.0f} postings/s** ({big['seconds']:.0f}s) "
            f"| {big['cpu_rate']:,.0f} postings/s ({big['cpu']:.0f} CPU-s) |",
            f"| peak RSS of that child (its own `VmHWM`) | **{big['peak_mb']:.0f} MB** "
            f"(sampled every 0.5 s: {big['sampled_peak_mb']:.0f} MB at "
            f"{big['sampled_peak_at']:.0f} s of {big['child_seconds']:.0f} s; `ru_maxrss` "
            f"{big['ru_maxrss_mb']:.0f} MB includes this benchmark process's own peak, which "
            f"Linux carries into a child across fork + exec) | |",
            f"| load average (1, 5, 15 min) when that child ended | "
            f"{', '.join(f'{x:.1f}' for x in big['load'])} on {os.cpu_count()} cores | |",
            f"| stored / duplicates / rejected ({big['rows']:,} rows) | {big['counts']['stored']:,} / "
            f"{big['counts']['duplicates']:,} / {big['counts']['rejected']:,} | |",
        ]
    lines += ["", "Machine:", ""]
    lines += [f"- {key}: {value}" for key, value in host.items()]
    if profile:
        lines += ["", "cProfile of one import:", "", "```", profile.strip(), "```"]
    text = "\n".join(lines) + "\n"
    print()
    print(text)
    OUT_DIR.mkdir(exist_ok=True)
    (OUT_DIR / "ingest.md").write_text(text, encoding="utf-8")
    print(f"written to {OUT_DIR / 'ingest.md'}")


if __name__ == "__main__":
    main()
