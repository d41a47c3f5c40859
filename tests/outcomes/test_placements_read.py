"""Drill-down reads of placement records: who sees records and names, filters, paging,
detail, audit."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from placementtools import PLACEMENT_HEADER, build_store, write
from talentbridge.accounts.principal import Principal
from talentbridge.accounts.roles import Role
from talentbridge.errors import Forbidden, NotFound
from talentbridge.outcomes.placement_import import import_placements
from talentbridge.outcomes.placements import PlacementFilters, list_placements, placement_detail
from talentbridge.store.tables import AuditEvent, Major, Organization

TODAY = dt.date(2026, 11, 29)
FILE = f"""
院校代码,{PLACEMENT_HEADER}
C1,S001,张伟,530802,,2025,签劳动合同,示例·川渝物流有限公司,仓储主管,4-02-06-03,成都市武侯区,6500,2025-07-01,是
C1,S002,李娜,530802,,2025,自由职业,某贸易公司,文员,2-06-07-05,深圳,5200,2025-07-01,是
C1,S003,王芳,530503,,2025,升学,四川某大学,,,,,,
C1,S004,刘洋,530802,,2025,签就业协议,某外地公司,报关员,9-99-99-99,上海,5000,2025-07-01,是
C1,S005,刘洋,530503,,2024,待就业,,,,,,,
C2,T001,陈静,530702,,2025,应征义务兵,,,,,,,
"""


@pytest.fixture()
def store(factory: sessionmaker[Session], tmp_path: Path) -> sessionmaker[Session]:
    build_store(factory, tmp_path)
    report = import_placements(factory, write(tmp_path / "p.csv", FILE), today=TODAY)
    assert (report.created, report.rejected) == (6, 0), report.errors
    return factory


def _org(session: Session, code: str) -> int:
    return session.scalars(select(Organization.id).where(Organization.code == code)).one()


def _as(session: Session, role: Role, code: str | None) -> Principal:
    return Principal(user_id=7, role=role, organization_id=_org(session, code) if code else None)


def test_platform_admin_sees_every_college_with_names(store: sessionmaker[Session]) -> None:
    with store() as session:
        page = list_placements(session, principal=_as(session, Role.PLATFORM_ADMIN, None))
        assert page.total == 6 and len(page.rows) == 6
        assert {r.graduate_name for r in page.rows} == {"张伟", "李娜", "王芳", "刘洋", "陈静"}
        assert {r.college_code for r in page.rows} == {"C1", "C2"}
        c2 = list_placements(
            session,
            principal=_as(session, Role.PLATFORM_ADMIN, None),
            filters=PlacementFilters(college_id=_org(session, "C2")),
        )
        assert [(r.student_no, r.destination) for r in c2.rows] == [("T001", "enlisted")]


def test_a_college_admin_sees_their_own_college_only(store: sessionmaker[Session]) -> None:
    with store() as session:
        admin = _as(session, Role.COLLEGE_ADMIN, "C1")
        page = list_placements(session, principal=admin)
        assert page.total == 5 and {r.college_code for r in page.rows} == {"C1"}
        assert all(r.graduate_name and r.student_no for r in page.rows)
        with pytest.raises(Forbidden):
            list_placements(
                session, principal=admin, filters=PlacementFilters(college_id=_org(session, "C2"))
            )
        other = list_placements(session, principal=_as(session, Role.COLLEGE_ADMIN, "C2"))
        (record,) = other.rows
        with pytest.raises(NotFound):  # another college's record: as if it did not exist
            placement_detail(session, principal=admin, placement_id=record.id)


@pytest.mark.parametrize(
    ("role", "org"),
    [(Role.TEACHER, "C1"), (Role.ANALYST, None), (Role.RECRUITER, "E1"), (Role.STUDENT, "C1")],
)
def test_teachers_analysts_recruiters_students_never_see_records(
    store: sessionmaker[Session], role: Role, org: str | None
) -> None:
    with store() as session:
        reader = _as(session, role, org)
        with pytest.raises(Forbidden):
            list_placements(session, principal=reader)
        any_id = (
            list_placements(session, principal=_as(session, Role.PLATFORM_ADMIN, None)).rows[0].id
        )
        with pytest.raises(NotFound):
            placement_detail(session, principal=reader, placement_id=any_id)


def test_filters_related_destination_year_and_paging(store: sessionmaker[Session]) -> None:
    with store() as session:
        admin = _as(session, Role.COLLEGE_ADMIN, "C1")

        def nos(**filters: object) -> list[str | None]:
            page = list_placements(session, principal=admin, filters=PlacementFilters(**filters))  # type: ignore[arg-type]
            return sorted(r.student_no for r in page.rows if r.student_no)

        # 4-02-06-03 is a primary occupation of 530802; 2-06-07-05 is not; 9-99-99-99 is unknown.
        # Flexible work (S002) is in the 对口 population like employment.
        assert nos(related="related") == ["S001"]
        assert nos(related="unrelated") == ["S002"]
        assert nos(related="unclassified") == ["S004"]
        assert nos(destination="further_study") == ["S003"]
        assert nos(graduation_year=2024) == ["S005"]
        assert nos(in_circle=True) == ["S001"]
        assert nos(division_prefix="31") == ["S004"]
        logistics = session.scalars(select(Major.id).where(Major.code == "530802")).one()
        assert nos(major_id=logistics) == ["S001", "S002", "S004"]
        with pytest.raises(ValueError, match="destination"):
            nos(destination="moon")
        first = list_placements(session, principal=admin, limit=2, offset=0)
        second = list_placements(session, principal=admin, limit=2, offset=2)
        assert first.total == second.total == 5
        assert not {r.id for r in first.rows} & {r.id for r in second.rows}


def test_detail_names_its_source_and_reads_are_audited(store: sessionmaker[Session]) -> None:
    with store() as session:
        admin = _as(session, Role.COLLEGE_ADMIN, "C1")
        page = list_placements(
            session, principal=admin, filters=PlacementFilters(related="related")
        )
        detail = placement_detail(session, principal=admin, placement_id=page.rows[0].id)
        assert detail.row.graduate_name == "张伟" and detail.row.occupation_name
        assert detail.import_file is not None and detail.import_file.endswith("p.csv")
        assert detail.source_row == 2 and detail.application_id is None
        actions = [
            e.action for e in session.scalars(select(AuditEvent).where(AuditEvent.user_id == 7))
        ]
        assert actions == ["placement.list", "placement.read"]
