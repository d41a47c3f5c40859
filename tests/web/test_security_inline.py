"""No inline script anywhere (the CSP allows only script files from our own origin):
no template has a <script> with content or without src, or an on*= event attribute;
no page the app serves has one either."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from starlette.routing import BaseRoute
from webtools import World, login

from talentbridge.web.rendering import TEMPLATE_DIR

SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.I | re.S)
EVENT_ATTRIBUTE = re.compile(r"<[a-zA-Z][^>]*\son[a-z]+\s*=", re.S)
JAVASCRIPT_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']?\s*javascript:""", re.I)


def inline_script_problems(html: str) -> list[str]:
    problems = []
    for attributes, body in SCRIPT.findall(html):
        if "src=" not in attributes or body.strip():
            problems.append(f"inline <script{attributes}>{body[:40]}")
    problems += [f"event attribute: {m.group(0)[:80]}" for m in EVENT_ATTRIBUTE.finditer(html)]
    problems += [f"javascript: URL: {m.group(0)}" for m in JAVASCRIPT_URL.finditer(html)]
    return problems


def test_the_checker_finds_what_it_looks_for() -> None:
    assert inline_script_problems("<script>alert(1)</script>")
    assert inline_script_problems('<script src="/a.js">alert(1)</script>')
    assert inline_script_problems('<button type="submit" onclick="x()">')
    assert inline_script_problems('<a href="javascript:alert(1)">')
    assert not inline_script_problems('<script src="/static/charts.js" defer></script>')
    assert not inline_script_problems("<p>&lt;img src=x onerror=alert(1)&gt;</p>")


def test_no_template_has_inline_script_or_event_handlers() -> None:
    templates = sorted(Path(TEMPLATE_DIR).rglob("*.html"))
    assert len(templates) > 40
    found = {
        str(path.relative_to(TEMPLATE_DIR)): problems
        for path in templates
        if (problems := inline_script_problems(path.read_text(encoding="utf-8")))
    }
    assert found == {}


def _get_paths(routes: Iterable[BaseRoute], prefix: str = "") -> Iterator[str]:
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            context = getattr(route, "include_context", None)
            yield from _get_paths(inner.routes, prefix + (getattr(context, "prefix", "") or ""))
        elif isinstance(route, APIRoute) and "GET" in route.methods:
            path = prefix + route.path
            if "{" not in path and not path.startswith("/api/"):
                yield path


def test_no_page_served_has_inline_script(app: FastAPI, world: World) -> None:
    checked = 0
    for username in ("platform", "admin_a", "student_a", "recruiter"):
        with TestClient(app) as client:
            login(client, username)
            for path in sorted(set(_get_paths(app.routes))):
                response = client.get(path, follow_redirects=False)
                if "text/html" not in response.headers.get("content-type", ""):
                    continue
                assert inline_script_problems(response.text) == [], (username, path)
                checked += 1
    assert checked > 60
