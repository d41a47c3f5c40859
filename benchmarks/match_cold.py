"""Matching index cold start (issue 6): a fresh process's first ``index_for`` on a store,
without and with the token cache (``matching.token_cache``).

Run: ``.venv/bin/python benchmarks/match_cold.py [--demo DIR] [--postings 100000]
[--profiles 20000] [--store DIR] [--repeats 3] [--write-docs]``

Stores:

* **demo**: the demo store at scale 1 (``demo.build.build_demo``, seed 2026, the fixed
  date of the browser tests), built into ``--demo DIR`` unless it is there already;
* **generated**: ``--postings`` postings and ``--profiles`` profiles written with plain
  inserts into a migrated SQLite store (``--store DIR``, kept and reused): the facts of
  ``match_bench.synthesize`` (concepts from the bundled taxonomy, cities, pay, wishes),
  but Chinese texts made of words drawn from jieba's own dictionary by its frequencies
  (clauses of 2-7 words between punctuation, about 300 characters a posting and 150 a
  profile summary) plus the document's concept labels. Its runs of characters hardly
  repeat, unlike the demo's generated postings, so it shows what segmentation costs on
  varied text.

Each measurement is a fresh Python process (``python match_cold.py --child ...``) that
imports the package, opens the store and times ``index_for(factory)``: wall time and the
process's CPU time (``time.process_time``; the machine's 2 CPUs are shared with other
sessions). Modes:

* ``before``: the code before this change (``--before-src DIR/src`` after ``git archive
  8328a54 src | tar -x -C DIR``): no token cache, jieba over every whole text, the facts
  read through the ORM's result processing; without ``--before-src``, the current code
  with the token cache deleted and the run memo of ``bm25.segment`` switched off;
* ``no cache``: the cache file deleted first (a first start, or a changed tokenizer);
* ``warm cache``: the file the previous build wrote is read;
* ``warm, 1 % edited``: as ``warm cache`` after 1 % of the postings' requirements were
  rewritten (those texts are segmented again).

Medians of ``--repeats`` processes per mode.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from docs_section import replace_subsection

HEADING = "## Matching speed (issue 6)"
SUBHEADING = "### Cold start"
STAGES_HEADING = "### Cold start: where the time went"
SEED = 61
ROOT = Path(__file__).resolve().parents[1]


# --- the child: one fresh process, one index_for ------------------------------------------


def child(directory: Path, mode: str) -> None:
    started = (time.perf_counter(), time.process_time())
    import talentbridge
    from talentbridge.config import load_settings
    from talentbridge.matching import bm25
    from talentbridge.matching.index import index_for
    from talentbridge.store.engine import create_engine_for, session_factory

    settings = load_settings({"TALENTBRIDGE_DATA_DIR": str(directory)})
    engine = create_engine_for(settings)
    url = engine.url.render_as_string(hide_password=True)
    paths = []
    try:  # absent from the code before the cache (--before-src)
        from talentbridge.matching import token_cache

        paths = [p for side in token_cache.SIDES if (p := token_cache.cache_file(url, side))]
    except ImportError:
        pass
    if mode in ("before", "no cache"):
        for path in paths:
            path.unlink(missing_ok=True)
    if mode == "before" and hasattr(bm25, "_run_tokens"):
        bm25._run_tokens = bm25._run_tokens.__wrapped__
    imported = (time.perf_counter(), time.process_time())
    index = index_for(session_factory(engine))
    done = (time.perf_counter(), time.process_time())
    engine.dispose()
    print(
        json.dumps(
            {
                "import_wall": imported[0] - started[0],
                "import_cpu": imported[1] - started[1],
                "wall": done[0] - imported[0],
                "cpu": done[1] - imported[1],
                "postings": len(index.postings),
                "profiles": len(index.profiles),
                "segmented": getattr(index.postings.text.docs, "segmented", -1)
                + getattr(index.profiles.tokens, "segmented", -1),
                "code": str(Path(talentbridge.__file__).parents[1]),
                "cache_mb": sum(p.stat().st_size for p in paths if p.exists()) / 2**20,
            }
        )
    )


BEFORE_SRC: list[Path] = []  # --before-src: the code before the token cache


def stages(directory: Path) -> None:
    """CPU and wall seconds of each step of an index build without any cache or memo
    (what a fresh process paid before the token cache), one JSON line per step."""
    marks: list[tuple[str, float, float]] = []
    last = [time.perf_counter(), time.process_time()]

    def mark(name: str) -> None:
        now = [time.perf_counter(), time.process_time()]
        marks.append((name, now[0] - last[0], now[1] - last[1]))
        last[:] = now

    from talentbridge.config import load_settings
    from talentbridge.matching import bm25
    from talentbridge.matching import index as ix
    from talentbridge.matching.facts import load_postings, load_profiles, load_reference
    from talentbridge.matching.version import store_version
    from talentbridge.store.engine import create_engine_for, session_factory
    from talentbridge.taxonomy.segment import base_tokenizer

    mark("imports")
    engine = create_engine_for(load_settings({"TALENTBRIDGE_DATA_DIR": str(directory)}))
    with session_factory(engine)() as session:
        store_version(session)
        mark("store version")
        reference = load_reference(session)
        postings = load_postings(session)
        mark("facts: postings")
        profiles = load_profiles(session, reference)
        mark("facts: profiles and reference")
    engine.dispose()
    base_tokenizer()
    mark("jieba: dictionary (and the taxonomy's bigrams)")
    whole = getattr(bm25, "_run_tokens", None)
    if whole is not None:
        bm25._run_tokens = whole.__wrapped__  # no memo: jieba on every run
    tokens = {p.text: bm25.segment(p.text) for p in postings}
    mark(f"segment {len(postings):,} posting texts ({sum(len(p.text) for p in postings):,} chars)")
    tokens |= {q.text: bm25.segment(q.text) for q in profiles}
    mark(f"segment {len(profiles):,} profile texts ({sum(len(q.text) for q in profiles):,} chars)")
    space = ix.Space.build(reference, postings, profiles)
    side = ix.PostingSide.build(postings, space, tokenize=tokens.__getitem__)
    ix.ProfileSide.build(profiles, space, side.text, tokenize=tokens.__getitem__)
    mark("arrays: concepts, counts, BM25, queries")
    for name, wall, cpu in marks:
        print(json.dumps({"stage": name, "wall": wall, "cpu": cpu}))


def warm_stages(directory: Path) -> None:
    """The same steps for the current code reading the token cache (one JSON line each)."""
    marks: list[tuple[str, float, float]] = []
    last = [time.perf_counter(), time.process_time()]

    def mark(name: str) -> None:
        now = [time.perf_counter(), time.process_time()]
        marks.append((name, now[0] - last[0], now[1] - last[1]))
        last[:] = now

    from talentbridge.config import load_settings
    from talentbridge.matching import index as ix
    from talentbridge.matching import token_cache
    from talentbridge.matching.facts import load_postings, load_profiles, load_reference
    from talentbridge.matching.version import store_version
    from talentbridge.store.engine import create_engine_for, session_factory

    mark("imports")
    engine = create_engine_for(load_settings({"TALENTBRIDGE_DATA_DIR": str(directory)}))
    with session_factory(engine)() as session:
        version = store_version(session)
        mark("store version")
        stored = token_cache.found(session, version.url)
        assert stored is not None and stored.postings is not None
        mark("token cache: read and check both files")
        reference = load_reference(session)
        postings = load_postings(session)
        mark("facts: postings")
        profiles = load_profiles(session, reference)
        mark("facts: profiles and reference")
    engine.dispose()
    space = ix.Space.build(reference, postings, profiles)
    side = ix.PostingSide.build(postings, space, previous=stored.postings)
    mark("arrays: postings (concepts, counts reused, BM25)")
    ix.ProfileSide.build(profiles, space, side.text, previous=stored.profiles)
    mark("arrays: profiles (concepts, counts reused, queries)")
    for name, wall, cpu in marks:
        print(json.dumps({"stage": name, "wall": wall, "cpu": cpu}))


def measure(directory: Path, mode: str) -> dict[str, Any]:
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    if mode == "before" and BEFORE_SRC:
        env["PYTHONPATH"] = str(BEFORE_SRC[0])
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(directory), "--mode", mode],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])  # type: ignore[no-any-return]


# --- stores ---------------------------------------------------------------------------------


def demo_store(directory: Path) -> Path:
    if not (directory / "talentbridge.db").exists():
        from talentbridge.config import load_settings
        from talentbridge.demo.build import build_demo

        settings = load_settings(
            {"TALENTBRIDGE_DATA_DIR": str(directory), "TALENTBRIDGE_DEMO": "true"}
        )
        print(f"building the demo store in {directory} …", flush=True)
        build_demo(settings, scale=1.0, today=dt.date(2026, 11, 29))
    return directory


def dictionary_words() -> tuple[list[str], list[float]]:
    import importlib.util

    spec = importlib.util.find_spec("jieba")
    assert spec is not None and spec.origin
    words, weights = [], []
    with (Path(spec.origin).parent / "dict.txt").open(encoding="utf-8") as f:
        for line in f:
            word, freq, *_ = line.split()
            if 2 <= len(word) <= 4 and all("\u4e00" <= c <= "\u9fd5" for c in word):
                words.append(word)
                weights.append(float(freq))
    return words, weights


def chinese_texts(n: int, chars: int, labels: list[list[str]], seed: int) -> list[str]:
    import numpy as np

    rng = np.random.default_rng(seed)
    words, weights = dictionary_words()
    p = np.array(weights) / sum(weights)
    cumulative = np.cumsum(p)
    marks = "，，，；。、\n"
    out = []
    for i in range(n):
        target = max(40, int(rng.normal(chars, chars / 4)))
        drawn = np.searchsorted(cumulative, rng.random(target // 2) * cumulative[-1])
        pieces, size, at = [], 0, 0
        own = labels[i] if i < len(labels) else []
        while size < target and at < len(drawn):
            k = int(rng.integers(2, 8))
            clause = "".join(words[int(j)] for j in drawn[at : at + k])
            if own and rng.random() < 0.3:
                clause += own[int(rng.integers(len(own)))]
            at += k
            pieces.append(clause + marks[int(rng.integers(len(marks)))])
            size += len(pieces[-1])
        out.append("".join(pieces))
    return out


def generated_store(directory: Path, n_postings: int, n_profiles: int) -> Path:
    """A migrated SQLite store with synthesized postings and profiles (see the docstring)."""
    db_path = directory / "talentbridge.db"
    marker = directory / f"generated-{n_postings}-{n_profiles}"
    if db_path.exists() and marker.exists():
        return directory
    from sqlalchemy import create_engine

    from match_bench import synthesize
    from talentbridge.config import sqlite_url
    from talentbridge.store.migrate import upgrade

    directory.mkdir(parents=True, exist_ok=True)
    for old in directory.glob("talentbridge.db*"):
        old.unlink()
    print(f"generating {n_postings:,} postings and {n_profiles:,} profiles …", flush=True)
    postings, profiles, reference = synthesize(n_postings, n_profiles, seed=SEED)
    label = {i: c.label_zh or c.key for i, c in reference.concepts.items()}
    posting_texts = chinese_texts(
        n_postings,
        300,
        [[label[c] for c in p.required_concept_ids + p.preferred_concept_ids] for p in postings],
        SEED,
    )
    profile_texts = chinese_texts(
        n_profiles, 150, [[label[c] for c in q.concept_ids] for q in profiles], SEED + 1
    )
    engine = create_engine(sqlite_url(db_path))
    upgrade(engine)
    engine.dispose()
    now = "2025-06-01 00:00:00.000001"
    db = sqlite3.connect(db_path)
    db.execute("INSERT INTO organization (id, code, kind, name_zh, is_sample, created_at) "
               "VALUES (1, 'C1', 'college', 'c', 0, ?)", (now,))  # fmt: skip
    db.execute("INSERT INTO taxonomy (id, code, version, name, is_active, created_at) "
               "VALUES (1, 't', '1', 't', 1, ?)", (now,))  # fmt: skip
    db.executemany(
        "INSERT INTO concept (id, taxonomy_id, key, kind, label_zh, label_en, status) "
        "VALUES (?, 1, ?, ?, ?, ?, 'active')",
        [(c.id, c.key, c.kind, c.label_zh, c.label_en) for c in reference.concepts.values()],
    )
    db.executemany(
        "INSERT INTO posting (id, title, employer_name, salary_min, salary_max, "
        "salary_negotiable, city_code, in_circle, education_level, fresh_graduate, posted_on, "
        "description, requirements, content_hash, block_key, fingerprint, flag_count, "
        "is_sample, created_at) VALUES (?, ?, 'e', ?, ?, 0, ?, 1, ?, 0, ?, '', ?, ?, 'b', 0, 0, 0, ?)",
        [(p.id, text[:12], p.salary_min, p.salary_max, p.city_code, p.education_level,
          p.posted_on.isoformat() if p.posted_on else None, text, f"{p.id:064d}", now)
         for p, text in zip(postings, posting_texts, strict=True)],
    )  # fmt: skip
    db.executemany(
        "INSERT INTO posting_concept (posting_id, concept_id, start, end, surface, confidence, "
        "strength, negated, taxonomy_version) VALUES (?, ?, 0, 1, 'x', 1.0, ?, 0, 't')",
        ((p.id, c, s) for p in postings
         for cs, s in ((p.required_concept_ids, "required"), (p.preferred_concept_ids, "preferred"))
         for c in cs),
    )  # fmt: skip
    db.executemany(
        "INSERT INTO profile (id, organization_id, student_no, name, graduation_year, "
        "visible_to_employers, ranking_opt_out, is_sample, created_at) VALUES (?, 1, ?, 'n', ?, ?, ?, 0, ?)",
        [(q.id, str(q.id), q.graduation_year, q.visible_to_employers, q.ranking_opt_out, now)
         for q in profiles],
    )  # fmt: skip
    db.executemany(
        "INSERT INTO profile_concept (profile_id, concept_id, source, confirmed, created_at) "
        "VALUES (?, ?, 'self', 1, ?)",
        ((q.id, c, now) for q in profiles for c in q.concept_ids),
    )
    db.executemany(
        "INSERT INTO profile_wish (profile_id, city_codes, salary_min, occupation_ids, "
        "willing_to_relocate, willing_to_go_abroad, summary, updated_at) VALUES (?, ?, ?, '[]', ?, 0, ?, ?)",
        [(q.id, json.dumps(list(q.wish.city_codes)), q.wish.salary_floor, q.wish.relocate, text, now)
         for q, text in zip(profiles, profile_texts, strict=True)],
    )  # fmt: skip
    db.commit()
    db.close()
    marker.touch()
    return directory


def edit_postings(directory: Path, share: float, round_: int) -> int:
    """Rewrite the requirements of ``share`` of the postings (every k-th, shifted by the
    round), as an import would, and announce it; returns how many."""
    db = sqlite3.connect(directory / "talentbridge.db")
    (n,) = db.execute("SELECT count(*) FROM posting").fetchone()
    step = max(1, round(1 / share))
    cursor = db.execute(
        "UPDATE posting SET requirements = requirements || ? WHERE (id + ?) % ? = 0",
        (f"，第{round_}轮修改补充说明", round_, step),
    )
    db.execute(
        "INSERT INTO store_setting (key, value, updated_on) VALUES "
        "('matching.postings_version', ?, '2025-06-01') "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (str(round_),),
    )
    db.commit()
    db.close()
    return int(cursor.rowcount or n // step)


# --- the report -----------------------------------------------------------------------------


def median(runs: list[dict[str, float]], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def run_store(name: str, directory: Path, repeats: int, modes: list[str]) -> dict[str, object]:
    results: dict[str, list[dict[str, float]]] = {}
    for mode in modes:
        runs = []
        for r in range(repeats):
            if mode == "warm, 1 % edited":
                edited = edit_postings(directory, 0.01, r + 1)
            run = measure(directory, "warm cache" if mode.startswith("warm") else mode)
            if mode == "warm, 1 % edited":
                run["edited"] = edited
            runs.append(run)
            print(f"{name} {mode} #{r + 1}: {json.dumps(run)}", flush=True)
        results[mode] = runs
    return {"name": name, "results": results}


SHARED_POSTINGS = ROOT.parent / "shared" / "data" / "postings" / "51job-bigdata-2019.csv"


def memo_on_real_text(repeats: int = 3) -> str:
    """CPU seconds to segment the 51job file's postings (title and job information)
    with jieba on every run and with the run memo; median of ``repeats``."""
    import csv

    from talentbridge.matching import bm25
    from talentbridge.taxonomy.segment import base_tokenizer

    if not SHARED_POSTINGS.exists():
        return ""
    with SHARED_POSTINGS.open(encoding="gb18030", newline="") as f:
        texts = [row[0] + "\n" + row[-1] for row in list(csv.reader(f))[1:]]
    base_tokenizer()
    memo = bm25._run_tokens
    times: dict[str, list[float]] = {"jieba on every run": [], "run memo": []}
    same = True
    for _ in range(repeats):
        bm25._run_tokens = memo.__wrapped__  # type: ignore[assignment]
        started = time.process_time()
        plain = [bm25.segment(t) for t in texts]
        times["jieba on every run"].append(time.process_time() - started)
        bm25._run_tokens = memo
        memo.cache_clear()
        started = time.process_time()
        memoized = [bm25.segment(t) for t in texts]
        times["run memo"].append(time.process_time() - started)
        same = same and plain == memoized
    plain_s, memo_s = (statistics.median(v) for v in times.values())
    chars = sum(len(t) for t in texts)
    return (
        f"On real text, the 51job file's {len(texts):,} postings ({chars:,} characters, title "
        f"and job information; median of {repeats}): {plain_s:.2f} s of CPU with jieba on "
        f"every run, {memo_s:.2f} s with the run memo (×{plain_s / memo_s:.2f}), the same "
        f"tokens: {same}.\n"
    )


def stage_table(directory: Path, mode: str, env: dict[str, str]) -> str:
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(directory), "--mode", mode],
        check=True, capture_output=True, text=True, env=env,
    ).stdout  # fmt: skip
    rows = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    total = sum(r["cpu"] for r in rows)
    body = "\n".join(
        f"| {r['stage']} | {r['cpu']:.1f} | {100 * r['cpu'] / total:.0f} % | {r['wall']:.1f} |"
        for r in rows
    )
    return (
        "| step | CPU s | share | wall s |\n|---|---|---|---|\n"
        f"{body}\n| total | {total:.1f} | 100 % | {sum(r['wall'] for r in rows):.1f} |\n"
    )


def stage_report(directory: Path, args: argparse.Namespace) -> str:
    return re.sub(r"\n{3,}", "\n\n", _stage_report(directory, args))


def _stage_report(directory: Path, args: argparse.Namespace) -> str:
    from match_bench import machine

    load_before = os.getloadavg()[0]
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    if args.before_src:
        env["PYTHONPATH"] = str(args.before_src.resolve())
    table = stage_table(directory, "stages", env)
    warm = ""
    if (args.store / "talentbridge.db").exists():
        env.pop("PYTHONPATH", None)
        warm = (
            "\nWhat is left with the cache, on the generated store in "
            f"`{args.store.name}` (the current code, the cache files present):\n\n"
            + stage_table(args.store, "warm stages", env)
            + "\n"
        )
    return f"""{STAGES_HEADING}

Command: `.venv/bin/python benchmarks/match_cold.py --stages{" --before-src DIR/src" if args.before_src else ""} --write-docs`
({dt.date.today().isoformat()}; {machine()}; load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after).

Where a fresh process's first index build went on the demo store (scale 1) before the
token cache: {"the code of commit 8328a54" if args.before_src else "the current code with the run memo switched off"}, each step of `load_index` timed
apart in one process (the texts segmented once and looked up by the array build).

{table}
{warm}
{memo_on_real_text()}"""


def report(
    stores: list[dict[str, Any]], args: argparse.Namespace, loads: list[float], date: str
) -> str:
    from match_bench import machine

    lines = [
        SUBHEADING,
        "",
        f"Command: `.venv/bin/python benchmarks/match_cold.py --postings {args.postings} "
        f"--profiles {args.profiles} --repeats {args.repeats}"
        + (" --before-src DIR/src" if args.before_src else "")
        + " --write-docs`",
        f"({date}; {machine()}; load average {loads[0]:.1f} before, "
        f"{loads[1]:.1f} after, on the 2 CPUs shared with other sessions).",
        "",
        "A fresh process's first `index_for` (what the first jobs page or "
        "`web/warmup.py` pays after a restart), in seconds, median of "
        f"{args.repeats} processes per row; CPU is the process's own time. See the "
        "script's docstring for the stores and modes; 'before' ran "
        + (
            "the code before the token cache (commit 8328a54)."
            if args.before_src
            else "the current code without the cache and the run memo."
        ),
        "",
        "| store | mode | texts segmented | index_for wall | index_for CPU | CPU min–max | imports CPU | cache files |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for store in stores:
        results = store["results"]
        assert isinstance(results, dict)
        for mode, runs in results.items():
            segmented = median(runs, "segmented")
            texts = f"{segmented:,.0f}" if segmented >= 0 else "all"
            lines.append(
                f"| {store['name']} | {mode} | {texts} | "
                f"{median(runs, 'wall'):.1f} | {median(runs, 'cpu'):.1f} | "
                f"{min(r['cpu'] for r in runs):.1f}–{max(r['cpu'] for r in runs):.1f} | "
                f"{median(runs, 'import_cpu'):.1f} | {median(runs, 'cache_mb'):.0f} MB |"
            )
    lines.append("")
    for store in stores:
        results = store["results"]
        assert isinstance(results, dict)
        if "before" in results and "warm cache" in results:
            before, warm = median(results["before"], "cpu"), median(results["warm cache"], "cpu")
            cold = median(results["no cache"], "cpu") if "no cache" in results else float("nan")
            lines.append(
                f"- {store['name']}: CPU {before:.1f} s before → {cold:.1f} s without a cache "
                f"(run memo only, ×{before / cold:.1f}) → {warm:.1f} s with the cache "
                f"(×{before / warm:.1f})."
            )
    last = stores[-1]["results"]
    if "before" in last and "warm cache" in last and args.postings:
        scale = 1_000_000 / args.postings
        lines += [
            "",
            "Reading the figures: the run memo of `bm25.segment` pays on repeated text (the "
            "demo's generated postings repeat their phrases; for the 51job file see 'where the "
            "time went') and not on the "
            "generated store, whose runs hardly repeat: there 'no cache' is 'before' plus "
            "writing the cache, within the spread of the shared machine. With the cache a "
            "restart reads the facts from the store and builds the arrays (what is left; see "
            "'where the time went'); nothing is segmented. Extrapolated linearly, not "
            f"measured: at 1,000,000 postings about {median(last['warm cache'], 'cpu') * scale / 60:.0f} "
            f"minutes of CPU with the cache against {median(last['before'], 'cpu') * scale / 60:.0f} "
            "without.",
        ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--mode", default="warm cache", help=argparse.SUPPRESS)
    parser.add_argument("--demo", type=Path, default=Path("/tmp/talentbridge-cold/demo"))
    parser.add_argument("--store", type=Path, default=Path("/tmp/talentbridge-cold/generated"))
    parser.add_argument("--postings", type=int, default=100_000)
    parser.add_argument("--profiles", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--skip-before", action="store_true", help="leave out the 'before' mode")
    parser.add_argument(
        "--before-src",
        type=Path,
        help="'before' runs this source tree (e.g. `git archive 8328a54 src | tar -x -C DIR`, "
        "then DIR/src) instead of the current code without its run memo",
    )
    parser.add_argument("--write-docs", action="store_true")
    parser.add_argument(
        "--stages",
        action="store_true",
        help="only time the steps of a build (demo store; and --store with the cache)",
    )
    parser.add_argument("--render", type=Path, help="re-render a saved match_cold.json")
    args = parser.parse_args()
    if args.child:
        if args.mode == "stages":
            stages(args.child)
        elif args.mode == "warm stages":
            warm_stages(args.child)
        else:
            child(args.child, args.mode)
        return
    if args.render:
        saved = json.loads(args.render.read_text(encoding="utf-8"))
        args.postings, args.profiles, args.repeats = (
            saved["postings"],
            saved["profiles"],
            saved["repeats"],
        )
        args.before_src = saved["before_src"] and Path(saved["before_src"])
        section = report(saved["stores"], args, saved["loads"], saved["date"])
        if args.write_docs:
            replace_subsection(HEADING, SUBHEADING, section)
        print(section)
        return
    if args.stages:
        section = stage_report(demo_store(args.demo), args)
        if args.write_docs:
            replace_subsection(HEADING, STAGES_HEADING, section)
        print(section)
        return
    if args.before_src:
        BEFORE_SRC.append(args.before_src.resolve())
    modes = ["no cache", "warm cache", "warm, 1 % edited"]
    if not args.skip_before:
        modes.insert(0, "before")
    load_before = os.getloadavg()[0]
    stores = [run_store("demo (scale 1)", demo_store(args.demo), args.repeats, modes)]
    if args.postings:
        generated = generated_store(args.store, args.postings, args.profiles)
        stores.append(
            run_store(
                f"generated ({args.postings:,} postings, {args.profiles:,} profiles)",
                generated,
                args.repeats,
                modes,
            )
        )
    loads = [load_before, os.getloadavg()[0]]
    today = dt.date.today().isoformat()
    section = report(stores, args, loads, today)
    out = ROOT / "benchmarks" / "out"
    out.mkdir(exist_ok=True)
    (out / "match_cold.md").write_text(section, encoding="utf-8")
    saved = {"stores": stores, "loads": loads, "date": today, "postings": args.postings,
             "profiles": args.profiles, "repeats": args.repeats,
             "before_src": str(args.before_src) if args.before_src else None}  # fmt: skip
    (out / "match_cold.json").write_text(json.dumps(saved, indent=1), encoding="utf-8")
    if args.write_docs:
        replace_subsection(HEADING, SUBHEADING, section)
    print(section)


if __name__ == "__main__":
    main()
