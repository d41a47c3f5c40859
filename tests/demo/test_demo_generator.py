"""The generated sample data: deterministic, readable by the readers, realistic."""

from __future__ import annotations

import datetime as dt
import re
import statistics
from collections import Counter
from pathlib import Path

import pytest

from talentbridge.demo import postings as pg
from talentbridge.demo import wording as w
from talentbridge.demo.families import FAMILY_BY_KEY
from talentbridge.demo.generator import (
    COHORTS,
    COLLEGE_MAJORS,
    ORGANIZATIONS,
    README,
    STUDENTS,
    DemoManifest,
    generate_demo_files,
)
from talentbridge.pipeline.readers import SourceRow, read_table

TODAY = dt.date(2026, 5, 20)
GARBAGE_SALARIES = {"薪资：？？", "abc", "8-K", "-", "#N/A", "电话详谈$$"}
TITLE = {pg.BOARD_A: "职位名称", pg.BOARD_B: "title", pg.PARTNER: "title"}
SALARY = {pg.BOARD_A: "薪资", pg.BOARD_B: "salary", pg.PARTNER: "salary_text"}
EMPLOYER = {pg.BOARD_A: "公司", pg.BOARD_B: "company", pg.PARTNER: "employer"}
PLACE = {pg.BOARD_A: "工作地点", pg.BOARD_B: "city", pg.PARTNER: "location"}
POSTED = {pg.BOARD_A: "发布时间", pg.BOARD_B: "posted", pg.PARTNER: "posted_at"}
TEXT = {pg.BOARD_A: "职位描述", pg.BOARD_B: "description", pg.PARTNER: "description"}
SOURCE = {pg.BOARD_A: "来源", pg.BOARD_B: "source", pg.PARTNER: "source"}


def _rows(path: Path) -> list[SourceRow]:
    with read_table(path) as table:
        return list(table)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> DemoManifest:
    out = tmp_path_factory.mktemp("demo") / "files"
    return generate_demo_files(out, seed=7, scale=0.2, today=TODAY)


@pytest.fixture(scope="module")
def postings(generated: DemoManifest) -> dict[str, list[SourceRow]]:
    return {name: _rows(generated.files[name]) for name in pg.BOARDS}


def test_same_seed_gives_identical_bytes_and_another_seed_differs(tmp_path: Path) -> None:
    first = generate_demo_files(tmp_path / "a", seed=11, scale=0.03, today=TODAY)
    second = generate_demo_files(tmp_path / "b", seed=11, scale=0.03, today=TODAY)
    other = generate_demo_files(tmp_path / "c", seed=12, scale=0.03, today=TODAY)
    for name, path in first.files.items():
        assert path.read_bytes() == second.files[name].read_bytes(), name
    assert first.counts == second.counts
    for name in (STUDENTS, pg.BOARD_A, pg.BOARD_B, pg.PARTNER):
        assert first.files[name].read_bytes() != other.files[name].read_bytes(), name


def test_files_are_readable_and_counts_match_the_manifest(
    generated: DemoManifest, postings: dict[str, list[SourceRow]]
) -> None:
    for name in pg.BOARDS:
        assert len(postings[name]) == generated.counts[f"postings:{name}"]
    assert sum(len(rows) for rows in postings.values()) == generated.counts["postings"] == 6000
    assert len(_rows(generated.files[STUDENTS])) == generated.counts["student_rows"]
    assert len(_rows(generated.files[COHORTS])) == generated.counts["cohort_rows"]
    assert generated.files[pg.BOARD_A].read_bytes().startswith(b"\xef\xbb\xbf")
    with read_table(generated.files[pg.BOARD_A]) as table:
        assert table.columns is not None and table.columns[:9] == pg.BOARD_A_HEADERS[:9]


def test_every_file_says_it_is_sample_data(
    generated: DemoManifest, postings: dict[str, list[SourceRow]]
) -> None:
    readme = generated.files[README].read_text(encoding="utf-8")
    assert "示例数据" in readme and "SAMPLE DATA" in readme
    for name in (ORGANIZATIONS, COLLEGE_MAJORS, COHORTS, STUDENTS):
        assert {row.get("source") for row in _rows(generated.files[name])} == {w.SAMPLE_SOURCE}
    for name, rows in postings.items():
        assert {row.get(SOURCE[name]) for row in rows} == {w.SAMPLE_SOURCE}
        assert all(row.get(EMPLOYER[name]).startswith(w.SAMPLE_PREFIX) for row in rows)
    orgs = _rows(generated.files[ORGANIZATIONS])
    assert all(row.get("name_zh").startswith(w.SAMPLE_PREFIX) for row in orgs)
    assert all("(fictional)" in row.get("name_en") for row in orgs)


def test_organizations_have_the_expected_mix(generated: DemoManifest) -> None:
    kinds = Counter(row.get("kind") for row in _rows(generated.files[ORGANIZATIONS]))
    assert kinds == {"college": 12, "enterprise": 50, "association": 3, "authority": 1}


def test_recent_directions_grow_about_thirty_percent_a_year(generated: DemoManifest) -> None:
    offers = _rows(generated.files[COLLEGE_MAJORS])
    recent = [r for r in offers if r.get("direction_zh") and int(r.get("start_year")) >= 2023]
    colleges_with_seed_case = {
        r.get("college_code")
        for r in recent
        if r.get("direction_zh") in {d for _, d in w.SEED_CASE_DIRECTIONS}
    }
    assert len(colleges_with_seed_case) >= 8
    cohorts = _rows(generated.files[COHORTS])
    direction = recent[0]
    series = [
        int(r.get("enrolled"))
        for r in cohorts
        if (r.get("college_code"), r.get("major_code"), r.get("direction_zh"))
        == (
            direction.get("college_code"),
            direction.get("major_code"),
            direction.get("direction_zh"),
        )
    ]
    assert len(series) >= 2
    growth = (series[-1] / series[0]) ** (1 / (len(series) - 1))
    assert 1.15 < growth < 1.45


def test_students_span_three_years_with_fake_contacts(generated: DemoManifest) -> None:
    rows = _rows(generated.files[STUDENTS])
    years = Counter(row.get("graduation_year") for row in rows)
    assert {"2025", "2026", "2027"} <= set(years)
    assert generated.counts["student_rows"] >= 600
    good = [row for row in rows if not row.get("student_no").startswith("BAD")]
    assert all(re.fullmatch(r"1990000\d{4}", row.get("phone")) for row in good)
    assert all(row.get("email").endswith(".example.edu.cn") for row in good)
    assert len(rows) - len(good) == generated.counts["student_bad_rows"] >= 1


def test_most_places_are_in_chengdu_or_chongqing(postings: dict[str, list[SourceRow]]) -> None:
    local = re.compile("成都|重庆|两江新区|天府新区")
    places = [row.get(PLACE[name]) for name, rows in postings.items() for row in rows]
    share = sum(1 for p in places if local.search(p)) / len(places)
    assert 0.75 < share < 0.97
    assert any("上海" in p or "深圳" in p or "西安" in p for p in places)


def _month(name: str, row: SourceRow) -> str | None:
    found = re.search(r"(20\d\d)[-/年](\d{1,2})", row.get(POSTED[name]))
    return f"{found.group(1)}-{int(found.group(2)):02d}" if found else None


def test_cross_border_rises_and_delivery_falls_over_the_three_years(
    postings: dict[str, list[SourceRow]],
) -> None:
    by_month: Counter[str] = Counter()
    crossborder: Counter[str] = Counter()
    delivery: Counter[str] = Counter()
    delivery_titles = {t for t, _, _ in FAMILY_BY_KEY["delivery"].titles}
    for name, rows in postings.items():
        for row in rows:
            month = _month(name, row)
            if month is None:
                continue
            by_month[month] += 1
            if "跨境" in row.get(TITLE[name]) + row.get(TEXT[name]):
                crossborder[month] += 1
            if row.get(TITLE[name]) in delivery_titles:
                delivery[month] += 1
    months = sorted(by_month)
    assert len(months) == 36 and months[-1] == "2026-05" and months[0] == "2023-06"

    def share(counter: Counter[str], window: list[str]) -> float:
        return sum(counter[m] for m in window) / sum(by_month[m] for m in window)

    first, last = months[:12], months[-12:]
    assert share(crossborder, last) > 1.3 * share(crossborder, first)
    assert share(delivery, last) < 0.75 * share(delivery, first)
    # spring hiring after 春节: March beats February every year
    for year in ("2024", "2025", "2026"):
        assert by_month[f"{year}-03"] > 1.5 * by_month[f"{year}-02"]


def test_about_two_percent_discriminatory_and_a_few_bad_rows(
    generated: DemoManifest, postings: dict[str, list[SourceRow]]
) -> None:
    rows = [(name, row) for name, board in postings.items() for row in board]
    flagged = sum(
        1 for name, row in rows if any(p in row.get(TEXT[name]) for p in w.DISCRIMINATORY)
    )
    assert 0.01 < flagged / len(rows) < 0.035
    empty_titles = sum(1 for name, row in rows if not row.get(TITLE[name]))
    garbage = sum(1 for name, row in rows if row.get(SALARY[name]) in GARBAGE_SALARIES)
    assert empty_titles > 0 and garbage > 0
    assert empty_titles + garbage == generated.counts["posting_bad_rows"]


def test_duplicates_within_and_across_boards(
    generated: DemoManifest, postings: dict[str, list[SourceRow]]
) -> None:
    def key(name: str, row: SourceRow) -> tuple[str, str, str]:
        text = re.sub(r"</?p>", "\n", row.get(TEXT[name])).replace("\n", "")
        return (row.get(EMPLOYER[name]), row.get(TITLE[name]), text)

    board_a = Counter(key(pg.BOARD_A, row) for row in postings[pg.BOARD_A])
    assert any(n > 1 for n in board_a.values())
    partner = {key(pg.PARTNER, row) for row in postings[pg.PARTNER]}
    assert partner & set(board_a)
    total = (
        generated.counts["posting_exact_duplicates"] + generated.counts["posting_near_duplicates"]
    )
    assert 0.04 < total / generated.counts["postings"] < 0.06


def test_wording_salaries_and_lengths_are_realistic(postings: dict[str, list[SourceRow]]) -> None:
    salaries = [row.get("薪资") for row in postings[pg.BOARD_A]]
    for pattern in (
        r"^\d+(\.\d+)?-\d+(\.\d+)?K$",
        r"千",
        r"万/月$",
        r"万/年$",
        r"元/天$",
        r"·1[34]薪$",
        r"面议",
    ):
        assert any(re.search(pattern, s) for s in salaries), pattern
    lengths = [len(row.get("职位描述")) for row in postings[pg.BOARD_A]]
    assert 400 <= statistics.median(lengths) <= 800
    text = "".join(row.get("职位描述") for row in postings[pg.BOARD_A][:2000])
    for skill in (
        "报关单申报",
        "HS归类",
        "单一窗口",
        "WMS",
        "Excel",
        "SAP",
        "海外仓",
        "中欧班列",
        "CET-4",
        "1+X",
        "叉车证",
        "五险一金",
    ):
        assert skill in text, skill
    assert "优先" in text and ("无需" in text or "不要求" in text)
    partner_html = sum(1 for row in postings[pg.PARTNER] if "<p>" in row.get("description"))
    assert partner_html > 0


def test_scale_must_be_positive(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="scale"):
        generate_demo_files(tmp_path, scale=0, today=TODAY)
