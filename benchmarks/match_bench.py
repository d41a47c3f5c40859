"""Matching speed (issue 6): top-20 jobs for a profile among 200,000 postings and top-20
candidates for a posting among 100,000 profiles, on one core.

Run: ``.venv/bin/python benchmarks/match_bench.py [--postings 200000] [--profiles 100000]
[--queries 200] [--write-docs]``

1. Synthesizes the engine's facts in memory (no store): concepts are the bundled
   taxonomy's (628); a posting has about 15 of them (Poisson), two thirds from its
   occupation's concepts (the taxonomy's occupation links) and a third from the whole
   taxonomy, both Zipf-like (popularity ∝ 1/rank), 70 % required; a profile about 12,
   from its major's concepts (the taxonomy's major links) and the whole taxonomy.
   Texts are about 100 segmented tokens: the labels of the document's concepts plus
   words drawn Zipf-like from a 30,000-word vocabulary, joined by spaces and tokenized
   by ``str.split`` (jieba's cost on real text is timed apart, per character). Cities:
   Chengdu 30 %, Chongqing 25 %, other Sichuan cities 15 %, other big cities 30 %; pay,
   education, dates, wishes (stated or not), consent 80 %, ranking opt-out 2 %.
2. Builds the index (``build_index``): wall time, and memory as the growth of the
   process's resident set and the bytes of the index's numpy arrays.
3. Times ``jobs_for`` (no filters, k=20) for ``--queries`` random profiles and
   ``candidates_for`` (recruiter defaults: consent required, k=20) for ``--queries``
   random postings, each after two warm-up calls; median, p95 and max in ms. Also
   with filters (a city and a pay floor; graduation year and education).

Threads: OMP/MKL/OpenBLAS are limited to one before numpy loads; the engine uses no
threads of its own, so everything runs on one core.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import csv  # noqa: E402
import datetime as dt  # noqa: E402
import gc  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from dataclasses import fields, is_dataclass  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))

from docs_section import replace_section  # noqa: E402
from talentbridge.matching.engine import (  # noqa: E402
    CandidateFilters,
    JobFilters,
    candidates_for,
    jobs_for,
)
from talentbridge.matching.facts import (  # noqa: E402
    ConceptRef,
    NamedRef,
    PostingFacts,
    ProfileFacts,
    Reference,
    Wish,
)
from talentbridge.matching.index import MatchIndex, build_index  # noqa: E402

DATA = Path(__file__).resolve().parents[1] / "src" / "talentbridge" / "taxonomy" / "data"
SEED = 6
HEADING = "## Matching speed (issue 6)"
TODAY = dt.date(2025, 6, 1)
VOCABULARY = 30_000
CHENGDU, CHONGQING = "510100", "500000"
SICHUAN = ("510300", "510500", "510600", "510700", "511300", "511500", "511600")
ELSEWHERE = ("110000", "310000", "440100", "440300", "330100", "420100", "610100", "430100")
EDUCATION_MIX = ((0, 0.15), (2, 0.15), (3, 0.1), (4, 0.45), (5, 0.15))
LEVELS = {"secondary": 2, "associate": 4, "bachelor": 5}


def zipf(n: int, rng: np.random.Generator) -> np.ndarray:
    """Zipf-like popularity (∝ 1/rank) over ``n`` items in random order."""
    p = 1.0 / (np.arange(n) + 1.0)
    rng.shuffle(p)
    return p / p.sum()


def draw(rng: np.random.Generator, p: np.ndarray, count: int) -> np.ndarray:
    return np.searchsorted(np.cumsum(p), rng.random(count) * p.sum())


def reference_data() -> tuple[Reference, dict[str, list[int]], dict[int, list[int]], list[int]]:
    """The bundled taxonomy, majors, occupations and 对口 links as a ``Reference``, the
    concepts of each occupation and of each major, and the major ids."""
    with (DATA / "skills.csv").open(encoding="utf-8") as f:
        skills = list(csv.DictReader(f))
    with (DATA / "occupations.csv").open(encoding="utf-8") as f:
        occupations = list(csv.DictReader(f))
    with (DATA / "majors.csv").open(encoding="utf-8") as f:
        majors = [r for r in csv.DictReader(f) if r["itemLevel"] == "MAJOR"]
    with (DATA / "major_occupations.csv").open(encoding="utf-8") as f:
        links = list(csv.DictReader(f))
    level_of = {"VOCATIONAL_SECONDARY": "secondary", "VOCATIONAL_HIGHER": "associate"}
    concepts = {
        i: ConceptRef(i, r["id"], r["kind"], r["label_zh"], r["label_en"])
        for i, r in enumerate(skills, start=1)
    }
    occupation_ids = {r["code"]: i for i, r in enumerate(occupations, start=1)}
    major_key = {
        (level_of.get(r["educationLevel"], "bachelor"), r["majorCode"]): i
        for i, r in enumerate(majors, start=1)
    }
    by_occupation: dict[str, list[int]] = {code: [] for code in occupation_ids}
    by_major: dict[int, list[int]] = {i: [] for i in major_key.values()}
    for cid, r in zip(concepts, skills, strict=True):
        for code in filter(None, r["occupations"].split("|")):
            by_occupation.setdefault(code, []).append(cid)
        for item in filter(None, r["majors"].split("|")):
            level, _, code = item.partition(":")
            if (level, code) in major_key:
                by_major[major_key[(level, code)]].append(cid)
    relation = {
        (major_key[(r["major_level"], r["major_code"])], occupation_ids[r["occupation_code"]]): r[
            "strength"
        ]
        for r in links
        if (r["major_level"], r["major_code"]) in major_key
        and r["occupation_code"] in occupation_ids
    }
    reference = Reference(
        concepts=concepts,
        majors={
            i: NamedRef(i, code, r["majorName"], r["majorNameEn"])
            for (level, code), i in major_key.items()
            for r in majors
            if r["majorCode"] == code and level_of.get(r["educationLevel"], "bachelor") == level
        },
        occupations={
            i: NamedRef(i, code, r["name_zh"], r["name_en"])
            for r in occupations
            for code, i in [(r["code"], occupation_ids[r["code"]])]
        },
        major_occupations=relation,
    )
    major_levels = {i: LEVELS[level] for (level, _), i in major_key.items()}
    reference_levels.update(major_levels)
    return reference, by_occupation, by_major, sorted(major_key.values())


reference_levels: dict[int, int] = {}


def _concept_sets(
    rng: np.random.Generator, groups: list[list[int]], n_concepts: int, mean: float, n: int
) -> list[np.ndarray]:
    """``n`` concept sets (ids 1..n_concepts): two thirds from the group, a third global."""
    popular = zipf(n_concepts, rng)
    sizes = np.clip(rng.poisson(mean, n), 3, 40)
    out = []
    group_p = [zipf(len(g), rng) if g else None for g in groups]
    which = rng.integers(0, len(groups), n)
    for size, g in zip(sizes, which, strict=True):
        own = groups[g]
        local = round(size * 2 / 3) if own else 0
        chosen = set()
        if local:
            p = group_p[g]
            assert p is not None
            chosen.update(np.asarray(own)[draw(rng, p, local * 2)][:local].tolist())
        chosen.update((draw(rng, popular, (size - len(chosen)) * 2 + 2) + 1).tolist())
        out.append(np.array(sorted(chosen)[: int(size)], dtype=np.int64))
    return out


def _texts(
    rng: np.random.Generator,
    concept_sets: list[np.ndarray],
    labels: dict[int, str],
    words: list[str],
    word_p: np.ndarray,
    length: int,
) -> list[str]:
    sizes = np.clip(rng.normal(length, length / 4, len(concept_sets)).astype(int), 20, 4 * length)
    drawn = draw(rng, word_p, int(sizes.sum()))
    out, at = [], 0
    for concepts, size in zip(concept_sets, sizes, strict=True):
        own = [labels[int(c)] for c in concepts for _ in range(int(rng.integers(1, 3)))]
        take = max(0, int(size) - len(own))
        out.append(" ".join(own + [words[i] for i in drawn[at : at + take]]))
        at += take
    return out


def synthesize(
    n_postings: int, n_profiles: int, seed: int = SEED
) -> tuple[list[PostingFacts], list[ProfileFacts], Reference]:
    rng = np.random.default_rng(seed)
    reference, by_occupation, by_major, major_ids = reference_data()
    n_concepts = len(reference.concepts)
    labels = {i: (c.label_zh or c.key).replace(" ", "") for i, c in reference.concepts.items()}
    pairs = rng.integers(0x4E00, 0x4E00 + 3000, (VOCABULARY * 2, 2)).tolist()
    words = sorted({chr(a) + chr(b) for a, b in pairs})[:VOCABULARY]
    word_p = zipf(len(words), rng)
    occupation_codes = sorted(by_occupation)
    occupation_id = {r.code: i for i, r in reference.occupations.items()}

    groups = [by_occupation[c] for c in occupation_codes]
    posting_sets = _concept_sets(rng, groups, n_concepts, 15, n_postings)
    posting_texts = _texts(rng, posting_sets, labels, words, word_p, 100)
    city_pool = [CHENGDU] * 30 + [CHONGQING] * 25
    city_pool += [SICHUAN[i % len(SICHUAN)] for i in range(15)]
    city_pool += [ELSEWHERE[i % len(ELSEWHERE)] for i in range(30)]
    edu_values = [v for v, _ in EDUCATION_MIX]
    edu_p = np.array([p for _, p in EDUCATION_MIX])
    postings = []
    for i in range(n_postings):
        concepts = posting_sets[i]
        required = rng.random(len(concepts)) < 0.7
        low = int(rng.integers(3, 12)) * 1000
        postings.append(
            PostingFacts(
                id=i + 1,
                organization_id=int(rng.integers(1, 5000)),
                occupation_id=occupation_id.get(occupation_codes[int(rng.integers(len(groups)))]),
                city_code=city_pool[int(rng.integers(len(city_pool)))],
                in_circle=True,
                education_level=int(rng.choice(edu_values, p=edu_p)),
                salary_min=low,
                salary_max=int(low * rng.uniform(1.2, 1.8)),
                posted_on=TODAY - dt.timedelta(days=int(rng.integers(0, 730))),
                flag_count=int(rng.random() < 0.02),
                required_concept_ids=tuple(concepts[required].tolist()),
                preferred_concept_ids=tuple(concepts[~required].tolist()),
                text=posting_texts[i],
            )
        )
    major_groups = [by_major[m] for m in major_ids]
    profile_sets = _concept_sets(rng, major_groups, n_concepts, 12, n_profiles)
    profile_texts = _texts(rng, profile_sets, labels, words, word_p, 100)
    occupation_list = sorted(reference.occupations)
    profiles = []
    for i in range(n_profiles):
        major = major_ids[int(rng.integers(len(major_ids)))]
        cities = tuple(
            city_pool[int(j)] for j in rng.integers(0, len(city_pool), int(rng.integers(1, 4)))
        )
        profiles.append(
            ProfileFacts(
                id=i + 1,
                organization_id=int(rng.integers(1, 12)),
                major_id=major,
                graduation_year=int(rng.integers(2024, 2028)),
                education_level=reference_levels.get(major),
                concept_ids=tuple(profile_sets[i].tolist()),
                text=profile_texts[i],
                wish=Wish(
                    city_codes=cities if rng.random() < 0.8 else (),
                    salary_floor=int(rng.integers(3, 9)) * 1000 if rng.random() < 0.6 else None,
                    occupation_ids=tuple(
                        sorted(
                            {
                                occupation_list[int(j)]
                                for j in rng.integers(0, len(occupation_list), 2)
                            }
                        )
                    )
                    if rng.random() < 0.5
                    else (),
                    relocate=bool(rng.random() < 0.6),
                ),
                visible_to_employers=bool(rng.random() < 0.8),
                ranking_opt_out=bool(rng.random() < 0.02),
            )
        )
    return postings, profiles, reference


# --- measuring ----------------------------------------------------------------------------


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def array_bytes(obj: Any, seen: set[int] | None = None) -> int:
    """Bytes held by numpy arrays reachable through dataclass fields."""
    seen = seen if seen is not None else set()
    if id(obj) in seen:
        return 0
    seen.add(id(obj))
    if isinstance(obj, np.ndarray):
        return int(obj.nbytes)
    if is_dataclass(obj) and not isinstance(obj, type):
        return sum(array_bytes(getattr(obj, f.name), seen) for f in fields(obj))
    return 0


def timed(calls: list[Callable[[], object]]) -> tuple[list[float], list[float]]:
    """Wall and CPU ms of each call, after two warm-up calls."""
    for call in calls[:2]:
        call()
    wall, cpu = [], []
    for call in calls:
        started, cpu_started = time.perf_counter(), time.process_time()
        call()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
    return wall, cpu


def summary(ms: list[float]) -> dict[str, float]:
    ordered = sorted(ms)
    return {
        "median": statistics.median(ordered),
        "p95": ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))],
        "max": ordered[-1],
    }


def jieba_cost(samples: int = 300) -> float:
    """µs per character for ``bm25.segment`` on posting-like Chinese text."""
    from talentbridge.matching.bm25 import segment

    rng = np.random.default_rng(SEED)
    reference, *_ = reference_data()
    labels = [c.label_zh for c in reference.concepts.values() if c.label_zh]
    fillers = ["负责", "仓库", "日常", "管理", "工作", "熟悉", "流程", "具备", "良好", "沟通",
               "能力", "优先", "考虑", "物流", "行业", "经验", "以上", "学历", "大专", "及时"]  # fmt: skip
    texts = [
        "，".join("".join(rng.choice(fillers, 3)) + str(rng.choice(labels)) for _ in range(25))
        for _ in range(samples)
    ]
    segment(texts[0])  # loads jieba's dictionary
    started = time.perf_counter()
    for text in texts:
        segment(text)
    return (time.perf_counter() - started) * 1e6 / sum(len(t) for t in texts)


def version_cost(
    postings: list[PostingFacts], profiles: list[ProfileFacts], n_concepts: int, repeats: int = 9
) -> dict[str, float]:
    """ms of ``store_version`` (what ``index_for`` runs on every call) on a SQLite store
    holding these postings and profiles with their concepts (other columns minimal),
    written with raw inserts into a migrated temporary store."""
    import sqlite3
    import tempfile

    from sqlalchemy import create_engine

    from talentbridge.config import sqlite_url
    from talentbridge.matching.version import store_version
    from talentbridge.store.engine import session_factory
    from talentbridge.store.migrate import upgrade

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "version.db"
        engine = create_engine(sqlite_url(path))
        upgrade(engine)
        now = "2025-06-01 00:00:00"
        db = sqlite3.connect(path)
        db.execute("INSERT INTO organization (id, code, kind, name_zh, is_sample, created_at) "
                   "VALUES (1, 'C1', 'college', 'c', 0, ?)", (now,))  # fmt: skip
        db.execute("INSERT INTO taxonomy (id, code, version, name, is_active, created_at) "
                   "VALUES (1, 't', '1', 't', 1, ?)", (now,))  # fmt: skip
        db.executemany(
            "INSERT INTO concept (id, taxonomy_id, key, kind, status) VALUES (?, 1, ?, 'skill', 'active')",
            [(i, f"k{i}") for i in range(1, n_concepts + 1)],
        )
        db.executemany(
            "INSERT INTO posting (id, title, employer_name, salary_negotiable, in_circle, "
            "fresh_graduate, description, requirements, content_hash, block_key, fingerprint, "
            "flag_count, is_sample, created_at) VALUES (?, 't', 'e', 0, 1, 0, '', '', ?, 'b', 0, 0, 0, ?)",
            [(p.id, f"{p.id:064d}", now) for p in postings],
        )
        db.executemany(
            "INSERT INTO posting_concept (posting_id, concept_id, start, end, surface, confidence, "
            "strength, negated, taxonomy_version) VALUES (?, ?, 0, 1, 'x', 1.0, 'required', 0, 't')",
            ((p.id, c) for p in postings for c in p.required_concept_ids + p.preferred_concept_ids),
        )
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
        db.commit()
        db.close()
        factory = session_factory(engine)
        times = []
        for _ in range(repeats):
            with factory() as session:
                started = time.perf_counter()
                store_version(session)
                times.append((time.perf_counter() - started) * 1000)
        engine.dispose()
    return summary(times[1:])


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{cpu}, {os.cpu_count()} CPUs, Python {platform.python_version()}, numpy {np.__version__}"
    )


def run(args: argparse.Namespace) -> str:
    load_before = os.getloadavg()
    started = time.perf_counter()
    postings, profiles, reference = synthesize(args.postings, args.profiles)
    synth_s = time.perf_counter() - started
    nnz_post = sum(len(p.required_concept_ids) + len(p.preferred_concept_ids) for p in postings)
    nnz_prof = sum(len(q.concept_ids) for q in profiles)
    print(f"synthesized in {synth_s:.1f} s; {nnz_post / len(postings):.1f} concepts per posting")
    gc.collect()
    rss0 = rss_mb()
    started = time.perf_counter()
    index = build_index(postings, profiles, reference, tokenize=str.split)
    build_s = time.perf_counter() - started
    gc.collect()
    rss1 = rss_mb()
    arrays = array_bytes(index) / 2**20
    print(f"index built in {build_s:.1f} s; +{rss1 - rss0:.0f} MB resident, arrays {arrays:.0f} MB")
    rng = np.random.default_rng(SEED + 1)
    some_profiles = rng.choice(index.profiles.ids, args.queries, replace=False).tolist()
    some_postings = rng.choice(index.postings.ids, args.queries, replace=False).tolist()
    job_filters = JobFilters(city_codes=(CHENGDU,), salary_floor=6000)
    candidate_filters = CandidateFilters(graduation_years=(2025, 2026), min_education_level=4)
    runs = {
        "jobs_for, no filters": timed(
            [lambda p=p: jobs_for(index, p, k=20) for p in some_profiles]
        ),
        "jobs_for, Chengdu and pay ≥ 6,000": timed(
            [lambda p=p: jobs_for(index, p, job_filters, k=20) for p in some_profiles]
        ),
        "candidates_for, consent required": timed(
            [lambda j=j: candidates_for(index, j, k=20) for j in some_postings]
        ),
        "candidates_for, years 2025–26 and 大专+": timed(
            [lambda j=j: candidates_for(index, j, candidate_filters, k=20) for j in some_postings]
        ),
    }
    load_after = os.getloadavg()
    per_char = jieba_cost()
    for name, (wall, cpu) in runs.items():
        w, c = summary(wall), summary(cpu)
        print(f"{name}: wall median {w['median']:.1f} p95 {w['p95']:.1f} max {w['max']:.1f}; "
              f"CPU median {c['median']:.1f} p95 {c['p95']:.1f} ms")  # fmt: skip
    encoder = encoder_cost(len(index.postings), len(index.profiles)) if args.encoder else None
    version = version_cost(postings, profiles, len(reference.concepts)) if args.version else None
    if version:
        print(f"store_version: median {version['median']:.0f} ms, max {version['max']:.0f} ms")
    return report(
        args, index, runs, build_s, rss1 - rss0, arrays, nnz_post, nnz_prof, per_char,
        (load_before, load_after), encoder, version,
    )  # fmt: skip


def encoder_cost(n_postings: int, n_profiles: int, samples: int = 100) -> str:
    """What the optional multilingual encoder would cost at this scale."""
    from talentbridge.taxonomy import semantic

    encoder = semantic.get_encoder()
    if encoder is None:
        return "The optional encoder is not installed here; not measured."
    rng = np.random.default_rng(SEED)
    reference, *_ = reference_data()
    labels = [c.label_zh for c in reference.concepts.values() if c.label_zh]
    texts = ["，".join(str(x) for x in rng.choice(labels, 20)) + "。负责日常工作，具备良好沟通能力。"
             for _ in range(samples)]  # fmt: skip
    started = time.perf_counter()
    semantic.embed(texts, encoder)
    per_text = (time.perf_counter() - started) / samples
    vectors = rng.standard_normal((n_postings, 512)).astype(np.float32)
    query = rng.standard_normal(512).astype(np.float32)
    started = time.perf_counter()
    for _ in range(20):
        vectors @ query
    dot_ms = (time.perf_counter() - started) / 20 * 1000
    total_minutes = per_text * (n_postings + n_profiles) / 60
    return (
        f"Optional encoder (`taxonomy.semantic`, USE multilingual v3 in numpy): "
        f"{per_text * 1000:.0f} ms per posting-sized text on one thread, so about "
        f"{total_minutes:.0f} minutes to embed these {n_postings + n_profiles:,} texts when a "
        f"process builds its index; the posting vectors take {n_postings * 512 * 4 / 2**20:.0f} MB; "
        f"and one profile against all postings is a {n_postings:,} × 512 product of "
        f"{dot_ms:.1f} ms on top of everything else. The engine does not use it (see "
        "docs/matching.md, 'Text')."
    )


def report(
    args: argparse.Namespace, index: MatchIndex, runs: dict[str, list[float]], build_s: float,
    rss: float, arrays: float, nnz_post: int, nnz_prof: int, per_char: float,
    loads: tuple[tuple[float, float, float], tuple[float, float, float]],
    encoder: str | None, version: dict[str, float] | None,
) -> str:  # fmt: skip
    P, Q = index.postings, index.profiles
    rows = "\n".join(
        f"| {name} | {len(wall)} | {summary(wall)['median']:.1f} | {summary(wall)['p95']:.1f} | "
        f"{summary(wall)['max']:.1f} | {summary(cpu)['median']:.1f} | {summary(cpu)['p95']:.1f} |"
        for name, (wall, cpu) in runs.items()
    )
    return f"""{HEADING}

Command: `.venv/bin/python benchmarks/match_bench.py --postings {args.postings} --profiles {args.profiles} --queries {args.queries}{" --encoder" if args.encoder else ""}{" --version" if args.version else ""} --write-docs`
({dt.date.today().isoformat()}; {machine()}; one thread: OMP/MKL/OpenBLAS limited to 1;
load average {loads[0][0]:.1f} before, {loads[1][0]:.1f} after the timed calls, on the 2 CPUs
shared with other sessions).

Synthetic facts in memory (see the script's docstring): {len(P):,} postings with
{nnz_post / len(P):.1f} concepts each on average ({nnz_post:,} in all) from the bundled
taxonomy's {len(index.space.concept_ids)} concepts, {len(Q):,} profiles with
{nnz_prof / len(Q):.1f} each; texts of about 100 tokens (vocabulary of the postings:
{len(P.text.docs.vocab):,} terms, {len(P.text.docs.terms):,} posting-term pairs).

**Index build** (`build_index`, texts pre-segmented): {build_s:.1f} s; resident memory
+{rss:.0f} MB, of which numpy arrays {arrays:.0f} MB. On real text, jieba segmentation
(`bm25.segment`) costs about {per_char:.1f} µs per character, i.e. about
{per_char * 300 * (len(P) + len(Q)) / 1e6:.0f} s more for these {len(P) + len(Q):,} texts at 300
characters each, paid once per process: `index_for` rebuilds reuse the token counts of
every unchanged text and segment only new or edited ones.

**Queries** (top 20, two warm-up calls, then each of {args.queries} random profiles or
postings once; ms of wall time, and of this process's CPU time, which the other sessions'
load inflates less):

| call | n | wall median | wall p95 | wall max | CPU median | CPU p95 |
|---|---|---|---|---|---|---|
{rows}

Target: under 50 ms p95 for each direction on one core.
{version_text(version, len(P), len(Q))}
{encoder or ""}
"""


def version_text(version: dict[str, float] | None, n_postings: int, n_profiles: int) -> str:
    if version is None:
        return ""
    return (
        f"\n`index_for` checks the store's version on every call (`matching.version`): on a "
        f"SQLite store with the same {n_postings:,} postings and {n_profiles:,} profiles and "
        f"their concepts, {version['median']:.0f} ms median ({version['max']:.0f} ms max, 8 "
        f"checks), before the query.\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postings", type=int, default=200_000)
    parser.add_argument("--profiles", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--write-docs", action="store_true")
    parser.add_argument("--encoder", action="store_true", help="also time the optional encoder")
    parser.add_argument(
        "--version", action="store_true", help="also time index_for's version check on a store"
    )
    args = parser.parse_args()
    text = run(args)
    out = Path(__file__).resolve().parent / "out"
    out.mkdir(exist_ok=True)
    (out / "match.md").write_text(text, encoding="utf-8")
    if args.write_docs:
        # match_cold.py writes these subsections
        replace_section(
            HEADING, text, keep=("### Cold start", "### Cold start: where the time went")
        )
    print(text)


if __name__ == "__main__":
    main()
