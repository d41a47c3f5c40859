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

``restore_backup`` checks the manifest and every checksum before it touches anything,
refuses a store that already holds records unless ``force``, puts the store and the files
back, checks the row counts against the manifest, and then migrates the store to the
newest schema when the backup was made at an older revision.
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
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, inspect, text
from sqlalchemy.engine import URL, make_url

from talentbridge import __version__
from talentbridge.config import Settings
from talentbridge.errors import TalentBridgeError
from talentbridge.store.migrate import alembic_config, current_revision, head_revision, upgrade
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


@dataclass
class RestoreReport:
    archive: Path
    dialect: str
    backup_revision: str | None
    revision: str | None
    tables: dict[str, int]
    files: int
    migrated: bool
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        rows = sum(n for name, n in self.tables.items() if name != "alembic_version")
        migrated = (
            f", then migrated {self.backup_revision} → {self.revision}" if self.migrated else ""
        )
        return (
            f"Restored {self.archive}: {len(self.tables)} tables, {rows} rows (counts "
            f"match the manifest), {self.files} files{migrated}"
        )


# --- helpers ------------------------------------------------------------------------


def _dialect(settings: Settings) -> str:
    name = make_url(settings.database_url).get_backend_name()
    if name not in ("sqlite", "postgresql"):
        raise BackupError(f"backups support SQLite and PostgreSQL stores, not {name}")
    return name


def _sqlite_file(settings: Settings) -> Path:
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


def _uploaded_files(data_dir: Path) -> Iterator[tuple[str, Path]]:
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


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
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


def _run_tool(command: list[str], env: Mapping[str, str], what: str) -> None:
    done = subprocess.run(command, env=dict(env), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()[-5:]
        raise BackupError(f"{what} failed (exit {done.returncode}): {' / '.join(detail)}")


# --- backup ---------------------------------------------------------------------------


def _snapshot_sqlite(settings: Settings, target: Path) -> tuple[str | None, dict[str, int]]:
    source_path = _sqlite_file(settings)
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
                conninfo, env = _libpq(url)
                _run_tool(
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
    dialect = _dialect(settings)
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
                for name, path in _uploaded_files(settings.data_dir):
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


# --- restore --------------------------------------------------------------------------


def read_manifest(archive: Path) -> dict[str, object]:
    try:
        with tarfile.open(archive, "r:*") as tar:
            member = tar.extractfile(MANIFEST)
            if member is None:
                raise KeyError(MANIFEST)
            manifest = json.loads(member.read())
    except (OSError, tarfile.TarError, KeyError, ValueError) as exc:
        raise BackupError(f"{archive} is not a TalentBridge backup ({exc})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{archive} is not a TalentBridge backup (no manifest)")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"{archive} is backup format {manifest.get('format_version')}; "
            f"this version reads format {FORMAT_VERSION}"
        )
    return manifest


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and bool(path.parts)


def _unpack_checked(archive: Path, manifest: Mapping[str, object], staging: Path) -> None:
    """Extract every member into ``staging``, checking it against the manifest."""
    expected = manifest.get("members")
    if not isinstance(expected, dict):
        raise BackupError(f"{archive}: the manifest lists no members")
    seen: set[str] = set()
    with tarfile.open(archive, "r:*") as tar:
        for info in tar:
            if info.name == MANIFEST:
                continue
            entry = expected.get(info.name)
            if not info.isfile() or not _safe_name(info.name) or not isinstance(entry, dict):
                raise BackupError(f"{archive}: unexpected member {info.name!r}")
            source = tar.extractfile(info)
            if source is None:
                raise BackupError(f"{archive}: cannot read {info.name!r}")
            target = staging / info.name
            target.parent.mkdir(parents=True, exist_ok=True)
            digest = hashlib.sha256()
            with target.open("wb") as out:
                for block in iter(lambda: source.read(CHUNK), b""):  # noqa: B023
                    digest.update(block)
                    out.write(block)
            if digest.hexdigest() != entry.get("sha256"):
                raise BackupError(f"{archive}: {info.name} does not match its checksum")
            seen.add(info.name)
    missing = sorted(set(expected) - seen)
    if missing:
        raise BackupError(f"{archive}: members missing: {', '.join(missing[:5])}")


def _store_rows(settings: Settings) -> int:
    """Rows in the target store's tables (0 for a missing or freshly initialized store)."""
    if settings.is_sqlite and not _sqlite_file(settings).exists():
        return 0
    engine = create_engine(settings.database_url)
    try:
        with engine.connect() as conn:
            return sum(n for name, n in count_rows(conn).items() if name != "alembic_version")
    finally:
        engine.dispose()


def _files_present(data_dir: Path) -> bool:
    return any(True for _ in _uploaded_files(data_dir))


def _restore_sqlite(settings: Settings, staged: Path) -> None:
    path = _sqlite_file(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    incoming = path.with_name(path.name + ".restoring")
    shutil.copyfile(staged, incoming)
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    os.replace(incoming, path)


def _restore_postgres(settings: Settings, staged: Path) -> None:
    pg_restore = pg_tool("pg_restore", settings)
    url = make_url(settings.database_url)
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            # Start from an empty schema: tables, sequences, trigger functions of any
            # revision go (the database owner owns ``public`` on PostgreSQL 15).
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    finally:
        engine.dispose()
    conninfo, env = _libpq(url)
    _run_tool(
        [str(pg_restore), "--no-owner", "--no-privileges", "--exit-on-error",
         "--single-transaction", f"--dbname={conninfo}", str(staged)],
        env,
        "pg_restore",
    )  # fmt: skip


def _restore_files(data_dir: Path, staging: Path, *, force: bool) -> int:
    restored = 0
    for folder in FILE_FOLDERS:
        target = data_dir / folder
        if force and target.exists():
            shutil.rmtree(target)
        source = staging / "files" / folder
        if not source.is_dir():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():  # empty (checked before): merge into it
            for path in source.rglob("*"):
                if path.is_file():
                    dest = target / path.relative_to(source)
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    os.replace(path, dest)
                    restored += 1
        else:
            restored += sum(1 for p in source.rglob("*") if p.is_file())
            shutil.move(str(source), str(target))
    return restored


def _known_revision(engine: Engine, revision: object) -> bool:
    if revision is None:
        return True
    script = ScriptDirectory.from_config(alembic_config(engine))
    try:
        return script.get_revision(str(revision)) is not None
    except Exception:
        return False


def restore_backup(settings: Settings, archive: Path, *, force: bool = False) -> RestoreReport:
    """Restore ``archive`` into the configured store and data directory."""
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"no backup at {archive}")
    manifest = read_manifest(archive)
    dialect = _dialect(settings)
    if manifest.get("dialect") != dialect:
        raise BackupError(
            f"{archive} holds a {manifest.get('dialect')} store; the configured store is "
            f"{dialect} (set TALENTBRIDGE_DATABASE_URL to a store of the same kind)"
        )
    backup_revision = manifest.get("schema_revision")
    engine = create_engine(settings.database_url) if not settings.is_sqlite else None
    probe = engine or create_engine("sqlite://")
    try:
        if not _known_revision(probe, backup_revision):
            raise BackupError(
                f"{archive} was made at schema revision {backup_revision}, newer than this "
                f"version of TalentBridge ({__version__}) knows; upgrade TalentBridge first"
            )
    finally:
        probe.dispose()
    if not force and (_store_rows(settings) or _files_present(settings.data_dir)):
        raise BackupError(
            "the configured store (or its data directory) already holds records; restore "
            "into a new store, or pass --force to replace everything in it"
        )
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".restore-", dir=settings.data_dir) as tmp:
        staging = Path(tmp)
        _unpack_checked(archive, manifest, staging)
        if dialect == "sqlite":
            _restore_sqlite(settings, staging / SQLITE_MEMBER)
        else:
            _restore_postgres(settings, staging / PG_MEMBER)
        files = _restore_files(settings.data_dir, staging, force=force)
    engine = create_engine(settings.database_url)
    try:
        with engine.connect() as conn:
            counts = count_rows(conn)
        expected = manifest.get("tables")
        if counts != expected:
            raise BackupError(
                f"restored row counts differ from the manifest: {_differences(expected, counts)}"
            )
        migrated = False
        if current_revision(engine) != backup_revision:
            raise BackupError("the restored store is not at the revision the manifest names")
        if backup_revision != head_revision(engine):
            upgrade(engine)
            migrated = True
        revision = current_revision(engine)
    finally:
        engine.dispose()
    return RestoreReport(
        archive=archive,
        dialect=dialect,
        backup_revision=str(backup_revision) if backup_revision else None,
        revision=revision,
        tables=counts,
        files=files,
        migrated=migrated,
    )


def _differences(expected: object, actual: Mapping[str, int]) -> str:
    wanted = expected if isinstance(expected, dict) else {}
    names = sorted(set(wanted) | set(actual))
    return ", ".join(
        f"{n}: {wanted.get(n)} ≠ {actual.get(n)}" for n in names if wanted.get(n) != actual.get(n)
    )
