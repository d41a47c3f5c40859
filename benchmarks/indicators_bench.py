"""Outcome indicators benchmark (issue 8): every rate, salary quartiles and enrollment over
many graduates.

Run: ``.venv/bin/python benchmarks/indicators_bench.py [--graduates 200000] [--repeats 3]
[--database-url URL] [--write-docs]`` (against PostgreSQL, ``--write-docs`` writes the
section's "PostgreSQL 15" part)

Builds a fresh migrated store (SQLite in a temporary folder unless ``--database-url``
names another, empty one) with 11 colleges offering 8 of 30 majors each (2 directions in
half of them), 4 occupations per major in the 对口 relation, yearly cohorts, and
``--graduates`` profiles over 3 graduation years, 95 % with a placement (destinations,
occupations, places and salaries drawn at random, 10 % without an occupation code).
Inserted with Core ``executemany``. Then times, medians of ``--repeats`` (wall and CPU
seconds of this process), the calls the outcomes pages make.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session, sessionmaker

from talentbridge.accounts.policy import Principal
from talentbridge.accounts.roles import Role
from talentbridge.config import load_settings
from talentbridge.domain.divisions import in_circle
from talentbridge.outcomes.indicators import enrollment_table, indicator_tables, salary_table
from talentbridge.store.engine import create_engine_for, session_factory
from talentbridge.store.migrate import upgrade
from talentbridge.store.outcomes_tables import Placement
from talentbridge.store.tables import (
    Cohort,
    CollegeMajor,
    Direction,
    Major,
    MajorOccupation,
    Occupation,
    Organization,
    Profile,
    table_of,
)

HEADING = "## Outcome indicators (issue 8)"
PG_HEADING = "### PostgreSQL 15"
COLLEGES = 11
MAJORS = 30
MAJORS_PER_COLLEGE = 8
YEARS = (2023, 2024, 2025)
PLACES = ("510100", "510107", "500112", "500103", "510700", "511300", "440300", "310115",
          "110105", "330100", None)  # fmt: skip
DESTINATIONS = ("employed",) * 70 + ("further_study",) * 10 + ("enlisted",) * 3 + (
    "self_employed",) * 4 + ("flexible",) * 6 + ("not_employed",) * 7  # fmt: skip


def build(factory: sessionmaker[Session], graduates: int, seed: int = 8) -> None:
    rng = random.Random(seed)
    with factory.begin() as session:
        session.execute(insert(table_of(Organization)), [
            {"code": f"C{i:02d}", "kind": "college", "name_zh": f"学院{i}"} for i in range(COLLEGES)
        ])  # fmt: skip
        session.execute(insert(table_of(Major)), [
            {"level": "associate", "item_level": "major", "code": f"53{i:04d}",
             "name_zh": f"专业{i}", "category_code": "53", "category_name": "财经商贸大类",
             "catalog": "MOE_VOCATIONAL_2021"} for i in range(MAJORS)
        ])  # fmt: skip
        session.execute(insert(table_of(Occupation)), [
            {"code": f"4-{i // 100:02d}-{i % 100:02d}-01", "name_zh": f"职业{i}"}
            for i in range(MAJORS * 3)
        ])  # fmt: skip
        session.execute(insert(table_of(MajorOccupation)), [
            {"major_id": m + 1, "occupation_id": 1 + (m * 3 + k) % (MAJORS * 3),
             "strength": "primary" if k < 2 else "related"}
            for m in range(MAJORS) for k in range(4)
        ])  # fmt: skip
        offerings = []
        for c in range(COLLEGES):
            for m in rng.sample(range(MAJORS), MAJORS_PER_COLLEGE):
                offerings.append({"organization_id": c + 1, "major_id": m + 1})
        session.execute(insert(table_of(CollegeMajor)), offerings)
        directions = [
            {"college_major_id": cm + 1, "name_zh": f"方向{k}"}
            for cm in range(0, len(offerings), 2) for k in range(2)
        ]  # fmt: skip
        session.execute(insert(table_of(Direction)), directions)
        by_cm: dict[int, list[int]] = {}
        for d, row in enumerate(directions, start=1):
            by_cm.setdefault(int(row["college_major_id"]), []).append(d)  # type: ignore[call-overload]
        session.execute(insert(table_of(Cohort)), [
            {"college_major_id": cm, "direction_id": None, "direction_key": 0, "year": y,
             "enrolled": rng.randint(40, 200), "graduated": rng.randint(30, 180)}
            for cm in range(1, len(offerings) + 1) for y in range(2019, 2026)
        ])  # fmt: skip
        circle = {p: in_circle(p) for p in PLACES if p}
        batch = 20_000
        for start in range(0, graduates, batch):
            profiles, placements = [], []
            for i in range(start, min(graduates, start + batch)):
                cm = rng.randrange(len(offerings)) + 1
                dirs = by_cm.get(cm)
                college = int(offerings[cm - 1]["organization_id"])
                major = int(offerings[cm - 1]["major_id"])
                profiles.append({"organization_id": college, "college_major_id": cm,
                                 "direction_id": rng.choice(dirs) if dirs else None,
                                 "student_no": f"S{i:07d}", "name": f"n{i}",
                                 "graduation_year": YEARS[i % len(YEARS)],
                                 "visible_to_employers": False, "ranking_opt_out": False,
                                 "is_sample": True})  # fmt: skip
                if rng.random() < 0.05:
                    continue
                dest = rng.choice(DESTINATIONS)
                working = dest in ("employed", "self_employed", "flexible")
                place = rng.choice(PLACES) if dest != "not_employed" else None
                abroad = dest in ("employed", "further_study") and rng.random() < 0.02
                occupation = None
                if working and rng.random() > 0.1:
                    near = (major - 1) * 3 + rng.randrange(6)
                    occupation = 1 + near % (MAJORS * 3)
                placements.append({"profile_id": i + 1, "organization_id": college,
                                   "destination": dest, "occupation_id": occupation,
                                   "division_code": None if abroad else place,
                                   "in_circle": None if abroad or not place else circle[place],
                                   "abroad": abroad,
                                   "salary_monthly": rng.randint(3000, 9000) if working else None,
                                   "source": "import", "is_sample": True})  # fmt: skip
            session.execute(insert(table_of(Profile)), profiles)
            session.execute(insert(table_of(Placement)), placements)


def timed(call: Callable[[], object], repeats: int) -> tuple[float, float]:
    walls, cpus = [], []
    for _ in range(repeats):
        w, c = time.perf_counter(), time.process_time()
        call()
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--graduates", type=int, default=200_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--database-url")
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="tb-indicators-"))
    env = {"TALENTBRIDGE_DATA_DIR": str(folder)}
    if args.database_url:
        env["TALENTBRIDGE_DATABASE_URL"] = args.database_url
    settings = load_settings(env)
    engine = create_engine_for(settings)
    upgrade(engine)
    factory = session_factory(engine)
    started = time.perf_counter()
    build(factory, args.graduates)
    built = time.perf_counter() - started
    analyst = Principal(user_id=1, role=Role.ANALYST, organization_id=None)
    teacher = Principal(user_id=2, role=Role.TEACHER, organization_id=1)
    steps: list[tuple[str, Callable[[Session], object]]] = [
        ("every rate, alliance total (analyst)",
         lambda s: indicator_tables(s, analyst, min_cell=5)),
        ("every rate by college × major × year (analyst)",
         lambda s: indicator_tables(s, analyst, by="college,major,year", min_cell=5)),
        ("every rate by major × direction × year, own college (teacher)",
         lambda s: indicator_tables(s, teacher, by="major,direction,year", min_cell=5)),
        ("every rate by major × year, alliance seen by a teacher",
         lambda s: indicator_tables(s, teacher, by="major,year", alliance=True, min_cell=5)),
        ("every rate by city (analyst)",
         lambda s: indicator_tables(s, analyst, by="city", min_cell=5)),
        ("starting salary by major × year (analyst)",
         lambda s: salary_table(s, analyst, by="major,year", min_cell=5)),
        ("enrollment by college × major (analyst)",
         lambda s: enrollment_table(s, analyst, by="college,major")),
    ]  # fmt: skip
    rows = []
    with factory() as session:
        placed = session.scalar(select(func.count()).select_from(table_of(Placement)))
        for label, step in steps:
            wall, cpu = timed(lambda step=step: step(session), args.repeats)  # type: ignore[misc]
            rows.append((label, wall, cpu))
            print(f"{label:<66} {wall:7.3f} s wall {cpu:7.3f} s CPU", flush=True)
    engine.dispose()
    load = os.getloadavg()[0]
    store = "SQLite" if settings.is_sqlite else "PostgreSQL"
    size = ""
    if settings.is_sqlite:
        size = f" ({(folder / 'talentbridge.db').stat().st_size / 1e6:.0f} MB store)"
    print(f"built in {built:.0f} s; {placed} placements; load average {load:.1f}")
    if not args.write_docs:
        return
    from docs_section import replace_section, replace_subsection

    command = (
        f"`.venv/bin/python benchmarks/indicators_bench.py --graduates {args.graduates} "
        f"--repeats {args.repeats}"
    )
    if not settings.is_sqlite:
        sub = [
            PG_HEADING,
            "",
            f"{command} --database-url postgresql+psycopg://…` (a local PostgreSQL 15 on the "
            f"same machine), load average {load:.1f} at the end. Same store and calls; the CPU "
            "column counts this process only (the server's work is in the wall time).",
            "",
            "| call | seconds (wall) | CPU seconds (client) |",
            "| --- | ---: | ---: |",
            *(f"| {label} | {wall:.3f} | {cpu:.3f} |" for label, wall, cpu in rows),
        ]
        replace_subsection(HEADING, PG_HEADING, "\n".join(sub))
        return
    lines = [
        HEADING,
        "",
        f"{command}` — {platform.machine()}, {os.cpu_count()} CPUs (shared), "
        f"Python {platform.python_version()}, {store}{size}, load average {load:.1f} at the end.",
        "",
        f"{args.graduates:,} generated graduates of {COLLEGES} colleges over {len(YEARS)} years, "
        f"{placed:,} with a placement (built in {built:.0f} s). Medians of {args.repeats} runs:",
        "",
        "| call | seconds (wall) | CPU seconds |",
        "| --- | ---: | ---: |",
        *(f"| {label} | {wall:.3f} | {cpu:.3f} |" for label, wall, cpu in rows),
        "",
        "Each rate table is one grouped SQL scan of profile ⟕ placement ⟕ college major ⟕ "
        "major_occupation with `SUM(CASE …)` counts for all five rates at once (a second, "
        "small query finds the reporting years); suppression and labels are Python over the "
        "grouped rows. Salaries are fetched (one column per graduate in work) and their "
        "quartiles computed in Python.",
    ]
    replace_section(HEADING, "\n".join(lines), keep=[PG_HEADING])


if __name__ == "__main__":
    main()
