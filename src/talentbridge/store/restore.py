"""Restoring a backup made by ``store.backup.make_backup`` into a new store.

``restore_backup`` checks the manifest and every checksum before it touches anything,
refuses a store that already holds records unless ``force``, puts the store and the files
back (PostgreSQL: ``pg_restore`` into an emptied ``public`` schema, in one transaction;
SQLite: the file), checks every table's row count against the manifest, and then migrates
the store to the newest schema when the backup was made at an older revision.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tarfile
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from talentbridge import __version__
from talentbridge.config import Settings
from talentbridge.store.backup import (
    CHUNK,
    FILE_FOLDERS,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    PG_MEMBER,
    SQLITE_MEMBER,
    BackupError,
    count_rows,
    libpq_connection,
    pg_tool,
    run_tool,
    sqlite_file,
    store_dialect,
    uploaded_files,
)
from talentbridge.store.migrate import alembic_config, current_revision, head_revision, upgrade


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
    if settings.is_sqlite and not sqlite_file(settings).exists():
        return 0
    engine = create_engine(settings.database_url)
    try:
        with engine.connect() as conn:
            return sum(n for name, n in count_rows(conn).items() if name != "alembic_version")
    finally:
        engine.dispose()


def _files_present(data_dir: Path) -> bool:
    return any(True for _ in uploaded_files(data_dir))


def _restore_sqlite(settings: Settings, staged: Path) -> None:
    path = sqlite_file(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    incoming = path.with_name(path.name + ".restoring")
    shutil.copyfile(staged, incoming)
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    os.replace(incoming, path)


def _restore_postgres(settings: Settings, staged: Path) -> None:
    pg_restore = pg_tool("pg_restore", settings)
    url = make_url(settings.database_url)
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            # Start from an empty schema: tables, sequences, trigger functions of any
            # revision go (the database owner owns ``public`` on PostgreSQL 15).
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    except DBAPIError as exc:
        raise BackupError(
            f"cannot empty the schema 'public' of {url.database} before restoring "
            f"({str(exc.orig).strip()}); the store's user must own the database"
        ) from None
    finally:
        engine.dispose()
    conninfo, env = libpq_connection(url)
    run_tool(
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
    dialect = store_dialect(settings)
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
