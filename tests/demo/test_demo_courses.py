"""The demo's training plans: every college major and direction has courses, the file
is labelled sample data, and the courses import cleanly and carry skills."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from talentbridge.demo.generator import COLLEGE_MAJORS, COURSES, ORGANIZATIONS, generate_demo_files
from talentbridge.registry.courses import import_courses
from talentbridge.registry.offerings import import_college_majors
from talentbridge.registry.organizations import import_organizations
from talentbridge.store.teaching_tables import Course, CourseConcept, TrainingPlan
from talentbridge.taxonomy.concepts import load_bundled_taxonomy
from talentbridge.taxonomy.majors import load_bundled_majors

TODAY = dt.date(2026, 3, 15)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_every_offering_has_a_plan_and_the_courses_import_with_skills(
    factory: sessionmaker[Session], tmp_path: Path
) -> None:
    manifest = generate_demo_files(tmp_path, seed=3, scale=0.01, today=TODAY)
    courses = _rows(manifest.files[COURSES])
    offerings = _rows(manifest.files[COLLEGE_MAJORS])
    planned = {(r["college"], r["major_code"], r["direction_zh"]) for r in courses}
    offered = {(r["college_code"], r["major_code"], r["direction_zh"]) for r in offerings}
    assert planned == offered
    assert all(r["source"].startswith("示例数据") for r in courses)
    assert all(r["year"] == "2025" for r in courses)
    assert manifest.counts["course_rows"] == len(courses)

    load_bundled_majors(factory)
    load_bundled_taxonomy(factory)
    import_organizations(factory, manifest.files[ORGANIZATIONS])
    import_college_majors(factory, manifest.files[COLLEGE_MAJORS])
    report = import_courses(factory, manifest.files[COURSES])
    assert report.rejected == 0 and report.stored == len(courses)
    with factory() as session:
        plans = session.scalar(select(func.count()).select_from(TrainingPlan))
        assert plans == len(planned)
        assert session.scalar(select(func.count()).select_from(Course)) == len(courses)
        tagged = session.scalar(select(func.count(func.distinct(CourseConcept.course_id))))
        assert tagged and tagged > len(courses) // 2


def test_courses_do_not_change_the_other_demo_files(tmp_path: Path) -> None:
    first = generate_demo_files(tmp_path / "a", seed=3, scale=0.01, today=TODAY)
    second = generate_demo_files(tmp_path / "b", seed=3, scale=0.01, today=TODAY)
    for name, path in first.files.items():
        assert path.read_bytes() == second.files[name].read_bytes(), name
