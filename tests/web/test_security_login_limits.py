"""Login limits through the form: lockout after 5 failures (even with the right
password then), the same answer for an unknown username, 429 with Retry-After for an
address with too many failures, and many successful logins from one address allowed."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from webtools import PASSWORD, World, csrf_from

from talentbridge.config import LoginLimits, Settings
from talentbridge.store.tables import AuditEvent, User
from talentbridge.web.app import create_app


def _post(client: TestClient, username: str, password: str):  # type: ignore[no-untyped-def]
    token = csrf_from(client.get("/login").text)
    data = {"username": username, "password": password, "csrf_token": token}
    return client.post("/login", data=data, follow_redirects=False)


def _message(html: str) -> str:
    match = re.search(r'<p class="alert" role="alert">(.*?)</p>', html, re.S)
    assert match, "no alert on the page"
    return match.group(1)


def test_five_failures_lock_the_account_even_for_the_right_password(
    client: TestClient, world: World, session: Session
) -> None:
    for _ in range(4):
        assert _post(client, "admin_a", "wrong-password-1").status_code == 400
    fifth = _post(client, "admin_a", "wrong-password-1")
    assert fifth.status_code == 429
    assert "已暂时锁定" in _message(fifth.text)
    right = _post(client, "admin_a", PASSWORD)
    assert right.status_code == 429
    assert 14 * 60 < int(right.headers["retry-after"]) <= 15 * 60
    assert client.get("/api/v1/me").status_code == 401
    user = session.get(User, world.users["admin_a"].id)
    session.refresh(user)
    assert user is not None and user.locked_until is not None
    locked = session.scalars(select(AuditEvent).where(AuditEvent.action == "login.locked")).all()
    assert [(e.user_id, e.organization_id) for e in locked] == [
        (user.id, world.orgs["college_a"].id)
    ]
    # another account is not affected
    assert _post(client, "admin_b", PASSWORD).status_code == 303


def test_an_unknown_username_gets_the_same_answers(client: TestClient, world: World) -> None:
    answers = {}
    for name in ("admin_a", "no_such_user"):
        statuses = [_post(client, name, "wrong-password-1").status_code for _ in range(5)]
        last = _post(client, name, "wrong-password-1")
        answers[name] = (statuses, last.status_code, _message(last.text))
    assert answers["admin_a"] == answers["no_such_user"]
    assert answers["admin_a"][0] == [400, 400, 400, 400, 429]


def test_the_locked_message_is_in_english_too(client: TestClient, world: World) -> None:
    client.get("/login?lang=en")
    for _ in range(5):
        response = _post(client, "admin_a", "wrong-password-1")
    assert "locked for now" in _message(response.text)


def test_an_address_with_many_failures_waits(
    settings: Settings, engine: Engine, world: World
) -> None:
    limits = LoginLimits(ip_max_failures=3, ip_window_minutes=10)
    app = create_app(settings.with_overrides(login=limits), engine=engine)
    with TestClient(app) as client:
        for name in ("a1", "a2"):
            assert _post(client, name, "wrong-password-1").status_code == 400
        third = _post(client, "a3", "wrong-password-1")
        assert third.status_code == 429
        refused = _post(client, "admin_a", PASSWORD)  # right password, held back all the same
        assert refused.status_code == 429
        assert 9 * 60 < int(refused.headers["retry-after"]) <= 10 * 60
        assert "网络地址" in _message(refused.text)


def test_many_successful_logins_from_one_address_are_never_blocked(
    settings: Settings, engine: Engine, world: World
) -> None:
    limits = LoginLimits(max_failures=2, ip_max_failures=2)
    app = create_app(settings.with_overrides(login=limits), engine=engine)
    with TestClient(app) as client:
        for n in range(12):
            client.cookies.clear()
            name = ("admin_a", "teacher_a", "student_a")[n % 3]
            assert _post(client, name, PASSWORD).status_code == 303, n
