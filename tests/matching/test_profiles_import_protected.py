"""Protected attributes in the student import: gender, birth year, ethnicity, marital
status, hukou province and a health note are stored in ``profile_protected`` (never
anywhere the engine reads), unreadable values are ``kept:`` warnings, an empty cell
clears a value and a missing column leaves it alone; who may see them on a profile."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from talentbridge.accounts.policy import Principal
from talentbridge.accounts.roles import Role
from talentbridge.matching.profiles import import_profiles
from talentbridge.matching.protected import (
    parse_birth_year,
    parse_ethnicity,
    parse_gender,
    parse_hukou_province,
    protected_attributes,
)
from talentbridge.registry.offerings import import_college_majors
from talentbridge.registry.organizations import import_organizations
from talentbridge.store.matching_tables import ProfileProtected
from talentbridge.store.tables import AuditEvent, Organization, Profile, RejectedRow
from talentbridge.taxonomy.majors import load_bundled_majors

STUDENTS = """学号,姓名,专业代码,毕业年份,性别,出生年份,民族,婚姻状况,户口所在地,健康状况
2024010001,赵敏,530802,2027,女,2005,彝,未婚,四川省凉山彝族自治州,良好
2024010002,钱强,530802,2027,男,2004-07-01,汉族,,重庆市渝北区,
2024010003,孙丽,530802,2027,其它,一九零五,火星族,已婚已育,火星,
2024010004,李雷,530802,2027,,,,,,
"""


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture()
def college(factory: sessionmaker[Session], tmp_path: Path) -> sessionmaker[Session]:
    load_bundled_majors(factory)
    orgs = _write(
        tmp_path / "orgs.csv",
        "code,kind,name_zh,city,district\nC1,college,示例·一号学院,成都市,双流区\n"
        "C2,college,示例·二号学院,重庆市,渝北区\n",
    )
    assert import_organizations(factory, orgs).rejected == 0
    offers = _write(
        tmp_path / "offers.csv",
        "college_code,major_level,major_code,direction_zh,direction_en,start_year\n"
        "C1,associate,530802,,,2010\n",
    )
    assert import_college_majors(factory, offers).rejected == 0
    return factory


def _protected(session: Session) -> dict[str, tuple[object, ...]]:
    rows = session.execute(
        select(Profile.student_no, ProfileProtected).join(
            ProfileProtected, ProfileProtected.profile_id == Profile.id
        )
    )
    return {
        no: (r.gender, r.birth_year, r.ethnicity, r.marital_status, r.hukou_province,
             r.health_note)
        for no, r in rows
    }  # fmt: skip


def test_the_import_stores_protected_attributes_and_warns_on_unreadable_ones(
    college: sessionmaker[Session], tmp_path: Path
) -> None:
    path = _write(tmp_path / "students.csv", STUDENTS)
    report = import_profiles(college, path, college_code="C1")
    assert (report.read, report.stored, report.rejected) == (4, 4, 0) and report.balanced
    with college() as session:
        assert _protected(session) == {
            "2024010001": ("female", 2005, "彝族", "unmarried", "510000", "良好"),
            "2024010002": ("male", 2004, "汉族", None, "500000", None),
        }  # nothing readable for 孙丽, nothing recorded for 李雷: no row
        warnings = {
            (w.row_number, w.field, w.reason)
            for w in session.scalars(
                select(RejectedRow).where(RejectedRow.import_run_id == report.run_id))
        }  # fmt: skip
    assert {(row, field) for row, field, _ in warnings} == {
        (4, "性别"), (4, "出生年份"), (4, "民族"), (4, "婚姻状况"), (4, "户口所在地")}  # fmt: skip
    assert all(reason.startswith("kept: ") for _, _, reason in warnings)
    # the same file again changes nothing
    again = import_profiles(college, path, college_code="C1")
    assert (again.stored, again.unchanged) == (0, 4)


def test_an_empty_cell_clears_a_value_and_a_missing_column_leaves_it(
    college: sessionmaker[Session], tmp_path: Path
) -> None:
    import_profiles(college, _write(tmp_path / "a.csv", STUDENTS), college_code="C1")
    # only gender and ethnicity columns: 赵敏's gender cleared, the rest kept
    later = _write(
        tmp_path / "b.csv",
        "学号,姓名,专业代码,毕业年份,性别,民族\n"
        "2024010001,赵敏,530802,2027,,彝族\n"
        "2024010002,钱强,530802,2027,,\n",
    )
    report = import_profiles(college, later, college_code="C1")
    assert report.stored == 2
    with college() as session:
        found = _protected(session)
    assert found["2024010001"] == (None, 2005, "彝族", "unmarried", "510000", "良好")
    assert found["2024010002"] == (None, 2004, None, None, "500000", None)
    cleared = _write(
        tmp_path / "c.csv",
        "学号,姓名,专业代码,毕业年份,出生年份,户籍\n2024010002,钱强,530802,2027,,\n",
    )
    import_profiles(college, cleared, college_code="C1")
    with college() as session:
        assert "2024010002" not in _protected(session)  # nothing left: the row is gone


def test_value_parsers() -> None:
    assert parse_gender(" Female ") == "female" and parse_gender("男性") == "male"
    assert parse_birth_year("2003年5月") == 2003
    assert parse_ethnicity("维吾尔") == "维吾尔族" and parse_ethnicity("其他") == "其他"
    assert parse_hukou_province("广东省") == "440000"
    assert parse_hukou_province("成都") == "510000" and parse_hukou_province("渝北") == "500000"
    for bad in (lambda: parse_gender("x"), lambda: parse_birth_year("1850"),
                lambda: parse_hukou_province("农业户口")):  # fmt: skip
        with pytest.raises(ValueError):
            bad()


def test_only_the_platform_and_the_students_college_admin_see_them(
    college: sessionmaker[Session], tmp_path: Path
) -> None:
    import_profiles(college, _write(tmp_path / "a.csv", STUDENTS), college_code="C1")
    with college() as session:
        c1, c2 = (
            session.scalars(select(Organization.id).where(Organization.code == code)).one()
            for code in ("C1", "C2")
        )
        zhao = session.scalars(select(Profile.id).where(Profile.student_no == "2024010001")).one()
        who = {
            "platform": Principal(1, Role.PLATFORM_ADMIN, None),
            "college_admin": Principal(2, Role.COLLEGE_ADMIN, c1),
            "other_admin": Principal(3, Role.COLLEGE_ADMIN, c2),
            "teacher": Principal(4, Role.TEACHER, c1),
            "recruiter": Principal(5, Role.RECRUITER, None),
            "analyst": Principal(6, Role.ANALYST, None),
            "student": Principal(7, Role.STUDENT, c1),
        }
        seen = {name: protected_attributes(session, p, zhao) for name, p in who.items()}
        assert {name for name, view in seen.items() if view is not None} == {
            "platform", "college_admin"}  # fmt: skip
        view = seen["college_admin"]
        assert view is not None and view.hukou_province_name_zh == "四川省"
        audited = session.scalars(
            select(AuditEvent.user_id).where(AuditEvent.action == "profile.protected")
        ).all()
        assert sorted(audited) == [1, 2]


def test_only_the_audit_and_the_import_touch_profile_protected() -> None:
    matching = Path(__file__).resolve().parents[2] / "src" / "talentbridge" / "matching"
    touching = sorted(
        str(path.relative_to(matching))
        for path in matching.rglob("*.py")
        if "ProfileProtected" in path.read_text(encoding="utf-8")
    )
    assert touching == ["fairness.py", "protected.py"]
