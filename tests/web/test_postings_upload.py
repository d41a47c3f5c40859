"""The staff upload page and the import-run pages."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from webtools import World, csrf_from, login

from talentbridge.config import Settings
from talentbridge.store.tables import ImportRun, Posting

HEADER = "职位名称,公司名称,薪资,工作地点,学历,职位描述"
ROWS = [
    "仓库管理员,蓉欧示例物流有限公司,6-8K,成都-武侯区,大专,负责出入库管理",
    "报关员,渝新欧示例贸易有限公司,8千-1.2万,重庆渝北,本科,熟悉报关流程，限男性",
    ",无名公司,5K,成都,不限,这一行没有职位名称",
    "仓库管理员,蓉欧示例物流有限公司,6-8K,成都-武侯区,大专,负责出入库管理",
    "叉车司机,两江示例物流有限公司,7-9K·13薪,两江新区,中专,持叉车证",
]


def _gb18030_csv(tmp_path: Path) -> bytes:
    path = tmp_path / "jobs.csv"
    path.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="gb18030")
    data = path.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # really GB18030, not UTF-8
    return data


def _upload(
    client: TestClient,
    files: list[tuple[str, bytes]],
    *,
    source: str = "board-a",
    with_csrf: bool = True,
    lang: str | None = None,
) -> Any:
    page = client.get("/postings/import")
    assert page.status_code == 200
    data = {"source": source}
    if with_csrf:
        data["csrf_token"] = csrf_from(page.text)
    url = "/postings/import" + (f"?lang={lang}" if lang else "")
    return client.post(
        url,
        data=data,
        files=[("files", (name, body, "application/octet-stream")) for name, body in files],
        follow_redirects=False,
    )


def _count(html: str, name: str) -> int:
    match = re.search(rf'class="count-{name}">(\d+)<', html)
    assert match, name
    return int(match.group(1))


def _run_id(location: str) -> int:
    match = re.fullmatch(r"/postings/runs/(\d+)", location)
    assert match, location
    return int(match.group(1))


def test_college_admin_uploads_a_gb18030_csv_and_sees_counts_that_add_up(
    client: TestClient, world: World, tmp_path: Path, settings: Settings, session: Session
) -> None:
    login(client, "admin_a")
    response = _upload(client, [("jobs.csv", _gb18030_csv(tmp_path))])
    assert response.status_code == 303
    run_id = _run_id(response.headers["location"])
    page = client.get(f"/postings/runs/{run_id}")
    assert page.status_code == 200
    html = page.text
    counts = {n: _count(html, n) for n in ("read", "stored", "unchanged", "duplicates", "rejected")}
    assert counts == {"read": 5, "stored": 3, "unchanged": 0, "duplicates": 1, "rejected": 1}
    assert "相符" in html and "不相符" not in html
    assert "jobs.csv" in html and "board-a" in html
    assert "salary parsed 4/4" in html  # the quality message of the run
    # the rejected row: its row number, field and reason
    rejects = re.search(r'<table class="rejects">(.*?)</table>', html, re.S)
    assert rejects is not None
    assert re.search(r"<td class=\"num\">4</td><td>title</td><td>title is empty</td>", html)
    # the flagged posting of the run is listed with its rule
    assert "报关员" in html and "性别歧视" in html
    # uploads are kept under the data folder with a hash prefix
    saved = list((settings.data_dir / "uploads").iterdir())
    assert [p.name for p in saved if p.name.endswith("-jobs.csv")]
    run = session.get(ImportRun, run_id)
    assert run is not None and run.user_id == world.users["admin_a"].id

    listing = client.get("/postings/runs")
    assert f'href="/postings/runs/{run_id}"' in listing.text and "相符" in listing.text

    download = client.get(f"/postings/runs/{run_id}/rejects.csv")
    assert download.status_code == 200
    assert download.headers["content-type"].startswith("text/csv")
    assert "attachment" in download.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert rows[0][-3:] == ["_row", "_field", "_reason"]
    assert (
        len(rows) == 2
        and "无名公司" in rows[1]
        and rows[1][-3:] == ["4", "title", "title is empty"]
    )


def test_reimporting_the_same_file_adds_nothing(
    client: TestClient, world: World, tmp_path: Path, session: Session
) -> None:
    login(client, "analyst")
    data = _gb18030_csv(tmp_path)
    first = _upload(client, [("jobs.csv", data)])
    second = _upload(client, [("jobs.csv", data)])
    run_id = _run_id(second.headers["location"])
    assert first.status_code == 303
    html = client.get(f"/postings/runs/{run_id}").text
    assert _count(html, "stored") == 0
    assert _count(html, "unchanged") == 4  # rows already stored
    assert _count(html, "rejected") == 1  # the bad row is reported again, never lost
    assert session.scalar(select(func.count()).select_from(Posting)) == 3


def test_several_files_at_once_lead_to_the_run_list(
    client: TestClient, world: World, tmp_path: Path
) -> None:
    login(client, "platform")
    jsonl = '{"title": "理货员", "company": "甲物流", "location": "成都"}\n'.encode()
    response = _upload(
        client, [("jobs.csv", _gb18030_csv(tmp_path)), ("feed.jsonl", jsonl)], source=""
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/postings/runs"
    listing = client.get("/postings/runs").text
    assert "jobs.csv" in listing and "feed.jsonl" in listing
    assert ">feed<" in listing  # the source defaults to the file's own name


@pytest.mark.parametrize("username", ["student_a", "teacher_a", "recruiter"])
def test_upload_is_refused_for_non_staff(client: TestClient, world: World, username: str) -> None:
    login(client, username)
    assert client.get("/postings/import").status_code == 403
    token = csrf_from(client.get("/").text)
    response = client.post(
        "/postings/import",
        data={"csrf_token": token},
        files=[("files", ("jobs.csv", "职位名称\n司机\n".encode(), "text/csv"))],
    )
    assert response.status_code == 403


def test_an_xlsx_that_is_not_a_workbook_is_refused_with_a_clear_message(
    client: TestClient, world: World, session: Session
) -> None:
    login(client, "admin_a")
    response = _upload(client, [("jobs.xlsx", "职位名称,公司\n司机,甲\n".encode())])
    assert response.status_code == 400
    text = response.text
    assert "jobs.xlsx" in text and "不是 Excel 工作簿" in text
    assert "Traceback" not in text
    assert session.scalar(select(func.count()).select_from(ImportRun)) == 0


def test_refusals_are_shown_in_the_users_language(client: TestClient, world: World) -> None:
    login(client, "admin_a")
    english = _upload(client, [("jobs.xlsx", b"title\nx\n")], lang="en")
    assert "is named .xlsx but is not an Excel workbook" in english.text
    binary = _upload(client, [("jobs.csv", b"\x00\x01\x02binary")], lang="zh")
    assert "不是文本文件" in binary.text
    wrong = _upload(client, [("jobs.pdf", b"%PDF-1.4")])
    assert wrong.status_code == 400 and "类型不受支持" in wrong.text


def test_a_file_without_a_title_column_is_explained_on_the_form(
    client: TestClient, world: World
) -> None:
    login(client, "admin_a")
    response = _upload(client, [("odd.csv", "编号,备注\n1,无\n".encode())])
    assert response.status_code == 400
    assert "找不到职位名称列" in response.text
    assert "/uploads/" not in response.text  # no server paths


def test_uploads_over_the_size_limit_are_refused(
    client: TestClient, app: FastAPI, world: World
) -> None:
    settings: Settings = app.state.settings
    app.state.settings = settings.with_overrides(max_upload_bytes=100)
    login(client, "admin_a")
    body = ("职位名称\n" + "司机\n" * 100).encode()
    response = _upload(client, [("big.csv", body)])
    assert response.status_code == 400
    assert "上限" in response.text


def test_the_upload_form_needs_the_csrf_token(
    client: TestClient, world: World, tmp_path: Path, session: Session
) -> None:
    login(client, "admin_a")
    response = _upload(client, [("jobs.csv", _gb18030_csv(tmp_path))], with_csrf=False)
    assert response.status_code == 403
    assert session.scalar(select(func.count()).select_from(ImportRun)) == 0


@pytest.mark.parametrize("viewer", ["recruiter", "admin_b", "student_a"])
def test_another_users_import_run_is_not_found(
    client: TestClient, world: World, tmp_path: Path, viewer: str
) -> None:
    login(client, "admin_a")
    run_id = _run_id(_upload(client, [("jobs.csv", _gb18030_csv(tmp_path))]).headers["location"])
    client.cookies.clear()
    login(client, viewer)
    assert client.get(f"/postings/runs/{run_id}").status_code == 404
    assert client.get(f"/postings/runs/{run_id}/rejects.csv").status_code == 404
    assert client.get(f"/api/v1/import-runs/{run_id}").status_code == 404
    client.cookies.clear()
    login(client, "platform")
    assert client.get(f"/postings/runs/{run_id}").status_code == 200
    assert client.get(f"/api/v1/import-runs/{run_id}").json()["balanced"] is True
