"""``talentbridge serve --workers N`` gives each worker time to start on a busy machine.

Each uvicorn worker process first imports the CLI (its parent's main module), then the
app; under load (the load test, benchmarks/load_test.py) that took longer than uvicorn's
default 5 s health check and the supervisor killed and restarted the workers forever."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from talentbridge.cli import app as cli


def test_serve_waits_for_slow_workers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    env = {"TALENTBRIDGE_DATA_DIR": str(tmp_path), "TALENTBRIDGE_SECRET_KEY": "s" * 48}
    runner = CliRunner()
    assert runner.invoke(cli, ["init"], env=env).exit_code == 0
    calls: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda target, **kw: calls.update(kw))
    result = runner.invoke(cli, ["serve", "--workers", "2"], env=env)
    assert result.exit_code == 0, result.output
    assert calls["workers"] == 2
    # uvicorn's default is 5 s; importing the CLI alone took 6.8 s at a load of 7
    assert calls["timeout_worker_healthcheck"] >= 30
