"""Helpers shared by the tests (importable as ``support``; see pytest ``pythonpath``)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from talentbridge.cli import app, common
from talentbridge.config import Settings

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"
IN_CI = os.environ.get("CI", "").lower() == "true"


def shared_file(relative: str) -> Path:
    """A file from ../shared/data: skipped on a developer machine without it, a failure in CI."""
    path = SHARED_DATA / relative
    if not path.exists():
        if IN_CI:
            pytest.fail(f"missing shared data file in CI: {path}")
        pytest.skip(f"shared data not present: {path}")
    return path


def run_cli(settings: Settings, *args: str) -> tuple[int, str]:
    """Run ``talentbridge ARGS`` on the test store: (exit code, output on one line)."""
    env = {
        "TALENTBRIDGE_DATA_DIR": str(settings.data_dir),
        "TALENTBRIDGE_DATABASE_URL": settings.database_url,
    }
    previous = common.console.width
    common.console.width = 250  # no wrapping inside the values tests look for
    try:
        result = CliRunner().invoke(app, list(args), env=env)
    finally:
        common.console.width = previous
    return result.exit_code, " ".join(result.output.split())
