"""The student import's optional columns: skills, certificates, wish cities, expected salary,
summary; unusable values are warnings (row kept), re-imports change nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from talentbridge.matching.profiles import import_profiles
from talentbridge.registry.offerings import import_college_majors
from talentbridge.registry.organizations import import_organizations
from talentbridge.store.matching_tables import ProfileConcept, ProfileWish
from talentbridge.store.tables import Concept, Profile, RejectedRow
from talentbridge.taxonomy.concepts import load_bundled_taxonomy
from talentbridge.taxonomy.majors import load_bundled_majors

STUDENTS = """学号,姓名,专业代码,毕业年份,技能,证书,意向城市,期望薪资,自我评价
2024010001,赵敏,530802,2027,订舱、FCL、量子烹饪,英语四级|订舱,成都/渝北区/火星,5000-8000,踏实肯干
2024010002,钱强,530802,2027,,,,,
2024010003,孙丽,530802,2027,货代操作,,四川省,面议,
"""


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture()
def college(factory: sessionmaker[Session], tmp_path: Path) -> sessionmaker[Session]:
    load_bundled_majors(factory)
    load_bundled_taxonomy(factory)
    orgs = _write(
        tmp_path / "orgs.csv",
        "code,kind,name_zh,city,district\nC1,college,示例·一号学院,成都市,双流区\n",
    )
    assert import_organizations(factory, orgs).rejected == 0
    offers = _write(
        tmp_path / "offers.csv",
        "college_code,major_level,major_code,direction_zh,direction_en,start_year\n"
        "C1,associate,530802,,,2010\n",
    )
    assert import_college_majors(factory, offers).rejected == 0
    return factory


def _concepts(session: Session, student_no: str) -> dict[str, str]:
    rows = session.execute(
        select(Concept.key, ProfileConcept.source)
        .join(ProfileConcept, ProfileConcept.concept_id == Concept.id)
        .join(Profile, Profile.id == ProfileConcept.profile_id)
        .where(Profile.student_no == student_no)
    )
    return {key: source for key, source in rows}


def test_optional_columns_are_stored_and_bad_values_are_warnings(
    college: sessionmaker[Session], tmp_path: Path
) -> None:
    path = _write(tmp_path / "students.csv", STUDENTS)
    report = import_profiles(college, path, college_code="C1")
    assert (report.read, report.stored, report.rejected) == (3, 3, 0) and report.balanced
    assert report.rejects_path is None  # warnings are not rows to fix and import again
    with college() as session:
        assert _concepts(session, "2024010001") == {
            "tb.freight.general.booking": "college", "tb.freight.sea.fcl": "college",
            "tb.lang.exams.cet4": "college"}  # fmt: skip
        zhao = session.scalars(select(Profile).where(Profile.student_no == "2024010001")).one()
        wish = session.get(ProfileWish, zhao.id)
        assert wish is not None
        assert (wish.city_codes, wish.salary_min, wish.summary) == (
            ["510100", "500000"],
            5000,
            "踏实肯干",
        )
        qian = session.scalars(select(Profile).where(Profile.student_no == "2024010002")).one()
        assert session.get(ProfileWish, qian.id) is None and _concepts(session, "2024010002") == {}
        warnings = {
            (w.row_number, w.field, w.reason)
            for w in session.scalars(
                select(RejectedRow).where(RejectedRow.import_run_id == report.run_id))
        }  # fmt: skip
    assert warnings == {
        (2, "技能", "kept: unknown skill '量子烹饪'"),
        (2, "证书", "kept: '订舱' is a skill, not a certificate"),
        (2, "意向城市", "kept: unknown place '火星'"),
        (4, "意向城市", "kept: 四川省 is a province; name a city"),
        (4, "期望薪资", "kept: cannot read a monthly salary in '面议'"),
    }


def test_reimport_changes_nothing_and_the_file_owns_only_college_concepts(
    college: sessionmaker[Session], tmp_path: Path
) -> None:
    path = _write(tmp_path / "students.csv", STUDENTS)
    import_profiles(college, path, college_code="C1")
    again = import_profiles(college, path, college_code="C1")
    assert (again.stored, again.unchanged, again.rejected) == (0, 3, 0)
    with college() as session:
        assert session.scalar(select(func.count()).select_from(ProfileConcept)) == 4
        zhao = session.scalars(select(Profile).where(Profile.student_no == "2024010001")).one()
        booking = session.scalars(
            select(Concept.id).where(Concept.key == "tb.freight.general.booking")).one()  # fmt: skip
        session.add(ProfileConcept(profile_id=zhao.id, concept_id=booking, source="self"))
        session.commit()
    _write(path, STUDENTS.replace("订舱、FCL、量子烹饪", "FCL"))
    changed = import_profiles(college, path, college_code="C1")
    assert (changed.stored, changed.unchanged) == (1, 2)
    with college() as session:
        rows = session.execute(
            select(Concept.key, ProfileConcept.source)
            .join(ProfileConcept, ProfileConcept.concept_id == Concept.id)
            .where(ProfileConcept.profile_id == zhao.id)
        ).all()
    assert sorted(tuple(r) for r in rows) == [
        ("tb.freight.general.booking", "self"),  # the student's own stays
        ("tb.freight.sea.fcl", "college"),
        ("tb.lang.exams.cet4", "college"),
    ]
