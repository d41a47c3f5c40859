"""/account/privacy: consents with grant/withdraw and history, the notice, downloads of
all one's data and résumés, account deletion with confirmation; a college admin's
erasure of a student's account; CSRF on every form."""

from __future__ import annotations

import io
import json

import pytest
from fastapi.testclient import TestClient
from personworld import NAME, RESUME_TEXT, USERNAME, Person, build_person
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.orm import Session

from signin import PASSWORD, csrf_from, login
from talentbridge.config import Settings
from talentbridge.store.tables import AuditEvent, Organization, Profile, User
from talentbridge.store.trust_tables import ConsentRecord


@pytest.fixture()
def person(session: Session, settings: Settings, password_hash: str) -> Person:
    person = build_person(session, settings.data_dir)
    for user in session.scalars(select(User)):
        user.password_hash = password_hash
    other = Organization(code="E2", kind="enterprise", name_zh="示例·另一家公司")
    session.add(other)
    session.flush()
    session.add(User(username="recruiter_e2", display_name="r2", role="recruiter",
                     organization_id=other.id, password_hash=password_hash, locale="zh"))  # fmt: skip
    session.commit()
    return person


def test_the_page_shows_consents_history_notice_and_downloads(
    client: TestClient, person: Person
) -> None:
    login(client, USERNAME)
    page = client.get("/account/privacy?lang=zh")
    assert page.status_code == 200
    text = page.text
    for expected in ("我的数据与隐私", "个人信息处理告知", "告知版本 2026-11", "向用人单位展示我的档案",
                     "自动化排序", "我的同意记录", "/account/privacy/export.json",
                     "/account/privacy/export.pdf", "/account/privacy/delete"):  # fmt: skip
        assert expected in text, expected
    assert 'id="state-employer_visibility">已同意' in text
    assert f"{NAME}简历.txt" in text  # the résumé file, with its download link
    english = client.get("/account/privacy?lang=en").text
    assert "My data and privacy" in english and "Withdraw consent" in english


def test_withdrawal_on_the_page_takes_effect_for_employers_at_once(
    client: TestClient, person: Person, session: Session
) -> None:
    recruiter = TestClient(client.app)
    login(recruiter, "recruiter_e2")
    assert recruiter.get(f"/matching/profiles/{person.profile_id}").status_code == 200
    login(client, USERNAME)
    token = csrf_from(client.get("/account/privacy").text)
    refused = client.post("/account/privacy/consents/employer_visibility", data={"granted": "0"})
    assert refused.status_code == 403  # no CSRF token
    response = client.post("/account/privacy/consents/employer_visibility",
                           data={"granted": "0", "csrf_token": token}, follow_redirects=False)  # fmt: skip
    assert response.status_code == 303
    page = client.get(response.headers["location"]).text
    assert "已撤回同意，立即生效" in page and 'id="state-employer_visibility">已撤回' in page
    assert recruiter.get(f"/matching/profiles/{person.profile_id}").status_code == 404
    session.expire_all()
    last = session.scalars(select(ConsentRecord).order_by(ConsentRecord.id.desc())).first()
    assert last is not None and (last.granted, last.channel, last.actor_user_id) == (
        False, "web", person.user_id)  # fmt: skip
    assert client.post("/account/privacy/consents/marketing",
                       data={"granted": "1", "csrf_token": token}).status_code == 404  # fmt: skip


def test_downloads_of_all_my_data(client: TestClient, person: Person, session: Session) -> None:
    login(client, USERNAME)
    response = client.get("/account/privacy/export.json")
    assert response.status_code == 200 and "attachment" in response.headers["content-disposition"]
    data = json.loads(response.content)
    assert data["profile"]["name"] == NAME and data["resumes"][0]["text"] == RESUME_TEXT
    pdf = client.get("/account/privacy/export.pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert NAME in "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    resume_id = data["resumes"][0]["id"]
    file = client.get(f"/account/privacy/resumes/{resume_id}")
    assert file.status_code == 200 and file.content == RESUME_TEXT.encode()
    other = TestClient(client.app)
    login(other, "admin_c1")  # not their own résumé: 404, nothing leaks
    assert other.get(f"/account/privacy/resumes/{resume_id}").status_code == 404
    assert TestClient(client.app).get("/account/privacy/export.json",
                                      follow_redirects=False).status_code == 303  # fmt: skip


def test_deleting_my_account_needs_the_username_and_the_box(
    client: TestClient, person: Person, session: Session
) -> None:
    login(client, USERNAME)
    page = client.get("/account/privacy/delete")
    assert page.status_code == 200 and USERNAME in page.text
    token = csrf_from(page.text)
    wrong = client.post("/account/privacy/delete",
                        data={"confirm_username": "someone", "understood": "1", "csrf_token": token})  # fmt: skip
    assert wrong.status_code == 400 and "未删除任何内容" in wrong.text
    unticked = client.post("/account/privacy/delete",
                           data={"confirm_username": USERNAME, "csrf_token": token})  # fmt: skip
    assert unticked.status_code == 400
    assert client.post("/account/privacy/delete",
                       data={"confirm_username": USERNAME, "understood": "1"}).status_code == 403  # fmt: skip
    session.expire_all()
    user = session.get(User, person.user_id)
    assert user is not None and user.deleted_at is None
    done = client.post("/account/privacy/delete",
                       data={"confirm_username": USERNAME, "understood": "1", "csrf_token": token})  # fmt: skip
    assert done.status_code == 200 and "你的账号已注销" in done.text
    assert client.get("/account/privacy", follow_redirects=False).status_code == 303  # signed out
    session.expire_all()
    user = session.get(User, person.user_id)
    assert user is not None and user.deleted_at is not None and user.username != USERNAME
    page = client.get("/login")
    failed = client.post("/login", data={"username": USERNAME, "password": PASSWORD,
                                         "csrf_token": csrf_from(page.text)},
                         follow_redirects=False)  # fmt: skip
    assert failed.status_code != 303
    assert session.scalar(select(AuditEvent).where(AuditEvent.action == "account.erased"))


def test_the_college_admin_erases_a_students_account(
    client: TestClient, person: Person, session: Session
) -> None:
    url = f"/account/privacy/erase/{person.user_id}"
    recruiter = TestClient(client.app)
    login(recruiter, "recruiter_e1")
    assert recruiter.get(url).status_code == 404
    assert url not in recruiter.get(f"/matching/profiles/{person.profile_id}").text
    student = TestClient(client.app)
    login(student, USERNAME)
    own = student.get(f"/matching/profiles/{person.profile_id}").text
    assert 'href="/account/privacy"' in own and "/account/privacy/erase/" not in own
    login(client, "admin_c1")
    assert f'href="{url}"' in client.get(f"/matching/profiles/{person.profile_id}").text
    page = client.get(url)
    assert page.status_code == 200 and NAME in page.text and USERNAME in page.text
    token = csrf_from(page.text)
    done = client.post(url, data={"confirm_username": USERNAME, "understood": "1",
                                  "csrf_token": token})  # fmt: skip
    assert done.status_code == 200 and USERNAME in done.text
    session.expire_all()
    profile = session.get(Profile, person.profile_id)
    assert profile is not None and profile.name != NAME and profile.deleted_at is not None
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "account.erased"))
    assert event is not None and event.user_id == person.admin_id
    assert client.get(url).status_code == 404  # gone
