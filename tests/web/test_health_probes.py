"""/health is liveness (no store needed); /ready and /api/v1/health answer 503 unless the
store answers at the newest schema revision."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from talentbridge.config import Settings, sqlite_url
from talentbridge.web.app import create_app


def test_ready_and_health_on_a_migrated_store(client: TestClient) -> None:
    live = client.get("/health")
    assert live.status_code == 200 and live.json()["status"] == "ok"
    for path in ("/ready", "/api/v1/health"):
        body = client.get(path).json()
        assert body["status"] == "ok" and body["schema_up_to_date"] is True


def test_ready_is_503_on_a_store_that_was_never_migrated(
    settings: Settings, tmp_path: Path
) -> None:
    empty = settings.with_overrides(database_url=sqlite_url(tmp_path / "empty" / "new.db"))
    with TestClient(create_app(empty)) as client:
        assert client.get("/health").status_code == 200
        for path in ("/ready", "/api/v1/health"):
            response = client.get(path)
            assert response.status_code == 503
            body = response.json()
            assert body["store"] == "ok" and body["schema_revision"] is None
            assert body["schema_up_to_date"] is False


def test_health_needs_no_store_and_ready_says_unreachable(settings: Settings) -> None:
    gone = settings.with_overrides(database_url="postgresql+psycopg://nobody@127.0.0.1:9/none")
    with TestClient(create_app(gone)) as client:
        live = client.get("/health")
        assert live.status_code == 200 and live.json()["status"] == "ok"
        ready = client.get("/ready")
        assert ready.status_code == 503
        assert ready.json()["store"] == "unreachable"
