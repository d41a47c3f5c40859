"""A small store of placements for the outcomes page and API tests (importable as
``outcomestools``), on top of the web ``world``.

College A (COL-A), graduates of 2025, all in 现代物流管理 (530802) except ``private_a``
(no major, no record): 8 employed (the direction 跨境电商) in a related occupation in the circle (pay 4000…4700),
``student_a`` employed related in the circle (5000), 2 employed in an unrelated
occupation outside the circle (6000), 2 employed with no occupation in the circle
(3500), 3 further study (one abroad), 1 enlisted, 2 not yet employed. So for 2025:
20 graduates, placement rate 17/20 = 85.0 %, employment rate 14/20 = 70.0 %, 对口
9/11 = 81.8 % with 2 unclassifiable. 2024: 10 graduates, 9 employed related, 1 not
employed. College B (COL-B): 6 graduates of 2025 (4 employed, 2 not yet employed);
college C (COL-C): 3 graduates of 2025, so by college B and C are suppressed.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session
from webtools import World

from talentbridge.store.outcomes_tables import Placement
from talentbridge.store.tables import (
    CollegeMajor,
    Direction,
    Major,
    MajorOccupation,
    Occupation,
    Organization,
    Profile,
)

RELATED_CODE = "4-02-06-03"
UNRELATED_CODE = "2-02-10-09"


def _graduate(session: Session, org: Organization, cm: CollegeMajor, no: str, year: int) -> Profile:
    profile = Profile(
        organization_id=org.id,
        college_major_id=cm.id,
        student_no=no,
        name=f"毕业生{no}",
        graduation_year=year,
    )
    session.add(profile)
    session.flush()
    return profile


def _place(session: Session, profile: Profile, destination: str, **fields: object) -> None:
    session.add(
        Placement(
            profile_id=profile.id,
            organization_id=profile.organization_id,
            destination=destination,
            start_date=dt.date(profile.graduation_year, 7, 1),
            **fields,
        )
    )


def build_outcomes(session: Session, world: World) -> None:
    major = session.scalars(select(Major).where(Major.code == "530802")).one()
    related = session.scalars(select(Occupation).where(Occupation.code == RELATED_CODE)).one()
    unrelated = Occupation(code=UNRELATED_CODE, name_zh="软件工程技术人员")
    college_c = Organization(
        code="COL-C", kind="college", name_zh="示例丙学院", name_en="C College"
    )
    session.add_all([unrelated, college_c])
    session.flush()
    session.add(MajorOccupation(major_id=major.id, occupation_id=related.id))
    cms = {
        cm.organization_id: cm
        for cm in session.scalars(select(CollegeMajor).where(CollegeMajor.major_id == major.id))
    }
    cm_c = CollegeMajor(organization_id=college_c.id, major_id=major.id)
    session.add(cm_c)
    session.flush()
    a, b = world.orgs["college_a"], world.orgs["college_b"]
    cm_a, cm_b = cms[a.id], cms[b.id]

    def employed(p: Profile, occupation: Occupation | None, circle: bool, pay: int) -> None:
        _place(session, p, "employed", employer_name="示例物流公司", job_title="物流专员",
               occupation_code=occupation.code if occupation else None,
               occupation_id=occupation.id if occupation else None, in_circle=circle,
               division_code="510100" if circle else "440300", salary_monthly=pay,
               contract_signed=True)  # fmt: skip

    n = 0

    def grad(org: Organization, cm: CollegeMajor, year: int) -> Profile:
        nonlocal n
        n += 1
        return _graduate(session, org, cm, f"G{n:03d}", year)

    direction = Direction(
        college_major_id=cm_a.id, name_zh="跨境电商", name_en="Cross-border", start_year=2023
    )
    session.add(direction)
    session.flush()
    for i in range(8):
        g = grad(a, cm_a, 2025)
        g.direction_id = direction.id
        employed(g, related, True, 4000 + 100 * i)
    employed(world.profiles["student_a"], related, True, 5000)
    for _ in range(2):
        employed(grad(a, cm_a, 2025), unrelated, False, 6000)
    for _ in range(2):
        employed(grad(a, cm_a, 2025), None, True, 3500)
    for i in range(3):
        _place(session, grad(a, cm_a, 2025), "further_study", abroad=i == 0)
    _place(session, grad(a, cm_a, 2025), "enlisted")
    for _ in range(2):
        _place(session, grad(a, cm_a, 2025), "not_employed")
    for _ in range(9):
        employed(grad(a, cm_a, 2024), related, True, 4200)
    _place(session, grad(a, cm_a, 2024), "not_employed")
    for _ in range(4):
        employed(grad(b, cm_b, 2025), related, True, 4800)
    for _ in range(2):
        _place(session, grad(b, cm_b, 2025), "not_employed")
    for _ in range(3):
        employed(grad(college_c, cm_c, 2025), related, True, 4500)
    session.commit()
