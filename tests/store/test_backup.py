"""``talentbridge backup`` and ``restore``: the demo store, backed up and restored into a
new store, holds the same rows in every table and the same uploaded files; a damaged
archive, a non-empty target and an older schema revision are handled."""

from __future__ import annotations

import io
import json
import tarfile
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select
from typer.testing import CliRunner

from storetools import PG_URL, demo_store, files_under, pg_database, settings_for, store_rows
from talentbridge.cli import app
from talentbridge.config import Settings
from talentbridge.store.backup import FILE_FOLDERS, MANIFEST, BackupError, make_backup
from talentbridge.store.migrate import current_revision, downgrade, head_revision
from talentbridge.store.restore import read_manifest, restore_backup
from talentbridge.store.tables import Organization, Posting

runner = CliRunner()


@pytest.fixture()
def demo(demo_template: Path, tmp_path: Path) -> Iterator[Settings]:
    with demo_store(demo_template, tmp_path / "source") as settings:
        yield settings


@pytest.fixture()
def new_store(tmp_path: Path) -> Iterator[Settings]:
    """An empty store: a new data directory (and, on PostgreSQL, a new database)."""
    with ExitStack() as stack:
        url = stack.enter_context(pg_database()) if PG_URL else None
        yield settings_for(tmp_path / "restored", url)


def _env(settings: Settings) -> dict[str, str]:
    env = {"TALENTBRIDGE_DATA_DIR": str(settings.data_dir)}
    if not settings.is_sqlite:
        env["TALENTBRIDGE_DATABASE_URL"] = settings.database_url
    return env


def test_backup_and_restore_reproduce_every_table_and_file(
    demo: Settings, new_store: Settings, tmp_path: Path
) -> None:
    result = runner.invoke(app, ["backup", str(tmp_path / "b.tar.gz")], env=_env(demo))
    assert result.exit_code == 0, result.output
    archive = tmp_path / "b.tar.gz"
    manifest = read_manifest(archive)
    assert manifest["schema_revision"] == "0012"
    assert manifest["dialect"] == ("sqlite" if demo.is_sqlite else "postgresql")
    tables = manifest["tables"]
    assert isinstance(tables, dict) and tables["posting"] > 100 and tables["profile"] > 10
    members = manifest["members"]
    assert isinstance(members, dict)
    assert any(name.startswith("files/library/") for name in members)
    assert (archive.stat().st_mode & 0o077) == 0  # personal data: owner only

    result = runner.invoke(app, ["restore", str(archive)], env=_env(new_store))
    assert result.exit_code == 0, result.output
    assert "match the manifest" in result.output

    before, after = store_rows(demo), store_rows(new_store)
    assert set(before) == set(after)
    for name in before:
        assert after[name] == before[name], name
    assert sum(len(rows) for rows in after.values()) > 1000
    assert files_under(new_store.data_dir, FILE_FOLDERS) == files_under(demo.data_dir, FILE_FOLDERS)

    # A second restore would replace records: refused without --force.
    again = runner.invoke(app, ["restore", str(archive)], env=_env(new_store))
    assert again.exit_code == 1
    assert "--force" in again.output
    forced = runner.invoke(app, ["restore", str(archive), "--force"], env=_env(new_store))
    assert forced.exit_code == 0, forced.output
    assert store_rows(new_store)["posting"] == before["posting"]


def _tamper(archive: Path, target: Path, member: str) -> None:
    with tarfile.open(archive, "r:gz") as src, tarfile.open(target, "w:gz") as dst:
        for info in src:
            data = src.extractfile(info)
            assert data is not None
            body = data.read()
            if info.name == member:
                body = body[:-1] + bytes([body[-1] ^ 1])
            info.size = len(body)
            dst.addfile(info, io.BytesIO(body))


def test_restore_refuses_an_archive_whose_member_does_not_match_its_checksum(
    demo: Settings, new_store: Settings, tmp_path: Path
) -> None:
    archive = make_backup(demo, tmp_path / "b.tar.gz").path
    members = read_manifest(archive)["members"]
    assert isinstance(members, dict)
    library_file = next(n for n in members if n.startswith("files/"))
    _tamper(archive, tmp_path / "bad.tar.gz", library_file)
    with pytest.raises(BackupError, match="checksum"):
        restore_backup(new_store, tmp_path / "bad.tar.gz")
    # Nothing was restored: the target is still empty.
    assert not files_under(new_store.data_dir, FILE_FOLDERS)

    with tarfile.open(tmp_path / "nomanifest.tar.gz", "w:gz") as tar:
        tar.add(tmp_path / "bad.tar.gz", arcname="store/x")
    with pytest.raises(BackupError, match="not a TalentBridge backup"):
        restore_backup(new_store, tmp_path / "nomanifest.tar.gz")


def test_restoring_a_backup_made_at_an_older_revision_migrates_it(
    demo: Settings, new_store: Settings, tmp_path: Path
) -> None:
    engine = create_engine(demo.database_url)
    try:
        downgrade(engine, "0011")
        with engine.connect() as conn:
            postings = conn.execute(select(func.count()).select_from(Posting)).scalar_one()
            organizations = conn.execute(
                select(func.count()).select_from(Organization)
            ).scalar_one()
    finally:
        engine.dispose()
    archive = make_backup(demo, tmp_path / "old.tar.gz").path
    with tarfile.open(archive) as tar:
        member = tar.extractfile(MANIFEST)
        assert member is not None
        assert json.loads(member.read())["schema_revision"] == "0011"

    report = restore_backup(new_store, archive)
    assert report.migrated and report.backup_revision == "0011"
    restored = create_engine(new_store.database_url)
    try:
        assert current_revision(restored) == head_revision(restored)
        with restored.connect() as conn:
            assert conn.execute(select(func.count()).select_from(Posting)).scalar_one() == postings
            assert (
                conn.execute(select(func.count()).select_from(Organization)).scalar_one()
                == organizations
            )
    finally:
        restored.dispose()
