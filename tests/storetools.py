"""Whole stores for the reliability tests: a small demo store (built once per test
process through the real demo pipeline), fresh stores on the test's server, a copy of a
SQLite store's rows into PostgreSQL, and a row-by-row comparison of two stores."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, insert, inspect, select, text
from sqlalchemy.engine import make_url

from talentbridge.config import Settings, load_settings
from talentbridge.demo.build import build_demo
from talentbridge.store.migrate import upgrade
from talentbridge.store.tables import Base

PG_URL = os.environ.get("TALENTBRIDGE_TEST_DATABASE_URL", "")
SECRET = "test-secret-key-with-enough-length-0123456789"
DEMO_DAY = dt.date(2026, 5, 20)
# Hand-made full-text tables (migration 0008), compared beside the ORM's tables.
FTS_QUERIES = {
    "resource_fts": "SELECT rowid, title, body FROM resource_fts ORDER BY rowid",
    "resource_search": "SELECT resource_id, document::text FROM resource_search ORDER BY 1",
}


def build_demo_data_dir(folder: Path) -> Path:
    """A small demo (SQLite store and its library files) in ``folder``."""
    settings = load_settings({"TALENTBRIDGE_DATA_DIR": str(folder)}).with_overrides(demo_mode=True)
    build_demo(settings, seed=5, scale=0.02, today=DEMO_DAY)
    return folder


def settings_for(data_dir: Path, database_url: str | None = None) -> Settings:
    env = {"TALENTBRIDGE_DATA_DIR": str(data_dir), "TALENTBRIDGE_SECRET_KEY": SECRET}
    if database_url:
        env["TALENTBRIDGE_DATABASE_URL"] = database_url
    return load_settings(env)


@contextmanager
def pg_database() -> Iterator[str]:
    """A new, empty database on the test server (dropped afterwards)."""
    server = make_url(PG_URL)
    name = f"tb_h5_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield server.set(database=name).render_as_string(hide_password=False)
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def copy_rows(source: Engine, target: Engine) -> None:
    """Copy every ORM table's rows from ``source`` into the migrated, empty ``target``
    (PostgreSQL), then move its id sequences past the copied ids and fill its
    full-text table as migration 0008 does."""
    with source.connect() as src, target.begin() as dst:
        for table in Base.metadata.sorted_tables:
            rows = [dict(r._mapping) for r in src.execute(select(table))]
            for start in range(0, len(rows), 2000):
                dst.execute(insert(table), rows[start : start + 2000])
        for table in Base.metadata.sorted_tables:
            if "id" in table.c and table.c.id.primary_key and table.c.id.autoincrement:
                dst.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                        f'coalesce(max(id), 0) + 1, false) FROM "{table.name}"'
                    )
                )
        dst.execute(
            text(
                "INSERT INTO resource_search (resource_id, document) "
                "SELECT id, to_tsvector('simple', search_text) FROM resource "
                "WHERE status <> 'withdrawn'"
            )
        )


@contextmanager
def demo_store(template: Path, folder: Path) -> Iterator[Settings]:
    """A demo store of our own: a copy of the template's SQLite store and files, or,
    when the suite runs on PostgreSQL, a new database holding the template's rows."""
    shutil.copytree(template, folder)
    sqlite_file = folder / "talentbridge.db"
    if not PG_URL:
        yield settings_for(folder)
        return
    with pg_database() as url:
        target = create_engine(url)
        source = create_engine(f"sqlite:///{sqlite_file}")
        try:
            upgrade(target)
            copy_rows(source, target)
        finally:
            source.dispose()
            target.dispose()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{sqlite_file}{suffix}").unlink(missing_ok=True)
        yield settings_for(folder, url)


def _key(table: Any) -> list[Any]:
    columns = list(table.primary_key.columns) or list(table.columns)
    return columns


def table_rows(conn: Connection) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in primary-key order."""
    present = set(inspect(conn).get_table_names())
    out: dict[str, list[tuple[Any, ...]]] = {}
    for table in Base.metadata.sorted_tables:
        out[table.name] = [tuple(r) for r in conn.execute(select(table).order_by(*_key(table)))]
    for name, query in FTS_QUERIES.items():
        if name in present:
            out[name] = [tuple(r) for r in conn.execute(text(query))]
    return out


def store_rows(settings: Settings) -> dict[str, list[tuple[Any, ...]]]:
    engine = create_engine(settings.database_url)
    try:
        with engine.connect() as conn:
            return table_rows(conn)
    finally:
        engine.dispose()


def files_under(data_dir: Path, folders: tuple[str, ...]) -> dict[str, bytes]:
    return {
        path.relative_to(data_dir).as_posix(): path.read_bytes()
        for folder in folders
        if (data_dir / folder).is_dir()
        for path in sorted((data_dir / folder).rglob("*"))
        if path.is_file()
    }
