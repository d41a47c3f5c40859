"""Engines and sessions for the configured store (SQLite by default, PostgreSQL too)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from talentbridge.config import Settings

SQLITE_BUSY_TIMEOUT_MS = 30_000
# Starlette runs up to 40 synchronous handlers at a time in each worker; with
# SQLAlchemy's default 5 + 10 connections, requests beyond 15 waited 30 s for one and
# failed under the load test. The pool holds as many as the handlers that may need one.
POOL_SIZE = 10
POOL_OVERFLOW = 30
BULK_LOAD_PRAGMAS: dict[str, int] = {
    # 64 MiB of page cache (negative: KiB) instead of SQLite's 2 MB: one batch of a
    # large import probes and then updates the same random index pages (content hash,
    # band keys); with 2 MB they are read twice, from the OS, through a system call.
    "cache_size": -65_536,
    # Checkpoint every 10,000 WAL pages (40 MB) instead of 1,000: a batch writes a few
    # thousand pages, so the default copied every batch's pages into the database file
    # at once, including the index pages the next batch rewrites anyway.
    "wal_autocheckpoint": 10_000,
}


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def create_engine_for(settings: Settings, *, echo: bool = False) -> Engine:
    """Create the engine for ``settings.database_url``.

    For SQLite the data directory is created, WAL journaling and foreign keys are on,
    and a busy timeout lets concurrent writers wait rather than fail.
    """
    url = make_url(settings.database_url)
    if url.get_backend_name() == "sqlite":
        database = url.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        pool: dict[str, int] = {}
        if database and database != ":memory:":
            pool = {"pool_size": POOL_SIZE, "max_overflow": POOL_OVERFLOW}
        engine = create_engine(url, echo=echo, connect_args={"timeout": 30}, **pool)
        event.listen(engine, "connect", _sqlite_pragmas)
        if database and database != ":memory:":
            with engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA journal_mode=WAL")
        return engine
    return create_engine(
        url, echo=echo, pool_pre_ping=True, pool_size=POOL_SIZE, max_overflow=POOL_OVERFLOW
    )


@contextmanager
def bulk_load_sessions(factory: sessionmaker[Session]) -> Iterator[sessionmaker[Session]]:
    """Sessions for the batches of one bulk import (each batch commits its own).

    On SQLite every session yielded by the returned factory shares one connection that
    runs with ``BULK_LOAD_PRAGMAS`` for the whole import, so its page cache stays warm
    from batch to batch (the next batch probes the same index pages). The pragmas are
    restored before the connection goes back to the pool, so no other pooled
    connection (and no later request) holds a large page cache. Elsewhere, or when
    ``factory`` is not bound to an engine, this is just ``factory``.
    """
    bind = factory.kw.get("bind")
    if not isinstance(bind, Engine) or bind.dialect.name != "sqlite":
        yield factory
        return
    with bind.connect() as conn:
        saved = {
            name: int(conn.exec_driver_sql(f"PRAGMA {name}").scalar_one())
            for name in BULK_LOAD_PRAGMAS
        }
        for name, value in BULK_LOAD_PRAGMAS.items():
            conn.exec_driver_sql(f"PRAGMA {name}={int(value)}")
        conn.commit()
        try:
            yield sessionmaker(class_=factory.class_, **{**factory.kw, "bind": conn})
        finally:
            if conn.in_transaction():
                conn.rollback()
            for name, before in saved.items():
                conn.exec_driver_sql(f"PRAGMA {name}={before}")
            conn.commit()


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def write_lock(session: Session, name: str) -> None:
    """Serialize a read-then-write transaction with every other writer doing ``name``.

    Call it first in the transaction. On SQLite the transaction begins with
    ``BEGIN IMMEDIATE`` (the store's one write lock, waited for with the busy timeout),
    so what it reads cannot change before it writes: two imports (or two cube refreshes)
    never both find a posting missing and both insert it. On PostgreSQL it takes a
    transaction-level advisory lock on ``name``; other dialects need nothing here.
    """
    connection = session.connection()
    dialect = connection.dialect.name
    if dialect == "sqlite":
        raw = connection.connection.dbapi_connection
        if raw is not None and not getattr(raw, "in_transaction", True):
            connection.exec_driver_sql("BEGIN IMMEDIATE")
    elif dialect == "postgresql":
        connection.exec_driver_sql(
            "SELECT pg_advisory_xact_lock(hashtext(%(name)s))", {"name": name}
        )
