"""Library search speed with 100,000 resources (issue 7): p50/p95/p99 of ``search`` on
SQLite (goal: p95 < 50 ms on one core), optionally on PostgreSQL.

Run: ``.venv/bin/python benchmarks/library_search_bench.py`` (a few minutes;
``--resources N``, ``--queries N``, ``--pg URL`` (a server URL, e.g. from
``scripts/pg-throwaway.sh start DIR PORT``; a database is created on it),
``--no-docs`` only prints).

1. A fresh store (migrated; bundled term base; the 18 libraries) gets N generated
   resources, bulk-inserted through Core: bilingual generated text (Chinese, English or
   both; titles, summaries and bodies written from term-base terms of two to four
   concepts and template sentences), ``search_text`` from ``segment_text`` as the
   resources service computes it, 95 % published, the rest under review, drafts or
   withdrawn; their ``resource_term`` tags are the concepts they were written from.
2. The index is built by the real path, ``library.search.reindex`` (timed).
3. Q mixed queries (seeded): Chinese terms, two-character Chinese terms, English terms
   (some inflected), abbreviations (B/L, L/C, FOB, HS …), terms with an extra word,
   a quarter with filters (library, type, level, language), as a student and as an
   anonymous reader. After a warm-up pass, each query is timed once in this one process
   (one core): wall time and process CPU time per query (the machine is shared: the CPU
   time is what the search itself needs of one core).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import create_engine, insert, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

sys.path.insert(0, str(Path(__file__).parent))
from docs_section import DOCS, replace_section, replace_subsection
from talentbridge.accounts.policy import Principal
from talentbridge.accounts.roles import Role
from talentbridge.config import load_settings
from talentbridge.library.search import SearchFilters, reindex, search
from talentbridge.library.seed import seed_libraries
from talentbridge.library.segment import segment_text
from talentbridge.library.termbase import import_bundled
from talentbridge.store.engine import create_engine_for, session_factory
from talentbridge.store.library_tables import (
    Library,
    Resource,
    ResourceTerm,
    Term,
)
from talentbridge.store.migrate import upgrade
from talentbridge.store.tables import table_of

HEADING = "## Library search (issue 7)"
SUBHEADING = "### Speed (100,000 generated resources)"
INTRO = """## Library search (issue 7)

Cross-lingual search over the 18 resource libraries (`library/search.py`): term-base
expansion of the terms inside a query, full text over pre-segmented text (SQLite FTS5 /
PostgreSQL), tag boost. Design: `docs/library.md`.
"""
KINDS = ("courseware", "document", "video", "exercise", "case", "standard")
LEVELS = ("secondary", "associate", "bachelor", "any")
ZH_SENTENCES = (
    "本课程介绍{a}的基本流程，并结合{b}的案例进行练习。",
    "学生需要掌握{a}的操作要点，了解{b}与{c}之间的关系。",
    "在实际业务中，{a}经常与{b}一起出现，需要认真核对单证。",
    "本讲通过企业案例说明{a}的常见问题和处理方法。",
    "课后练习：比较{a}和{b}的区别，并写出{c}的工作步骤。",
    "教师可以根据学生的专业方向调整{a}部分的深度。",
    "成渝地区的物流企业对{a}人才的需求不断增加。",
    "请阅读材料，回答与{b}有关的三个问题。",
    "国际物流从业人员应熟悉{a}、{b}和相关的法律法规。",
    "本资源配有双语术语表，便于学习{c}的英文表达。",
)
EN_SENTENCES = (
    "This lesson explains {a} step by step and relates it to {b}.",
    "Students practise {a} with a short case from a logistics company.",
    "In daily operations {a} and {b} are handled by the same team, so check every document.",
    "The exercise compares {a} with {b} and asks for the main steps of {c}.",
    "Teachers may adapt the part on {a} to the level of the class.",
    "Employers in Chengdu and Chongqing look for graduates who understand {a}.",
    "Read the material and answer three questions about {b}.",
    "A bilingual glossary helps learners find the Chinese terms for {c}.",
    "The unit closes with a quiz on {a}, {b} and the related regulations.",
    "Common mistakes in {a} are discussed with examples from real shipments.",
)
ZH_TITLES = ("{a}实务", "{a}教学课件", "{a}与{b}", "{a}案例分析", "{a}练习题", "{a}操作指南")
EN_TITLES = ("{a} in practice", "Teaching slides: {a}", "{a} and {b}", "Case study: {a}",
             "Exercises on {a}", "A guide to {a}")  # fmt: skip


def _terms(session: Session) -> dict[int, dict[str, list[tuple[str, str]]]]:
    """Concept -> language -> [(text, status)] of the term base."""
    out: dict[int, dict[str, list[tuple[str, str]]]] = {}
    for concept_id, lang, term_text, status in session.execute(
        select(Term.term_concept_id, Term.lang, Term.text, Term.status).order_by(
            Term.term_concept_id, Term.lang, Term.position
        )
    ):
        out.setdefault(concept_id, {}).setdefault(lang, []).append((term_text, status))
    return out


def _pick(rng: random.Random, terms: dict[str, list[tuple[str, str]]], lang: str) -> str:
    options = terms.get(lang) or terms.get("en") or terms.get("zh") or [("logistics", "")]
    weights = [6 if status == "preferred" else 2 for _, status in options]
    return rng.choices([t for t, _ in options], weights=weights)[0]


def _generate(
    rng: random.Random, concepts: list[int], terms: dict[int, dict[str, list[tuple[str, str]]]]
) -> tuple[dict[str, object], list[int]]:
    chosen = rng.sample(concepts, rng.randint(2, 4))
    langs = rng.choices((["zh"], ["en"], ["zh", "en"]), weights=(45, 35, 20))[0]
    fields: dict[str, object] = {"title_zh": "", "title_en": "", "summary_zh": "", "summary_en": ""}
    body: list[str] = []
    for lang in langs:
        words = [_pick(rng, terms[c], lang) for c in chosen]
        fill = {"a": words[0], "b": words[1], "c": words[-1]}
        titles, sentences = (ZH_TITLES, ZH_SENTENCES) if lang == "zh" else (EN_TITLES, EN_SENTENCES)
        fields[f"title_{lang}"] = rng.choice(titles).format(**fill)
        fields[f"summary_{lang}"] = rng.choice(sentences).format(**fill)
        for _ in range(rng.randint(4, 9)):
            rng.shuffle(words)
            body.append(
                rng.choice(sentences).format(a=words[0], b=words[1 % len(words)], c=words[-1])
            )
    fields["text"] = "\n".join(body)
    fields["languages"] = langs
    return fields, chosen


def build(factory: sessionmaker[Session], count: int, seed: int) -> dict[str, float]:
    rng = random.Random(seed)
    timings: dict[str, float] = {}
    import_bundled(factory)
    with factory() as session:
        seed_libraries(session, principal=Principal(0, Role.PLATFORM_ADMIN, None))
        session.commit()
        libraries = list(session.scalars(select(Library.id)))
        terms = _terms(session)
    concepts = sorted(terms)
    started = time.perf_counter()
    resource_table = table_of(Resource)
    tag_table = table_of(ResourceTerm)
    batch: list[dict[str, object]] = []
    tags: list[dict[str, object]] = []
    next_id = 1
    with factory() as session:
        for number in range(count):
            fields, chosen = _generate(rng, concepts, terms)
            whole = "\n".join(
                str(fields[k])
                for k in ("title_zh", "title_en", "summary_zh", "summary_en", "text")
                if fields[k]
            )
            roll = rng.random()
            status = (
                "published"
                if roll < 0.95
                else "review"
                if roll < 0.97
                else "draft"
                if roll < 0.99
                else "withdrawn"
            )
            batch.append(
                {
                    "id": next_id,
                    "library_id": rng.choice(libraries),
                    "kind": rng.choice(KINDS),
                    "level": rng.choice(LEVELS),
                    "version": 1,
                    "status": status,
                    "search_text": segment_text(whole),
                    "is_sample": True,
                    **fields,
                }
            )
            tags.extend(
                {"resource_id": next_id, "term_concept_id": c, "mentions": rng.randint(1, 4)}
                for c in chosen
            )
            next_id += 1
            if len(batch) >= 2000 or number == count - 1:
                session.execute(insert(resource_table), batch)
                session.execute(insert(tag_table), tags)
                batch, tags = [], []
        session.commit()
    timings["generate_and_insert_s"] = time.perf_counter() - started
    started, cpu = time.perf_counter(), time.process_time()
    with factory() as session:
        indexed = reindex(session)
        session.commit()
    timings["reindex_s"] = time.perf_counter() - started
    timings["reindex_cpu_s"] = time.process_time() - cpu
    timings["indexed"] = indexed
    return timings


def make_queries(
    factory: sessionmaker[Session], count: int, seed: int
) -> list[tuple[str, SearchFilters, bool]]:
    rng = random.Random(seed + 1)
    with factory() as session:
        terms = list(session.execute(select(Term.lang, Term.text, Term.term_type, Term.status)))
        libraries = list(session.scalars(select(Library.id)))
    zh = [t for lang, t, _, s in terms if lang == "zh" and s != "deprecated" and len(t) > 2]
    zh2 = [t for lang, t, _, _ in terms if lang == "zh" and len(t) == 2]
    en = [t for lang, t, tt, _ in terms if lang == "en" and tt not in ("abbreviation", "acronym")]
    abbreviations = [t for _, t, tt, _ in terms if tt in ("abbreviation", "acronym")]
    abbreviations += ["B/L", "L/C", "FOB", "HS", "CIF", "LCL", "WMS", "AWB"]
    extra_zh, extra_en = ("练习", "案例", "课件", "流程"), ("exercise", "case", "slides", "steps")
    queries: list[tuple[str, SearchFilters, bool]] = []
    for number in range(count):
        kind = number % 6
        if kind == 0:
            query = rng.choice(zh)
        elif kind == 1:
            query = rng.choice(zh2)
        elif kind == 2:
            query = rng.choice(en)
            query = query + "s" if rng.random() < 0.3 and query[-1].isalpha() else query
        elif kind == 3:
            query = rng.choice(abbreviations)
        elif kind == 4:
            query = f"{rng.choice(zh)} {rng.choice(extra_zh)}"
        else:
            query = f"{rng.choice(en)} {rng.choice(extra_en)}"
        filters = SearchFilters()
        if rng.random() < 0.25:
            filters = rng.choice(
                (
                    SearchFilters(library_ids=(rng.choice(libraries),)),
                    SearchFilters(kinds=(rng.choice(KINDS),)),
                    SearchFilters(levels=(rng.choice(LEVELS),)),
                    SearchFilters(languages=(rng.choice(("zh", "en")),)),
                )
            )
        queries.append((query, filters, rng.random() < 0.8))
    return queries


def run_queries(
    factory: sessionmaker[Session], queries: Sequence[tuple[str, SearchFilters, bool]]
) -> dict[str, float]:
    student = Principal(user_id=10**9, role=Role.STUDENT, organization_id=None)
    latencies: list[float] = []
    cpu_times: list[float] = []
    totals: list[int] = []
    with factory() as session:
        for query, filters, as_student in queries[:20]:  # warm-up: caches, pages
            search(session, principal=student if as_student else None, query=query, filters=filters)
        cpu = time.process_time()
        for query, filters, as_student in queries:
            tick, tock = time.perf_counter(), time.process_time()
            results = search(
                session, principal=student if as_student else None, query=query, filters=filters
            )
            latencies.append((time.perf_counter() - tick) * 1000)
            cpu_times.append((time.process_time() - tock) * 1000)
            totals.append(results.total)
        cpu = time.process_time() - cpu

    def pct(values: list[float], p: float) -> float:
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]

    return {
        "p50": pct(latencies, 50),
        "p95": pct(latencies, 95),
        "p99": pct(latencies, 99),
        "cpu_p50": pct(cpu_times, 50),
        "cpu_p95": pct(cpu_times, 95),
        "cpu_p99": pct(cpu_times, 99),
        "max": max(latencies),
        "mean": statistics.fmean(latencies),
        "cpu_per_query_ms": cpu / len(queries) * 1000,
        "median_hits": statistics.median(totals),
        "no_hits": sum(t == 0 for t in totals),
    }


def measure(
    url: str | None, data_dir: Path, count: int, nqueries: int, seed: int
) -> dict[str, float]:
    env = {"TALENTBRIDGE_DATA_DIR": str(data_dir)}
    if url:
        env["TALENTBRIDGE_DATABASE_URL"] = url
    engine = create_engine_for(load_settings(env))
    try:
        upgrade(engine)
        factory = session_factory(engine)
        figures = build(factory, count, seed)
        if engine.dialect.name == "sqlite":
            with engine.connect() as conn:
                conn.execute(text("ANALYZE"))
        load_before = os.getloadavg()[0]
        figures |= run_queries(factory, make_queries(factory, nqueries, seed))
        figures["load_before"] = load_before
        figures["load_after"] = os.getloadavg()[0]
        return figures
    finally:
        engine.dispose()


def _pg_database(server: str) -> tuple[str, str]:
    name = f"tb_search_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(server).set(database=name).render_as_string(hide_password=False), name


def _row(name: str, f: dict[str, float]) -> str:
    return (
        f"| {name} | {f['p50']:.1f} | {f['p95']:.1f} | {f['p99']:.1f} "
        f"| {f['cpu_p50']:.1f} | {f['cpu_p95']:.1f} | {f['cpu_p99']:.1f} "
        f"| {f['reindex_s']:.0f} s ({f['reindex_cpu_s']:.0f} s CPU) "
        f"| {f['load_before']:.1f} / {f['load_after']:.1f} |"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--resources", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=240)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--pg", help="PostgreSQL server URL (also measure there)")
    parser.add_argument("--pg-only", action="store_true", help="measure PostgreSQL only")
    parser.add_argument("--no-docs", action="store_true")
    args = parser.parse_args(argv)
    results: list[tuple[str, dict[str, float]]] = []
    with tempfile.TemporaryDirectory(prefix="tb-search-bench-") as tmp:
        if not args.pg_only:
            sqlite = measure(None, Path(tmp), args.resources, args.queries, args.seed)
            results.append(("SQLite FTS5", sqlite))
            print("SQLite", {k: round(v, 2) for k, v in sqlite.items()})
        if args.pg:
            url, name = _pg_database(args.pg)
            try:
                pg = measure(url, Path(tmp) / "pg", args.resources, args.queries, args.seed)
            finally:
                admin = create_engine(args.pg, isolation_level="AUTOCOMMIT")
                with admin.connect() as conn:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                admin.dispose()
            results.append(("PostgreSQL 15", pg))
            print("PostgreSQL", {k: round(v, 2) for k, v in pg.items()})
    if args.pg_only:
        return 0
    sqlite = results[0][1]
    lines = [
        SUBHEADING,
        "",
        f"{args.resources:,} generated resources (bilingual generated text over the bundled term "
        f"base, {sqlite['indexed']:,.0f} indexed: published, under review and drafts; "
        "withdrawn ones leave the index), bulk-inserted, then indexed by `reindex`; "
        f"{args.queries} mixed queries (Chinese, two-character Chinese, English, inflected "
        "English, abbreviations, a term plus a word; a quarter with a library/type/level/"
        "language filter; 80 % as a student, the rest anonymous), each timed once after a "
        f"warm-up, in one process (one core). Median total per query "
        f"{sqlite['median_hits']:,.0f} (totals are counted up to 300); queries without hits "
        f"{sqlite['no_hits']:.0f}.",
        "",
        "| backend | p50 ms | p95 ms | p99 ms | CPU p50 ms | CPU p95 ms | CPU p99 ms "
        "| reindex | load before / after |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        *[_row(name, figures) for name, figures in results],
        "",
        "Wall times (p50/p95/p99) are what a caller waited on this shared machine; the CPU "
        "columns are the search's own process CPU time per query, what one core not shared "
        "with other work would take (on PostgreSQL only the client's share: the server's "
        "work is not in it). "
        f"Goal p95 < 50 ms on SQLite. Machine: {platform.machine()}, {os.cpu_count()} CPUs "
        f"shared with other work, Python {platform.python_version()}. Command: "
        f"`.venv/bin/python benchmarks/library_search_bench.py"
        f"{' --pg URL' if args.pg else ''}`.",
    ]
    section = "\n".join(lines)
    print(section)
    if not args.no_docs:
        if HEADING not in DOCS.read_text(encoding="utf-8"):
            replace_section(HEADING, INTRO)
        replace_subsection(HEADING, SUBHEADING, section)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
