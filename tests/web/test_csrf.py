"""CSRF: every form POST needs the session's token; API writes from a browser session
need it in a header; bearer-token clients need none."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from starlette.routing import BaseRoute
from webtools import PASSWORD, World, csrf_from, login


def _routes(routes: Iterable[BaseRoute], prefix: str = "") -> Iterator[tuple[str, set[str]]]:
    """(path, methods) of every API route, through nested included routers."""
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            context = getattr(route, "include_context", None)
            yield from _routes(inner.routes, prefix + (getattr(context, "prefix", "") or ""))
        elif isinstance(route, APIRoute):
            yield prefix + route.path, set(route.methods)


def _form_post_paths(app: FastAPI) -> list[str]:
    return sorted(
        path
        for path, methods in _routes(app.routes)
        if "POST" in methods and not path.startswith("/api/")
    )


def test_the_app_has_form_posts_to_protect(app: FastAPI) -> None:
    assert {"/login", "/logout"} <= set(_form_post_paths(app))


@pytest.mark.parametrize("token", [None, "wrong-token"])
def test_every_form_post_without_the_right_token_is_403(
    app: FastAPI, world: World, token: str | None
) -> None:
    with TestClient(app) as client:
        login(client, "admin_a")
        for path in _form_post_paths(app):
            data = {"username": "admin_a", "password": PASSWORD}
            if token is not None:
                data["csrf_token"] = token
            response = client.post(path, data=data, follow_redirects=False)
            assert response.status_code == 403, path
            assert "表单已过期" in response.text
        assert client.get("/api/v1/me").status_code == 200  # still signed in


def test_login_without_token_does_not_sign_in(client: TestClient, world: World) -> None:
    client.get("/login")
    response = client.post("/login", data={"username": "admin_a", "password": PASSWORD})
    assert response.status_code == 403
    assert client.get("/api/v1/me").status_code == 401


def test_api_write_from_browser_session_needs_csrf_header(client: TestClient, world: World) -> None:
    login(client, "admin_a")
    refused = client.post("/api/v1/tokens", json={"name": "laptop"})
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "csrf"
    token = csrf_from(client.get("/").text)
    accepted = client.post(
        "/api/v1/tokens", json={"name": "laptop"}, headers={"X-CSRF-Token": token}
    )
    assert accepted.status_code == 201


def test_api_write_with_bearer_token_needs_no_csrf(client: TestClient, world: World) -> None:
    login(client, "admin_a")
    token = csrf_from(client.get("/").text)
    issued = client.post("/api/v1/tokens", json={"name": "a"}, headers={"X-CSRF-Token": token})
    bearer = issued.json()["token"]
    client.cookies.clear()
    response = client.post(
        "/api/v1/tokens", json={"name": "b"}, headers={"Authorization": f"Bearer {bearer}"}
    )
    assert response.status_code == 201
