"""SqliteBusyRetryMiddleware: a request that met SQLite's "database is locked" runs again.

The failure is real: a transaction that read, then wants to write after another
connection committed, gets SQLITE_BUSY_SNAPSHOT at once (the busy timeout cannot help).
"""

from __future__ import annotations

import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

from talentbridge.config import Settings
from talentbridge.store.engine import create_engine_for, session_factory
from talentbridge.web.busy_retry import SqliteBusyRetryMiddleware, is_sqlite_busy


def _stale_writer(engine: Engine, calls: list[int], fail_times: int) -> int:
    """Read, let another connection commit, then write: fails ``fail_times`` times."""
    factory = session_factory(engine)
    calls.append(1)
    with factory() as session:
        session.connection().exec_driver_sql("BEGIN")  # a transaction that reads first
        session.execute(text("SELECT count(*) FROM store_setting")).all()
        if len(calls) <= fail_times:
            with engine.begin() as other:  # someone else commits meanwhile
                other.execute(
                    text("INSERT INTO store_setting (key, value) VALUES (:k, 'x')"),
                    {"k": f"other-{id(calls)}-{len(calls)}"},
                )
        session.execute(
            text("INSERT INTO store_setting (key, value) VALUES (:k, 'y')"),
            {"k": f"mine-{id(calls)}-{len(calls)}"},
        )
        session.commit()
    return len(calls)


def _app(engine: Engine, calls: list[int], fail_times: int) -> FastAPI:
    app = FastAPI()

    @app.get("/work")
    def work() -> dict[str, int]:
        return {"calls": _stale_writer(engine, calls, fail_times)}

    @app.post("/work")
    async def post_work(request: Request) -> dict[str, object]:
        body = await request.body()
        return {"calls": _stale_writer(engine, calls, fail_times), "body": body.decode()}

    app.add_middleware(SqliteBusyRetryMiddleware, attempts=3)
    return app


@pytest.fixture()
def sqlite_engine(settings: Settings) -> Engine:
    if not settings.is_sqlite:
        pytest.skip("SQLite's single writer; PostgreSQL waits for row locks instead")
    return create_engine_for(settings)


def test_the_failure_is_real_without_the_middleware(sqlite_engine: Engine) -> None:
    with pytest.raises(OperationalError) as caught:
        _stale_writer(sqlite_engine, [], fail_times=1)
    assert is_sqlite_busy(caught.value)


def test_a_get_that_met_a_locked_store_runs_again_and_succeeds(sqlite_engine: Engine) -> None:
    calls: list[int] = []
    client = TestClient(_app(sqlite_engine, calls, fail_times=2))
    response = client.get("/work")
    assert response.status_code == 200 and response.json() == {"calls": 3}
    with sqlite_engine.connect() as conn:
        mine = conn.execute(text("SELECT key FROM store_setting WHERE key LIKE 'mine-%'")).all()
    assert [row[0] for row in mine] == [f"mine-{id(calls)}-3"]  # failed attempts stored nothing


def test_a_form_post_is_replayed_with_its_body(sqlite_engine: Engine) -> None:
    calls: list[int] = []
    client = TestClient(_app(sqlite_engine, calls, fail_times=1))
    response = client.post("/work", data={"q": "提单"})
    assert response.status_code == 200
    assert response.json()["calls"] == 2 and "q=" in response.json()["body"]


def test_uploads_and_exhausted_attempts_are_not_hidden(sqlite_engine: Engine) -> None:
    client = TestClient(_app(sqlite_engine, [], fail_times=1))
    with pytest.raises(OperationalError):  # multipart bodies may have written files
        client.post("/work", files={"file": ("a.txt", b"x")})
    calls: list[int] = []
    client = TestClient(_app(sqlite_engine, calls, fail_times=5))
    with pytest.raises(OperationalError):
        client.get("/work")
    assert len(calls) == 3
