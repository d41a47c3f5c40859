"""Structured request logs: one JSON line per request with its id, method, path (no
query string), status, duration, user id and pid; the id comes back as X-Request-ID;
an unhandled error is logged with the request id and its traceback."""

from __future__ import annotations

import io
import json
import logging
import os
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from webtools import World, login

from talentbridge.config import Settings, SettingsError
from talentbridge.web.request_log import configure_logging, log_options


@pytest.fixture()
def stream() -> Iterator[io.StringIO]:
    logger = logging.getLogger("talentbridge")
    level, handlers = logger.level, list(logger.handlers)
    out = io.StringIO()
    configure_logging("json", "DEBUG", stream=out)
    yield out
    for handler in list(logger.handlers):
        if handler not in handlers:
            logger.removeHandler(handler)
    logger.setLevel(level)


def _lines(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


def _requests(stream: io.StringIO) -> list[dict[str, Any]]:
    return [e for e in _lines(stream) if e["logger"] == "talentbridge.request" and "status" in e]


def test_each_request_is_one_json_line_with_its_id_and_no_query_string(
    client: TestClient, world: World, stream: io.StringIO
) -> None:
    login(client, "student_a")
    stream.truncate(0)
    stream.seek(0)
    response = client.get("/api/v1/postings", params={"q": "张三 13800138000"})
    assert response.status_code == 200
    (line,) = [e for e in _requests(stream) if e["path"] == "/api/v1/postings"]
    assert line["method"] == "GET" and line["status"] == 200
    assert line["request_id"] == response.headers["X-Request-ID"]
    assert line["user_id"] == world.users["student_a"].id
    assert line["pid"] == os.getpid()
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert {"time", "level", "message"} <= line.keys()
    raw = stream.getvalue()
    assert "13800138000" not in raw and "张三" not in raw and "student_a" not in raw

    anonymous = client.get("/health")
    entry = [e for e in _requests(stream) if e["path"] == "/health"][-1]
    assert "user_id" not in entry
    assert entry["request_id"] == anonymous.headers["X-Request-ID"]


def test_a_well_formed_incoming_request_id_is_kept_and_a_bad_one_replaced(
    client: TestClient, stream: io.StringIO
) -> None:
    kept = client.get("/health", headers={"X-Request-ID": "proxy-abc-12345678"})
    assert kept.headers["X-Request-ID"] == "proxy-abc-12345678"
    replaced = client.get("/health", headers={"X-Request-ID": "bad id <script>"})
    assert replaced.headers["X-Request-ID"] != "bad id <script>"
    assert len(replaced.headers["X-Request-ID"]) == 32
    ids = [e["request_id"] for e in _requests(stream)]
    assert ids == ["proxy-abc-12345678", replaced.headers["X-Request-ID"]]


def test_an_unhandled_error_is_logged_with_request_id_and_traceback(
    app: FastAPI, stream: io.StringIO
) -> None:
    @app.get("/boom-for-test")
    def boom() -> None:
        raise RuntimeError("kaboom in the handler")

    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/boom-for-test")
    assert response.status_code == 500
    lines = _lines(stream)
    errors = [e for e in lines if e["level"] == "ERROR"]
    assert errors and all(e.get("request_id") for e in errors)
    assert any("RuntimeError: kaboom in the handler" in e.get("traceback", "") for e in errors)
    (request,) = [e for e in _requests(stream) if e["path"] == "/boom-for-test"]
    assert request["status"] == 500
    assert {e["request_id"] for e in errors} == {request["request_id"]}


def test_text_format_carries_the_request_id(client: TestClient) -> None:
    out = io.StringIO()
    configure_logging("text", "INFO", stream=out)
    try:
        response = client.get("/api/v1/postings")
        client.get("/health")
    finally:
        configure_logging("json", "WARNING", stream=io.StringIO())
    line = f"[{response.headers['X-Request-ID']}] GET /api/v1/postings {response.status_code}"
    assert line in out.getvalue()
    assert "/health" not in out.getvalue()  # probes log at DEBUG only


def test_log_settings_are_checked(settings: Settings) -> None:
    assert log_options(settings) is None
    env = dict(settings.extra)
    chosen = settings.with_overrides(extra={**env, "TALENTBRIDGE_LOG_LEVEL": "debug"})
    assert log_options(chosen) == ("json", "DEBUG")
    for key, value in (("TALENTBRIDGE_LOG_FORMAT", "xml"), ("TALENTBRIDGE_LOG_LEVEL", "LOUD")):
        with pytest.raises(SettingsError, match=key):
            log_options(settings.with_overrides(extra={**env, key: value}))
