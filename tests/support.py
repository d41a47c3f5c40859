"""Helpers shared by the tests (importable as ``support``; see pytest ``pythonpath``)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

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
