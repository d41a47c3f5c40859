from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from talentbridge.accounts.directory import (
    cohort_totals_by_major,
    enrollment_by_year,
    get_organization_by_code,
    holds_sample_data,
)
from talentbridge.errors import NotFound
from talentbridge.store.tables import Cohort, CollegeMajor, Direction, Major, Organization, Setting


def test_cohorts_use_whole_major_rows_else_sum_directions(session: Session) -> None:
    college = Organization(code="C", kind="college", name_zh="院校")
    major = Major(
        level="associate",
        item_level="major",
        code="530802",
        name_zh="现代物流管理",
        category_code="53",
        category_name="财经商贸大类",
    )
    session.add_all([college, major])
    session.flush()
    cm = CollegeMajor(organization_id=college.id, major_id=major.id)
    session.add(cm)
    session.flush()
    d1 = Direction(college_major_id=cm.id, name_zh="跨境电商")
    d2 = Direction(college_major_id=cm.id, name_zh="冷链物流")
    session.add_all([d1, d2])
    session.flush()
    session.add_all(
        [
            # 2023: a whole-major row and direction rows: the whole row counts
            Cohort(college_major_id=cm.id, direction_key=0, year=2023, enrolled=100, graduated=10),
            Cohort(
                college_major_id=cm.id,
                direction_id=d1.id,
                direction_key=d1.id,
                year=2023,
                enrolled=60,
                graduated=6,
            ),
            # 2024: only directions: their sum counts
            Cohort(
                college_major_id=cm.id,
                direction_id=d1.id,
                direction_key=d1.id,
                year=2024,
                enrolled=40,
                graduated=4,
            ),
            Cohort(
                college_major_id=cm.id,
                direction_id=d2.id,
                direction_key=d2.id,
                year=2024,
                enrolled=30,
                graduated=3,
            ),
        ]
    )
    session.commit()
    assert enrollment_by_year(session) == [(2023, 100, 10), (2024, 70, 7)]
    assert enrollment_by_year(session, organization_id=college.id + 1) == []
    totals = cohort_totals_by_major(session)
    assert [(t.major_code, t.year, t.enrolled) for t in totals] == [
        ("530802", 2023, 100),
        ("530802", 2024, 70),
    ]


def test_sample_data_flag(session: Session) -> None:
    assert not holds_sample_data(session)
    session.add(Setting(key="sample_data", value="true"))
    session.commit()
    assert holds_sample_data(session)


def test_unknown_organization_code_is_not_found(session: Session) -> None:
    with pytest.raises(NotFound, match="NOPE"):
        get_organization_by_code(session, "NOPE")
