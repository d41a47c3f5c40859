"""``/api/v1/postings``: sending postings through the pipeline, listing and reading them."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from webtools import World, csrf_from, login

from talentbridge.accounts.tokens import issue_token
from talentbridge.store.tables import Posting

BULK = {
    "postings": [
        {
            "title": "仓库管理员",
            "company": "蓉欧示例物流有限公司",
            "location": "成都-武侯区",
            "salary": "6-8K",
            "description": "负责出入库，仅限女性。",
        },
        {
            "title": "报关员",
            "company": "渝新欧示例贸易有限公司",
            "location": "重庆渝北",
            "salary": "8千-1.2万",
            "openings": 2,
        },
        {"title": "叉车司机", "company": "两江示例物流有限公司", "location": "两江新区"},
    ]
}


def _bearer(session: Session, world: World, username: str) -> dict[str, str]:
    token = issue_token(session, user_id=world.users[username].id, name="ats")
    session.commit()
    return {"Authorization": f"Bearer {token}"}


def _post(client: TestClient, headers: dict[str, str], body: object, **params: str) -> Any:
    return client.post("/api/v1/postings", json=body, headers=headers, params=params)


def test_bulk_post_is_idempotent(client: TestClient, world: World, session: Session) -> None:
    headers = _bearer(session, world, "analyst")
    first = _post(client, headers, BULK)
    assert first.status_code == 200, first.text
    report = first.json()
    assert (report["read"], report["stored"], report["rejected"]) == (3, 3, 0)
    assert report["balanced"] is True
    flagged = {p["title"]: p["flags"] for p in report["postings"]}
    assert flagged["仓库管理员"][0]["rule"] == "gender"
    assert flagged["仓库管理员"][0]["phrase"] == "仅限女性"
    assert "就业促进法" in flagged["仓库管理员"][0]["law"]
    assert flagged["报关员"] == []

    again = _post(client, headers, BULK).json()
    assert (again["stored"], again["unchanged"], again["read"]) == (0, 3, 3)
    assert again["run_id"] != report["run_id"]
    assert session.scalar(select(func.count()).select_from(Posting)) == 3


def test_recruiter_naming_another_employer_is_rejected_with_a_reason(
    client: TestClient, world: World, session: Session
) -> None:
    headers = _bearer(session, world, "recruiter")
    body = {
        "postings": [
            {"title": "理货员", "description": "负责理货"},  # no employer: their own
            {"title": "报关员", "company": "别家示例公司"},
        ]
    }
    report = _post(client, headers, body).json()
    assert (report["stored"], report["rejected"]) == (1, 1)
    (error,) = report["errors"]
    assert error["row"] == 2 and error["field"] == "company"
    assert "own organization" in error["reason"]
    (stored,) = session.scalars(select(Posting)).all()
    assert stored.employer_name == "蓉欧示例物流有限公司"
    assert stored.organization_id == world.orgs["enterprise"].id


def test_keys_may_be_chinese_headers_the_mapping_knows(
    client: TestClient, world: World, session: Session
) -> None:
    body = {"职位名称": "叉车司机", "公司名称": "两江示例物流有限公司", "工作地点": "两江新区"}
    report = _post(client, _bearer(session, world, "analyst"), body).json()
    assert report["stored"] == 1, report
    posting = session.get(Posting, report["postings"][0]["id"])
    assert posting is not None
    assert (posting.title, posting.employer_name) == ("叉车司机", "两江示例物流有限公司")
    assert posting.city_code == "500000"  # Chongqing


def test_staff_may_post_for_any_employer_as_a_single_object(
    client: TestClient, world: World, session: Session
) -> None:
    headers = _bearer(session, world, "admin_a")
    report = _post(
        client, headers, {"title": "报关员", "company": "别家示例公司"}, source="partner-x"
    ).json()
    assert report["stored"] == 1
    posting_id = report["postings"][0]["id"]
    detail = client.get(f"/api/v1/postings/{posting_id}", headers=headers).json()
    assert detail["employer_name"] == "别家示例公司"
    assert detail["sources"][0]["source"] == "partner-x"


@pytest.mark.parametrize("username", ["student_a", "teacher_a"])
def test_students_and_teachers_may_not_send_postings(
    client: TestClient, world: World, session: Session, username: str
) -> None:
    response = _post(client, _bearer(session, world, username), BULK)
    assert response.status_code == 403
    assert session.scalar(select(func.count()).select_from(Posting)) == 0


def test_more_than_a_thousand_postings_is_413_and_none_is_422(
    client: TestClient, world: World, session: Session
) -> None:
    headers = _bearer(session, world, "analyst")
    many = {"postings": [{"title": f"司机{i}", "company": "甲"} for i in range(1001)]}
    too_many = _post(client, headers, many)
    assert too_many.status_code == 413
    assert "1000" in too_many.json()["error"]["message"]
    empty = _post(client, headers, {"postings": []})
    assert empty.status_code == 422
    assert "no postings" in empty.json()["error"]["message"]
    nested = _post(client, headers, {"title": "司机", "company": "甲", "tags": ["a"]})
    assert nested.status_code == 422
    assert session.scalar(select(func.count()).select_from(Posting)) == 0


def test_a_body_without_any_title_field_is_422(
    client: TestClient, world: World, session: Session
) -> None:
    response = _post(client, _bearer(session, world, "analyst"), {"company": "甲"})
    assert response.status_code == 422
    assert "title" in response.json()["error"]["message"]


def test_a_browser_session_needs_the_csrf_header_to_post(client: TestClient, world: World) -> None:
    login(client, "recruiter")
    body = {"title": "司机", "description": "驾驶货车"}
    assert client.post("/api/v1/postings", json=body).status_code == 403
    token = csrf_from(client.get("/").text)
    response = client.post("/api/v1/postings", json=body, headers={"X-CSRF-Token": token})
    assert response.status_code == 200 and response.json()["stored"] == 1


def test_list_filters_by_city_and_text_and_pages(
    client: TestClient, world: World, session: Session
) -> None:
    headers = _bearer(session, world, "analyst")
    _post(client, headers, BULK)
    student = _bearer(session, world, "student_a")
    everything = client.get("/api/v1/postings", headers=student).json()
    assert everything["total"] == 3 and len(everything["items"]) == 3
    chengdu = client.get("/api/v1/postings", params={"city": "成都"}, headers=student).json()
    assert [p["title"] for p in chengdu["items"]] == ["仓库管理员"]
    assert chengdu["items"][0]["salary_min"] == 6000
    by_code = client.get("/api/v1/postings", params={"city": "500112"}, headers=student).json()
    assert "报关员" in {p["title"] for p in by_code["items"]}
    assert "仓库管理员" not in {p["title"] for p in by_code["items"]}
    text = client.get("/api/v1/postings", params={"q": "叉车"}, headers=student).json()
    assert [p["title"] for p in text["items"]] == ["叉车司机"]
    page2 = client.get(
        "/api/v1/postings", params={"page": 2, "page_size": 2}, headers=student
    ).json()
    assert (page2["total"], len(page2["items"]), page2["page"]) == (3, 1, 2)
    unknown = client.get("/api/v1/postings", params={"city": "火星"}, headers=student)
    assert unknown.status_code == 422


def test_detail_hides_flags_and_files_from_students(
    client: TestClient, world: World, session: Session
) -> None:
    staff = _bearer(session, world, "analyst")
    report = _post(client, staff, BULK).json()
    flagged_id = next(p["id"] for p in report["postings"] if p["flags"])
    as_staff = client.get(f"/api/v1/postings/{flagged_id}", headers=staff).json()
    assert as_staff["flags"][0]["label_zh"] == "性别歧视"
    assert as_staff["sources"][0]["row_number"] == 1
    as_student = client.get(
        f"/api/v1/postings/{flagged_id}", headers=_bearer(session, world, "student_a")
    ).json()
    assert as_student["flags"] is None
    assert as_student["sources"][0]["file_name"] is None
    assert as_student["description"].startswith("负责出入库")
    assert client.get("/api/v1/postings/99999", headers=staff).status_code == 404


def test_import_run_detail_is_for_the_user_who_started_it(
    client: TestClient, world: World, session: Session
) -> None:
    recruiter = _bearer(session, world, "recruiter")
    report = _post(
        client,
        recruiter,
        {"postings": [{"title": "理货员", "description": "理货"}, {"description": "x"}]},
    ).json()
    run = client.get(f"/api/v1/import-runs/{report['run_id']}", headers=recruiter).json()
    assert (run["rows_read"], run["rows_stored"], run["rows_rejected"]) == (2, 1, 1)
    assert run["balanced"] is True
    assert run["rejected_rows"][0]["row"] == 2
    other = _bearer(session, world, "analyst")
    assert client.get(f"/api/v1/import-runs/{report['run_id']}", headers=other).status_code == 404


def test_openapi_documents_the_posting_models(client: TestClient) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    assert {"post", "get"} <= set(schema["paths"]["/api/v1/postings"])
    names = set(schema["components"]["schemas"])
    assert {"PostingReportOut", "PostingDetailOut", "PostingPageOut", "PostingIn"} <= names
