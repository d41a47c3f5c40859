"""A small demo store built once per test process, for the backup and migration tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from storetools import build_demo_data_dir


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's data directory (SQLite store, library files) at a small scale; copy it."""
    return build_demo_data_dir(tmp_path_factory.mktemp("demo-template") / "data")
