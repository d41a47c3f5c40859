from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from talentbridge.errors import InputFileError
from talentbridge.registry.offerings import (
    cohorts_of,
    colleges_offering,
    import_cohorts,
    import_college_majors,
    offerings_of,
)
from talentbridge.registry.organizations import create_organization, find_organization
from talentbridge.store.tables import Cohort, CollegeMajor, Direction
from talentbridge.taxonomy.majors import find_major, load_bundled_majors

OFFERINGS = (
    "college_code,major_level,major_code,direction_zh,direction_en,start_year\n"
    "C001,associate,530802,,,2015\n"
    "C001,associate,530802,跨境电商物流,Cross-border e-commerce logistics,2020\n"
    "C001,associate,530802,冷链物流,,2021\n"
    "C001,高职专科,530702,,,2018\n"
    "C002,associate,530802,,,2016\n"
)
COHORTS = (
    "college_code,major_level,major_code,direction_zh,year,enrolled,graduated\n"
    "C001,associate,530802,,2022,120,98\n"
    "C001,associate,530802,,2023,130,\n"
    "C001,associate,530802,跨境电商物流,2023,40,35\n"
    "C002,associate,530802,,2023,80,75\n"
)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def count(session: Session, table: type) -> int:
    return session.scalar(select(func.count()).select_from(table)) or 0


@pytest.fixture()
def colleges(factory: sessionmaker[Session]) -> sessionmaker[Session]:
    load_bundled_majors(factory)
    with factory() as session:
        create_organization(session, code="C001", kind="college", name_zh="成都示例职业学院")
        create_organization(session, code="C002", kind="college", name_zh="重庆示例职业学院")
        create_organization(session, code="E001", kind="enterprise", name_zh="示例物流公司")
        session.commit()
    return factory


def test_offerings_and_directions_import_and_reimport_unchanged(
    colleges: sessionmaker[Session], tmp_path: Path
) -> None:
    path = write(tmp_path / "offerings.csv", OFFERINGS)
    report = import_college_majors(colleges, path)
    assert (report.stored, report.rejected) == (5, 0)
    with colleges() as session:
        college = find_organization(session, "C001")
        major = find_major(session, "associate", "530802")
        assert college is not None and major is not None
        offered = offerings_of(session, college.id)
        assert len(offered) == 2
        logistics = next(o for o in offered if o.major_id == major.id)
        assert logistics.start_year == 2015
        assert sorted(d.name_zh for d in logistics.directions) == ["冷链物流", "跨境电商物流"]
        assert [c.code for c in colleges_offering(session, major.id)] == ["C001", "C002"]
        sizes = (count(session, CollegeMajor), count(session, Direction))
    again = import_college_majors(colleges, path)
    assert (again.stored, again.unchanged) == (0, 5)
    with colleges() as session:
        assert (count(session, CollegeMajor), count(session, Direction)) == sizes == (3, 2)


def test_bad_offering_rows_are_rejected(colleges: sessionmaker[Session], tmp_path: Path) -> None:
    path = write(
        tmp_path / "offerings.csv",
        "college_code,major_level,major_code,start_year\n"
        "C999,associate,530802,2015\n"
        "E001,associate,530802,2015\n"
        "C001,associate,999999,2015\n"
        "C001,associate,5308,2015\n"
        "C001,doctorate,530802,2015\n"
        "C001,associate,530802,twenty\n"
        "C001,associate,530802,1800\n",
    )
    report = import_college_majors(colleges, path)
    assert report.stored == 0 and report.rejected == 7
    assert [e.field for e in report.errors] == [
        "college_code",
        "college_code",
        "major_code",
        "major_code",
        "major_level",
        "start_year",
        "start_year",
    ]
    assert "not a college" in report.errors[1].reason


def test_cohorts_import_counts_and_reimport_unchanged(
    colleges: sessionmaker[Session], tmp_path: Path
) -> None:
    import_college_majors(colleges, write(tmp_path / "offerings.csv", OFFERINGS))
    path = write(tmp_path / "cohorts.csv", COHORTS)
    report = import_cohorts(colleges, path)
    assert (report.stored, report.rejected) == (4, 0)
    with colleges() as session:
        college = find_organization(session, "C001")
        major = find_major(session, "associate", "530802")
        assert college is not None and major is not None
        offering = session.scalar(
            select(CollegeMajor).where(
                CollegeMajor.organization_id == college.id, CollegeMajor.major_id == major.id
            )
        )
        assert offering is not None
        cohorts = cohorts_of(session, offering.id)
        assert [(c.year, c.enrolled, c.graduated) for c in cohorts] == [
            (2022, 120, 98),
            (2023, 130, None),
            (2023, 40, 35),
        ]
        assert (
            cohorts[2].direction_id is not None
            and cohorts[2].direction_key == cohorts[2].direction_id
        )
    again = import_cohorts(colleges, path)
    assert (again.stored, again.unchanged) == (0, 4)
    write(path, COHORTS.replace("2022,120,98", "2022,121,98"))
    changed = import_cohorts(colleges, path)
    assert (changed.stored, changed.unchanged) == (1, 3)
    with colleges() as session:
        assert count(session, Cohort) == 4


def test_bad_cohort_rows_are_rejected(colleges: sessionmaker[Session], tmp_path: Path) -> None:
    import_college_majors(colleges, write(tmp_path / "offerings.csv", OFFERINGS))
    path = write(
        tmp_path / "cohorts.csv",
        "college_code,major_level,major_code,direction_zh,year,enrolled,graduated\n"
        "C001,associate,530802,,2023,-5,10\n"
        "C001,associate,530802,,2023,abc,10\n"
        "C001,associate,530802,,,10,10\n"
        "C001,associate,530802,,2023,,\n"
        "C002,associate,530702,,2023,10,10\n"
        "C001,associate,530802,无此方向,2023,10,10\n"
        "C001,associate,530802,,2023,10,999999\n",
    )
    report = import_cohorts(colleges, path)
    assert report.stored == 0
    assert [e.field for e in report.errors] == [
        "enrolled",
        "enrolled",
        "year",
        "enrolled",
        "major_code",
        "direction_zh",
        "graduated",
    ]
    assert "does not offer" in report.errors[4].reason


def test_cohort_file_without_year_column_fails_once(
    colleges: sessionmaker[Session], tmp_path: Path
) -> None:
    path = write(
        tmp_path / "c.csv",
        "college_code,major_level,major_code,enrolled\nC001,associate,530802,1\n",
    )
    with pytest.raises(InputFileError, match="year"):
        import_cohorts(colleges, path)
