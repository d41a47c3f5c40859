"""Security headers on every kind of answer (page, API, error, 413), HSTS and Secure
cookies over TLS: directly, through a proxy uvicorn trusts (X-Forwarded-Proto), or
always with TALENTBRIDGE_HTTPS_ONLY."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware
from webtools import PASSWORD, World, csrf_from, login

from talentbridge.config import Settings
from talentbridge.web.app import create_app

EXPECTED = {
    "content-security-policy": "script-src 'self';",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "permissions-policy": "camera=()",
    "cross-origin-opener-policy": "same-origin",
}


def _answers(client: TestClient) -> dict[str, object]:
    return {
        "page": client.get("/"),
        "login page": client.get("/login"),
        "api": client.get("/api/v1/me"),
        "api 404": client.get("/api/v1/no-such-thing"),
        "page 404": client.get("/no-such-page"),
        "csrf 403": client.post("/logout", data={}),
        "413": client.post("/login", content=b"x" * (2 * 1024 * 1024)),
        "static": client.get("/static/app.css"),
    }


def test_every_kind_of_answer_carries_the_headers(client: TestClient, world: World) -> None:
    login(client, "admin_a")
    for name, response in _answers(client).items():
        for header, part in EXPECTED.items():
            value = response.headers.get(header)  # type: ignore[attr-defined]
            assert value is not None and part in value, (name, header, value)
        assert "strict-transport-security" not in response.headers, name  # type: ignore[attr-defined]
    csp = client.get("/").headers["content-security-policy"]
    assert (
        "frame-ancestors 'none'" in csp
        and "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    )


def test_plain_http_cookie_has_no_secure_flag(client: TestClient, world: World) -> None:
    page = client.get("/login")
    cookie = page.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie


def test_tls_adds_hsts_and_secure_cookies(app: FastAPI, world: World) -> None:
    with TestClient(app, base_url="https://testserver") as client:
        page = client.get("/login")
        assert page.headers["strict-transport-security"].startswith("max-age=")
        cookie = page.headers["set-cookie"].lower()
        assert "secure" in cookie and "httponly" in cookie and "samesite=lax" in cookie
        login(client, "admin_a")
        assert client.get("/api/v1/me").status_code == 200
        assert "strict-transport-security" in client.get("/api/v1/me").headers


@pytest.mark.parametrize(("trusted", "secure"), [("*", True), ("10.9.9.9", False)])
def test_forwarded_proto_counts_only_from_a_trusted_proxy(
    app: FastAPI, world: World, trusted: str, secure: bool
) -> None:
    """What ``talentbridge serve --proxy-headers --forwarded-allow-ips`` sets up."""
    proxied = ProxyHeadersMiddleware(app, trusted_hosts=trusted)
    with TestClient(proxied) as client:
        client.headers["x-forwarded-proto"] = "https"
        page = client.get("/login")
        assert ("secure" in page.headers["set-cookie"].lower()) is secure
        assert ("strict-transport-security" in page.headers) is secure


def test_https_only_marks_cookies_secure_and_sends_hsts_even_behind_an_untrusted_proxy(
    settings: Settings, engine: Engine, world: World
) -> None:
    app = create_app(settings.with_overrides(https_only=True), engine=engine)
    with TestClient(app) as client:
        page = client.get("/login")
        assert "secure" in page.headers["set-cookie"].lower()
        assert "strict-transport-security" in page.headers
        token = csrf_from(page.text)
        response = client.post(
            "/login",
            data={"username": "admin_a", "password": PASSWORD, "csrf_token": token},
            follow_redirects=False,
        )
        assert "secure" in response.headers["set-cookie"].lower()
