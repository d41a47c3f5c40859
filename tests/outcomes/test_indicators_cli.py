"""`talentbridge outcomes indicators`: the indicators in the terminal and as CSV/XLSX,
in the rights of the user it acts as."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from indicatorworld import World, build_world
from talentbridge.cli import app, common
from talentbridge.config import Settings
from talentbridge.store.tables import User


def run(settings: Settings, *args: str) -> tuple[int, str]:
    env = {
        "TALENTBRIDGE_DATA_DIR": str(settings.data_dir),
        "TALENTBRIDGE_DATABASE_URL": settings.database_url,
    }
    previous = common.console.width
    common.console.width = 250
    try:
        result = CliRunner().invoke(app, list(args), env=env)
    finally:
        common.console.width = previous
    # Box-drawing characters of the tables dropped: cells are separated by spaces.
    text = re.sub("[\u2500-\u257f]", " ", result.output)
    return result.exit_code, " ".join(text.split())


@pytest.fixture()
def world(session: Session) -> World:
    world = build_world(session)
    for name, role, org in (("t2", "teacher", "C2"), ("s1", "student", "C1")):
        session.add(User(username=name, display_name=name, password_hash="x", role=role,
                         organization_id=world.ids[org]))  # fmt: skip
    session.commit()
    return world


def test_prints_every_indicator(settings: Settings, world: World) -> None:
    code, out = run(settings, "outcomes", "indicators", "--lang", "en")
    assert code == 0, out
    for name in ("placement_rate", "employment_rate", "related_employment_rate",
                 "stay_in_region_rate", "abroad_rate", "starting_salary", "enrollment"):  # fmt: skip
        assert name in out
    assert "80.0% 24 30" in out  # placement rate of the alliance
    assert "76.5% 13 17 3 65.0%" in out  # 对口 with 3 unclassified and the lower bound


def test_by_major_for_a_year_suppresses_small_cells(settings: Settings, world: World) -> None:
    code, out = run(settings, "outcomes", "indicators", "--by", "major", "--year", "2024",
                    "--indicator", "placement_rate")  # fmt: skip
    assert code == 0, out
    assert "530802 现代物流管理 83.3% 15 18" in out
    assert "530503 关务与外贸服务 — — — — suppressed" in out  # 4 graduates
    assert "530701 电子商务 — — — — suppressed" in out  # its complement


def test_writes_xlsx_and_csv(settings: Settings, world: World, tmp_path: Path) -> None:
    book_path = tmp_path / "report.xlsx"
    code, out = run(settings, "outcomes", "indicators", "--college", "C1", "--by", "year",
                    "--min-cell", "5", "--out", str(book_path))  # fmt: skip
    assert code == 0, out
    book = openpyxl.load_workbook(book_path)
    assert book.sheetnames[:2] == ["placement_rate", "employment_rate"]
    rows = list(book["placement_rate"].iter_rows(values_only=True))
    assert rows[0][:4] == ("毕业年份", "比率", "分子", "分母")
    # C1: 2023 (3 graduates) is hidden and 2024 with it; the total 15/18 stays.
    assert rows[1][0] == "2023" and rows[1][1:4] == (None, None, None)
    assert rows[3][0] == "合计" and rows[3][2:4] == (15, 18)
    csv_path = tmp_path / "placement.csv"
    code, out = run(settings, "outcomes", "indicators", "--indicator", "placement_rate",
                    "--by", "college", "--out", str(csv_path), "--lang", "en")  # fmt: skip
    assert code == 0, out
    lines = list(csv.reader(csv_path.read_text(encoding="utf-8-sig").splitlines()))
    assert lines[0][:4] == ["college", "rate", "numerator", "denominator"]
    assert [line[2:4] for line in lines[1:]] == [["15", "18"], ["9", "12"], ["24", "30"]]


def test_rights_of_the_user_acted_as(settings: Settings, world: World) -> None:
    code, out = run(settings, "outcomes", "indicators", "--as", "t2",
                    "--indicator", "placement_rate")  # fmt: skip
    assert code == 0, out
    assert "75.0% 9 12" in out  # C2 only
    code, out = run(settings, "outcomes", "indicators", "--as", "t2", "--college", "C1")
    assert code == 1 and "another college" in out
    code, out = run(settings, "outcomes", "indicators", "--as", "s1")
    assert code == 1 and "not open to this role" in out
    code, out = run(settings, "outcomes", "indicators", "--min-cell", "2")
    assert code == 1 and "cannot go below" in out
    code, out = run(settings, "outcomes", "indicators", "--by", "gender")
    assert code == 1 and "cannot group by" in out
