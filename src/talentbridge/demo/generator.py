"""The deterministic sample data set, written as files the real importers read.

``generate_demo_files`` draws everything from one ``random.Random(seed)``: the same
seed, scale and ``today`` give byte-identical files. Every file says it is sample
data (a ``source``/``来源`` column and a README.txt beside them), and every fictional
name carries the ``示例·`` marker.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from dataclasses import dataclass, field
from pathlib import Path

from talentbridge.demo import courses as cs
from talentbridge.demo import postings as pg
from talentbridge.demo import profile_details as pd
from talentbridge.demo import wording as w

ORGANIZATIONS = "organizations.csv"
COLLEGE_MAJORS = "college_majors.csv"
COHORTS = "cohorts.csv"
COURSES = cs.COURSES
STUDENTS = "students.csv"
README = "README.txt"

ORG_HEADERS = ("code", "kind", "name_zh", "name_en", "city", "district", "address", "is_sample",
               "source")  # fmt: skip
CM_HEADERS = ("college_code", "major_level", "major_code", "direction_zh", "direction_en",
              "start_year", "source")  # fmt: skip
COHORT_HEADERS = ("college_code", "major_level", "major_code", "direction_zh", "year",
                  "enrolled", "graduated", "source")  # fmt: skip
STUDENT_HEADERS = ("college_code", "student_no", "name", "major_level", "major_code",
                   "direction_zh", "graduation_year", "phone", "email", "visible_to_employers",
                   "source", *pd.DETAIL_HEADERS, *pd.PROTECTED_HEADERS)  # fmt: skip

POSTINGS_AT_SCALE_1 = 30_000
STUDENTS_AT_SCALE_1 = 3_000
COHORT_YEARS = 6
N_ENTERPRISES = 50
N_EXTRA_EMPLOYERS = 220


@dataclass(frozen=True)
class DemoManifest:
    """What ``generate_demo_files`` wrote: files by name and the counts in them."""

    out_dir: Path
    seed: int
    scale: float
    today: dt.date
    files: dict[str, Path]
    counts: dict[str, int] = field(default_factory=dict)
    first_month: str = ""
    last_month: str = ""

    @property
    def posting_files(self) -> list[Path]:
        return [self.files[name] for name in pg.BOARDS]


@dataclass
class _Track:
    """A major as a whole (direction "") or one of its directions at one college."""

    college_code: str
    level: str
    major_code: str
    direction_zh: str
    direction_en: str
    start_year: int
    recent: bool
    enrolled: dict[int, int] = field(default_factory=dict)


def _org_rows(rng: random.Random) -> tuple[list[dict[str, str]], list[pg.Employer]]:
    rows: list[dict[str, str]] = []

    def add(code: str, kind: str, zh: str, en: str, city: str, district: str) -> None:
        address = (
            f"{city}{district}示例路{rng.randint(1, 399)}号" if district else f"{city}示例路1号"
        )
        rows.append({
            "code": code, "kind": kind, "name_zh": w.SAMPLE_PREFIX + zh,
            "name_en": "Sample " + en + w.SAMPLE_SUFFIX_EN, "city": city,
            "district": district, "address": address, "is_sample": "true",
            "source": w.SAMPLE_SOURCE,
        })  # fmt: skip

    for i, (zh, en, city, district) in enumerate(w.COLLEGES, start=1):
        add(f"DEMO-C{i:02d}", "college", zh, en, city, district)
    employers: list[pg.Employer] = []
    used: set[str] = set()
    kinds = list(w.ENTERPRISE_TYPES)
    cd = [d for d, _ in w.CHENGDU_DISTRICTS if not d.endswith("新区") and d != "高新区"]
    cq = [d for d, _ in w.CHONGQING_DISTRICTS if not d.endswith("新区")]
    for i in range(N_ENTERPRISES + N_EXTRA_EMPLOYERS):
        kind = kinds[i % len(kinds)] if i < N_ENTERPRISES else rng.choice(kinds)
        r = rng.random()
        if r < 0.44:
            city, district, short = "成都市", rng.choice(cd), "成都"
        elif r < 0.88:
            city, district, short = "重庆市", rng.choice(cq), "重庆"
        else:
            city, district = rng.choice(w.ENTERPRISE_OTHER_CITIES), ""
            short = city.removesuffix("市")
        suffix_zh, suffix_en, _families = w.ENTERPRISE_TYPES[kind]
        brand, pinyin = rng.choice(w.BRANDS)
        core = f"{short}{brand}{suffix_zh}"
        while core in used:  # brands x types x cities leave plenty of room
            brand, pinyin = rng.choice(w.BRANDS)
            core = f"{short}{brand}{suffix_zh}"
        used.add(core)
        name = w.SAMPLE_PREFIX + core
        blurb = rng.choice(w.COMPANY_BLURBS).format(
            name=name,
            year=rng.randint(1998, 2020),
            city=city,
            business=w.BUSINESS_PHRASES[kind],
            staff=rng.choice((50, 80, 120, 200, 300, 500, 800, 1200)),
        )
        employers.append(pg.Employer(name, kind, short, blurb, 4.0 if i < N_ENTERPRISES else 1.0))
        if i < N_ENTERPRISES:
            en = f"{short_en(short)} {pinyin} {suffix_en}"
            add(f"DEMO-E{i + 1:03d}", "enterprise", core, en, city, district)
    for i, (zh, en, city, district) in enumerate(w.ASSOCIATIONS, start=1):
        add(f"DEMO-A{i:02d}", "association", zh, en, city, district)
    zh, en, city, district = w.AUTHORITY
    add("DEMO-G01", "authority", zh, en, city, district)
    return rows, employers


def short_en(city_zh: str) -> str:
    names = {"成都": "Chengdu", "重庆": "Chongqing", "绵阳": "Mianyang", "德阳": "Deyang",
             "宜宾": "Yibin", "泸州": "Luzhou", "南充": "Nanchong"}  # fmt: skip
    return names.get(city_zh, city_zh)


def _tracks(rng: random.Random, today: dt.date) -> list[_Track]:
    """Majors and directions per college; eight colleges added a seed-case direction."""
    tracks: list[_Track] = []
    recent_years = (today.year - 3, today.year - 1)
    colleges = [f"DEMO-C{i:02d}" for i in range(1, len(w.COLLEGES) + 1)]
    seed_case = set(rng.sample(colleges, k=8))
    by_code = {o[1]: o for o in w.MAJOR_OFFERINGS}
    bachelor = set(rng.sample(colleges, k=w.BACHELOR_COLLEGES))
    for code in colleges:
        if code in bachelor:
            level, major_code, _name, (y0, y1), _dirs = w.BACHELOR_OFFERING
            tracks.append(_Track(code, level, major_code, "", "", rng.randint(y0, y1), True))
        others = [o[1] for o in w.MAJOR_OFFERINGS[1:]]
        chosen = ["530802", *rng.sample(others, k=rng.randint(3, 6))]
        forced: tuple[str, str] | None = None
        if code in seed_case:
            forced = rng.choice(w.SEED_CASE_DIRECTIONS)
            if forced[0] not in chosen:
                chosen.append(forced[0])
        chosen.sort()
        for major_code in chosen:
            level, _code, _name, (y0, y1), directions = by_code[major_code]
            start = rng.randint(y0, y1)
            tracks.append(_Track(code, level, major_code, "", "", start, False))
            for name_zh, name_en, recent in directions:
                is_forced = forced == (major_code, name_zh)
                if not is_forced and rng.random() >= (0.12 if recent else 0.4):
                    continue
                if recent:
                    d_start = rng.randint(*recent_years)
                else:
                    d_start = rng.randint(start, max(start, today.year - 6))
                tracks.append(_Track(code, level, major_code, name_zh, name_en, d_start, recent))
    return tracks


def _fill_enrollment(rng: random.Random, tracks: list[_Track], today: dt.date) -> None:
    """Yearly intake per track: flat for old tracks, ~30% growth for recent directions."""
    has_recent = {(t.college_code, t.major_code) for t in tracks if t.recent}
    first = today.year - COHORT_YEARS - 3
    for t in tracks:
        if t.direction_zh == "":
            size = rng.randint(60, 180)
            drift = 0.97 if (t.college_code, t.major_code) in has_recent else 1.0
        elif t.recent:
            size, drift = rng.randint(25, 45), 1.3
        else:
            size, drift = rng.randint(30, 60), 1.0
        for year in range(max(first, t.start_year), today.year + 1):
            years_on = year - max(first, t.start_year)
            t.enrolled[year] = max(5, round(size * drift**years_on * rng.uniform(0.92, 1.08)))


def _cohort_rows(rng: random.Random, tracks: list[_Track], today: dt.date) -> list[dict[str, str]]:
    """Rows per track and year; the row without direction is the major's total
    (its general track plus every direction), the direction rows are parts of it."""
    counts: dict[tuple[str, str, str, int], tuple[int | None, int | None]] = {}
    for t in tracks:
        for year in range(today.year - COHORT_YEARS + 1, today.year + 1):
            enrolled = t.enrolled.get(year)
            entry = t.enrolled.get(year - w.years_of_study(t.level))
            graduated: int | None = None
            if entry is not None and (year < today.year or today.month >= 7):
                graduated = round(entry * rng.uniform(0.88, 0.97))
            counts[(t.college_code, t.major_code, t.direction_zh, year)] = (enrolled, graduated)

    def total(values: list[int | None]) -> str:
        present = [v for v in values if v is not None]
        return str(sum(present)) if present else ""

    rows: list[dict[str, str]] = []
    for t in tracks:
        siblings = [
            s.direction_zh
            for s in tracks
            if (s.college_code, s.major_code) == (t.college_code, t.major_code)
        ]
        for year in range(today.year - COHORT_YEARS + 1, today.year + 1):
            names = siblings if t.direction_zh == "" else [t.direction_zh]
            cells = [counts[(t.college_code, t.major_code, n, year)] for n in names]
            enrolled_text = total([c[0] for c in cells])
            graduated_text = total([c[1] for c in cells])
            if not enrolled_text and not graduated_text:
                continue
            rows.append({
                "college_code": t.college_code, "major_level": t.level,
                "major_code": t.major_code, "direction_zh": t.direction_zh, "year": str(year),
                "enrolled": enrolled_text, "graduated": graduated_text,
                "source": w.SAMPLE_SOURCE,
            })  # fmt: skip
    return rows


def _student_rows(
    rng: random.Random, tracks: list[_Track], today: dt.date, total: int
) -> tuple[list[dict[str, str]], int]:
    rows: list[dict[str, str]] = []
    years = (today.year - 1, today.year, today.year + 1)
    counters: dict[str, int] = {}
    for i, grad_year in enumerate(years):
        count = total // 3 + (1 if i < total % 3 else 0)
        eligible = [t for t in tracks if grad_year - w.years_of_study(t.level) in t.enrolled]
        weights = [t.enrolled[grad_year - w.years_of_study(t.level)] for t in eligible]
        for t in rng.choices(eligible, weights=weights, k=count):
            entry = grad_year - w.years_of_study(t.level)
            key = f"{t.college_code}-{entry}"
            counters[key] = counters.get(key, 0) + 1
            college_no = int(t.college_code[-2:])
            student_no = f"{entry}{college_no:02d}{counters[key]:04d}"
            given = "".join(rng.choices(w.GIVEN_CHARS, k=rng.choice((1, 2, 2))))
            rows.append({
                "college_code": t.college_code, "student_no": student_no,
                "name": rng.choice(w.SURNAMES) + given, "major_level": t.level,
                "major_code": t.major_code, "direction_zh": t.direction_zh,
                "graduation_year": str(grad_year), "phone": f"1990000{rng.randint(0, 9999):04d}",
                "email": f"s{student_no}@c{college_no:02d}.example.edu.cn",
                "visible_to_employers": "true" if rng.random() < 0.7 else "false",
                "source": w.SAMPLE_SOURCE,
            })  # fmt: skip
    # A few deliberately bad rows so that the rejects file has something to show.
    offered = {(t.college_code, t.major_code) for t in tracks}
    college = tracks[0].college_code
    not_offered = next(o[1] for o in w.MAJOR_OFFERINGS if (college, o[1]) not in offered)
    template = dict(rows[0])
    bad = [
        {**template, "student_no": "BAD0001", "major_code": "539999"},
        {
            **template,
            "student_no": "BAD0002",
            "college_code": college,
            "major_level": "associate",
            "major_code": not_offered,
            "direction_zh": "",
        },
        {**template, "student_no": "BAD0003", "graduation_year": "二〇二五"},
    ]
    for row in bad:
        rows.insert(rng.randint(1, len(rows)), row)
    return rows, len(bad)


def _add_details(rng: random.Random, rows: list[dict[str, str]]) -> None:
    """Skills, certificates and wishes for each good student row (their own generator, so
    adding them changed no other value)."""
    names = {o[1]: o[2] for o in (*w.MAJOR_OFFERINGS, w.BACHELOR_OFFERING)}
    cities = {f"DEMO-C{i:02d}": c[2] for i, c in enumerate(w.COLLEGES, start=1)}
    for row in rows:
        if row["student_no"].startswith("BAD"):
            continue
        row.update(
            pd.student_details(
                rng,
                level=row["major_level"],
                major_code=row["major_code"],
                major_name=names.get(row["major_code"], ""),
                year=int(row["graduation_year"]),
                home_city=cities.get(row["college_code"], "成都市"),
            )
        )


def _add_protected(rng: random.Random, rows: list[dict[str, str]]) -> None:
    """Synthetic gender, birth year and (for some) ethnicity for each good student row,
    for the fairness audit (their own generator: no other value changed)."""
    for row in rows:
        if row["student_no"].startswith("BAD"):
            continue
        row.update(
            pd.protected_details(
                rng, level=row["major_level"], graduation_year=int(row["graduation_year"])
            )
        )


def _write_csv(path: Path, headers: tuple[str, ...], rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=headers, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _readme(manifest_counts: dict[str, int], today: dt.date, seed: int, scale: float) -> str:
    lines = [
        "示例数据 SAMPLE DATA — generated by `talentbridge demo`. Nothing here is real.",
        "本目录中的全部机构、企业、学生与招聘信息均为程序生成的虚构示例数据。",
        "",
        f"seed={seed} scale={scale} today={today.isoformat()}",
        "",
        "Every organization and employer name starts with 示例· ; every file has a",
        "source / 来源 column (or key) saying 示例数据 sample data.",
        "",
        "Files:",
        f"  {ORGANIZATIONS}  colleges, enterprises, associations, authority",
        f"  {COLLEGE_MAJORS}  majors and directions each college offers",
        f"  {COHORTS}  yearly enrolled / graduated per college major and direction",
        f"  {COURSES}  training-plan courses (人才培养方案) per college major and direction",
        f"  {STUDENTS}  students of three graduation years (fake phones 1990000xxxx);",
        "      gender, birth year and ethnicity are synthetic too (for the fairness audit)",
        f"  {pg.BOARD_A}  job postings, board A style (UTF-8 with BOM, Chinese headers)",
        f"  {pg.BOARD_B}  job postings, board B style (XLSX, English headers)",
        f"  {pg.PARTNER}  job postings, partner API style (JSON Lines)",
        "",
        "Counts:",
        *(f"  {key}: {value}" for key, value in manifest_counts.items()),
        "",
        "Deliberate imperfections: exact and near duplicate postings across files, about 2%",
        "of postings with discriminatory requirements (for the compliance check), a few",
        "broken rows (empty title, unreadable salary, unknown major) for the rejects path.",
    ]
    return "\n".join(lines) + "\n"


def generate_demo_files(
    out_dir: Path, *, seed: int = 2026, scale: float = 1.0, today: dt.date
) -> DemoManifest:
    """Write the sample data set into ``out_dir`` and say what is in it."""
    if scale <= 0:
        raise ValueError("scale must be positive")
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    org_rows, employers = _org_rows(rng)
    tracks = _tracks(rng, today)
    _fill_enrollment(rng, tracks, today)
    cm_rows = [
        {
            "college_code": t.college_code,
            "major_level": t.level,
            "major_code": t.major_code,
            "direction_zh": t.direction_zh,
            "direction_en": t.direction_en,
            "start_year": str(t.start_year),
            "source": w.SAMPLE_SOURCE,
        }
        for t in tracks
    ]
    cohort_rows = _cohort_rows(rng, tracks, today)
    n_students = max(12, round(STUDENTS_AT_SCALE_1 * scale))
    student_rows, bad_students = _student_rows(rng, tracks, today, n_students)
    n_postings = max(60, round(POSTINGS_AT_SCALE_1 * scale))
    posting_rows, stats = pg.generate_postings(rng, employers, today, n_postings)

    _add_details(random.Random(seed + 2), student_rows)
    _add_protected(random.Random(seed + 3), student_rows)

    # Courses draw from their own generator, so adding them changed no other file.
    course_rows = cs.course_rows(random.Random(seed + 1), tracks, today.year - 1, w.SAMPLE_SOURCE)

    files = {
        name: out_dir / name
        for name in (ORGANIZATIONS, COLLEGE_MAJORS, COHORTS, COURSES, STUDENTS, *pg.BOARDS, README)
    }
    _write_csv(files[ORGANIZATIONS], ORG_HEADERS, org_rows)
    _write_csv(files[COLLEGE_MAJORS], CM_HEADERS, cm_rows)
    _write_csv(files[COHORTS], COHORT_HEADERS, cohort_rows)
    _write_csv(files[COURSES], cs.COURSE_HEADERS, course_rows)
    _write_csv(files[STUDENTS], STUDENT_HEADERS, student_rows)
    stamp = dt.datetime(today.year, today.month, today.day, 12, 0, 0)
    pg.write_board_a(files[pg.BOARD_A], posting_rows[pg.BOARD_A])
    pg.write_board_b(files[pg.BOARD_B], posting_rows[pg.BOARD_B], stamp)
    pg.write_partner(files[pg.PARTNER], posting_rows[pg.PARTNER])

    kinds = [r["kind"] for r in org_rows]
    counts = {
        "organizations": len(org_rows),
        "colleges": kinds.count("college"),
        "enterprises": kinds.count("enterprise"),
        "associations": kinds.count("association"),
        "authorities": kinds.count("authority"),
        "college_major_rows": len(cm_rows),
        "directions": sum(1 for t in tracks if t.direction_zh),
        "cohort_rows": len(cohort_rows),
        "course_rows": len(course_rows),
        "student_rows": len(student_rows),
        "student_bad_rows": bad_students,
        "postings": sum(stats.by_file.values()),
        **{f"postings:{name}": n for name, n in stats.by_file.items()},
        "posting_exact_duplicates": stats.exact_duplicates,
        "posting_near_duplicates": stats.near_duplicates,
        "posting_discriminatory": stats.discriminatory,
        "posting_bad_rows": stats.bad_rows,
    }
    files[README].write_text(_readme(counts, today, seed, scale), encoding="utf-8")
    return DemoManifest(
        out_dir=out_dir,
        seed=seed,
        scale=scale,
        today=today,
        files=files,
        counts=counts,
        first_month=stats.first_month,
        last_month=stats.last_month,
    )
