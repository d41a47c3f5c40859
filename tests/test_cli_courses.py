"""``talentbridge import courses FILE``: training-plan courses through the CLI, tagged by
the skill extractor, rejected rows reported, re-runs unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from talentbridge.cli import app
from talentbridge.config import load_settings
from talentbridge.store.engine import create_engine_for, session_factory
from talentbridge.store.tables import Concept
from talentbridge.store.teaching_tables import Course, CourseConcept, TrainingPlan


@pytest.fixture()
def env(tmp_path: Path) -> dict[str, str]:
    return {"TALENTBRIDGE_DATA_DIR": str(tmp_path / "data"), "TALENTBRIDGE_DATABASE_URL": ""}


def run(env: dict[str, str], *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), env=env)
    return result.exit_code, " ".join(result.output.split())  # undo rich's line wrapping


def taught(env: dict[str, str]) -> dict[str, set[str]]:
    """Course name → keys of the concepts it teaches."""
    engine = create_engine_for(load_settings(env))
    try:
        with session_factory(engine)() as session:
            out: dict[str, set[str]] = {}
            for name in session.scalars(select(Course.name)):
                out[name] = set()
            rows = session.execute(
                select(Course.name, Concept.key)
                .join(CourseConcept, CourseConcept.course_id == Course.id)
                .join(Concept, Concept.id == CourseConcept.concept_id)
            )
            for name, key in rows:
                out[name].add(key)
            plans = session.scalars(select(TrainingPlan.year)).all()
            assert plans == [2024]
            return out
    finally:
        engine.dispose()


def test_import_courses_tags_skills_and_reports_rejects(
    env: dict[str, str], tmp_path: Path
) -> None:
    for what in ("majors", "occupations", "taxonomy"):
        code, output = run(env, "import", what, "--bundled")
        assert code == 0, output
    orgs = tmp_path / "orgs.csv"
    orgs.write_text("code,kind,name_zh,city\nC001,college,成都示例职业学院,成都\n", "utf-8")
    offerings = tmp_path / "offerings.csv"
    offerings.write_text("college_code,major_level,major_code\nC001,associate,530802\n", "utf-8")
    for what, path in (("organizations", orgs), ("college-majors", offerings)):
        code, output = run(env, "import", what, str(path))
        assert code == 0, output
    courses = tmp_path / "courses.csv"
    courses.write_text(
        "college,major_code,major_level,year,course_name,kind,hours,description\n"
        "C001,530802,associate,2024,报关实务,专业核心课,64,熟悉报关流程与HS归类，能办理进出口报关\n"
        "C001,530802,associate,2024,仓储管理,专业核心课,48,WMS系统操作与库存管理\n"
        "C999,530802,associate,2024,国际货代,专业核心课,48,国际货运代理业务\n"
        "C001,530802,associate,1800,物流英语,公共基础课,32,外贸英语函电\n",
        encoding="utf-8",
    )
    code, output = run(env, "import", "courses", str(courses))
    assert code == 0, output
    assert "read 读取 │ 4" in output and "stored 写入 │ 2" in output
    assert "rejected 拒绝 │ 2" in output
    assert "row 4, column college" in output and "row 5, column year" in output
    rejects = tmp_path / "courses.rejects.csv"
    assert rejects.exists() and "C999" in rejects.read_text("utf-8")
    found = taught(env)
    assert set(found) == {"报关实务", "仓储管理"}
    assert {"tb.customs.declaration.customs_declaration",
            "tb.customs.classification.hs_classification"} <= found["报关实务"]  # fmt: skip
    assert {"tb.warehouse.smart_wh.wms", "tb.warehouse.inventory.inventory_mgmt"} <= found[
        "仓储管理"
    ]
    assert not found["报关实务"] & found["仓储管理"]
    # the same file again: nothing changes
    code, again = run(env, "import", "courses", str(courses))
    assert code == 0, again
    assert "stored 写入 │ 0" in again and "unchanged 未变 │ 2" in again
    assert taught(env) == found


def test_import_courses_of_a_missing_file_is_one_message(
    env: dict[str, str], tmp_path: Path
) -> None:
    code, output = run(env, "import", "courses", str(tmp_path / "none.csv"))
    assert code == 1 and "file not found" in output and "Traceback" not in output
