"""Signing in and out: the session cookie, rotation and failures."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from webtools import PASSWORD, World, csrf_from, login

from talentbridge.accounts.users import set_password
from talentbridge.config import Settings
from talentbridge.store.tables import AuditEvent, User
from talentbridge.web.app import create_app
from talentbridge.web.security import SESSION_COOKIE


def _post_login(client: TestClient, username: str, password: str, **extra: str):  # type: ignore[no-untyped-def]
    token = csrf_from(client.get("/login").text)
    data = {"username": username, "password": password, "csrf_token": token, **extra}
    return client.post("/login", data=data, follow_redirects=False)


def test_login_with_right_password_opens_home(client: TestClient, world: World) -> None:
    response = _post_login(client, "admin_a", PASSWORD)
    assert response.status_code == 303
    assert response.headers["location"] == "/"
    home = client.get("/")
    assert home.status_code == 200
    assert "用户admin_a" in home.text
    assert "成都甲职业技术学院" in home.text


def test_login_with_wrong_password_shows_error_in_current_language(
    client: TestClient, world: World
) -> None:
    response = _post_login(client, "admin_a", "wrong-password-1")
    assert response.status_code == 400
    assert "用户名或密码不正确" in response.text
    assert client.get("/", follow_redirects=False).status_code == 303
    client.get("/login?lang=en")
    english = _post_login(client, "admin_a", "wrong-password-1")
    assert "Wrong username or password" in english.text


def test_unknown_user_fails_like_a_wrong_password(client: TestClient, world: World) -> None:
    response = _post_login(client, "nobody", PASSWORD)
    assert response.status_code == 400
    assert "用户名或密码不正确" in response.text


def test_failed_and_successful_logins_are_audited(
    client: TestClient, world: World, session: Session
) -> None:
    _post_login(client, "admin_a", "wrong-password-1")
    _post_login(client, "admin_a", PASSWORD)
    actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["login.failed", "login"]


def test_inactive_user_cannot_log_in(client: TestClient, world: World, session: Session) -> None:
    user = session.get(User, world.users["teacher_a"].id)
    assert user is not None
    user.is_active = False
    session.commit()
    assert _post_login(client, "teacher_a", PASSWORD).status_code == 400


def test_session_cookie_is_httponly_and_samesite_lax(client: TestClient, world: World) -> None:
    response = _post_login(client, "admin_a", PASSWORD)
    cookie = response.headers["set-cookie"].lower()
    assert cookie.startswith(SESSION_COOKIE)
    assert "httponly" in cookie
    assert "samesite=lax" in cookie
    assert "secure" not in cookie


def test_session_cookie_is_secure_when_https_only(
    settings: Settings, engine: Engine, world: World
) -> None:
    app = create_app(settings.with_overrides(https_only=True), engine=engine)
    with TestClient(app, base_url="https://testserver") as client:
        response = _post_login(client, "admin_a", PASSWORD)
        assert "secure" in response.headers["set-cookie"].lower()
        assert client.get("/").status_code == 200


def test_login_rotates_the_session_and_csrf_token(client: TestClient, world: World) -> None:
    before = csrf_from(client.get("/login").text)
    client.cookies.set("keep", "x")
    _post_login(client, "admin_a", PASSWORD)
    after = csrf_from(client.get("/").text)
    assert before != after


def test_logout_ends_the_session(client: TestClient, world: World) -> None:
    login(client, "admin_a")
    token = csrf_from(client.get("/").text)
    response = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303
    assert client.get("/", follow_redirects=False).status_code == 303
    assert client.get("/api/v1/me").status_code == 401


def test_password_change_ends_existing_sessions(
    client: TestClient, world: World, factory: object, session: Session
) -> None:
    login(client, "admin_a")
    assert client.get("/api/v1/me").status_code == 200
    set_password(session, user_id=world.users["admin_a"].id, password="another-password-7")
    session.commit()
    assert client.get("/api/v1/me").status_code == 401


def test_login_redirects_only_to_local_paths(client: TestClient, world: World) -> None:
    local = _post_login(client, "admin_a", PASSWORD, next="/matching")
    assert local.headers["location"] == "/matching"
    client.cookies.clear()
    evil = _post_login(client, "admin_a", PASSWORD, next="//evil.example/")
    assert evil.headers["location"] == "/"


def test_tampered_session_cookie_is_ignored(app: FastAPI, world: World) -> None:
    with TestClient(app) as client:
        login(client, "platform")
        value = client.cookies[SESSION_COOKIE]
        client.cookies.clear()
        client.cookies.set(SESSION_COOKIE, value[:-3] + "AAA")
        assert client.get("/api/v1/me").status_code == 401
