"""Backups of a whole TalentBridge installation, and restoring one into a new store.

A backup is one gzip-compressed tar archive (``talentbridge-YYYYmmddTHHMMSSZ.tar.gz``):

- ``store/talentbridge.sqlite`` (SQLite: a copy made with SQLite's online backup API, so
  it is consistent while the app keeps writing) or ``store/talentbridge.pgdump``
  (PostgreSQL: ``pg_dump -Fc`` in the snapshot the row counts were taken in);
- ``files/library/…``, ``files/resumes/…``, ``files/uploads/…``: the uploaded files
  under the data directory (library resources, résumés, uploaded import files; not the
  rejects files, the matching cache or the demo's generated files, which are derived);
- ``manifest.json`` (the last member): when, the app version, the store's dialect and
  schema revision, the row count of every table, and the SHA-256 and size of every
  other member.

``store.restore.restore_backup`` puts one back into a new store.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from sqlalchemy import Connection, create_engine, inspect, text
from sqlalchemy.engine import URL, make_url

from talentbridge import __version__
from talentbridge.config import Settings
from talentbridge.errors import TalentBridgeError
from talentbridge.store.tables import Base

FORMAT = "talentbridge-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "store/talentbridge.sqlite"
PG_MEMBER = "store/talentbridge.pgdump"
FILE_FOLDERS = ("library", "resumes", "uploads")
# Tables made by hand in migrations (full-text search), not in the ORM metadata.
EXTRA_TABLES = ("resource_fts", "resource_search", "alembic_version")
CHUNK = 1 << 20


class BackupError(TalentBridgeError):
    """A backup cannot be made or restored; the message says why and what to do."""


@dataclass
class BackupReport:
    path: Path
    dialect: str
    schema_revision: str | None
    tables: dict[str, int]
    files: int
    bytes: int

    def summary(self) -> str:
        rows = sum(n for name, n in self.tables.items() if name != "alembic_version")
        return (
            f"Backup written to {self.path}: {self.dialect} store at revision "
            f"{self.schema_revision}, {len(self.tables)} tables, {rows} rows, "
            f"{self.files} files, {self.bytes / 1048576:.1f} MB"
        )


# --- helpers ------------------------------------------------------------------------


def store_dialect(settings: Settings) -> str:
    name = make_url(settings.database_url).get_backend_name()
    if name not in ("sqlite", "postgresql"):
        raise BackupError(f"backups support SQLite and PostgreSQL stores, not {name}")
    return name


def sqlite_file(settings: Settings) -> Path:
    database = make_url(settings.database_url).database
    if not database or database == ":memory:":
        raise BackupError("an in-memory SQLite store cannot be backed up or restored")
    return Path(database)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def count_rows(conn: Connection) -> dict[str, int]:
    """Rows in every table of the store (the ORM's tables and the hand-made ones)."""
    present = set(inspect(conn).get_table_names())
    names = [t.name for t in Base.metadata.sorted_tables] + list(EXTRA_TABLES)
    return {
        name: int(conn.execute(text(f"SELECT count(*) FROM {_quote(name)}")).scalar_one())
        for name in names
        if name in present
    }


def _revision(conn: Connection) -> str | None:
    if "alembic_version" not in set(inspect(conn).get_table_names()):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def uploaded_files(data_dir: Path) -> Iterator[tuple[str, Path]]:
    """(member name, path) of every uploaded file under the data directory."""
    for folder in FILE_FOLDERS:
        root = data_dir / folder
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            if path.is_file() and not path.is_symlink() and not path.name.endswith(".partial"):
                yield f"files/{path.relative_to(data_dir).as_posix()}", path


def pg_tool(name: str, settings: Settings) -> Path:
    """``pg_dump`` or ``pg_restore``: from TALENTBRIDGE_PG_BINDIR, PATH, or Debian's folders."""
    bindir = settings.extra.get("TALENTBRIDGE_PG_BINDIR")
    candidates: list[Path] = [Path(bindir) / name] if bindir else []
    found = shutil.which(name)
    if found:
        candidates.append(Path(found))
    versions = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
        key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0,
        reverse=True,
    )
    candidates += versions
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    raise BackupError(
        f"{name} was not found (looked in TALENTBRIDGE_PG_BINDIR, PATH and "
        f"/usr/lib/postgresql/*/bin); install the PostgreSQL client "
        f"(Debian: apt-get install postgresql-client-15) or set TALENTBRIDGE_PG_BINDIR"
    )


def libpq_connection(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq connection string for ``url`` and the environment carrying its password
    (so the password never shows on a command line)."""
    parts = {
        "host": url.host,
        "port": str(url.port) if url.port else None,
        "user": url.username,
        "dbname": url.database,
    }
    for key, value in url.query.items():
        parts[key] = value if isinstance(value, str) else value[-1]
    conninfo = " ".join(
        f"{key}='{value.replace(chr(92), chr(92) * 2).replace(chr(39), chr(92) + chr(39))}'"
        for key, value in parts.items()
        if value
    )
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return conninfo, env


def run_tool(command: list[str], env: Mapping[str, str], what: str) -> None:
    done = subprocess.run(command, env=dict(env), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()[-5:]
        raise BackupError(f"{what} failed (exit {done.returncode}): {' / '.join(detail)}")


# --- backup ---------------------------------------------------------------------------


def _snapshot_sqlite(settings: Settings, target: Path) -> tuple[str | None, dict[str, int]]:
    source_path = sqlite_file(settings)
    if not source_path.exists():
        raise BackupError(f"there is no store at {source_path}; nothing to back up")
    source = sqlite3.connect(source_path, timeout=30)
    copy = sqlite3.connect(target)
    try:
        source.execute("PRAGMA busy_timeout=30000")
        source.backup(copy)  # all pages in one step: one consistent snapshot
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        copy.commit()
    finally:
        copy.close()
        source.close()
    engine = create_engine(f"sqlite:///{target}")
    try:
        with engine.connect() as conn:
            return _revision(conn), count_rows(conn)
    finally:
        engine.dispose()


def _snapshot_postgres(settings: Settings, target: Path) -> tuple[str | None, dict[str, int]]:
    pg_dump = pg_tool("pg_dump", settings)
    url = make_url(settings.database_url)
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                # The counts and the dump see the same snapshot of the store.
                snapshot = conn.execute(text("SELECT pg_export_snapshot()")).scalar_one()
                counts = count_rows(conn)
                revision = _revision(conn)
                conninfo, env = libpq_connection(url)
                run_tool(
                    [str(pg_dump), "--format=custom", f"--snapshot={snapshot}",
                     "--no-owner", "--no-privileges", f"--file={target}", f"--dbname={conninfo}"],
                    env,
                    "pg_dump",
                )  # fmt: skip
    finally:
        engine.dispose()
    return revision, counts


def default_backup_name(now: dt.datetime | None = None) -> str:
    now = now or dt.datetime.now(dt.UTC)
    return f"talentbridge-{now.strftime('%Y%m%dT%H%M%SZ')}.tar.gz"


def make_backup(settings: Settings, archive: Path) -> BackupReport:
    """Write one archive holding the store, the uploaded files and a manifest."""
    dialect = store_dialect(settings)
    archive = Path(archive)
    if archive.is_dir():
        archive = archive / default_backup_name()
    if archive.exists():
        raise BackupError(f"{archive} exists already; name a new file")
    archive.parent.mkdir(parents=True, exist_ok=True)
    partial = archive.with_name(archive.name + ".partial")
    members: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory(prefix="tb-backup-") as staging:
        store_member = SQLITE_MEMBER if dialect == "sqlite" else PG_MEMBER
        store_copy = Path(staging) / PurePosixPath(store_member).name
        if dialect == "sqlite":
            revision, counts = _snapshot_sqlite(settings, store_copy)
        else:
            revision, counts = _snapshot_postgres(settings, store_copy)
        try:
            with tarfile.open(partial, "w:gz", compresslevel=6) as tar:
                members[store_member] = {
                    "sha256": _sha256_file(store_copy),
                    "bytes": store_copy.stat().st_size,
                }
                tar.add(store_copy, arcname=store_member, recursive=False)
                files = 0
                for name, path in uploaded_files(settings.data_dir):
                    try:
                        data = path.read_bytes()
                    except FileNotFoundError:  # removed while we were walking
                        continue
                    members[name] = {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
                    info = tarfile.TarInfo(name)
                    info.size = len(data)
                    info.mtime = int(path.stat().st_mtime)
                    info.mode = 0o600
                    tar.addfile(info, io.BytesIO(data))
                    files += 1
                manifest = {
                    "format": FORMAT,
                    "format_version": FORMAT_VERSION,
                    "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                    "app_version": __version__,
                    "dialect": dialect,
                    "schema_revision": revision,
                    "tables": counts,
                    "members": members,
                }
                body = json.dumps(manifest, indent=2, sort_keys=True).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size = len(body)
                info.mtime = int(dt.datetime.now(dt.UTC).timestamp())
                info.mode = 0o600
                tar.addfile(info, io.BytesIO(body))
            os.chmod(partial, 0o600)  # it holds personal data
            os.replace(partial, archive)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return BackupReport(
        path=archive,
        dialect=dialect,
        schema_revision=revision,
        tables=counts,
        files=files,
        bytes=archive.stat().st_size,
    )
