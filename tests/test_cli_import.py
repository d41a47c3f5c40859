from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from support import shared_file
from talentbridge.cli import app
from talentbridge.config import load_settings
from talentbridge.store.engine import create_engine_for, session_factory
from talentbridge.store.tables import CollegeMajor, Major, Organization


@pytest.fixture()
def env(tmp_path: Path) -> dict[str, str]:
    return {"TALENTBRIDGE_DATA_DIR": str(tmp_path / "data"), "TALENTBRIDGE_DATABASE_URL": ""}


def run(env: dict[str, str], *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), env=env)
    return result.exit_code, " ".join(result.output.split())  # undo rich's line wrapping


def count(env: dict[str, str], table: type) -> int:
    engine = create_engine_for(load_settings(env))
    try:
        with session_factory(engine)() as session:
            return session.scalar(select(func.count()).select_from(table)) or 0
    finally:
        engine.dispose()


def test_import_bundled_reference_data_then_offerings(env: dict[str, str], tmp_path: Path) -> None:
    code, output = run(env, "import", "majors", "--bundled")
    assert code == 0, output
    assert "stored" in output and "57" in output
    code, output = run(env, "import", "occupations", "--bundled")
    assert code == 0, output
    assert "major_occupations" in output
    orgs = tmp_path / "orgs.csv"
    orgs.write_text(
        "code,kind,name_zh,city,district\nC001,院校,成都示例职业学院,成都,郫都区\n", "utf-8"
    )
    code, output = run(env, "import", "organizations", str(orgs))
    assert code == 0, output
    offerings = tmp_path / "offerings.csv"
    offerings.write_text(
        "college_code,major_level,major_code\nC001,associate,530802\n", encoding="utf-8"
    )
    code, output = run(env, "import", "college-majors", str(offerings))
    assert code == 0, output
    cohorts = tmp_path / "cohorts.csv"
    cohorts.write_text(
        "college_code,major_level,major_code,year,enrolled,graduated\n"
        "C001,associate,530802,2023,100,90\n",
        encoding="utf-8",
    )
    code, output = run(env, "import", "cohorts", str(cohorts))
    assert code == 0, output
    assert count(env, Organization) == 1 and count(env, CollegeMajor) == 1


def test_rejected_rows_are_printed_and_exit_zero(env: dict[str, str], tmp_path: Path) -> None:
    orgs = tmp_path / "orgs.csv"
    orgs.write_text(
        "code,kind,name_zh,city\nC001,college,好学院,成都\nC002,college,坏学院,火星\n", "utf-8"
    )
    code, output = run(env, "import", "organizations", str(orgs))
    assert code == 0, output
    assert "row 3, column city" in output
    assert "orgs.rejects.csv" in output
    assert (tmp_path / "orgs.rejects.csv").exists()


def test_unreadable_file_is_one_message_and_non_zero(env: dict[str, str], tmp_path: Path) -> None:
    code, output = run(env, "import", "majors", str(tmp_path / "missing.csv"))
    assert code == 1
    assert "file not found" in output
    assert "Traceback" not in output
    bad = tmp_path / "bad.csv"
    bad.write_text("code,name\n1,x\n", encoding="utf-8")
    code, output = run(env, "import", "occupations", str(bad))
    assert code == 1 and "missing column" in output


def test_majors_needs_a_path_or_bundled(env: dict[str, str]) -> None:
    code, output = run(env, "import", "majors")
    assert code == 1 and "--bundled" in output


def test_full_catalog_import_and_export(env: dict[str, str], tmp_path: Path) -> None:
    path = shared_file("majors/vocational-major-catalog-2021.csv")
    code, output = run(env, "import", "majors", str(path))
    assert code == 0, output
    assert "1681" in output
    assert count(env, Major) == 1681
    out = tmp_path / "majors.xlsx"
    code, output = run(env, "export", "majors", str(out))
    assert code == 0, output
    assert "1681" in output and out.exists()
    code, output = run(env, "import", "majors", str(out))
    assert code == 0 and count(env, Major) == 1681


def test_export_to_unknown_suffix_fails_cleanly(env: dict[str, str], tmp_path: Path) -> None:
    code, output = run(env, "export", "organizations", str(tmp_path / "x.pdf"))
    assert code == 1 and ".csv or .xlsx" in output
