"""Placement import: good rows, each reason a row is rejected, re-import and updates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from placementtools import PLACEMENT_HEADER, build_store, write
from talentbridge.errors import InputFileError
from talentbridge.outcomes.placement_import import import_placements
from talentbridge.store.outcomes_tables import Placement
from talentbridge.store.tables import ImportRun, Occupation, Organization, Profile, RejectedRow

TODAY = dt.date(2026, 11, 29)


@pytest.fixture()
def store(factory: sessionmaker[Session], tmp_path: Path) -> sessionmaker[Session]:
    build_store(factory, tmp_path)
    return factory


def _placement(factory: sessionmaker[Session], student_no: str) -> Placement | None:
    with factory() as session:
        return session.scalars(
            select(Placement)
            .join(Profile, Profile.id == Placement.profile_id)
            .where(Profile.student_no == student_no)
        ).one_or_none()


GOOD = f"""
{PLACEMENT_HEADER}
S001,张伟,530802,现代物流管理,2025,签劳动合同形式就业,示例·川渝物流有限公司,仓储主管,4-02-06-03,成都市武侯区,6500,2025-07-01,是
S002,李娜,530802,现代物流管理,2025,出国出境留学,Monash University,,,澳大利亚 国外,,,
S003,王芳,530503,,2025,灵活就业,,主播,,重庆市渝北区,"8千",2025/8/15,否
S004,刘洋,530802,,2025,签就业协议,示例·某外地公司,报关员,9-99-99-99,深圳,5000元/月,2025年7月1日,是
"""


def test_good_rows_are_stored_with_resolved_codes(
    store: sessionmaker[Session], tmp_path: Path
) -> None:
    report = import_placements(
        store, write(tmp_path / "p.csv", GOOD), college_code="C1", today=TODAY
    )
    assert (report.read, report.created, report.updated, report.rejected) == (4, 4, 0, 0)
    assert report.balanced and report.pending == []
    zhang = _placement(store, "S001")
    assert zhang is not None
    with store() as session:
        occupation = session.scalars(
            select(Occupation).where(Occupation.code == "4-02-06-03")
        ).one()
        employer = session.scalars(select(Organization).where(Organization.code == "E1")).one()
    assert zhang.destination == "employed" and zhang.occupation_id == occupation.id
    assert zhang.employer_id == employer.id and zhang.job_title == "仓储主管"
    assert (zhang.division_code, zhang.in_circle, zhang.abroad) == ("510107", True, False)
    assert (zhang.salary_monthly, zhang.start_date, zhang.contract_signed) == (
        6500, dt.date(2025, 7, 1), True,
    )  # fmt: skip
    assert (
        zhang.source == "import" and zhang.import_run_id == report.run_id and zhang.source_row == 2
    )
    assert not zhang.is_sample
    li = _placement(store, "S002")
    assert li is not None and (li.destination, li.abroad, li.in_circle) == (
        "further_study",
        True,
        False,
    )
    wang = _placement(store, "S003")
    assert wang is not None and (wang.destination, wang.salary_monthly) == ("flexible", 8000)
    assert wang.start_date == dt.date(2025, 8, 15) and wang.contract_signed is False
    assert (wang.division_code, wang.in_circle) == ("500112", True)
    liu = _placement(store, "S004")
    assert liu is not None and liu.occupation_code == "9-99-99-99" and liu.occupation_id is None
    assert (liu.in_circle, liu.salary_monthly, liu.start_date) == (False, 5000, dt.date(2025, 7, 1))


BASE = "S001,张伟,530802,,2025,签就业协议,示例·川渝物流有限公司,仓储员,4-02-06-03,成都,6000,2025-07-01,是"

# (row, field, reason fragment)
BAD_ROWS = [
    ("S001,张伟,999999,,2025,签就业协议,某公司,,,成都,6000,2025-07-01,是", "专业代码", "unknown major code"),
    ("S999,无名,530802,,2025,签就业协议,某公司,,,成都,6000,2025-07-01,是", "学号", "no graduate with student number"),
    ("S001,李四,530802,,2025,签就业协议,某公司,,,成都,6000,2025-07-01,是", "姓名", "another name"),
    ("S001,张伟,530503,,2025,签就业协议,某公司,,,成都,6000,2025-07-01,是", "专业代码", "studies major 530802"),
    ("S001,张伟,530802,,2023,签就业协议,某公司,,,成都,6000,2025-07-01,是", "毕业年份", "graduates in 2025"),
    ("S001,张伟,530802,,2025,签就业协议,某公司,,,成都,6000,1999-12-31,是", "入职日期", "before 2000"),
    ("S001,张伟,530802,,2025,签就业协议,某公司,,,成都,6000,2028-01-01,是", "入职日期", "more than a year ahead"),
    ("S001,张伟,530802,,2025,签就业协议,某公司,,,成都,6000,2022-06-30,是", "入职日期", "graduation in 2025"),
    ("S001,张伟,530802,,2025,签就业协议,某公司,,,成都,6000,2025-02-30,是", "入职日期", "no such date"),
    ("S001,张伟,530802,,2025,签就业协议,某公司,,,成都,6000,下个月,是", "入职日期", "not a date"),
    ("S001,张伟,530802,,2025,签就业协议,某公司,,,成都,0,2025-07-01,是", "月薪", "impossible monthly salary"),
    ("S001,张伟,530802,,2025,签就业协议,某公司,,,成都,-3000,2025-07-01,是", "月薪", "impossible monthly salary"),
    ("S001,张伟,530802,,2025,签就业协议,某公司,,,成都,250000,2025-07-01,是", "月薪", "impossible monthly salary"),
    ("S001,张伟,530802,,2025,签就业协议,某公司,,,成都,面议,2025-07-01,是", "月薪", "not a salary"),
    ("S001,张伟,530802,,2025,去火星,某公司,,,成都,6000,2025-07-01,是", "毕业去向", "unknown destination"),
    ("S001,张伟,530802,,2025,,某公司,,,成都,6000,2025-07-01,是", "毕业去向", "destination is empty"),
    ("S001,张伟,530802,,2025,签劳动合同,,,,成都,6000,2025-07-01,是", "单位名称", "no employer"),
    ("S001,张伟,530802,,2025,签就业协议,某公司,,,成都,6000,2025-07-01,也许", "是否签约", "是/否"),
    ("T001,陈静,530702,,2025,签就业协议,某公司,,,重庆,6000,2025-07-01,是", "学号", "no graduate with student number"),
    (",刘洋,530802,,,签就业协议,某公司,,,成都,6000,2025-07-01,是", "学号", "name, major code and graduation year"),
    (",赵六,530802,,2025,签就业协议,某公司,,,成都,6000,2025-07-01,是", "学号", "no graduate 赵六"),
]  # fmt: skip


@pytest.mark.parametrize(("row", "field", "reason"), BAD_ROWS)
def test_each_bad_row_is_rejected_with_field_and_reason(
    store: sessionmaker[Session], tmp_path: Path, row: str, field: str, reason: str
) -> None:
    path = write(
        tmp_path / "bad.csv", f"{PLACEMENT_HEADER}\n{row}\nS002,李娜,530802,,2025,待就业,,,,,,,"
    )
    report = import_placements(store, path, college_code="C1", today=TODAY)
    assert (report.read, report.stored, report.rejected) == (2, 1, 1), report.errors
    (error,) = report.errors
    assert error.row_number == 2 and error.field == field and reason in error.reason
    with store() as session:
        stored = session.scalars(
            select(RejectedRow).where(RejectedRow.import_run_id == report.run_id)
        ).one()
        assert (stored.row_number, stored.field) == (2, field)
    assert report.rejects_path is not None and report.rejects_path.exists()
    assert _placement(store, "S002") is not None  # the valid row still goes in
    assert _placement(store, "S001") is None


def test_the_same_graduate_twice_rejects_the_later_row(
    store: sessionmaker[Session], tmp_path: Path
) -> None:
    other = BASE.replace("6000", "7000")
    report = import_placements(
        store,
        write(tmp_path / "dup.csv", f"{PLACEMENT_HEADER}\n{BASE}\n{other}"),
        college_code="C1",
        today=TODAY,
    )
    assert (report.stored, report.rejected) == (1, 1)
    assert report.errors[0].row_number == 3 and "row 2" in report.errors[0].reason
    placement = _placement(store, "S001")
    assert placement is not None and placement.salary_monthly == 6000


def test_reimport_changes_nothing_and_a_changed_row_updates(
    store: sessionmaker[Session], tmp_path: Path
) -> None:
    path = write(tmp_path / "p.csv", GOOD)
    first = import_placements(store, path, college_code="C1", today=TODAY)
    again = import_placements(store, path, college_code="C1", today=TODAY)
    assert (again.created, again.updated, again.unchanged, again.rejected) == (0, 0, 4, 0)
    before = _placement(store, "S001")
    assert before is not None and before.import_run_id == first.run_id
    write(path, GOOD.replace(",6500,", ",7200,"))
    changed = import_placements(store, path, college_code="C1", today=TODAY)
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 3)
    after = _placement(store, "S001")
    assert (
        after is not None and after.salary_monthly == 7200 and after.import_run_id == changed.run_id
    )
    with store() as session:
        runs = session.scalars(select(ImportRun).where(ImportRun.kind == "placements")).all()
        assert [(r.rows_read, r.rows_stored, r.rows_unchanged) for r in runs] == [
            (4, 4, 0),
            (4, 0, 4),
            (4, 1, 3),
        ]
        assert len(session.scalars(select(Placement)).all()) == 4


def test_rows_of_another_college_are_rejected(store: sessionmaker[Session], tmp_path: Path) -> None:
    path = write(
        tmp_path / "p.csv",
        f"院校代码,{PLACEMENT_HEADER}\nC1,{BASE}\nC2,T001,陈静,530702,,2025,应征义务兵,,,,,,,",
    )
    report = import_placements(store, path, college_code="C1", today=TODAY)
    assert (report.stored, report.rejected) == (1, 1)
    assert report.errors[0].field == "院校代码" and "C1 only" in report.errors[0].reason
    # without a college on the command line each row names its own
    both = import_placements(store, path, today=TODAY)
    assert (both.created, both.unchanged, both.rejected) == (1, 1, 0)
    chen = _placement(store, "T001")
    assert chen is not None and chen.destination == "enlisted"


def test_file_without_destination_column_is_refused(
    store: sessionmaker[Session], tmp_path: Path
) -> None:
    path = write(tmp_path / "p.csv", "学号,姓名,单位\nS001,张伟,某公司")
    with pytest.raises(InputFileError, match="毕业去向"):
        import_placements(store, path, college_code="C1", today=TODAY)
    with store() as session:
        assert session.scalars(select(ImportRun).where(ImportRun.kind == "placements")).all() == []
