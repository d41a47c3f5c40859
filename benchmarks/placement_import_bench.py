"""Placement import benchmark (issue 8): a college's placement file of many graduates.

Run: ``.venv/bin/python benchmarks/placement_import_bench.py [--graduates 20000]
[--repeats 3] [--write-docs]``

Per repeat, in a fresh migrated SQLite store with the bundled majors and occupations,
one college offering two majors and ``--graduates`` profiles (imported with the real
profile importer, not timed), times: the first import of a placement CSV (every row
stored), the re-import of the same file (every row unchanged), the same rows as XLSX
into a fresh store, and the CSV with every salary changed (every row updated). Rows
mix the destinations, places, salaries and occupation codes as the demo's files do
(no bad rows). Medians over the repeats.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import random
import statistics
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook
from sqlalchemy.orm import Session, sessionmaker

from talentbridge.config import load_settings
from talentbridge.matching.profiles import import_profiles
from talentbridge.outcomes.placement_import import import_placements
from talentbridge.registry.offerings import import_college_majors
from talentbridge.registry.organizations import import_organizations
from talentbridge.store.engine import create_engine_for, session_factory
from talentbridge.store.migrate import upgrade
from talentbridge.taxonomy.majors import load_bundled_majors
from talentbridge.taxonomy.occupations import load_bundled_occupations

HEADING = "## Placement import (issue 8)"
HEADER = ["学号", "姓名", "专业代码", "毕业年份", "毕业去向", "单位名称", "岗位名称", "职业代码",
          "工作地点", "月薪", "入职日期", "是否签约"]  # fmt: skip
PLACES = (
    "四川省成都市武侯区",
    "重庆市渝北区",
    "四川省绵阳市涪城区",
    "广东省深圳市宝安区",
    "重庆市两江新区",
)
CODES = ("4-02-06-03", "4-02-06-01", "2-06-07-05", "9-99-99-99", "")


def _rows(count: int, salary_shift: int = 0) -> list[list[object]]:
    rng = random.Random(8)
    rows: list[list[object]] = []
    for i in range(count):
        major = "530802" if i % 3 else "530503"
        destination = rng.choices(
            ("签劳动合同形式就业", "专升本", "灵活就业", "待就业"), (80, 10, 5, 5)
        )[0]
        employed = destination == "签劳动合同形式就业"
        rows.append([
            f"S{i:06d}", f"学生{i}", major, 2025, destination,
            "示例·川渝物流有限公司" if employed else "", "仓储员" if employed else "",
            rng.choice(CODES) if employed else "", rng.choice(PLACES) if employed else "",
            4000 + rng.randint(0, 40) * 100 + salary_shift if employed else "",
            "2025-07-15" if employed else "", "是" if employed else "",
        ])  # fmt: skip
    return rows


def _write_csv(path: Path, rows: list[list[object]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def _write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("placements")
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def _store(folder: Path, graduates: int):  # type: ignore[no-untyped-def]
    settings = load_settings({"TALENTBRIDGE_DATA_DIR": str(folder)})
    engine = create_engine_for(settings)
    upgrade(engine)
    factory = session_factory(engine)
    load_bundled_majors(factory)
    load_bundled_occupations(factory)
    orgs = folder / "orgs.csv"
    orgs.write_text(
        "code,kind,name_zh,city,district\nC1,college,示例·学院,成都市,双流区\n", "utf-8"
    )
    import_organizations(factory, orgs)
    offers = folder / "offers.csv"
    offers.write_text(
        "college_code,major_level,major_code,direction_zh,direction_en,start_year\n"
        "C1,associate,530802,,,2010\nC1,associate,530503,,,2012\n",
        "utf-8",
    )
    import_college_majors(factory, offers)
    students = folder / "students.csv"
    with students.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["college_code", "student_no", "name", "major_code", "graduation_year"])
        for i in range(graduates):
            writer.writerow(["C1", f"S{i:06d}", f"学生{i}", "530802" if i % 3 else "530503", 2025])
    assert import_profiles(factory, students).rejected == 0
    return engine, factory


def _timed(factory: sessionmaker[Session], path: Path) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    report = import_placements(factory, path, college_code="C1")
    assert report.rejected == 0, report.errors[:3]
    return time.perf_counter() - wall, time.process_time() - cpu


def run(graduates: int, repeats: int) -> dict[str, list[tuple[float, float]]]:
    results: dict[str, list[tuple[float, float]]] = {}
    rows = _rows(graduates)
    for _ in range(repeats):
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            csv_path = _write_csv(folder / "placements.csv", rows)
            engine, factory = _store(folder / "a", graduates)
            try:
                results.setdefault("first import, CSV (all stored)", []).append(
                    _timed(factory, csv_path)
                )
                results.setdefault("re-import, CSV (all unchanged)", []).append(
                    _timed(factory, csv_path)
                )
                changed = _write_csv(folder / "changed.csv", _rows(graduates, salary_shift=100))
                results.setdefault("changed salaries, CSV (employed updated)", []).append(
                    _timed(factory, changed)
                )
            finally:
                engine.dispose()
            xlsx_path = _write_xlsx(folder / "placements.xlsx", rows)
            engine, factory = _store(folder / "b", graduates)
            try:
                results.setdefault("first import, XLSX (all stored)", []).append(
                    _timed(factory, xlsx_path)
                )
            finally:
                engine.dispose()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graduates", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args()
    results = run(args.graduates, args.repeats)
    lines = [
        HEADING,
        "",
        f"`.venv/bin/python benchmarks/placement_import_bench.py --graduates {args.graduates} "
        f"--repeats {args.repeats}` — {platform.machine()}, {os.cpu_count()} CPUs (shared), "
        f"Python {platform.python_version()}, SQLite, load average {os.getloadavg()[0]:.1f} at the end.",
        "",
        f"One college's file of {args.graduates:,} graduates (80 % employed with employer, "
        "place, salary and occupation code, the rest further study, flexible or not yet "
        f"employed; no bad rows). Medians of {args.repeats} runs, each in a fresh store:",
        "",
        "| step | seconds (wall) | CPU seconds | rows/s (wall) |",
        "| --- | ---: | ---: | ---: |",
    ]
    for step, samples in results.items():
        wall = statistics.median(s[0] for s in samples)
        cpu = statistics.median(s[1] for s in samples)
        lines.append(f"| {step} | {wall:.2f} | {cpu:.2f} | {args.graduates / wall:,.0f} |")
    section = "\n".join(lines) + "\n"
    print(section)
    if args.write_docs:
        from docs_section import replace_section

        replace_section(HEADING, section)


if __name__ == "__main__":
    main()
