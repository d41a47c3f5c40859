"""Every state-changing route on the app refuses a signed-in browser without the CSRF
token: HTML routes (POST, PUT, PATCH, DELETE) answer 403, API write routes refuse a
cookie-authenticated request without the X-CSRF-Token header."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from starlette.routing import BaseRoute
from webtools import World, login

from talentbridge.web.security import UNSAFE_METHODS

# API write routes that need no signed-in user at all (so no cookie can be abused).
ANONYMOUS_API_WRITES: frozenset[tuple[str, str]] = frozenset()


def _routes(routes: Iterable[BaseRoute], prefix: str = "") -> Iterator[tuple[str, str]]:
    """(method, path) of every unsafe route, through nested included routers."""
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            context = getattr(route, "include_context", None)
            yield from _routes(inner.routes, prefix + (getattr(context, "prefix", "") or ""))
        elif isinstance(route, APIRoute):
            for method in sorted(set(route.methods) & UNSAFE_METHODS):
                yield method, prefix + route.path


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


def test_the_app_has_unsafe_routes_of_both_kinds(app: FastAPI) -> None:
    routes = list(_routes(app.routes))
    pages = [r for r in routes if not r[1].startswith("/api/")]
    apis = [r for r in routes if r[1].startswith("/api/")]
    assert len(pages) > 30 and len(apis) > 10
    assert ("POST", "/account/password") in pages


def test_every_html_write_route_needs_the_csrf_token(app: FastAPI, world: World) -> None:
    with TestClient(app) as client:
        login(client, "platform")
        for method, path in _routes(app.routes):
            if path.startswith("/api/"):
                continue
            response = client.request(
                method, _concrete(path), data={"x": "1"}, follow_redirects=False
            )
            assert response.status_code == 403, (method, path, response.status_code)
            wrong = client.request(
                method,
                _concrete(path),
                data={"csrf_token": "wrong"},
                follow_redirects=False,
            )
            assert wrong.status_code == 403, (method, path)
        assert client.get("/api/v1/me").status_code == 200


def test_every_api_write_route_refuses_a_cookie_without_the_csrf_header(
    app: FastAPI, world: World
) -> None:
    with TestClient(app) as client:
        login(client, "platform")
        for method, path in _routes(app.routes):
            if not path.startswith("/api/") or (method, path) in ANONYMOUS_API_WRITES:
                continue
            response = client.request(method, _concrete(path), json={})
            assert response.status_code == 403, (method, path, response.status_code)
            assert response.json()["error"]["code"] == "csrf", (method, path)
