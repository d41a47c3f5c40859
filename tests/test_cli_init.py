from __future__ import annotations

from pathlib import Path

from sqlalchemy import inspect
from typer.testing import CliRunner

from talentbridge.cli import app
from talentbridge.config import load_settings
from talentbridge.store.engine import create_engine_for
from talentbridge.store.migrate import is_up_to_date


def test_init_creates_a_migrated_store_and_is_repeatable(tmp_path: Path) -> None:
    env = {"TALENTBRIDGE_DATA_DIR": str(tmp_path)}
    runner = CliRunner()
    first = runner.invoke(app, ["init"], env=env)
    assert first.exit_code == 0, first.output
    assert "Store ready" in first.output
    again = runner.invoke(app, ["init"], env=env)
    assert again.exit_code == 0, again.output
    engine = create_engine_for(load_settings(env))
    assert "organization" in inspect(engine).get_table_names()
    assert is_up_to_date(engine)
    engine.dispose()
