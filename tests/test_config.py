from __future__ import annotations

from pathlib import Path

import pytest

from talentbridge.config import DEFAULT_SECRET, SettingsError, check_secret, load_settings


def test_data_dir_and_sqlite_url_come_from_the_environment(tmp_path: Path) -> None:
    settings = load_settings({"TALENTBRIDGE_DATA_DIR": str(tmp_path)})
    assert settings.data_dir == tmp_path
    assert settings.database_url == f"sqlite:///{tmp_path / 'talentbridge.db'}"
    assert settings.is_sqlite


def test_database_url_switches_the_store(tmp_path: Path) -> None:
    url = "postgresql+psycopg://tb@127.0.0.1:5432/tb"
    settings = load_settings(
        {"TALENTBRIDGE_DATA_DIR": str(tmp_path), "TALENTBRIDGE_DATABASE_URL": url}
    )
    assert settings.database_url == url
    assert not settings.is_sqlite


def test_default_data_dir_is_a_per_user_folder() -> None:
    settings = load_settings({})
    assert "talentbridge" in str(settings.data_dir)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"TALENTBRIDGE_LOCALE": "fr"}, "TALENTBRIDGE_LOCALE"),
        ({"TALENTBRIDGE_DEMO": "maybe"}, "boolean"),
        ({"TALENTBRIDGE_SMALL_CELL": "five"}, "TALENTBRIDGE_SMALL_CELL"),
    ],
)
def test_invalid_settings_name_the_variable(env: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        load_settings(env)


def test_default_secret_is_refused_outside_demo_mode(tmp_path: Path) -> None:
    settings = load_settings({"TALENTBRIDGE_DATA_DIR": str(tmp_path)})
    assert settings.secret_key == DEFAULT_SECRET
    with pytest.raises(SettingsError, match="TALENTBRIDGE_SECRET_KEY"):
        check_secret(settings)
    check_secret(settings.with_overrides(demo_mode=True))
    check_secret(settings.with_overrides(secret_key="x" * 40))
    with pytest.raises(SettingsError):
        check_secret(settings.with_overrides(secret_key="short"))
