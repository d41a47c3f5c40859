"""`talentbridge serve` builds the matching index in the background at startup; a failure
there is logged, never raised."""

from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from talentbridge.config import Settings
from talentbridge.matching.index import MatchIndex
from talentbridge.web import warmup
from talentbridge.web.app import create_app


def test_startup_builds_the_index_when_asked(
    settings: Settings, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[object] = []

    def fake(source: sessionmaker[Session]) -> MatchIndex:
        built.append(source)
        raise RuntimeError("no store")  # and a failure does not stop the server

    monkeypatch.setattr(warmup, "index_for", fake)
    threads = []
    real = warmup.warm_matching_index

    def recording(factory: sessionmaker[Session]) -> object:
        thread = real(factory)
        threads.append(thread)
        return thread

    monkeypatch.setattr("talentbridge.web.app.warm_matching_index", recording)
    with TestClient(create_app(settings, engine=engine, warm_matching=True)) as client:
        assert client.get("/health").status_code == 200
    for thread in threads:
        thread.join(timeout=10)
    assert len(built) == 1
    with TestClient(create_app(settings, engine=engine)) as client:  # tests, the demo: off
        client.get("/health")
    assert len(built) == 1


def test_a_failed_warmup_is_logged(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(source: object) -> MatchIndex:
        raise RuntimeError("store down")

    monkeypatch.setattr(warmup, "index_for", broken)
    with caplog.at_level(logging.WARNING, logger="talentbridge.web.warmup"):
        warmup.warm_matching_index(None).join(timeout=10)  # type: ignore[arg-type]
    assert "could not build the matching index" in caplog.text
