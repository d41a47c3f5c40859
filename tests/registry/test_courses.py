"""Training-plan courses: import, rejects, idempotence and skill tagging."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from talentbridge.registry.courses import import_courses
from talentbridge.registry.offerings import import_college_majors
from talentbridge.registry.organizations import create_organization
from talentbridge.store.tables import Concept, ImportRun
from talentbridge.store.teaching_tables import Course, CourseConcept, TrainingPlan
from talentbridge.taxonomy.concepts import load_bundled_taxonomy
from talentbridge.taxonomy.majors import load_bundled_majors

OFFERINGS = (
    "college_code,major_level,major_code,direction_zh,direction_en,start_year\n"
    "C001,associate,530802,,,2015\n"
    "C001,associate,530802,跨境电商,Cross-border e-commerce,2022\n"
    "C002,associate,530503,,,2016\n"
)
HEADER = "college,major_code,direction_zh,year,course_code,course_name,kind,semester,hours,credits,description\n"
GOOD = (
    "C001,530802,,2024,WL101,仓储与配送管理,专业核心课,3,64,4,学习仓储管理、库存控制与WMS系统操作\n"
    "成都示例职业学院,530802,跨境电商,2024,KJ201,跨境电商物流实务,专业核心课,4,48,3,跨境电商通关与海外仓运营\n"
    "C002,530503,,2024,GW110,报关实务,专业核心课,2,64,4,报关单填制与HS归类\n"
)
BAD = (
    "C009,530802,,2024,X1,物流基础,,,,,\n"  # unknown college
    "C001,999999,,2024,X2,物流基础,,,,,\n"  # unknown major
    "C001,530503,,2024,X3,报关实务,,,,,\n"  # major not offered by the college
    "C001,530802,冷链,2024,X4,冷链物流,,,,,\n"  # unknown direction
    "C001,530802,,二〇二四,X5,物流基础,,,,,\n"  # year
    "C001,530802,,2024,X6,物流基础,,13,,,\n"  # semester
    "C001,530802,,2024,X7,物流基础,,,,abc,\n"  # credits
    "C001,530802,,2024,X8,,,,,,\n"  # no course name
)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def count(session: Session, table: type) -> int:
    return session.scalar(select(func.count()).select_from(table)) or 0


@pytest.fixture()
def offered(factory: sessionmaker[Session], tmp_path: Path) -> sessionmaker[Session]:
    load_bundled_majors(factory)
    load_bundled_taxonomy(factory)
    with factory() as session:
        create_organization(session, code="C001", kind="college", name_zh="成都示例职业学院")
        create_organization(session, code="C002", kind="college", name_zh="重庆示例职业学院")
        session.commit()
    report = import_college_majors(factory, write(tmp_path / "offerings.csv", OFFERINGS))
    assert report.rejected == 0
    return factory


def _concept_keys(session: Session, course_name: str) -> set[str]:
    query = (
        select(Concept.key)
        .join(CourseConcept, CourseConcept.concept_id == Concept.id)
        .join(Course, Course.id == CourseConcept.course_id)
        .where(Course.name == course_name)
    )
    return set(session.scalars(query))


def test_valid_courses_are_stored_and_tagged_with_skills(
    offered: sessionmaker[Session], tmp_path: Path
) -> None:
    report = import_courses(offered, write(tmp_path / "courses.csv", HEADER + GOOD))
    assert (report.read, report.stored, report.rejected) == (3, 3, 0)
    with offered() as session:
        assert count(session, TrainingPlan) == 3
        course = session.scalar(select(Course).where(Course.name == "仓储与配送管理"))
        assert course is not None
        assert (course.code, course.kind, course.semester, course.hours, course.credits) == (
            "WL101",
            "专业核心课",
            3,
            64,
            4.0,
        )
        assert course.extracted_version
        assert "tb.warehouse.ops.warehousing" in _concept_keys(session, "仓储与配送管理")
        assert "tb.warehouse.smart_wh.wms" in _concept_keys(session, "仓储与配送管理")
        customs = _concept_keys(session, "报关实务")
        assert {
            "tb.customs.declaration.customs_declaration",
            "tb.customs.classification.hs_classification",
        } <= customs
        plan = session.scalar(
            select(TrainingPlan).join(Course).where(Course.name == "跨境电商物流实务")
        )
        assert plan is not None and plan.direction_id is not None and plan.direction_key > 0
        origins = set(session.scalars(select(CourseConcept.origin)))
        assert origins == {"extracted"}


def test_bad_rows_are_rejected_with_reasons_and_written_beside_the_input(
    offered: sessionmaker[Session], tmp_path: Path
) -> None:
    path = write(tmp_path / "courses.csv", HEADER + GOOD + BAD)
    report = import_courses(offered, path)
    assert (report.stored, report.rejected) == (3, 8)
    assert report.balanced
    fields = [e.field for e in report.errors]
    assert fields == [
        "college",
        "major_code",
        "major_code",
        "direction_zh",
        "year",
        "semester",
        "credits",
        "course_name",
    ]
    assert "does not offer" in report.errors[2].reason
    assert report.rejects_path is not None and report.rejects_path.parent == tmp_path
    with report.rejects_path.open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["course_code"] for r in rows] == [f"X{i}" for i in range(1, 9)]
    assert all(r["_reason"] for r in rows)


def test_reimport_changes_nothing_and_an_edit_retags_the_course(
    offered: sessionmaker[Session], tmp_path: Path
) -> None:
    path = write(tmp_path / "courses.csv", HEADER + GOOD)
    import_courses(offered, path)
    with offered() as session:
        before = (count(session, Course), count(session, CourseConcept))
    again = import_courses(offered, path)
    assert (again.stored, again.unchanged) == (0, 3)
    with offered() as session:
        assert (count(session, Course), count(session, CourseConcept)) == before
    edited = GOOD.replace("报关单填制与HS归类", "跨境电商通关与保税仓储")
    third = import_courses(offered, write(tmp_path / "courses.csv", HEADER + edited))
    assert (third.stored, third.unchanged) == (1, 2)
    with offered() as session:
        keys = _concept_keys(session, "报关实务")
        assert "tb.customs.classification.hs_classification" not in keys
        assert "tb.customs.bonded.bonded_logistics" in keys
        assert count(session, Course) == before[0]
        runs = session.scalars(select(ImportRun.kind)).all()
        assert runs.count("courses") == 3


def test_duplicate_rows_in_one_file_and_xlsx_input(
    offered: sessionmaker[Session], tmp_path: Path
) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["college", "major_code", "year", "course_name", "hours", "description"])
    sheet.append(["C001", "530802", 2024, "运输管理实务", 48, "运输调度与TMS"])
    sheet.append(["C001", "530802", 2024, "运输管理实务", 48, "运输调度与TMS"])
    sheet.append(["C001", "530802", 2024, "运输管理实务", 64, "运输调度"])
    path = tmp_path / "courses.xlsx"
    book.save(path)
    report = import_courses(offered, path)
    assert (report.stored, report.duplicates, report.rejected) == (1, 1, 1)
    assert "repeats row" in report.errors[0].reason
