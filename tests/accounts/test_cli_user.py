"""``talentbridge user add``, ``user token`` and ``serve``'s refusals (no server started)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from talentbridge.accounts.tokens import user_for_token
from talentbridge.cli import app
from talentbridge.config import SettingsError, load_settings
from talentbridge.store.engine import create_engine_for, session_factory
from talentbridge.store.migrate import upgrade
from talentbridge.store.tables import Organization
from talentbridge.web.app import app_from_env

GOOD_SECRET = "x" * 40


@pytest.fixture()
def env(tmp_path: Path) -> dict[str, str]:
    env = {"TALENTBRIDGE_DATA_DIR": str(tmp_path), "TALENTBRIDGE_SECRET_KEY": GOOD_SECRET}
    engine = create_engine_for(load_settings(env))
    upgrade(engine)
    with session_factory(engine)() as session:
        session.add(Organization(code="COL-X", kind="college", name_zh="示例学院"))
        session.commit()
    engine.dispose()
    return env


def test_user_add_then_token_gives_a_working_bearer_token(env: dict[str, str]) -> None:
    runner = CliRunner()
    added = runner.invoke(
        app,
        [
            "user",
            "add",
            "wang",
            "--role",
            "teacher",
            "--org",
            "COL-X",
            "--password",
            "pw-long-enough",
        ],
        env=env,
    )
    assert added.exit_code == 0, added.output
    assert "Created user wang (teacher, COL-X)" in added.output
    issued = runner.invoke(app, ["user", "token", "wang", "--name", "etl"], env=env)
    assert issued.exit_code == 0, issued.output
    token = issued.stdout.strip().splitlines()[-1]
    engine = create_engine_for(load_settings(env))
    with session_factory(engine)() as session:
        user = user_for_token(session, token)
        assert user is not None and user.username == "wang"
    engine.dispose()


def test_user_add_prompts_for_the_password(env: dict[str, str]) -> None:
    result = CliRunner().invoke(
        app,
        ["user", "add", "li", "--role", "student", "--org", "COL-X"],
        env=env,
        input="pw-long-enough\npw-long-enough\n",
    )
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "recruiter", "--org", "COL-X"], "a recruiter must belong to a enterprise"),
        (["--role", "teacher", "--org", "NOPE"], "no organization with code 'NOPE'"),
        (["--role", "dean", "--org", "COL-X"], "unknown role 'dean'"),
        (["--role", "student"], "must belong to an organization"),
    ],
)
def test_user_add_errors_are_one_clear_message(
    env: dict[str, str], args: list[str], message: str
) -> None:
    result = CliRunner().invoke(
        app, ["user", "add", "zhao", *args, "--password", "pw-long-enough"], env=env
    )
    assert result.exit_code == 1
    assert message in " ".join(result.output.split())
    assert "Traceback" not in result.output


def test_user_token_for_unknown_user_fails(env: dict[str, str]) -> None:
    result = CliRunner().invoke(app, ["user", "token", "ghost", "--name", "x"], env=env)
    assert result.exit_code == 1
    assert "no user 'ghost'" in result.output


def test_serve_refuses_the_default_secret_outside_demo_mode(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        ["serve"],
        env={
            "TALENTBRIDGE_DATA_DIR": str(tmp_path),
            "TALENTBRIDGE_SECRET_KEY": "",
            "TALENTBRIDGE_DEMO": "false",
        },
    )
    assert result.exit_code == 1
    assert "TALENTBRIDGE_SECRET_KEY" in result.output


def test_serve_refuses_a_store_that_is_not_migrated(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        ["serve"],
        env={
            "TALENTBRIDGE_DATA_DIR": str(tmp_path / "empty"),
            "TALENTBRIDGE_SECRET_KEY": GOOD_SECRET,
        },
    )
    assert result.exit_code == 1
    assert "talentbridge init" in result.output


def test_app_factory_for_uvicorn_checks_the_secret(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("TALENTBRIDGE_DEMO", raising=False)
    assert app_from_env().title == "TalentBridge API"
    monkeypatch.setenv("TALENTBRIDGE_SECRET_KEY", "short")
    with pytest.raises(SettingsError):
        app_from_env()
