"""Bulk import of students into profiles: good rows, bad rows, re-runs."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from talentbridge.errors import InputFileError
from talentbridge.matching.profiles import import_profiles, parse_consent
from talentbridge.registry.offerings import import_college_majors
from talentbridge.registry.organizations import import_organizations
from talentbridge.store.tables import Direction, ImportRun, Profile, RejectedRow
from talentbridge.taxonomy.majors import load_bundled_majors

HEADERS = (
    "college_code,student_no,name,major_level,major_code,direction_zh,graduation_year,"
    "phone,email,visible_to_employers,source"
)


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text.strip() + "\n", encoding=encoding)
    return path


@pytest.fixture()
def colleges(factory: sessionmaker[Session], tmp_path: Path) -> sessionmaker[Session]:
    """Two colleges: C1 offers 530802 (with direction 跨境电商) and 530503; C2 offers 530702."""
    load_bundled_majors(factory)
    orgs = _write(
        tmp_path / "orgs.csv",
        """
code,kind,name_zh,city,district
C1,college,示例·一号学院,成都市,双流区
C2,college,示例·二号学院,重庆市,渝北区
E1,enterprise,示例·企业,成都市,武侯区
""",
    )
    assert import_organizations(factory, orgs).rejected == 0
    offers = _write(
        tmp_path / "offers.csv",
        """
college_code,major_level,major_code,direction_zh,direction_en,start_year
C1,associate,530802,,,2010
C1,associate,530802,跨境电商,Cross-border E-commerce,2023
C1,associate,530503,,,2012
C2,associate,530702,,,2018
""",
    )
    assert import_college_majors(factory, offers).rejected == 0
    return factory


GOOD = f"""
{HEADERS}
C1,2023010001,张伟,associate,530802,跨境电商,2026,19900001234,s1@c01.example.edu.cn,true,示例数据 sample data
C1,2023010002,李娜,高职专科,530503,,2026,,,否,
C2,2022020001,王芳,associate,530702,,2025,19900004321,s2@c02.example.edu.cn,yes,
"""


def test_good_rows_are_stored_with_major_direction_and_consent(
    colleges: sessionmaker[Session], tmp_path: Path
) -> None:
    report = import_profiles(colleges, _write(tmp_path / "students.csv", GOOD))
    assert (report.read, report.stored, report.rejected) == (3, 3, 0)
    assert report.balanced
    with colleges() as session:
        zhang = session.scalars(select(Profile).where(Profile.student_no == "2023010001")).one()
        direction = session.get(Direction, zhang.direction_id)
        assert direction is not None and direction.name_zh == "跨境电商"
        assert zhang.college_major_id == direction.college_major_id
        assert zhang.visible_to_employers is True and zhang.is_sample is True
        assert zhang.import_run_id == report.run_id
        li = session.scalars(select(Profile).where(Profile.student_no == "2023010002")).one()
        assert li.visible_to_employers is False and li.phone is None and li.direction_id is None
        assert li.is_sample is False


def test_rerunning_the_same_file_changes_nothing(
    colleges: sessionmaker[Session], tmp_path: Path
) -> None:
    path = _write(tmp_path / "students.csv", GOOD)
    import_profiles(colleges, path)
    again = import_profiles(colleges, path)
    assert (again.read, again.stored, again.unchanged, again.rejected) == (3, 0, 3, 0)
    with colleges() as session:
        assert session.scalar(select(func.count()).select_from(Profile)) == 3


def test_changed_row_updates_the_profile_and_keeps_its_user_link(
    colleges: sessionmaker[Session], tmp_path: Path
) -> None:
    path = _write(tmp_path / "students.csv", GOOD)
    import_profiles(colleges, path)
    with colleges() as session:
        profile = session.scalars(select(Profile).where(Profile.student_no == "2022020001")).one()
        profile_id = profile.id
    _write(path, GOOD.replace("王芳", "王芳芳"))
    report = import_profiles(colleges, path)
    assert (report.stored, report.unchanged) == (1, 2)
    with colleges() as session:
        updated = session.get(Profile, profile_id)
        assert updated is not None and updated.name == "王芳芳"


def test_chinese_headers_for_one_college(colleges: sessionmaker[Session], tmp_path: Path) -> None:
    path = _write(
        tmp_path / "学生名单.csv",
        """
学号,姓名,专业代码,专业方向,毕业年份,手机,邮箱,同意向用人单位展示
2024010001,赵敏,530802,跨境电商,2027,19900000001,z@example.edu.cn,是
2024010002,钱强,530503,,2027,,,否
""",
        encoding="gb18030",
    )
    report = import_profiles(colleges, path, college_code="C1")
    assert (report.stored, report.rejected) == (2, 0)
    with colleges() as session:
        names = set(session.scalars(select(Profile.name)))
    assert names == {"赵敏", "钱强"}


def test_bad_rows_are_rejected_with_field_and_reason(
    colleges: sessionmaker[Session], tmp_path: Path
) -> None:
    path = _write(
        tmp_path / "bad.csv",
        f"""
{HEADERS}
C9,1,甲,associate,530802,,2026,,,true,
C1,2,乙,associate,539999,,2026,,,true,
C2,3,丙,associate,530802,,2026,,,true,
C1,4,丁,associate,530802,智能关务,2026,,,true,
C1,5,戊,associate,530802,,二〇二六,,,true,
C1,6,己,associate,530802,,2026,,not-an-email,true,
C1,7,庚,associate,530802,,2026,,,maybe,
C1,8,辛,associate,530802,,2026,,,true,
C1,8,辛,associate,530802,,2026,,,true,
C1,8,壬,associate,530802,,2026,,,true,
E1,9,癸,associate,530802,,2026,,,true,
C1,,无名,associate,530802,,2026,,,true,
""",
    )
    report = import_profiles(colleges, path)
    assert (report.read, report.stored, report.duplicates, report.rejected) == (12, 1, 1, 10)
    assert report.balanced
    reasons = {e.row_number: (e.field, e.reason) for e in report.errors}
    assert reasons[2] == ("college_code", "unknown college 'C9'")
    assert reasons[3][0] == "major_code" and "unknown major" in reasons[3][1]
    assert reasons[4] == ("major_code", "college C2 does not offer major 530802")
    assert reasons[5][0] == "direction_zh"
    assert reasons[6][0] == "graduation_year"
    assert reasons[7][0] == "email"
    assert reasons[8][0] == "visible_to_employers"
    assert reasons[11][0] == "student_no" and "row 9" in reasons[11][1]
    assert reasons[12][0] == "college_code"  # an enterprise is not a college
    assert reasons[13][0] == "student_no"
    assert report.rejects_path is not None and report.rejects_path.exists()
    with report.rejects_path.open(encoding="utf-8-sig") as handle:
        rejected = list(csv.DictReader(handle))
    assert len(rejected) == 10 and rejected[0]["_reason"] == "unknown college 'C9'"
    with colleges() as session:
        run = session.get(ImportRun, report.run_id)
        assert run is not None and run.rows_rejected == 10 and run.kind == "profiles"
        stored = session.scalar(
            select(func.count()).select_from(RejectedRow).where(RejectedRow.import_run_id == run.id)
        )
        assert stored == 10


def test_row_for_another_college_is_rejected_when_importing_for_one(
    colleges: sessionmaker[Session], tmp_path: Path
) -> None:
    report = import_profiles(colleges, _write(tmp_path / "s.csv", GOOD), college_code="C1")
    assert (report.stored, report.rejected) == (2, 1)
    assert report.errors[0].field == "college_code"


def test_missing_required_column_is_one_clear_error(
    colleges: sessionmaker[Session], tmp_path: Path
) -> None:
    path = _write(tmp_path / "s.csv", "college_code,name\nC1,张三\n")
    with pytest.raises(InputFileError, match="student_no"):
        import_profiles(colleges, path)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("true", True), ("是", True), ("同意", True), ("1", True), ("否", False), ("", False)],
)
def test_consent_words(text: str, expected: bool) -> None:
    assert parse_consent(text) is expected


def test_consent_rejects_other_words() -> None:
    with pytest.raises(ValueError, match="yes/no"):
        parse_consent("maybe")
