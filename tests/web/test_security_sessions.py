"""Server-side sessions through the web: rotation on login, logout and "sign out
everywhere" end the session on the server (a copied cookie stops working), idle
expiry, inactive or erased accounts, the /account page and the password change."""

from __future__ import annotations

import datetime as dt

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session
from webtools import PASSWORD, World, csrf_from, login

from talentbridge.store.tables import AuditEvent, User
from talentbridge.store.trust_tables import UserSession
from talentbridge.web.security import SESSION_COOKIE


def _sessions(session: Session, user: User) -> list[UserSession]:
    session.expire_all()
    stmt = select(UserSession).where(UserSession.user_id == user.id).order_by(UserSession.id)
    return list(session.scalars(stmt))


def test_login_stores_only_a_hash_and_the_browser(
    client: TestClient, world: World, session: Session
) -> None:
    client.headers["user-agent"] = "Mozilla/5.0 (Linux; Android 14) Chrome/131.0 Mobile"
    login(client, "admin_a")
    (row,) = _sessions(session, world.users["admin_a"])
    assert len(row.token_hash) == 64 and row.revoked_at is None
    assert row.ip == "testclient"
    assert row.user_agent is not None and "Android" in row.user_agent
    assert row.token_hash not in client.cookies[SESSION_COOKIE]


def test_csrf_token_from_before_login_does_not_work_after(client: TestClient, world: World) -> None:
    before = csrf_from(client.get("/login").text)
    login(client, "admin_a")
    refused = client.post("/logout", data={"csrf_token": before}, follow_redirects=False)
    assert refused.status_code == 403
    assert client.get("/api/v1/me").status_code == 200
    after = csrf_from(client.get("/").text)
    assert after != before
    assert (
        client.post("/logout", data={"csrf_token": after}, follow_redirects=False).status_code
        == 303
    )


def test_every_login_is_a_new_session(app: FastAPI, world: World, session: Session) -> None:
    with TestClient(app) as client:
        login(client, "admin_a")
        first = client.cookies[SESSION_COOKIE]
        login(client, "admin_a")
        assert client.cookies[SESSION_COOKIE] != first
    rows = _sessions(session, world.users["admin_a"])
    assert len(rows) == 2 and rows[0].token_hash != rows[1].token_hash


def test_a_copied_cookie_stops_working_after_logout(
    app: FastAPI, world: World, session: Session
) -> None:
    with TestClient(app) as client:
        login(client, "admin_a")
        stolen = client.cookies[SESSION_COOKIE]
        client.post("/logout", data={"csrf_token": csrf_from(client.get("/").text)})
    (row,) = _sessions(session, world.users["admin_a"])
    assert row.revoked_at is not None
    with TestClient(app) as thief:
        thief.cookies.set(SESSION_COOKIE, stolen)
        assert thief.get("/api/v1/me").status_code == 401


def test_idle_session_ends_on_the_server(
    client: TestClient, world: World, session: Session
) -> None:
    login(client, "admin_a")
    assert client.get("/api/v1/me").status_code == 200
    (row,) = _sessions(session, world.users["admin_a"])
    row.last_seen_at -= dt.timedelta(minutes=61)
    session.commit()
    assert client.get("/api/v1/me").status_code == 401
    assert client.get("/", follow_redirects=False).status_code == 303


def test_requests_do_not_write_last_seen_each_time(
    client: TestClient, world: World, session: Session
) -> None:
    login(client, "admin_a")
    (row,) = _sessions(session, world.users["admin_a"])
    seen = row.last_seen_at
    for _ in range(3):
        assert client.get("/api/v1/me").status_code == 200
    assert _sessions(session, world.users["admin_a"])[0].last_seen_at == seen
    session.execute(update(UserSession).values(last_seen_at=seen - dt.timedelta(minutes=6)))
    session.commit()
    client.get("/api/v1/me")
    assert _sessions(session, world.users["admin_a"])[0].last_seen_at > seen


def test_deactivated_or_erased_account_is_signed_out(
    app: FastAPI, world: World, session: Session
) -> None:
    for change in ({"is_active": False}, {"deleted_at": dt.datetime(2026, 1, 1)}):
        with TestClient(app) as client:
            login(client, "teacher_a")
            assert client.get("/api/v1/me").status_code == 200
            session.execute(update(User).where(User.username == "teacher_a").values(**change))
            session.commit()
            assert client.get("/api/v1/me").status_code == 401
            session.execute(
                update(User)
                .where(User.username == "teacher_a")
                .values(is_active=True, deleted_at=None)
            )
            session.commit()
            assert client.get("/api/v1/me").status_code == 401  # that session stays ended


def test_account_page_lists_sessions_and_signs_one_out(
    app: FastAPI, world: World, session: Session
) -> None:
    with TestClient(app) as phone, TestClient(app) as laptop:
        phone.headers["user-agent"] = "Mozilla/5.0 (iPhone) Safari/604.1"
        login(phone, "admin_a")
        login(laptop, "admin_a")
        page = laptop.get("/account")
        assert page.status_code == 200
        assert "账户与安全" in page.text
        assert "Safari · iPhone" in page.text and "当前会话" in page.text
        phone_row = _sessions(session, world.users["admin_a"])[0]
        token = csrf_from(page.text)
        done = laptop.post(
            f"/account/sessions/{phone_row.id}/revoke",
            data={"csrf_token": token},
            follow_redirects=False,
        )
        assert done.headers["location"] == "/account"
        assert phone.get("/api/v1/me").status_code == 401
        assert laptop.get("/api/v1/me").status_code == 200
        english = laptop.get("/account?lang=en")
        assert "Account and security" in english.text and "Safari" not in english.text


def test_someone_elses_session_cannot_be_signed_out(
    app: FastAPI, world: World, session: Session
) -> None:
    with TestClient(app) as theirs, TestClient(app) as mine:
        login(theirs, "admin_b")
        login(mine, "admin_a")
        target = _sessions(session, world.users["admin_b"])[0]
        token = csrf_from(mine.get("/account").text)
        response = mine.post(f"/account/sessions/{target.id}/revoke", data={"csrf_token": token})
        assert response.status_code == 404
        assert theirs.get("/api/v1/me").status_code == 200


def test_sign_out_everywhere(app: FastAPI, world: World, session: Session) -> None:
    with TestClient(app) as one, TestClient(app) as two:
        login(one, "admin_a")
        login(two, "admin_a")
        token = csrf_from(one.get("/account").text)
        response = one.post(
            "/account/sessions/revoke-all", data={"csrf_token": token}, follow_redirects=False
        )
        assert response.headers["location"] == "/login"
        assert one.get("/api/v1/me").status_code == 401
        assert two.get("/api/v1/me").status_code == 401
    assert all(row.revoked_at is not None for row in _sessions(session, world.users["admin_a"]))


def _change(client: TestClient, current: str, new: str, confirm: str | None = None):  # type: ignore[no-untyped-def]
    token = csrf_from(client.get("/account").text)
    data = {"csrf_token": token, "current": current, "new": new, "confirm": confirm or new}
    return client.post("/account/password", data=data, follow_redirects=False)


def test_password_change_needs_the_current_password_and_the_rules(
    client: TestClient, world: World, session: Session
) -> None:
    login(client, "admin_a")
    wrong = _change(client, "not-my-password-1", "Brand-new-pass-9")
    assert wrong.status_code == 400 and "当前密码不正确" in wrong.text
    common = _change(client, PASSWORD, "woaini1314")
    assert common.status_code == 400 and "常见密码" in common.text
    simple = _change(client, PASSWORD, "onlylowercaseletters")
    assert simple.status_code == 400 and "两类字符" in simple.text
    differ = _change(client, PASSWORD, "Brand-new-pass-9", "Brand-new-pass-8")
    assert differ.status_code == 400 and "不一致" in differ.text
    user = session.get(User, world.users["admin_a"].id)
    assert user is not None and user.password_changed_at is None


def test_password_change_signs_out_other_sessions_only(
    app: FastAPI, world: World, session: Session
) -> None:
    with TestClient(app) as here, TestClient(app) as elsewhere:
        login(here, "admin_a")
        login(elsewhere, "admin_a")
        done = _change(here, PASSWORD, "Brand-new-pass-9")
        assert done.status_code == 303 and done.headers["location"] == "/account?saved=password"
        assert "密码已修改" in here.get(done.headers["location"]).text
        assert here.get("/api/v1/me").status_code == 200
        assert elsewhere.get("/api/v1/me").status_code == 401
        login(elsewhere, "admin_a", "Brand-new-pass-9")
    session.expire_all()
    user = session.get(User, world.users["admin_a"].id)
    assert user is not None and user.password_changed_at is not None
    actions = session.scalars(select(AuditEvent.action)).all()
    assert "password.changed" in actions


def test_bearer_tokens_keep_working(client: TestClient, world: World) -> None:
    login(client, "admin_a")
    token = csrf_from(client.get("/").text)
    issued = client.post("/api/v1/tokens", json={"name": "ci"}, headers={"X-CSRF-Token": token})
    bearer = issued.json()["token"]
    client.post("/logout", data={"csrf_token": token})
    client.cookies.clear()
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {bearer}"})
    assert me.status_code == 200 and me.json()["username"] == "admin_a"
