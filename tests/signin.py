"""Signing in through the login form in tests: the test password, CSRF extraction, login.

On ``tests/`` (the pytest pythonpath), so tests in any folder use the one copy.
"""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

PASSWORD = "correct-horse-42"
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_from(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "page has no CSRF field"
    return match.group(1)


def login(client: TestClient, username: str, password: str = PASSWORD) -> None:
    page = client.get("/login")
    response = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
