"""Demo placement files: each sample college's yearly graduate destination report
(毕业生就业信息), written in the layout colleges use and imported through the real
placement importer (``outcomes.placement_import``).

The graduates are the demo's profiles that have graduated by ``today`` (graduation year
up to this year from July, else last year). Distributions are synthetic but shaped like
the colleges' reports: about 94 % with a destination; most employed, some further
study (a few abroad), a few enlisted, self-employed or in flexible work; major-related
employment differs by major (it is drawn per major between 62 % and 92 %); about one
employed graduate in ten has no occupation code (the indicator counts them as
unclassifiable); salaries depend on the occupation group and the city. Every file
says it is sample data (示例), every employer name starts with 示例·, and a few bad rows
per file show the rejects (unknown major, a student the store does not know, an
impossible salary or date, employed without employer, a duplicate) and one row without
学号 shows the confirmation step.

Files: XLSX for every other college, CSV for the rest, one of them in GB18030.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from talentbridge.demo import wording as w
from talentbridge.demo.postings import _normalize_xlsx
from talentbridge.outcomes.placement_import import PlacementImportReport, import_placements
from talentbridge.store.tables import (
    CollegeMajor,
    Direction,
    Major,
    MajorOccupation,
    Occupation,
    Organization,
    Profile,
)

FOLDER = "placements"
HEADERS = ("序号", "学号", "姓名", "专业代码", "专业名称", "专业方向", "毕业年份", "毕业去向",
           "单位名称", "单位组织机构代码", "岗位名称", "职业代码", "工作地点", "月薪", "入职日期",
           "是否签约", "示例数据")  # fmt: skip
SAMPLE_MARK = "示例"

# destination label as colleges write it -> weight
_DESTINATIONS: tuple[tuple[str, float], ...] = (
    ("签劳动合同形式就业", 40), ("签就业协议形式就业", 24), ("其他录用形式就业", 7),
    ("科研助理", 0.5), ("专升本", 8), ("升学", 1.5), ("出国出境留学", 1),
    ("应征义务兵", 2), ("自主创业", 3), ("灵活就业", 5), ("自由职业", 2),
    ("待就业", 4.5), ("暂不就业", 1.5),
)  # fmt: skip
_EMPLOYED = {"签劳动合同形式就业", "签就业协议形式就业", "其他录用形式就业", "科研助理"}
_BASE_PAY = {"2": 5600, "3": 4900, "4": 4700, "5": 4300, "6": 5000}  # by occupation major group
_FLEXIBLE_TITLES = ("电商主播", "自由撰稿", "跑腿配送员", "短视频运营", "独立报关咨询")
_ABROAD = (("示例·海外大学 Sample University", "澳大利亚 国外"),
           ("示例·欧洲商学院 Sample Business School", "德国 境外"))  # fmt: skip


@dataclass(frozen=True)
class _Graduate:
    college_code: str
    student_no: str
    name: str
    major_id: int
    major_code: str
    major_name: str
    direction: str
    year: int


@dataclass
class PlacementDemo:
    files: list[Path] = field(default_factory=list)
    reports: dict[str, PlacementImportReport] = field(default_factory=dict)

    def summary(self) -> str:
        stored = sum(r.stored for r in self.reports.values())
        rejected = sum(r.rejected for r in self.reports.values())
        pending = sum(len(r.pending) for r in self.reports.values())
        return (
            f"{stored} sample placements from {len(self.files)} college files "
            f"({rejected} rows rejected, {pending} awaiting confirmation)"
        )


def last_graduation_year(today: dt.date) -> int:
    """Students graduate in July: this year's cohort counts from July on."""
    return today.year if today.month >= 7 else today.year - 1


def _graduates(session: Session, last_year: int) -> list[_Graduate]:
    rows = session.execute(
        select(Organization.code, Profile.student_no, Profile.name, Major.id, Major.code,
               Major.name_zh, Direction.name_zh, Profile.graduation_year)
        .join(Organization, Organization.id == Profile.organization_id)
        .join(CollegeMajor, CollegeMajor.id == Profile.college_major_id)
        .join(Major, Major.id == CollegeMajor.major_id)
        .outerjoin(Direction, Direction.id == Profile.direction_id)
        .where(Profile.graduation_year <= last_year, Profile.is_sample.is_(True))
        .order_by(Organization.code, Profile.student_no)
    )  # fmt: skip
    return [_Graduate(c, no, n, mid, code, mname, d or "", y)
            for c, no, n, mid, code, mname, d, y in rows]  # fmt: skip


def _place(rng: random.Random) -> tuple[str, float]:
    """(place text, pay factor): mostly Chengdu or Chongqing, some elsewhere."""
    roll = rng.random()
    if roll < 0.40:
        names, weights = zip(*w.CHENGDU_DISTRICTS, strict=True)
        return f"四川省成都市{rng.choices(names, weights)[0]}", 1.0
    if roll < 0.70:
        names, weights = zip(*w.CHONGQING_DISTRICTS, strict=True)
        return f"重庆市{rng.choices(names, weights)[0]}", 0.97
    if roll < 0.86:
        city, district = rng.choice(w.OTHER_CIRCLE_PLACES)
        return f"四川省{city}市{district}", 0.85
    city, district = rng.choice(w.ELSEWHERE_PLACES)
    return f"{city}市{district}", 1.3


def _pay(rng: random.Random, occupation_code: str, factor: float) -> int:
    base = _BASE_PAY.get(occupation_code[:1], 4800) * factor
    return max(2200, round(base * rng.lognormvariate(0, 0.18) / 100) * 100)


class _Maker:
    """Draws one row per graduate from the store's majors, occupations and enterprises."""

    def __init__(self, session: Session, rng: random.Random) -> None:
        self.rng = rng
        self.occupations = {
            code: name
            for code, name in session.execute(select(Occupation.code, Occupation.name_zh))
        }
        self.related: dict[int, list[str]] = defaultdict(list)
        for major_id, code in session.execute(
            select(MajorOccupation.major_id, Occupation.code).join(
                Occupation, Occupation.id == MajorOccupation.occupation_id
            )
        ):
            self.related[major_id].append(code)
        self.enterprises = [
            (name, code)
            for name, code in session.execute(
                select(Organization.name_zh, Organization.code)
                .where(Organization.kind == "enterprise", Organization.is_sample.is_(True))
                .order_by(Organization.code)
            )
        ]
        self.all_codes = sorted(self.occupations)

    def synthetic_employer(self) -> str:
        lead = self.rng.choice(("川渝", "西部", "蓉欧", "渝新欧", "天府", "巴蜀"))
        trade = self.rng.choice(("供应链", "物流", "国际货运代理", "仓储", "冷链", "电子商务"))
        return f"{w.SAMPLE_PREFIX}{lead}{trade}有限公司"

    def related_share(self, major_code: str) -> float:
        return 0.62 + (int(major_code) % 7) * 0.05

    def row(self, g: _Graduate) -> dict[str, object]:
        rng = self.rng
        labels, weights = zip(*_DESTINATIONS, strict=True)
        label = rng.choices(labels, weights)[0]
        row: dict[str, object] = {
            "学号": g.student_no, "姓名": g.name, "专业代码": g.major_code,
            "专业名称": g.major_name, "专业方向": g.direction, "毕业年份": g.year,
            "毕业去向": label, "示例数据": SAMPLE_MARK,
        }  # fmt: skip
        start = dt.date(g.year, 7, 1) + dt.timedelta(days=rng.randint(0, 75))
        if label in _EMPLOYED:
            related = self.related.get(g.major_id) or []
            if related and rng.random() < self.related_share(g.major_code):
                code = rng.choice(related)
            else:
                code = rng.choice([c for c in self.all_codes if c not in related] or self.all_codes)
            place, factor = _place(rng)
            if self.enterprises and rng.random() < 0.6:
                employer, org_code = rng.choice(self.enterprises)
            else:
                employer, org_code = self.synthetic_employer(), ""
            row.update({
                "单位名称": employer, "单位组织机构代码": org_code,
                "岗位名称": self.occupations[code],
                "职业代码": code if rng.random() >= 0.10 else "", "工作地点": place,
                "月薪": _pay(rng, code, factor), "入职日期": start,
                "是否签约": "是" if label != "其他录用形式就业" and rng.random() < 0.9 else "否",
            })  # fmt: skip
        elif label in ("专升本", "升学"):
            row.update(
                {"单位名称": f"{w.SAMPLE_PREFIX}四川某职业技术大学", "工作地点": "四川省成都市"}
            )
        elif label == "出国出境留学":
            employer, place = rng.choice(_ABROAD)
            row.update({"单位名称": employer, "工作地点": place})
        elif label in ("自主创业", "灵活就业", "自由职业"):
            place, factor = _place(rng)
            title = "创始人" if label == "自主创业" else rng.choice(_FLEXIBLE_TITLES)
            employer = f"{w.SAMPLE_PREFIX}{g.name}工作室" if label == "自主创业" else ""
            row.update({"单位名称": employer, "岗位名称": title, "工作地点": place,
                        "月薪": _pay(rng, "4", factor * 0.9), "入职日期": start})  # fmt: skip
        return row

    def bad_rows(
        self, rows: list[dict[str, object]], year: int, with_pending: bool
    ) -> list[dict[str, object]]:
        """A few rows the importer must reject and, with ``with_pending``, one row without
        学号 to confirm (taken out of ``rows``)."""
        employed = [r for r in rows if r["毕业去向"] in _EMPLOYED]
        if len(employed) < 2 or len(rows) < 5:
            return []
        a, b, twice = employed[0], employed[-1], rows[len(rows) // 2]
        chosen = self.rng.sample(
            [
                {**a, "专业代码": "539999"},
                {**a, "学号": "X0000001", "姓名": f"{w.SAMPLE_PREFIX}查无此人"},
                {**b, "月薪": 0},
                {**b, "入职日期": dt.date(year - 5, 7, 1)},
                {**b, "单位名称": "", "单位组织机构代码": ""},
                dict(twice),  # the same graduate twice
            ],
            k=3,
        )
        if with_pending:
            names: dict[tuple[object, ...], int] = defaultdict(int)
            for r in rows:
                names[(r["姓名"], r["专业代码"], r["毕业年份"])] += 1
            unique = [
                r for r in rows
                if all(r is not x for x in (a, b, twice))
                and names[(r["姓名"], r["专业代码"], r["毕业年份"])] == 1
            ]  # fmt: skip
            if unique:
                rows.remove(unique[0])
                chosen.append({**unique[0], "学号": ""})
        return chosen


def _write_csv(path: Path, rows: list[dict[str, object]], encoding: str) -> None:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        for row in rows:
            writer.writerow(["" if row.get(h) is None else str(row.get(h, "")) for h in HEADERS])


def _write_xlsx(path: Path, rows: list[dict[str, object]], stamp: dt.datetime) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("毕业生就业信息 (示例)")
    sheet.append(list(HEADERS))
    for row in rows:
        sheet.append([row.get(h, "") for h in HEADERS])
    buffer = io.BytesIO()
    book.save(buffer)
    path.write_bytes(_normalize_xlsx(buffer.getvalue(), stamp))


def write_placement_files(
    factory: sessionmaker[Session], out_dir: Path, *, today: dt.date, seed: int
) -> list[tuple[str, Path]]:
    """Write one placement file per sample college with graduates; (college code, path)."""
    rng = random.Random(seed * 1009 + 8)
    folder = Path(out_dir) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    with factory() as session:
        graduates = _graduates(session, last_graduation_year(today))
        maker = _Maker(session, rng)
        by_college: dict[str, list[_Graduate]] = defaultdict(list)
        for g in graduates:
            by_college[g.college_code].append(g)
        files: list[tuple[str, Path]] = []
        stamp = dt.datetime(today.year, today.month, today.day, 12, 0, 0)
        for n, (code, members) in enumerate(sorted(by_college.items())):
            rows = [maker.row(g) for g in members]
            for bad in maker.bad_rows(rows, members[0].year, with_pending=n == 0):
                rows.insert(rng.randint(1, len(rows)), bad)
            for i, row in enumerate(rows, start=1):
                row["序号"] = i
            stem = f"placements_{code}_{members[0].year}-{members[-1].year}"
            if n % 2 == 0:
                path = folder / f"{stem}.xlsx"
                _write_xlsx(path, rows, stamp)
            else:
                path = folder / f"{stem}.csv"
                _write_csv(path, rows, "gb18030" if n == 1 else "utf-8")
            files.append((code, path))
    return files


def seed_placements(
    factory: sessionmaker[Session], files_dir: Path, today: dt.date, *, seed: int = 2026
) -> PlacementDemo:
    """Write the placement files and import each through the real importer."""
    demo = PlacementDemo()
    for code, path in write_placement_files(factory, files_dir, today=today, seed=seed):
        demo.files.append(path)
        demo.reports[path.name] = import_placements(factory, path, college_code=code, today=today)
    return demo
