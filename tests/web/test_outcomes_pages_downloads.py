"""Outcomes downloads: the yearly employment quality report is a real XLSX with the
report's sheets (suppressed cells as <5), every table is a CSV too; and the recruiting
page opens for the roles that may see it."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from fastapi.testclient import TestClient
from outcomestools import build_outcomes
from sqlalchemy.orm import Session
from webtools import World, login

REPORT_SHEETS = [
    "毕业生规模与结构",
    "毕业去向落实情况",
    "就业去向分布",
    "专业相关度",
    "起薪",
    "招生与专业方向",
]


@pytest.fixture()
def outcomes(session: Session, world: World) -> World:
    build_outcomes(session, world)
    return world


def _book(body: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(body), read_only=True)


def test_college_report_workbook_has_the_report_sheets(client: TestClient, outcomes: World) -> None:
    login(client, "admin_a")
    response = client.get("/outcomes/report.xlsx?year=2025")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "COL-A-2025-employment-quality.xlsx" in response.headers["content-disposition"]
    book = _book(response.content)
    assert book.sheetnames == REPORT_SHEETS
    rows = list(book["毕业去向落实情况"].iter_rows(values_only=True))
    assert "成都甲职业技术学院 2025届毕业生就业质量年度报告" in str(rows[0][0])
    header = list(rows[1])
    assert header[:2] == ["专业", "毕业生人数"] and "毕业去向落实率" in header
    total = next(r for r in rows if r[0] == "合计 Total")
    assert total[1] == 20
    assert total[header.index("毕业去向落实率")] == pytest.approx(0.85)
    assert total[header.index("就业")] == 13
    assert total[header.index("升学")] == "<5"  # 3 graduates: small-number protection
    assert client.get("/outcomes/report.xlsx?college=COL-B").status_code == 404
    related = list(book["专业相关度"].iter_rows(values_only=True))
    assert any("无法判定" in str(c) for r in related for c in r if c)


def test_alliance_report_shows_suppressed_cells_as_marker(
    client: TestClient, outcomes: World
) -> None:
    login(client, "analyst")
    book = _book(client.get("/outcomes/report.xlsx?year=2025").content)
    values = [c for ws in book.worksheets for r in ws.iter_rows(values_only=True) for c in r]
    assert "<5" in values
    assert not any(isinstance(v, str) and "毕业生G0" in v for v in values)  # no names


def test_each_table_downloads_as_csv(client: TestClient, outcomes: World) -> None:
    login(client, "analyst")
    response = client.get("/outcomes/download/colleges.csv?year=2025")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["院校", "毕业生人数"]
    by_name = {r[0]: r for r in rows[1:]}
    assert by_name["成都甲职业技术学院"][2] == "0.85"
    assert by_name["示例丙学院"][1] == "<5"
    assert client.get("/outcomes/download/nope.csv").status_code == 404
    assert client.get("/outcomes/download/colleges.pdf").status_code == 400


def test_recruiting_page_opens_for_staff_and_not_for_students(
    client: TestClient, outcomes: World
) -> None:
    login(client, "analyst")
    page = client.get("/outcomes/recruiting?cutoff=2025-06-01")
    assert page.status_code == 200
    assert "招聘效率" in page.text and "前后对比" in page.text
    login(client, "student_a")
    assert client.get("/outcomes/recruiting").status_code == 403
