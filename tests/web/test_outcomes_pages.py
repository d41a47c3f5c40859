"""Outcomes pages by role: the overview and a college page show every indicator; the
college admin drills down to their own records (names shown, audited) and gets 403 for
another college's; analysts and teachers see aggregates only (no names, no drill-down
links); small cells render as suppressed with the explanation."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from outcomestools import build_outcomes
from sqlalchemy import select
from sqlalchemy.orm import Session
from webtools import World, login

from talentbridge.store.tables import AuditEvent

INDICATOR_NAMES_ZH = (
    "去向落实率",
    "就业率",
    "对口就业率",
    "留在成渝率",
    "出境（国）率",
    "起薪中位数",
)


@pytest.fixture()
def outcomes(session: Session, world: World) -> World:
    build_outcomes(session, world)
    return world


def _tile(page: str, indicator: str) -> str:
    match = re.search(rf'data-indicator="{indicator}">(.*?)</li>', page, re.S)
    assert match, indicator
    return match.group(1)


def test_college_admin_lands_on_own_college_with_the_alliance_beside(
    client: TestClient, outcomes: World
) -> None:
    login(client, "admin_a")
    page = client.get("/outcomes")
    assert page.status_code == 200
    text = page.text
    assert "<h1>就业质量</h1>" in text
    assert "成都甲职业技术学院" in text  # own college named in the scope note
    for name in INDICATOR_NAMES_ZH:
        assert name in text, name
    assert "2025 届毕业生" in text
    placement = _tile(text, "placement_rate")
    assert "85.0%" in placement  # 17 of 20
    assert "联盟总体" in placement  # the alliance beside it
    assert "70.0%" in _tile(text, "employment_rate")  # 14 of 20
    assert "81.8%" in _tile(text, "related_employment_rate")  # 9 of 11
    # drill-down links to the records behind the figures, for the own college
    assert 'href="/outcomes/records?college=COL-A&amp;year=2025' in text
    assert 'data-plotly-figure="' in text and "<script>" not in text
    assert 'href="/outcomes/import"' in text  # a college admin imports placement files
    assert "/static/outcomes.css" in text
    # the later-note is gone: the area is live
    assert "后续版本" not in text


def test_analyst_sees_aggregates_only_and_suppressed_small_colleges(
    client: TestClient, outcomes: World
) -> None:
    login(client, "analyst")
    text = client.get("/outcomes").text
    for name in INDICATOR_NAMES_ZH:
        assert name in text
    assert "/outcomes/records" not in text  # no drill-down
    assert 'href="/outcomes/import"' not in text
    assert "毕业生G0" not in text and "张小明" not in text  # no names
    assert "您只能查看汇总数字" in text
    # colleges side by side: A shown; C (3 graduates) suppressed, B hidden as its complement
    colleges = re.search(r'data-table="colleges">(.*?)</table>', text, re.S)
    assert colleges
    rows = colleges.group(1)
    assert "85.0%" in rows
    assert rows.count('data-suppressed="1"') >= 2 * 7  # B and C: graduates + 6 indicators
    assert "不足 5 名毕业生" in rows  # the tooltip explains small-number protection


def test_teacher_sees_own_college_without_drill_down(client: TestClient, outcomes: World) -> None:
    login(client, "teacher_a")
    text = client.get("/outcomes").text
    assert "85.0%" in _tile(text, "placement_rate")
    assert "/outcomes/records" not in text
    assert client.get("/outcomes/records?college=COL-A").status_code == 403


def test_college_page_compares_majors_and_shows_enrollment(
    client: TestClient, outcomes: World
) -> None:
    login(client, "platform")
    page = client.get("/outcomes/colleges/COL-A?year=2025")
    assert page.status_code == 200
    text = page.text
    assert "就业质量：成都甲职业技术学院" in text
    assert "各专业比较" in text and "现代物流管理" in text
    assert 'data-table="enrollment"' in text and ">150<" in text  # 2023 cohort
    assert text.count('data-plotly-figure="') >= 3
    en = client.get("/outcomes/colleges/COL-A?year=2025&lang=en").text
    assert "Placement rate" in en and "Comparison of majors" in en


def test_college_staff_get_404_for_another_college_page(
    client: TestClient, outcomes: World
) -> None:
    login(client, "admin_a")
    assert client.get("/outcomes/colleges/COL-B").status_code == 404
    assert client.get("/outcomes/colleges/NOPE").status_code == 404
    assert client.get("/outcomes/colleges/COL-A").status_code == 200


def test_college_admin_drills_down_to_own_records_and_not_another_colleges(
    client: TestClient, outcomes: World, session: Session
) -> None:
    login(client, "admin_a")
    tile = client.get("/outcomes?year=2025").text
    link = re.search(r'data-indicator="placement_rate">.*?href="([^"]+)"', tile, re.S)
    assert link
    behind = client.get(link.group(1).replace("&amp;", "&"))
    assert "year=2025" in link.group(1)
    assert behind.text.count("data-placement=") == 19  # 2025's records (private_a has none)
    page = client.get("/outcomes/records?college=COL-A&year=2025&related=related")
    assert page.status_code == 200
    assert "张小明" in page.text  # student_a: employed in a related occupation
    assert page.text.count("data-placement=") == 9
    assert "毕业生G009" not in page.text  # unrelated occupation
    assert session.scalars(select(AuditEvent).where(AuditEvent.action == "placement.list")).all()
    assert client.get("/outcomes/records?college=COL-B").status_code == 403
    assert client.get("/outcomes/records?college=COL-A&region=mars").status_code == 422


def test_records_are_forbidden_to_analysts_teachers_and_students(
    client: TestClient, outcomes: World
) -> None:
    for who in ("analyst", "teacher_a", "student_a", "recruiter"):
        login(client, who)
        assert client.get("/outcomes/records?college=COL-A").status_code == 403, who


def test_students_and_recruiters_may_not_open_outcomes(client: TestClient, outcomes: World) -> None:
    for who in ("student_a", "recruiter"):
        login(client, who)
        assert client.get("/outcomes").status_code == 403, who


def test_filters_narrow_the_figures(client: TestClient, outcomes: World) -> None:
    login(client, "admin_a")
    text = client.get("/outcomes?year=2024").text
    assert "2024 届毕业生" in text
    assert "90.0%" in _tile(text, "placement_rate")  # 9 of 10
    circle = client.get("/outcomes?year=2025&region=circle").text
    assert "2025 届毕业生" in circle
    assert client.get("/outcomes?region=mars").status_code == 422


def test_direction_filter_uses_the_colleges_own_direction(
    client: TestClient, outcomes: World
) -> None:
    login(client, "admin_a")
    text = client.get("/outcomes?year=2025").text
    match = re.search(r'<option value="(\d+)">跨境电商</option>', text)
    assert match, "the direction is a choice of the filter"
    narrowed = client.get(f"/outcomes?year=2025&direction={match.group(1)}").text
    assert "100.0%" in _tile(narrowed, "placement_rate")  # its 8 graduates all employed
    records = client.get(f"/outcomes/records?college=COL-A&year=2025&direction={match.group(1)}")
    assert records.text.count("data-placement=") == 8
    assert "<dd>跨境电商</dd>" in records.text  # the filter named, not its id
    login(client, "analyst")
    alliance = client.get("/outcomes?year=2025").text
    assert "跨境电商 · 成都甲职业技术学院" in alliance  # over colleges, the college is named


def test_no_drill_down_where_records_cannot_follow(client: TestClient, outcomes: World) -> None:
    """Records cannot be narrowed to "place unknown": that row links nowhere."""
    login(client, "admin_a")
    text = client.get("/outcomes?year=2025").text
    regions = re.search(r'data-table="regions">(.*?)</table>', text, re.S)
    assert regions
    rows = re.findall(r"<tr><td>(.*?)</tr>", regions.group(1), re.S)
    unknown = [r for r in rows if "地点不详" in r]
    circle = [r for r in rows if "成渝地区双城经济圈" in r]
    assert unknown and "/outcomes/records" not in unknown[0]
    assert circle and "region=circle" in circle[0]
    assert "/outcomes/records" not in client.get("/outcomes?year=2025&region=unknown").text


def test_graduates_by_destination_link_to_their_records(
    client: TestClient, outcomes: World
) -> None:
    login(client, "admin_a")
    text = client.get("/outcomes?year=2025").text
    table = re.search(r'data-table="destinations">(.*?)</table>', text, re.S)
    assert table
    total = re.search(r'<tr class="total">(.*?)</tr>', table.group(1), re.S)
    assert total and "合计" in total.group(1)
    employed = re.search(r'href="([^"]*destination=employed[^"]*)"[^>]*>13<', total.group(1))
    assert employed, "13 employed, linked to their records"
    records = client.get(employed.group(1).replace("&amp;", "&"))
    assert records.text.count("data-placement=") == 13
    assert total.group(1).count('data-suppressed="1"') >= 2  # further study 3, enlisted 1 …
    login(client, "analyst")
    alliance = client.get("/outcomes?year=2025").text
    table = re.search(r'data-table="destinations">(.*?)</table>', alliance, re.S)
    assert table and "/outcomes/records" not in table.group(1)
