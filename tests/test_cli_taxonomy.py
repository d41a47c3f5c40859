"""`talentbridge import taxonomy|esco` and `export taxonomy`."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from talentbridge.cli import app
from talentbridge.config import load_settings
from talentbridge.store.engine import create_engine_for, session_factory
from talentbridge.store.tables import Concept, Taxonomy
from talentbridge.taxonomy.concepts import read_taxonomy_file

HEADER = "id,kind,parent,label_zh,label_en\n"


@pytest.fixture()
def env(tmp_path: Path) -> dict[str, str]:
    return {"TALENTBRIDGE_DATA_DIR": str(tmp_path / "data"), "TALENTBRIDGE_DATABASE_URL": ""}


def run(env: dict[str, str], *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), env=env)
    return result.exit_code, " ".join(result.output.split())


def count(env: dict[str, str], table: type) -> int:
    engine = create_engine_for(load_settings(env))
    try:
        with session_factory(engine)() as session:
            return session.scalar(select(func.count()).select_from(table)) or 0
    finally:
        engine.dispose()


def test_import_a_college_taxonomy_then_export_it(env: dict[str, str], tmp_path: Path) -> None:
    path = tmp_path / "college.csv"
    path.write_text(
        HEADER + "c,cluster,,关务,Customs\ng,group,c,报关业务,Declaration\n"
        "s,skill,g,报关,customs declaration\n",
        encoding="utf-8",
    )

    code, output = run(
        env, "import", "taxonomy", str(path), "--code", "college-C01", "--version", "1"
    )
    assert code == 0, output
    assert "college-C01@1 installed: 3 concepts" in output
    target = tmp_path / "out.xlsx"
    code, output = run(env, "export", "taxonomy", str(target), "--code", "college-C01")
    assert code == 0, output
    assert "Exported 3 rows" in output
    assert [s.label_zh for s in read_taxonomy_file(target)] == ["关务", "报关业务", "报关"]


def test_a_refused_taxonomy_prints_each_row_problem_and_exits_1(
    env: dict[str, str], tmp_path: Path
) -> None:
    path = tmp_path / "bad.csv"
    rows = "".join(f"s{i},skill,nowhere,技能{i},skill {i}\n" for i in range(25))
    path.write_text(HEADER + rows + "s0,skill,,重复,dup\n", encoding="utf-8")

    code, output = run(env, "import", "taxonomy", str(path), "--code", "x", "--version", "1")

    assert code == 1
    assert "taxonomy refused, nothing changed (26 problems)" in output
    assert "row 2, column parent: parent 'nowhere' does not exist" in output
    assert "row 21, column parent" in output and "row 22, column parent" not in output
    assert "… and 6 more" in output
    assert count(env, Concept) == 0


def test_import_taxonomy_needs_a_path_with_code_and_version(env: dict[str, str]) -> None:
    code, output = run(env, "import", "taxonomy", "whatever.csv")

    assert code == 1
    assert "--code and --version" in output


def test_import_bundled_taxonomy_twice_is_unchanged(env: dict[str, str]) -> None:
    code, output = run(env, "import", "taxonomy", "--bundled")
    assert code == 0, output
    assert "taxonomy talentbridge@" in output and "installed" in output
    concepts = count(env, Concept)
    assert concepts >= 300

    code, output = run(env, "import", "taxonomy", "--bundled")
    assert code == 0, output
    assert "unchanged" in output
    assert count(env, Concept) == concepts


def test_import_esco_installs_skills(env: dict[str, str], tmp_path: Path) -> None:
    path = tmp_path / "skills.csv"
    path.write_text(
        "id,description\n"
        'http://data.europa.eu/esco/skill/1,"manage stock keep stock Manage the stock."\n'
        'http://data.europa.eu/esco/skill/2,"Incoterms The international commercial terms."\n',
        encoding="utf-8",
    )

    code, output = run(env, "import", "esco", str(path), "--version", "1.2")

    assert code == 0, output
    assert "taxonomy esco@1.2 installed: 2 concepts" in output
    assert count(env, Taxonomy) == 1


def test_export_of_a_missing_taxonomy_is_an_error(env: dict[str, str], tmp_path: Path) -> None:
    code, output = run(env, "export", "taxonomy", str(tmp_path / "x.csv"))

    assert code == 1
    assert "no active taxonomy 'talentbridge'" in output
