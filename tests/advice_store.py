"""A small hand-made store for the supply and advice tests: two colleges (Chengdu,
Chongqing), the bundled catalog, occupations and taxonomy, flat cohorts, and demand
cube rows written directly with chosen numbers (the cube is derived data)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from talentbridge.analytics.bins import bin_of
from talentbridge.analytics.cube import get_state
from talentbridge.analytics.forecast import month_index, month_name
from talentbridge.store.demand_tables import DemandCell, DemandSalaryBin, DemandSkill
from talentbridge.store.tables import (
    Cohort,
    CollegeMajor,
    Direction,
    Major,
    Occupation,
    Organization,
)
from talentbridge.taxonomy.concepts import load_bundled_taxonomy
from talentbridge.taxonomy.extractor import extractor_for
from talentbridge.taxonomy.majors import load_bundled_majors
from talentbridge.taxonomy.occupations import load_bundled_occupations

END = "2025-06"
MONTHS = [month_name(month_index(END) - 23 + i) for i in range(24)]  # 2023-07 … 2025-06
REGIONS = ("all", "circle", "p:510000", "c:510100")  # postings placed in Chengdu


@dataclass
class Store:
    colleges: dict[str, int]
    direction_concepts: list[int]


def build(factory: sessionmaker[Session]) -> Store:
    """Catalog, occupations, taxonomy; C01 (Chengdu) offers 530802 with the direction
    跨境电商, C02 (Chongqing) offers 530802; both graduate a flat 100 (30) a year."""
    load_bundled_majors(factory)
    load_bundled_occupations(factory)
    load_bundled_taxonomy(factory)
    with factory() as session:
        c01 = Organization(code="C01", kind="college", name_zh="成都甲职业学院",
                           name_en="Chengdu A College", city_code="510100",
                           district_code="510107")  # fmt: skip
        c02 = Organization(code="C02", kind="college", name_zh="重庆乙职业学院",
                           name_en="Chongqing B College", city_code="500000",
                           district_code="500112")  # fmt: skip
        session.add_all([c01, c02])
        session.flush()
        logistics = _major(session, "530802")
        cm1 = CollegeMajor(organization_id=c01.id, major_id=logistics.id)
        cm2 = CollegeMajor(organization_id=c02.id, major_id=logistics.id)
        session.add_all([cm1, cm2])
        session.flush()
        direction = Direction(college_major_id=cm1.id, name_zh="跨境电商",
                              name_en="Cross-border e-commerce")  # fmt: skip
        session.add(direction)
        session.flush()
        for year in (2022, 2023, 2024):
            session.add_all([
                Cohort(college_major_id=cm1.id, direction_key=0, year=year, enrolled=110,
                       graduated=100),
                Cohort(college_major_id=cm1.id, direction_id=direction.id,
                       direction_key=direction.id, year=year, enrolled=33, graduated=30),
                Cohort(college_major_id=cm2.id, direction_key=0, year=year, enrolled=110,
                       graduated=100),
            ])  # fmt: skip
        concepts = sorted(extractor_for(session).concepts("跨境电商"))
        session.commit()
        return Store({"C01": c01.id, "C02": c02.id}, concepts)


def _major(session: Session, code: str) -> Major:
    major = session.scalar(select(Major).where(Major.code == code, Major.level == "associate"))
    assert major is not None
    return major


def occupation_id(session: Session, code: str) -> int:
    found = session.scalar(select(Occupation.id).where(Occupation.code == code))
    assert found is not None
    return found


def fill_cube(
    session: Session,
    occupations: Mapping[str, tuple[int, int]],
    skills: Mapping[int, tuple[int, int]] | None = None,
    *,
    pay: int = 6000,
) -> None:
    """Monthly postings per occupation code (previous year, current year per month) in
    every Chengdu region key, with pay; skills likewise per concept id."""
    for code, (before, now) in occupations.items():
        occ = occupation_id(session, code)
        for i, month in enumerate(MONTHS):
            n = before if i < 12 else now
            if n <= 0:
                continue
            for region in REGIONS:
                session.add(DemandCell(region=region, month=month, occupation_id=occ,
                                       education_level=-1, industry="", postings=n, openings=n,
                                       salary_n=n, salary_sum=n * pay))  # fmt: skip
                session.add(DemandSalaryBin(region=region, occupation_id=occ, month=month,
                                            bin=bin_of(pay), n=n))  # fmt: skip
    for concept, (before, now) in (skills or {}).items():
        for i, month in enumerate(MONTHS):
            n = before if i < 12 else now
            for region in REGIONS:
                session.add(DemandSkill(region=region, concept_id=concept, month=month,
                                        postings=n, openings=n))  # fmt: skip
    get_state(session).version = 7
    session.commit()
