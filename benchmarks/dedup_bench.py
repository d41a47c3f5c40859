"""Deduplication benchmark: keys, fingerprints and the batch step on generated postings.

Run: ``.venv/bin/python benchmarks/dedup_bench.py [--postings 20000] [--repeats 5]``

Generates the demo posting files (about 600 characters of description each, with the
generator's exact and near re-posts), reads them once, then times, per posting and over
``--repeats`` runs, the dedup work an import does: ``posting_keys`` (normalization,
content hash, block key, 64-bit fingerprint) and ``dedup_batch`` against fresh indexes.
Prints the median microseconds per posting, a breakdown, and the decisions. Reading the
files is not timed here (the ingestion benchmark times the whole pipeline).
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from talentbridge.demo import postings as pg
from talentbridge.demo.generator import POSTINGS_AT_SCALE_1, generate_demo_files
from talentbridge.pipeline.dedup import (
    DedupInput,
    NearDuplicateIndex,
    block_key,
    content_hash,
    dedup_batch,
    fingerprint,
    normalize_for_hash,
    posting_keys,
    simhash,
)
from talentbridge.pipeline.readers import read_table

COLUMNS = {  # file: (title, company, place, description)
    pg.BOARD_A: ("职位名称", "公司", "工作地点", "职位描述"),
    pg.BOARD_B: ("title", "company", "city", "description"),
    pg.PARTNER: ("title", "employer", "location", "description"),
}

Row = tuple[str, str, str, str]


def load_rows(count: int) -> list[Row]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        generate_demo_files(
            out, seed=2026, scale=count / POSTINGS_AT_SCALE_1, today=dt.date(2025, 5, 20)
        )
        rows: list[Row] = []
        for name, (title, company, place, description) in COLUMNS.items():
            with read_table(out / name) as table:
                for r in table:
                    city = r.get(place).removeprefix("四川省")[
                        :2
                    ]  # stand-in for the place normalizer
                    rows.append((r.get(title), r.get(company), city, r.values.get(description, "")))
    return rows[:count]


def run_once(rows: list[Row]) -> tuple[float, Counter[str]]:
    start = time.perf_counter()
    keys = [posting_keys(title=t, company=c, location=p, description=d) for t, c, p, d in rows]
    records = [
        DedupInput(k.content_hash, k.block_key, k.fingerprint, i) for i, k in enumerate(keys)
    ]
    decisions = dedup_batch(records, {}, NearDuplicateIndex())
    elapsed = time.perf_counter() - start
    return elapsed, Counter(d.kind for d in decisions)


def per_posting(rows: list[Row], step: Callable[[Row], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        for row in rows:
            step(row)
        times.append(time.perf_counter() - start)
    return statistics.median(times) / len(rows) * 1e6


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postings", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    rows = load_rows(args.postings)
    chars = statistics.mean(len(d) for *_, d in rows)
    print(f"{len(rows)} postings, mean description {chars:.0f} characters")
    print(f"python {platform.python_version()}, one core of {cpu_name()}")

    run_once(rows[:500])  # warm-up (numpy, regex caches)
    times: list[float] = []
    kinds: Counter[str] = Counter()
    for _ in range(args.repeats):
        elapsed, kinds = run_once(rows)
        times.append(elapsed)
    median = statistics.median(times)
    print(
        f"keys + dedup_batch: median {median / len(rows) * 1e6:.1f} µs/posting "
        f"({len(rows) / median:,.0f} postings/s; runs: "
        + ", ".join(f"{t:.2f}s" for t in times)
        + ")"
    )
    print("decisions:", dict(kinds))

    sample = rows[: min(len(rows), 5000)]
    parts: dict[str, Callable[[Row], object]] = {
        "normalize_for_hash(description)": lambda r: normalize_for_hash(r[3]),
        "content_hash": lambda r: content_hash(
            title=r[0], company=r[1], location=r[2], description=r[3]
        ),
        "block_key": lambda r: block_key(company=r[1], title=r[0]),
        "fingerprint(description)": lambda r: fingerprint(r[3]),
        "simhash(description) (not used by dedup)": lambda r: simhash(r[3]),
    }
    print(f"breakdown (median over {args.repeats} runs of {len(sample)} postings):")
    for label, step in parts.items():
        print(f"  {label:42s} {per_posting(sample, step, args.repeats):7.1f} µs")


if __name__ == "__main__":
    main()
