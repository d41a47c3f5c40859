"""Advice pages, API, downloads, the report and who may see them."""

from __future__ import annotations

import io
import json
import re
from html import unescape
from typing import Any

import openpyxl
import pytest
from fastapi.testclient import TestClient
from openpyxl.chart import BarChart, LineChart
from sqlalchemy.orm import Session, sessionmaker
from webtools import login

from advice_store import Store, build, fill_cube
from talentbridge.store.tables import Organization, User

ROLES = {
    "platform": ("platform_admin", None),
    "admin_c01": ("college_admin", "C01"),
    "teacher_c01": ("teacher", "C01"),
    "admin_c02": ("college_admin", "C02"),
    "analyst": ("analyst", "A01"),
    "student": ("student", "C01"),
    "recruiter": ("recruiter", "E01"),
}


@pytest.fixture()
def store(factory: sessionmaker[Session], password_hash: str) -> Store:
    built = build(factory)
    with factory() as session:
        session.add_all([
            Organization(code="A01", kind="association", name_zh="示例物流协会"),
            Organization(code="E01", kind="enterprise", name_zh="示例物流公司"),
        ])  # fmt: skip
        session.flush()
        orgs = {o.code: o.id for o in session.query(Organization)}
        for name, (role, org) in ROLES.items():
            session.add(User(username=name, display_name=f"用户{name}", password_hash=password_hash,
                             role=role, organization_id=orgs[org] if org else None,
                             locale="zh"))  # fmt: skip
        session.commit()
        fill_cube(
            session,
            {"4-02-06-03": (50, 50), "4-02-06-01": (40, 40), "4-01-02-09": (20, 70)},
            {c: (10, 45) for c in built.direction_concepts},
        )
    return built


def test_college_admin_sees_own_college_by_default_with_evidence(
    client: TestClient, store: Store
) -> None:
    login(client, "admin_c01")
    page = client.get("/advice")
    assert page.status_code == 200
    text = page.text
    assert "成都甲职业学院的专业建议" in text
    assert "扩大" in text and "现代物流管理·跨境电商" in text
    assert "新设" in text and "跨境电子商务" in text
    assert "专业供需对比" in text and "技能覆盖缺口" in text
    assert "<details>" in text and "招聘样例" in text
    # another college's view is refused; the region's view is allowed
    assert client.get("/advice?college=C02").status_code == 403
    region = client.get("/advice?scope=region")
    assert region.status_code == 200 and "全地区的专业建议" in region.text
    english = client.get("/advice?lang=en")
    assert "Expand" in english.text and "Supply vs demand per major" in english.text


def test_api_returns_ranked_recommendations_and_supply_tables(
    client: TestClient, store: Store
) -> None:
    login(client, "analyst")
    body = client.get("/api/v1/advice/recommendations?region=circle").json()
    assert body["college"] is None and body["period"]["end"] == "2025-06"
    first = body["recommendations"][0]
    assert (first["rank"], first["action"], first["key"]) == (1, "open", "associate:530702")
    assert first["evidence"]["yoy"] == pytest.approx(2.5)
    assert {"level", "trend", "gap", "salary"} == set(first["components"])
    mine = client.get("/api/v1/advice/recommendations?college=C01").json()
    actions = {r["key"]: r["action"] for r in mine["recommendations"]}
    assert actions["associate:530802:跨境电商"] == "expand"
    supply = client.get("/api/v1/supply/majors?region=circle").json()
    keys = [c["key"] for c in supply["columns"]]
    assert {"postings", "graduates", "gap_ratio", "salary_median", "yoy"} <= set(keys)
    logistics = next(r for r in supply["rows"] if r["code"] == "530802" and not r["direction"])
    assert logistics["graduates"] == 200 and logistics["postings"] == 1080
    gaps = client.get("/api/v1/supply/gaps?region=circle").json()
    assert gaps["name"] == "skill-coverage-gaps"
    assert client.get("/api/v1/advice/recommendations?region=nowhere").status_code == 400


@pytest.mark.parametrize("name", ["recommendations", "supply", "gaps"])
def test_every_table_downloads_as_csv_and_xlsx(client: TestClient, store: Store, name: str) -> None:
    login(client, "platform")
    csv = client.get(f"/advice/download/{name}.csv?region=circle")
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert csv.content.startswith(b"\xef\xbb\xbf")
    xlsx = client.get(f"/advice/download/{name}.xlsx?region=circle")
    assert xlsx.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert book.active is not None and book.active.max_row >= 1
    assert client.get(f"/advice/download/{name}.pdf").status_code == 400
    assert client.get("/advice/download/nothing.csv").status_code == 404


def _figures(html: str) -> list[dict[str, Any]]:
    return [json.loads(unescape(m)) for m in re.findall(r'data-plotly-figure="([^"]*)"', html)]


def test_report_as_printable_page_and_workbook(client: TestClient, store: Store) -> None:
    login(client, "teacher_c01")
    page = client.get("/advice/report")
    assert page.status_code == 200
    text = page.text
    assert "专业设置建议报告" in text and "data-print" in text and "onclick" not in text
    assert '<script src="/static/charts.js"' in text and "/static/vendor/plotly.min.js" in text
    assert "<script>" not in text  # no inline scripts (CSP)
    supply, trend = _figures(text)
    # demand vs supply of the recommendations, in rank order (first on top)
    postings, graduates = supply["data"]
    assert [tr["type"] for tr in (postings, graduates)] == ["bar", "bar"]
    assert postings["name"] == "岗位数（近12个月）" and graduates["name"] == "年毕业生（本区域）"
    by_name = dict(zip(postings["y"], postings["x"], strict=True))
    cbec = next(n for n in by_name if "跨境电商" in n)
    assert by_name[cbec] == 12 * 45  # the direction's leading skill, 45 a month
    grads = dict(zip(graduates["y"], graduates["x"], strict=True))
    assert grads[cbec] == 30
    # the monthly demand of the expanded/opened ones: 24 months of the cube
    lines = [tr for tr in trend["data"] if tr.get("showlegend") is not False]
    assert lines and all(len(tr["y"]) == 24 for tr in lines)
    direction = next(tr for tr in lines if "跨境电商" in tr["name"])
    assert direction["y"][:12] == [10] * 12 and direction["y"][12:] == [45] * 12
    assert direction["x"][0] == "2023-07" and direction["x"][-1] == "2025-06"
    css = client.get("/static/advice.css").text
    assert "@media print" in css and "break-inside: avoid" in css
    assert "window.print()" in client.get("/static/advice.js").text

    book = client.get("/advice/report.xlsx")
    assert book.status_code == 200
    assert "advice-report-C01.xlsx" in book.headers["content-disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(book.content))
    assert workbook.sheetnames == ["专业建议", "供需对比", "技能缺口", "供需图数据", "需求趋势"]
    recs = workbook["专业建议"]
    (bar,) = recs._charts
    assert isinstance(bar, BarChart) and bar.type == "bar" and len(bar.series) == 2
    data = workbook["供需图数据"]
    rows = list(data.iter_rows(values_only=True))
    assert rows[0] == ("名称", "岗位数(近12月)", "年毕业生")
    assert any("跨境电商" in str(r[0]) and r[1:] == (540, 30) for r in rows[1:])
    trends = workbook["需求趋势"]
    (line,) = trends._charts
    assert isinstance(line, LineChart) and len(line.series) == trends.max_column - 1
    months = [r[0] for r in trends.iter_rows(min_row=2, values_only=True)]
    assert months[0] == "2023-07" and months[-1] == "2025-06" and len(months) == 24


@pytest.mark.parametrize("username", ["student", "recruiter"])
def test_students_and_recruiters_do_not_see_advice(
    client: TestClient, store: Store, username: str
) -> None:
    login(client, username)
    assert client.get("/advice").status_code == 403
    assert client.get("/advice/report").status_code == 403
    assert client.get("/api/v1/advice/recommendations").status_code == 403
    assert client.get("/api/v1/supply/majors").status_code == 403
    assert "/advice" not in client.get("/").text


def test_anonymous_api_is_refused(client: TestClient, store: Store) -> None:
    assert client.get("/api/v1/advice/recommendations").status_code == 401
