"""Shared fixtures: a fresh, migrated store per test on SQLite, or on PostgreSQL when
``TALENTBRIDGE_TEST_DATABASE_URL`` names a server (``make test`` starts one in CI)."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from talentbridge.config import Settings, load_settings, sqlite_url
from talentbridge.store.engine import create_engine_for, session_factory
from talentbridge.store.migrate import upgrade
from talentbridge.store.tables import Base

PG_URL = os.environ.get("TALENTBRIDGE_TEST_DATABASE_URL", "")


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Migrate once; each test copies the migrated file (fast, and still real SQLite)."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = create_engine(sqlite_url(path))
    upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def _pg_database() -> Iterator[str]:
    """Create a throwaway database on the test server and migrate it once."""
    server = make_url(PG_URL)
    name = f"tb_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = server.set(database=name).render_as_string(hide_password=False)
    engine = create_engine(url)
    upgrade(engine)
    engine.dispose()
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture()
def settings(tmp_path: Path, request: pytest.FixtureRequest) -> Settings:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    env = {
        "TALENTBRIDGE_DATA_DIR": str(data_dir),
        "TALENTBRIDGE_DEMO": "false",
        "TALENTBRIDGE_SECRET_KEY": "test-secret-key-with-enough-length-0123456789",
    }
    if PG_URL:
        env["TALENTBRIDGE_DATABASE_URL"] = request.getfixturevalue("_pg_database")
    else:
        template: Path = request.getfixturevalue("_sqlite_template")
        shutil.copyfile(template, data_dir / "talentbridge.db")
    return load_settings(env)


def _open_transactions(settings: Settings) -> list[str]:
    """What the store's other connections that sit in a transaction last ran."""
    probe = create_engine_for(settings)
    try:
        with probe.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT state, left(query, 200) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                    "AND state LIKE 'idle in transaction%'"
                )
            ).all()
    finally:
        probe.dispose()
    return [f"{state}: {query}" for state, query in rows]


@pytest.fixture()
def engine(settings: Settings) -> Iterator[Engine]:
    """A migrated, empty store."""
    eng = create_engine_for(settings)
    if not settings.is_sqlite:
        with eng.begin() as conn:
            names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
            # A session an earlier test left open in a transaction would block this
            # TRUNCATE forever; fail in seconds instead, naming what the blocker ran.
            conn.execute(text("SET LOCAL lock_timeout = '20s'"))
            try:
                conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            except OperationalError as exc:
                raise RuntimeError(
                    "an earlier test on this worker left a session open in a transaction: "
                    + "; ".join(_open_transactions(settings))
                ) from exc
    yield eng
    eng.dispose()


@pytest.fixture()
def factory(engine: Engine) -> sessionmaker[Session]:
    return session_factory(engine)


@pytest.fixture()
def session(factory: sessionmaker[Session]) -> Iterator[Session]:
    with factory() as s:
        yield s
