"""The placement upload page: a college admin imports a file, sees every rejected row
with its reason, confirms a row that names a graduate without a student number."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from webtools import World, csrf_from, login

from talentbridge.store.outcomes_tables import Placement

HEADER = "学号,姓名,专业代码,毕业年份,毕业去向,单位名称,岗位名称,工作地点,月薪,入职日期,是否签约"
ROWS = [
    ",张小明,530802,2025,签就业协议形式就业,示例物流公司,单证员,成都市武侯区,5500,2025-07-01,是",
    "B001,王公开,530802,2024,升学,,,,,,",
    "X999,无此人,530802,2025,待就业,,,,,,",
]


def _upload(client: TestClient, text: str, name: str = "去向.csv") -> str:
    form = client.get("/outcomes/import")
    assert form.status_code == 200
    response = client.post(
        "/outcomes/import",
        data={"csrf_token": csrf_from(form.text)},
        files={"file": (name, text.encode("utf-8"), "text/csv")},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return str(response.headers["location"])


def test_college_admin_imports_sees_reasons_and_confirms_a_row(
    client: TestClient, world: World, session: Session
) -> None:
    login(client, "admin_a")
    assert 'name="college"' not in client.get("/outcomes/import").text  # own college only
    page = client.get(_upload(client, "\n".join([HEADER, *ROWS]) + "\n"))
    assert page.status_code == 200
    text = page.text
    # Another college's graduate is not this admin's to find; an unknown one neither.
    assert "no graduate with student number &#39;B001&#39;" in text
    assert "no graduate with student number &#39;X999&#39;" in text
    assert "needs confirmation" in text and "张小明" in text
    assert text.count('<tr><td class="num">') == 3  # every row rejected or waiting
    pending = re.findall(r'name="rows" value="(\d+)"', text)
    assert len(pending) == 1
    assert session.scalar(select(Placement.id)) is None
    confirmed = client.post(
        "/outcomes/import/confirm",
        data={
            "csrf_token": csrf_from(text),
            "file_name": re.search(r'name="file_name" value="([^"]+)"', text).group(1),  # type: ignore[union-attr]
            "rows": pending,
        },
        follow_redirects=False,
    )
    assert confirmed.status_code == 303
    session.expire_all()
    placement = session.scalar(select(Placement))
    assert placement is not None
    assert placement.profile_id == world.profiles["student_a"].id
    assert (placement.destination, placement.salary_monthly) == ("employed", 5500)
    runs = client.get("/outcomes/import/runs").text
    assert runs.count('href="/outcomes/import/runs/') == 2


def test_only_files_one_imported_can_be_confirmed(
    client: TestClient, world: World, session: Session
) -> None:
    login(client, "admin_a")
    page = client.get("/outcomes/import")
    refused = client.post(
        "/outcomes/import/confirm",
        data={"csrf_token": csrf_from(page.text), "file_name": "../talentbridge.db", "rows": ["2"]},
    )
    assert refused.status_code == 404
    login(client, "admin_b")
    assert client.get("/outcomes/import/runs/1").status_code == 404


def test_teachers_and_analysts_may_not_import(client: TestClient, world: World) -> None:
    for user in ("teacher_a", "analyst", "student_a"):
        login(client, user)
        assert client.get("/outcomes/import").status_code == 403


def test_a_file_without_a_destination_column_is_refused_with_the_reason(
    client: TestClient, world: World
) -> None:
    login(client, "admin_a")
    form = client.get("/outcomes/import")
    response = client.post(
        "/outcomes/import",
        data={"csrf_token": csrf_from(form.text)},
        files={"file": ("bad.csv", "学号,姓名\nA001,张小明\n".encode(), "text/csv")},
    )
    assert response.status_code == 400
    assert "毕业去向" in response.text and "bad.csv" in response.text
