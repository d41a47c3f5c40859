"""Request size limits: 413 with a clear message (JSON under /api, a page otherwise)
for a declared Content-Length and for a chunked body counted while it streams; upload
routes allow the upload limit, everything else the small form limit."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from webtools import World, csrf_from, login

from talentbridge.config import Settings
from talentbridge.web.app import create_app
from talentbridge.web.limits import upload_routes

SMALL = 64 * 1024
UPLOAD = 512 * 1024


@pytest.fixture()
def limited(settings: Settings, engine: Engine) -> FastAPI:
    return create_app(
        settings.with_overrides(max_form_bytes=SMALL, max_upload_bytes=UPLOAD), engine=engine
    )


def _chunks(total: int, size: int = 16 * 1024) -> Iterator[bytes]:
    sent = 0
    while sent < total:
        yield b"a" * min(size, total - sent)
        sent += size


def test_a_declared_large_form_is_refused_with_a_page(limited: FastAPI, world: World) -> None:
    with TestClient(limited) as client:
        response = client.post(
            "/login",
            content=b"username=" + b"x" * SMALL,
            headers={"content-type": "application/x-www-form-urlencoded"},
        )
        assert response.status_code == 413
        assert "text/html" in response.headers["content-type"]
        assert "64 KiB" in response.text and "过大" in response.text


def test_a_large_api_body_is_refused_with_json(limited: FastAPI, world: World) -> None:
    with TestClient(limited) as client:
        login(client, "admin_a")
        response = client.post("/api/v1/tokens", content=b"{" + b" " * SMALL + b"}")
        assert response.status_code == 413
        body = response.json()
        assert body["error"]["code"] == "too_large"
        assert "64 KiB" in body["error"]["message"]


def test_a_chunked_body_is_counted_while_it_streams(limited: FastAPI, world: World) -> None:
    with TestClient(limited) as client:
        login(client, "admin_a")
        token = csrf_from(client.get("/").text)
        response = client.post(
            "/api/v1/tokens",
            content=_chunks(SMALL + 1),
            headers={"X-CSRF-Token": token, "content-type": "application/json"},
        )
        assert "content-length" not in response.request.headers
        assert response.status_code == 413
        assert response.json()["error"]["code"] == "too_large"
        small = client.post(
            "/api/v1/tokens",
            content=iter([b'{"name": ', b'"chunked"}']),
            headers={"X-CSRF-Token": token, "content-type": "application/json"},
        )
        assert small.status_code == 201


def test_upload_routes_allow_the_upload_limit(limited: FastAPI, world: World) -> None:
    with TestClient(limited) as client:
        login(client, "admin_a")
        token = csrf_from(client.get("/outcomes/import").text)
        exactly = b"a,b\n" + b"1,2\n" * (UPLOAD // 4 - 1)  # a file of the upload limit
        assert len(exactly) == UPLOAD
        files = {"file": ("big.csv", exactly, "text/csv")}
        allowed = client.post("/outcomes/import", data={"csrf_token": token}, files=files)
        assert allowed.status_code != 413
        files = {"file": ("huge.csv", b"a,b\n" + b"1,2\n" * ((UPLOAD + SMALL) // 4), "text/csv")}
        refused = client.post("/outcomes/import", data={"csrf_token": token}, files=files)
        assert refused.status_code == 413
        assert "512 KiB" in refused.text


def test_the_upload_routes_are_the_file_routes_and_the_postings_api(app: FastAPI) -> None:
    patterns = upload_routes(app.routes)
    allowed = {
        path
        for path in (
            "/library/upload",
            "/library/resources/7/version",
            "/library/terms/import",
            "/postings/import",
            "/outcomes/import",
            "/matching/profiles/3/resume",
            "/api/v1/library/resources",
            "/api/v1/postings",
            "/login",
            "/api/v1/tokens",
            "/outcomes/import/confirm",
        )
        if any(p.match(path) and "POST" in methods for p, methods in patterns)
    }
    assert "/login" not in allowed and "/api/v1/tokens" not in allowed
    assert "/outcomes/import/confirm" not in allowed
    assert len(allowed) == 8
