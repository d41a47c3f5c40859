"""The recruiter form, the organization's posting list and the posting page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from webtools import World, csrf_from, login

from talentbridge.store.tables import Posting
from talentbridge.web.i18n import load_catalogs

DISCRIMINATORY = "负责仓库出入库管理。限男性，年龄35岁以下。"


def _submit(client: TestClient, *, with_csrf: bool = True, **fields: str) -> Any:
    page = client.get("/postings/new")
    assert page.status_code == 200
    data = {
        "title": "仓库管理员",
        "salary": "6-8K·13薪",
        "location": "成都-武侯区",
        "education": "大专",
        "experience": "1-3年",
        "openings": "3",
        "description": DISCRIMINATORY,
        **fields,
    }
    if with_csrf:
        data["csrf_token"] = csrf_from(page.text)
    return client.post("/postings/new", data=data, follow_redirects=False)


def _posting_id(response: Any) -> int:
    location = response.headers["location"]
    match = re.fullmatch(r"/postings/(\d+)\?submitted=1", location)
    assert match, location
    return int(match.group(1))


def test_recruiter_posts_for_their_organization_and_sees_the_flags_with_the_law(
    client: TestClient, world: World, session: Session
) -> None:
    login(client, "recruiter")
    form = client.get("/postings/new").text
    assert 'name="company"' not in form  # no other employer is ever offered
    response = _submit(client)
    assert response.status_code == 303
    posting_id = _posting_id(response)
    posting = session.get(Posting, posting_id)
    assert posting is not None
    assert posting.organization_id == world.orgs["enterprise"].id
    assert posting.employer_name == "蓉欧示例物流有限公司"
    assert posting.flag_count == 2

    page = client.get(f"/postings/{posting_id}?submitted=1").text
    assert 'class="alert flag-box"' in page
    assert "限男性" in page and "年龄35岁以下" in page
    assert "性别歧视" in page and "年龄限制" in page
    assert "《中华人民共和国就业促进法》第三条、第二十七条" in page
    assert "岗位已提交" in page
    # formatted fields: monthly salary range, months, place names from the division table
    assert "6,000–8,000 元/月" in page and "每年 13 薪" in page
    assert "成都市 武侯区" in page

    english = client.get(f"/postings/{posting_id}?lang=en").text
    assert "Employment Promotion Law of the PRC, arts. 3 and 27" in english
    assert "CNY 6,000–8,000 per month" in english and "Chengdu" in english

    mine = client.get("/postings/mine").text
    assert f'href="/postings/{posting_id}"' in mine
    assert '<strong class="flag-count">2</strong>' in mine


def test_a_posting_without_discrimination_shows_no_warning(
    client: TestClient, world: World
) -> None:
    login(client, "recruiter")
    posting_id = _posting_id(_submit(client, description="负责仓库管理，男女不限。"))
    page = client.get(f"/postings/{posting_id}").text
    assert "flag-box" not in page


def test_flags_are_for_the_recruiter_and_staff_not_for_students(
    client: TestClient, world: World
) -> None:
    login(client, "recruiter")
    posting_id = _posting_id(_submit(client))
    for username, sees in [("student_a", False), ("admin_a", True), ("analyst", True)]:
        client.cookies.clear()
        login(client, username)
        page = client.get(f"/postings/{posting_id}")
        assert page.status_code == 200  # postings are public to everyone signed in
        assert "仓库管理员" in page.text
        assert ("flag-box" in page.text) is sees, username


def test_resubmitting_the_same_posting_stores_nothing_new(
    client: TestClient, world: World, session: Session
) -> None:
    login(client, "recruiter")
    _posting_id(_submit(client))
    again = _submit(client)
    assert again.status_code == 400
    assert "相同的岗位已经提交过" in again.text
    assert session.scalar(select(func.count()).select_from(Posting)) == 1


def test_the_form_explains_a_missing_title(client: TestClient, world: World) -> None:
    login(client, "recruiter")
    response = _submit(client, title="   ")
    assert response.status_code == 400
    assert "请填写职位名称" in response.text
    assert DISCRIMINATORY in response.text  # values kept


def test_the_recruiter_form_needs_the_csrf_token(
    client: TestClient, world: World, session: Session
) -> None:
    login(client, "recruiter")
    response = _submit(client, with_csrf=False)
    assert response.status_code == 403
    assert session.scalar(select(func.count()).select_from(Posting)) == 0


@pytest.mark.parametrize("username", ["student_a", "teacher_a", "admin_a", "analyst"])
def test_only_recruiters_use_the_form(client: TestClient, world: World, username: str) -> None:
    login(client, username)
    assert client.get("/postings/new").status_code == 403
    assert client.get("/postings/mine").status_code == 403


def test_the_platform_admin_names_the_employer_on_the_form(
    client: TestClient, world: World, session: Session
) -> None:
    login(client, "platform")
    assert 'name="company"' in client.get("/postings/new").text
    posting_id = _posting_id(_submit(client, company="重庆示例冷链有限公司"))
    posting = session.get(Posting, posting_id)
    assert posting is not None and posting.employer_name == "重庆示例冷链有限公司"


def test_the_posting_page_escapes_html_in_the_description(
    client: TestClient, world: World, session: Session
) -> None:
    login(client, "recruiter")
    posting_id = _posting_id(
        _submit(client, description="&lt;script&gt;alert(1)&lt;/script&gt; 岗位职责")
    )
    posting = session.get(Posting, posting_id)
    assert posting is not None and "<script>alert(1)</script>" in posting.description
    page = client.get(f"/postings/{posting_id}").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page


def test_provenance_files_are_shown_to_staff_only(
    client: TestClient, world: World, session: Session
) -> None:
    login(client, "admin_a")
    page = client.get("/postings/import")
    client.post(
        "/postings/import",
        data={"csrf_token": csrf_from(page.text), "source": "board-b"},
        files=[
            ("files", ("export-7.csv", "职位名称,公司名称\n理货员,甲物流\n".encode(), "text/csv"))
        ],
    )
    posting_id = session.scalars(select(Posting.id)).one()
    staff = client.get(f"/postings/{posting_id}").text
    assert "export-7.csv" in staff and "board-b" in staff
    client.cookies.clear()
    login(client, "student_a")
    student = client.get(f"/postings/{posting_id}").text
    assert "board-b" in student and "export-7.csv" not in student


def test_an_unknown_posting_is_404(client: TestClient, world: World) -> None:
    login(client, "student_a")
    assert client.get("/postings/99999").status_code == 404


def test_a_recruiter_needs_no_description_the_employer_is_their_own(
    client: TestClient, world: World, session: Session
) -> None:
    login(client, "recruiter")
    posting_id = _posting_id(_submit(client, description="", title="理货员"))
    posting = session.get(Posting, posting_id)
    assert posting is not None
    assert posting.organization_id == world.orgs["enterprise"].id


def test_catalog_keys_built_from_stored_values_exist() -> None:
    keys = set(load_catalogs()["en"]) & set(load_catalogs()["zh"])
    built = {f"postings.status.{s}" for s in ("running", "finished", "failed")} | {
        f"postings.relation.{r}" for r in ("original", "exact", "near")
    }
    assert built <= keys
