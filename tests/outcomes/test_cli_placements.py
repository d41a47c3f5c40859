"""`talentbridge import placements FILE --college CODE [--mapping] [--confirm ROW]`."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select
from typer.testing import CliRunner

from placementtools import PLACEMENT_HEADER, build_store, write
from talentbridge.cli import app
from talentbridge.config import load_settings
from talentbridge.store.engine import create_engine_for, session_factory
from talentbridge.store.migrate import upgrade
from talentbridge.store.outcomes_tables import Placement


def _count(env: dict[str, str]) -> int:
    engine = create_engine_for(load_settings(env))
    try:
        with session_factory(engine)() as session:
            return session.scalar(select(func.count()).select_from(Placement)) or 0
    finally:
        engine.dispose()


def test_import_placements_prints_the_report_and_confirms_rows(tmp_path: Path) -> None:
    env = {"TALENTBRIDGE_DATA_DIR": str(tmp_path / "data"), "TALENTBRIDGE_DATABASE_URL": ""}
    engine = create_engine_for(load_settings(env))
    try:
        upgrade(engine)
        build_store(session_factory(engine), tmp_path)
    finally:
        engine.dispose()
    path = write(
        tmp_path / "placements.csv",
        f"""
{PLACEMENT_HEADER}
S002,李娜,530802,,2025,待就业,,,,,,,
,张伟,530802,,2025,签就业协议,示例·川渝物流有限公司,仓储员,,成都,6000,2025-07-01,是
S003,王芳,530503,,2025,签就业协议,某公司,,,成都,0,2025-07-01,是
""",
    )

    def run(*args: str) -> tuple[int, str]:
        result = CliRunner().invoke(app, ["import", "placements", str(path), *args], env=env)
        return result.exit_code, " ".join(result.output.split())

    code, output = run("--college", "C1")
    assert code == 0, output
    assert "new 新增 1" in output and "rejected 拒绝 │ 2" in output
    assert "1 rows need confirmation" in output and "--confirm 3" in output
    assert "impossible monthly salary" in output
    assert _count(env) == 1
    code, output = run("--college", "C1", "--confirm", "3")
    assert code == 0, output
    assert "new 新增 1" in output and "need confirmation" not in output
    assert _count(env) == 2
    code, output = run("--college", "C1", "--confirm", "x")
    assert code != 0 and "row numbers" in output
    code, output = run("--college", "C1", "--mapping", str(tmp_path / "missing.csv"))
    assert code != 0 and "mapping file not found" in output
