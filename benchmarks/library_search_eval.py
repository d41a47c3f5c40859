"""Library search relevance (issue 7): our cross-lingual search against plain full-text
search without term expansion, side by side, on our judged query set.

Run: ``.venv/bin/python benchmarks/library_search_eval.py`` (about half a minute;
``--no-docs`` only prints, ``--per-query`` lists every query).

1. A temporary SQLite store with the demo libraries is built through the real code
   paths (``benchmarks/library_store.py``: the bundled term base first, then the demo's
   ``seed_library_demo``: 162 sample resources over 18 libraries).
2. The judgments (``benchmarks/library_eval/judgments.toml``, written by us by reading
   the resources) are mapped to resource ids by their stable keys. The searcher is the
   demo student, who sees published resources only; judged resources still waiting for
   review are left out of the judgments (counted below).
3. Each query runs through ``library.search.search`` twice: ``expand=True`` (our
   search: term-base expansion in both languages, tag boost) and ``expand=False``
   (plain full text over the same index: the whole query, then its single tokens, no
   term base). Metrics: NDCG@10 (exponential gain, grades 0-2) and recall@10 (grade >= 1
   counts as relevant), means over the queries, overall and by subset.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
import tomllib
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).parent))
from docs_section import replace_section, replace_subsection
from library_store import build_library_store
from talentbridge.accounts.policy import Principal
from talentbridge.library.search import search
from talentbridge.matching.evaluation import ndcg_at_k, recall_at_k
from talentbridge.store.library_tables import Resource
from talentbridge.store.tables import User

JUDGMENTS = Path(__file__).parent / "library_eval" / "judgments.toml"
HEADING = "## Library search (issue 7)"
SUBHEADING = "### Relevance (judged demo queries)"
INTRO = """## Library search (issue 7)

Cross-lingual search over the 18 resource libraries (`library/search.py`): term-base
expansion of the terms inside a query, full text over pre-segmented text (SQLite FTS5 /
PostgreSQL), tag boost. Design: `docs/library.md`.
"""
K = 10


def load_judgments(path: Path = JUDGMENTS) -> list[dict[str, object]]:
    with path.open("rb") as handle:
        return list(tomllib.load(handle)["query"])


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-docs", action="store_true", help="print only")
    parser.add_argument("--per-query", action="store_true", help="list every query")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    store = build_library_store()
    built = time.perf_counter() - started
    queries = load_judgments()
    with store.factory() as session:
        student = session.scalar(select(User).where(User.username == "demo-student"))
        assert student is not None
        principal = Principal.of(student)
        published = set(session.scalars(select(Resource.id).where(Resource.status == "published")))
        languages = dict(session.execute(select(Resource.id, Resource.languages)).all())
        rows: list[dict[str, object]] = []
        dropped = 0
        timings: dict[bool, list[float]] = {True: [], False: []}
        for query in queries:
            relevant: dict[str, int] = dict(query["relevant"])  # type: ignore[call-overload]
            grades: dict[int, int] = {}
            for key, grade in relevant.items():
                resource_id = store.ids[key]
                if resource_id in published:
                    grades[resource_id] = int(grade)
                else:
                    dropped += 1
            row: dict[str, object] = {**query, "grades": grades}
            for expand in (True, False):
                tick = time.perf_counter()
                results = search(
                    session, principal=principal, query=str(query["text"]), limit=K, expand=expand
                )
                timings[expand].append(time.perf_counter() - tick)
                ranking = [hit.resource_id for hit in results.resources]
                row[f"ndcg_{expand}"] = ndcg_at_k(ranking, grades, K) or 0.0
                row[f"recall_{expand}"] = recall_at_k(ranking, grades, K, threshold=1) or 0.0
            lang = str(query["lang"])
            row["other_language"] = any(
                lang not in (languages.get(rid) or []) for rid in grades if grades[rid] >= 1
            )
            rows.append(row)
    subsets: list[tuple[str, list[dict[str, object]]]] = [
        ("all queries", rows),
        ("Chinese queries", [r for r in rows if r["lang"] == "zh"]),
        ("English queries", [r for r in rows if r["lang"] == "en"]),
        ("cross-lingual (tagged)", [r for r in rows if "cross-lingual" in r["tags"]]),  # type: ignore[operator]
        ("two-character Chinese", [r for r in rows if "two-char" in r["tags"]]),  # type: ignore[operator]
        ("abbreviations", [r for r in rows if "abbreviation" in r["tags"]]),  # type: ignore[operator]
        ("deprecated synonyms", [r for r in rows if "deprecated" in r["tags"]]),  # type: ignore[operator]
    ]
    table = [
        "| queries | n | NDCG@10 plain FTS | NDCG@10 ours | recall@10 plain FTS | recall@10 ours |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, subset in subsets:
        plain_n = _mean([float(r["ndcg_False"]) for r in subset])  # type: ignore[arg-type]
        ours_n = _mean([float(r["ndcg_True"]) for r in subset])  # type: ignore[arg-type]
        plain_r = _mean([float(r["recall_False"]) for r in subset])  # type: ignore[arg-type]
        ours_r = _mean([float(r["recall_True"]) for r in subset])  # type: ignore[arg-type]
        table.append(
            f"| {name} | {len(subset)} | {plain_n:.3f} | {ours_n:.3f} | {plain_r:.3f} | {ours_r:.3f} |"
        )
    if args.per_query:
        for r in rows:
            print(
                f"{r['id']} {r['text']!s:32} ndcg {float(r['ndcg_False']):.2f} -> "  # type: ignore[arg-type]
                f"{float(r['ndcg_True']):.2f}  recall {float(r['recall_False']):.2f} -> "  # type: ignore[arg-type]
                f"{float(r['recall_True']):.2f}"  # type: ignore[arg-type]
            )
    median_ms = {e: statistics.median(t) * 1000 for e, t in timings.items()}
    load = os.getloadavg()
    lines = [
        SUBHEADING,
        "",
        f"{len(rows)} queries ({sum(r['lang'] == 'zh' for r in rows)} Chinese, "
        f"{sum(r['lang'] == 'en' for r in rows)} English) with graded judgments written by us "
        "by reading the demo resources (`benchmarks/library_eval/judgments.toml`, keys "
        "`library/file`), over the demo's 162 sample resources in 18 libraries (searched as "
        f"the demo student: {len(published)} published; {dropped} judgments of resources "
        "still under review left out). *Plain FTS* is the same index and ranking without the "
        "term base (`search(..., expand=False)`: the whole query, then its single tokens); "
        "*ours* adds the expansion of every term found inside the query to its preferred and "
        "admitted terms in both languages and the boost for resources tagged with the "
        "concept. NDCG@10 with exponential gain (grades 0-2); recall@10 counts grade >= 1.",
        "",
        *table,
        "",
        f"Median query time on this 162-resource store: plain {median_ms[False]:.1f} ms, "
        f"ours {median_ms[True]:.1f} ms. Machine: {platform.machine()}, {os.cpu_count()} CPUs "
        f"(shared), Python {platform.python_version()}, load average {load[0]:.1f}; store "
        f"built in {built:.0f} s. Command: `.venv/bin/python benchmarks/library_search_eval.py`.",
    ]
    text = "\n".join(lines)
    print(text)
    if not args.no_docs:
        from docs_section import DOCS

        if HEADING not in DOCS.read_text(encoding="utf-8"):
            replace_section(HEADING, INTRO)
        replace_subsection(HEADING, SUBHEADING, text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
