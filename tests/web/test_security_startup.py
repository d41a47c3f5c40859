"""Refusing to start outside demo mode with a default, missing or short secret key:
both ``app_from_env`` (what uvicorn workers call) and ``talentbridge serve``; demo
mode may start with the default. ``serve`` passes the proxy-header options on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from talentbridge.cli import app as cli
from talentbridge.config import DEFAULT_SECRET, SettingsError
from talentbridge.web.app import app_from_env

STRONG = "k" * 48
UNSAFE = {"missing": None, "default": DEFAULT_SECRET, "short": "too-short-secret"}


@pytest.mark.parametrize("kind", sorted(UNSAFE))
def test_app_from_env_refuses_an_unsafe_secret(
    kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TALENTBRIDGE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("TALENTBRIDGE_DEMO", raising=False)
    if UNSAFE[kind] is None:
        monkeypatch.delenv("TALENTBRIDGE_SECRET_KEY", raising=False)
    else:
        monkeypatch.setenv("TALENTBRIDGE_SECRET_KEY", str(UNSAFE[kind]))
    with pytest.raises(SettingsError, match="TALENTBRIDGE_SECRET_KEY"):
        app_from_env()


@pytest.mark.parametrize(("demo", "secret"), [("true", None), ("false", STRONG)])
def test_app_from_env_starts_in_demo_mode_or_with_a_strong_secret(
    demo: str, secret: str | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TALENTBRIDGE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("TALENTBRIDGE_DEMO", demo)
    if secret is None:
        monkeypatch.delenv("TALENTBRIDGE_SECRET_KEY", raising=False)
    else:
        monkeypatch.setenv("TALENTBRIDGE_SECRET_KEY", secret)
    app = app_from_env()
    app.state.engine.dispose()
    assert app.state.settings.demo_mode is (demo == "true")


def _serve(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, env: dict[str, str], *args: str
) -> tuple[Any, dict[str, Any]]:
    import uvicorn

    runner = CliRunner()
    base = {"TALENTBRIDGE_DATA_DIR": str(tmp_path)}
    assert runner.invoke(cli, ["init"], env=base).exit_code == 0
    calls: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda target, **kw: calls.update(kw, target=target))
    result = runner.invoke(cli, ["serve", *args], env={**base, **env})
    return result, calls


@pytest.mark.parametrize("kind", sorted(UNSAFE))
def test_serve_refuses_an_unsafe_secret(
    kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = {"TALENTBRIDGE_DEMO": "false"}
    if UNSAFE[kind] is not None:
        env["TALENTBRIDGE_SECRET_KEY"] = str(UNSAFE[kind])
    result, calls = _serve(tmp_path, monkeypatch, env)
    assert result.exit_code != 0
    assert "TALENTBRIDGE_SECRET_KEY" in result.output
    assert "TALENTBRIDGE_DEMO=true" in result.output
    assert calls == {}


def test_serve_starts_in_demo_mode_with_the_default_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result, calls = _serve(tmp_path, monkeypatch, {"TALENTBRIDGE_DEMO": "true"})
    assert result.exit_code == 0, result.output
    assert calls["target"] == "talentbridge.web.app:app_from_env"


def test_serve_passes_the_proxy_options(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env = {"TALENTBRIDGE_SECRET_KEY": STRONG}
    result, calls = _serve(tmp_path, monkeypatch, env, "--workers", "3")
    assert result.exit_code == 0, result.output
    assert (calls["workers"], calls["proxy_headers"], calls["forwarded_allow_ips"]) == (
        3,
        True,
        "127.0.0.1",
    )
    result, calls = _serve(
        tmp_path, monkeypatch, env, "--forwarded-allow-ips", "10.0.0.5", "--no-proxy-headers"
    )
    assert (calls["proxy_headers"], calls["forwarded_allow_ips"]) == (False, "10.0.0.5")
