"""The library usage dashboard and its API: who sees which figures, no person named,
real CSV and XLSX exports."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import openpyxl
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from webtools import World, login

from talentbridge.accounts.policy import Principal
from talentbridge.library.usage import record_download, record_search, record_view
from talentbridge.store.library_tables import Library, Resource
from talentbridge.store.tables import utcnow


@pytest.fixture()
def usage(world: World, session: Session) -> dict[str, int]:
    """Two libraries; students and staff of both colleges used them lately."""
    library = Library(code="customs", name_zh="报关与报检", name_en="Customs declaration")
    other = Library(code="cold-chain", name_zh="冷链物流", name_en="Cold chain logistics")
    session.add_all([library, other])
    session.flush()
    resource = Resource(
        library_id=library.id,
        title_zh="报关单填制讲义",
        title_en="Customs declaration form notes",
        kind="courseware",
        status="published",
    )
    session.add(resource)
    session.flush()
    now = utcnow()
    users = {name: Principal.of(user) for name, user in world.users.items()}
    for who, days in (("student_a", 1), ("student_a", 3), ("teacher_a", 2), ("admin_b", 4)):
        record_view(
            session, principal=users[who], resource=resource, at=now - dt.timedelta(days=days)
        )
    record_download(session, principal=users["student_a"], resource=resource, at=now)
    record_search(session, principal=users["student_a"], query="原产地证书", hits=0,
                  library_id=library.id, at=now)  # fmt: skip
    record_search(session, principal=users["admin_b"], query="冷藏集装箱", hits=0, at=now)
    session.commit()
    return {"library": library.id, "resource": resource.id}


def test_college_admin_sees_own_college_and_alliance_totals(
    client: TestClient, usage: dict[str, int]
) -> None:
    login(client, "admin_a")
    page = client.get("/library/stats")
    assert page.status_code == 200, page.text
    text = page.text
    assert "成都甲职业技术学院" in text  # own college named in the scope note
    assert "重庆乙职业学院" not in text  # no row of another college
    assert "原产地证书" in text  # own college's zero-hit search
    assert "冷藏集装箱" not in text  # college B's search stays with college B
    assert "data-plotly-figure=" in text and "<script>" not in text
    assert "library_stats." not in text
    assert "/library/stats/download/by-library.xlsx?" in text
    data = client.get("/api/v1/library/stats").json()
    assert data["college_id"] is not None
    assert (data["totals"]["views"], data["totals"]["downloads"]) == (3, 1)
    assert data["alliance"]["views"] == 4 and data["alliance"]["searches"] == 2
    assert [r["code"] for r in data["by_organization"]] == ["COL-A"]
    assert {r["code"]: r["registered"] for r in data["college_users"]} == {"COL-A": 3}


@pytest.mark.parametrize("who", ["student_a", "recruiter"])
def test_students_and_recruiters_are_refused(
    client: TestClient, usage: dict[str, int], who: str
) -> None:
    login(client, who)
    assert client.get("/library/stats").status_code == 403
    assert client.get("/api/v1/library/stats").status_code == 403
    assert client.get("/library/stats/download/by-library.csv").status_code == 403


def test_analyst_sees_every_college_but_no_person(
    client: TestClient, usage: dict[str, int], world: World
) -> None:
    login(client, "analyst")
    page = client.get("/library/stats?lang=en")
    assert page.status_code == 200
    assert "Chengdu A Vocational College" in page.text
    assert "library_stats." not in page.text  # every message key has an English text
    assert "Chongqing B Vocational College" in page.text
    answer = client.get("/api/v1/library/stats")
    body = answer.json()
    assert body["college_id"] is None and body["alliance"] is None
    assert body["totals"]["views"] == 4
    everything = page.text + answer.text
    for name, user in world.users.items():
        if name != "analyst":  # the analyst's own name is in the page header
            assert user.display_name not in everything
            assert f'"{user.username}"' not in answer.text
    assert "user_id" not in json.dumps(body)


def test_exports_are_real_csv_and_xlsx(client: TestClient, usage: dict[str, int]) -> None:
    login(client, "platform")
    got = client.get("/library/stats/download/top-resources.csv?days=30")
    assert got.status_code == 200 and got.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(got.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["资源编号", "资源库代码"]
    assert rows[1][1:3] == ["customs", "报关单填制讲义"] and rows[1][-2:] == ["4", "1"]
    got = client.get("/library/stats/download/zero-hit-searches.xlsx?lang=en")
    sheet = openpyxl.load_workbook(io.BytesIO(got.content)).active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "Query (normalized)"
    assert {v[0] for v in values[1:]} == {"原产地证书", "冷藏集装箱"}
    whole = client.get("/library/stats/download/all.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(whole.content))
    assert "by-library" in book.sheetnames and "zero-hit-searches" in book.sheetnames
    assert client.get("/library/stats/download/nothing.csv").status_code == 404
    assert client.get("/library/stats/download/by-library.pdf").status_code == 400


def test_period_filter(client: TestClient, usage: dict[str, int]) -> None:
    login(client, "platform")
    today = utcnow().date()
    two_days = client.get(f"/api/v1/library/stats?days=2&end={today}").json()
    assert two_days["period"]["start"] == str(today - dt.timedelta(days=1))
    assert two_days["totals"]["views"] == 1  # only student_a's view of yesterday
    bad = client.get(f"/api/v1/library/stats?start={today}&end={today - dt.timedelta(days=3)}")
    assert bad.status_code == 422
    page = client.get(f"/library/stats?start={today - dt.timedelta(days=2)}&end={today}")
    assert page.status_code == 200 and f'value="{today - dt.timedelta(days=2)}"' in page.text


def test_the_openapi_schema_describes_the_stats_endpoint(client: TestClient) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/library/stats" in schema["paths"]
    assert {"LibraryStatsOut", "ZeroHitSearchOut"} <= set(schema["components"]["schemas"])


def test_figures_are_kept_for_a_few_minutes_per_college(
    client: TestClient, usage: dict[str, int], world: World, session: Session
) -> None:
    login(client, "admin_a")
    first = client.get("/api/v1/library/stats").json()
    resource = session.get(Resource, usage["resource"])
    assert resource is not None
    record_view(session, principal=Principal.of(world.users["teacher_a"]), resource=resource)
    session.commit()
    again = client.get("/api/v1/library/stats").json()
    assert again["totals"]["views"] == first["totals"]["views"] == 3  # the kept report
    assert again["computed_at"] == first["computed_at"]
    other = client.get("/api/v1/library/stats?days=30").json()  # another period: computed anew
    assert other["totals"]["views"] == 4
    login(client, "admin_b")  # another college: its own figures, never college A's
    assert client.get("/api/v1/library/stats").json()["totals"]["views"] == 1
