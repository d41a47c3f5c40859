"""Skill graph benchmark: ``skill_graph`` and the ``/demand/graph`` page and API on a
large demand cube.

Run: ``.venv/bin/python benchmarks/graph_bench.py [--concepts 3000] [--pairs 100000]
[--years 4] [--repeats 15] [--write-docs]``

Builds a temporary SQLite store (migrated) and fills the cube tables the graph reads
directly (building them from a million postings would take the ingestion benchmark's
time, and only the tables' sizes matter here): ``--concepts`` leaf concepts with Zipf
frequencies in 30 communities; per year × region (``all``, ``circle``) 250,000 postings,
``demand_skill`` rows for every concept and month, and ``--pairs`` rows of
``demand_skill_pair`` (pairs drawn by frequency, five times likelier inside a
community). Then times, after one warm-up call, the median and p95 over ``--repeats``
runs of: the graph function for several selections, and the HTTP answers of the page
and of the JSON and GraphML API (through the ASGI test client, an analyst's token).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from fastapi.testclient import TestClient
from sqlalchemy import insert

from talentbridge.accounts.tokens import issue_token
from talentbridge.analytics.graph import clear_cache, skill_graph
from talentbridge.config import load_settings
from talentbridge.store.demand_tables import DemandSkill, DemandSkillPair, DemandState, DemandYear
from talentbridge.store.engine import create_engine_for, session_factory
from talentbridge.store.migrate import upgrade
from talentbridge.store.tables import Concept, Organization, Taxonomy, User, utcnow
from talentbridge.web.app import create_app

POSTINGS_PER_YEAR = 250_000
COMMUNITIES = 30
KINDS = ("skill", "skill", "skill", "tool", "knowledge", "certificate", "language", "soft_skill")
HEADING = "## Skill graph (issue 5)"
NOTE = """"Cold" empties the graph cache before each run: what the first view after a cube
refresh costs. "Cached graph" is every later view of the same selection until the next
refresh (the page still lays the graph out and renders it). The machine was shared
(2 CPUs, load average about 7 during the run) and the cold figures carry that
contention; they were not measured on an idle machine. As measured, a cold graph over
every year of the `all` region misses the 300 ms p95 goal; cached answers meet it. Most of that time is reading `n_a` from `demand_skill`
(one row per concept × month, fetched row by row beside its key index) and the pool's
pairs from `demand_skill_pair`; a yearly skill table or a covering index
`(region, month, concept_id, postings)` in the cube would cut the first part. Graphs of
150–300 skills (pools of 300–600) are for exports rather than the screen.
"""


def fill(factory: Any, *, concepts: int, pairs: int, years: int, seed: int = 5) -> dict[str, int]:
    rng = np.random.default_rng(seed)
    first = 2026 - years + 1
    year_keys = [str(first + i) for i in range(years)]
    rank = np.arange(1, concepts + 1)
    share = np.minimum(0.6, 0.6 / rank**0.8)  # a skill's share of postings, Zipf-like
    community = rng.integers(0, COMMUNITIES, concepts)
    prob = share / share.sum()
    with factory.begin() as s:
        taxonomy = Taxonomy(code="bench", version="1", name="bench")
        s.add(taxonomy)
        s.flush()
        s.execute(
            insert(Concept),
            [
                {
                    "taxonomy_id": taxonomy.id,
                    "key": f"bench.{i}",
                    "kind": KINDS[i % len(KINDS)],
                    "label_zh": f"技能{i}",
                    "label_en": f"Skill {i}",
                }
                for i in range(concepts)
            ],
        )
        ids = [c for (c,) in s.query(Concept.id).filter(Concept.taxonomy_id == taxonomy.id)]
        ids.sort()
        org = Organization(code="BENCH", kind="association", name_zh="基准协会")
        s.add(org)
        s.flush()
        user = User(
            username="bench",
            display_name="bench",
            password_hash="x",
            role="analyst",
            organization_id=org.id,
            locale="zh",
        )
        s.add(user)
        s.add(
            DemandState(id=1, version=1, postings=years * POSTINGS_PER_YEAR, refreshed_at=utcnow())
        )
        s.flush()
        user_id = user.id
    rows = {"skill": 0, "pair": 0}
    for region, scale in (("all", 1.0), ("circle", 0.8)):
        for year in year_keys:
            total = int(POSTINGS_PER_YEAR * scale)
            drift = rng.uniform(0.8, 1.25, concepts)
            yearly = np.maximum(1, (share * drift * total).astype(int))
            monthly = []
            for i, cid in enumerate(ids):
                per_month = max(1, int(yearly[i]) // 12)
                monthly.extend(
                    {"region": region, "concept_id": cid, "month": f"{year}-{m:02d}",
                     "postings": per_month, "openings": per_month}
                    for m in range(1, 13)
                )  # fmt: skip
            counts = {ids[i]: max(1, int(yearly[i]) // 12) * 12 for i in range(concepts)}
            drawn: dict[tuple[int, int], int] = {}
            while len(drawn) < pairs:
                a = rng.choice(concepts, size=pairs, p=prob)
                b = rng.choice(concepts, size=pairs, p=prob)
                for x, y in zip(a.tolist(), b.tolist(), strict=True):
                    if x == y or len(drawn) >= pairs:
                        continue
                    lo, hi = (x, y) if x < y else (y, x)
                    key = (ids[lo], ids[hi])
                    if key in drawn:
                        continue
                    lift = 5.0 if community[lo] == community[hi] else 0.6
                    expected = counts[key[0]] * counts[key[1]] / total * lift
                    n = max(1, min(counts[key[0]], counts[key[1]], int(expected)))
                    drawn[key] = n
            with factory.begin() as s:
                s.execute(insert(DemandYear), [{"region": region, "year": year, "postings": total}])
                s.execute(insert(DemandSkill), monthly)
                s.execute(
                    insert(DemandSkillPair),
                    [
                        {"region": region, "year": year, "concept_a": a_, "concept_b": b_, "n": n}
                        for (a_, b_), n in drawn.items()
                    ],
                )
            rows["skill"] += len(monthly)
            rows["pair"] += len(drawn)
    rows["user_id"] = user_id
    rows["first_year"] = first
    return rows


def timed(step: Callable[[], object], repeats: int, *, cold: bool) -> tuple[float, float]:
    """Median and p95 in ms; ``cold`` empties the graph cache before each run."""
    step()  # warm-up
    times = []
    for _ in range(repeats):
        if cold:
            clear_cache()
        start = time.perf_counter()
        step()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--concepts", type=int, default=3000)
    parser.add_argument("--pairs", type=int, default=100_000, help="pair rows per region-year")
    parser.add_argument("--years", type=int, default=4)
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        env = {
            "TALENTBRIDGE_DATA_DIR": tmp,
            "TALENTBRIDGE_DEMO": "false",
            "TALENTBRIDGE_SECRET_KEY": "bench-secret-key-with-enough-length-0123456789",
        }
        settings = load_settings(env)
        engine = create_engine_for(settings)
        upgrade(engine)
        factory = session_factory(engine)
        started = time.perf_counter()
        info = fill(factory, concepts=args.concepts, pairs=args.pairs, years=args.years)
        fill_s = time.perf_counter() - started
        last = str(info["first_year"] + args.years - 1)
        size_mb = Path(tmp, "talentbridge.db").stat().st_size / 1e6
        print(
            f"cube: {args.concepts:,} concepts, {info['skill']:,} demand_skill rows, "
            f"{info['pair']:,} pair rows ({args.pairs:,} per region-year), "
            f"{size_mb:.0f} MB, filled in {fill_s:.0f} s"
        )
        cases: list[tuple[str, dict[str, Any]]] = [
            ("all regions, every year, defaults (60 nodes)", {}),
            ("circle, latest year", {"region": "circle", "years": [last]}),
            ("all, latest year, skills only", {"years": [last], "kinds": ["skill"]}),
            ("all, every year, 150 nodes, min_pair 20", {"max_nodes": 150, "min_pair": 20}),
            ("all, every year, 300 nodes", {"max_nodes": 300}),
        ]
        results: list[tuple[str, float, float, str]] = []
        with factory() as session:
            for name, kwargs in cases:
                graph = skill_graph(session, **kwargs)
                shape = f"{len(graph.nodes)} nodes, {len(graph.edges)} edges, {len(graph.clusters)} clusters"
                med, p95 = timed(
                    lambda kw=kwargs: skill_graph(session, **kw), args.repeats, cold=True
                )
                results.append((f"`skill_graph` (cold): {name}", med, p95, shape))
                print(f"{name:55s} median {med:6.1f} ms  p95 {p95:6.1f} ms  ({shape})")
            token = issue_token(session, user_id=info["user_id"], name="bench")
            session.commit()
        app = create_app(settings, engine=engine)
        headers = {"Authorization": f"Bearer {token}"}
        with TestClient(app) as client:
            for name, url in (
                ("page `/demand/graph` (defaults)", "/demand/graph"),
                ("page `/demand/graph`, circle, latest year", f"/demand/graph?region=circle&year={last}"),
                ("API `/api/v1/demand/graph` (defaults)", "/api/v1/demand/graph"),
                ("API `/api/v1/demand/graph.graphml` (defaults)", "/api/v1/demand/graph.graphml"),
            ):  # fmt: skip

                def get(u: str = url) -> None:
                    response = client.get(u, headers=headers)
                    assert response.status_code == 200, response.text[:300]

                size = len(client.get(url, headers=headers).content)
                for cold in (True, False):
                    med, p95 = timed(get, args.repeats, cold=cold)
                    label = f"{name}, {'cold' if cold else 'cached graph'}"
                    results.append((label, med, p95, f"{size / 1000:.0f} kB"))
                    print(
                        f"{label:55s} median {med:6.1f} ms  p95 {p95:6.1f} ms  ({size / 1000:.0f} kB)"
                    )
        engine.dispose()

    load = os.getloadavg()
    machine = (
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, SQLite; load average {load[0]:.1f} / {load[1]:.1f}"
    )
    print(machine)
    if args.write_docs:
        from docs_section import replace_section

        lines = [
            HEADING,
            "",
            f"`.venv/bin/python benchmarks/graph_bench.py --write-docs` "
            f"({dt.date.today().isoformat()}; {machine}). A synthetic cube: "
            f"{args.concepts:,} concepts, {args.years} years × 2 regions, "
            f"{args.pairs:,} `demand_skill_pair` rows and 250,000 postings per region-year "
            f"({info['pair']:,} pair rows, {info['skill']:,} `demand_skill` rows in all). "
            f"Median and p95 of {args.repeats} runs after a warm-up; the HTTP rows go "
            f"through the ASGI test client with an analyst's token.",
            "",
            "| what | median ms | p95 ms | result |",
            "|---|---:|---:|---|",
            *(f"| {n} | {m:.0f} | {p:.0f} | {s} |" for n, m, p, s in results),
            "",
            NOTE.strip(),
        ]
        replace_section(HEADING, "\n".join(lines))
        print("docs/benchmarks.md updated")


if __name__ == "__main__":
    main()
