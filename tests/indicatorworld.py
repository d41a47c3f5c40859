"""A small store for the indicator tests (importable as ``indicatorworld``), written out
so that every expected figure can be counted by hand.

Colleges C1 and C2; majors M1 530802 现代物流管理, M2 530503 关务与外贸服务, M3 530701
电子商务. C1 offers M1 (directions D1 跨境电商 and D2 冷链物流) and M2; C2 offers M1 and
M3. Occupations O1 物流服务师, O2 报关员, O3 电商运营, O4 餐厅服务员. The 对口 relation:
M1–O1 primary, M1–O2 related, M2–O2 primary, M3–O3 primary (O4 is nobody's).

30 graduates of 2023 and 2024 (``GRADUATES``: g1…g30) and one student of 2025 without a
record (not a graduate of any reporting year). Places are GB/T 2260 codes; the circle
flag comes from ``domain.divisions.in_circle`` as the importer sets it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from talentbridge.accounts.principal import Principal
from talentbridge.accounts.roles import Role
from talentbridge.domain.divisions import in_circle
from talentbridge.store.outcomes_tables import Placement
from talentbridge.store.tables import (
    Cohort,
    CollegeMajor,
    Direction,
    Major,
    MajorOccupation,
    Occupation,
    Organization,
    Profile,
)

ABROAD = "abroad"

# name: (college, major, direction, year, destination, occupation, place, salary)
# destination None: no placement record. place ABROAD: abroad (no division code).
GRADUATES: dict[
    str, tuple[str, str, str | None, int, str | None, str | None, str | None, int | None]
] = {
    "g1": ("C1", "M1", "D1", 2024, "employed", "O1", "510100", 5000),
    "g2": ("C1", "M1", "D1", 2024, "employed", "O2", "510100", 4800),
    "g3": ("C1", "M1", "D1", 2024, "employed", "O4", "440300", 6000),
    "g4": ("C1", "M1", "D1", 2024, "employed", None, "500112", None),  # no occupation code
    "g5": ("C1", "M1", "D1", 2024, "further_study", None, ABROAD, None),  # study abroad
    "g6": ("C1", "M1", "D1", 2024, "not_employed", None, None, None),
    "g7": ("C1", "M1", "D2", 2024, "employed", "O1", "500112", 4500),
    "g8": ("C1", "M1", "D2", 2024, "self_employed", "O1", "510100", 3000),
    "g9": ("C1", "M1", "D2", 2024, "flexible", None, None, 3500),  # no code, no place
    "g10": ("C1", "M1", "D2", 2024, "enlisted", None, None, 2000),  # allowance: not a salary
    "g11": ("C1", "M1", "D2", 2024, None, None, None, None),  # no placement record
    "g12": ("C1", "M2", None, 2024, "employed", "O2", "510100", 5200),
    "g13": ("C1", "M2", None, 2024, "employed", "O1", "310115", 7000),
    "g14": ("C1", "M2", None, 2024, "further_study", None, None, None),
    "g15": ("C1", "M2", None, 2024, "employed", "O2", ABROAD, 9000),  # work abroad
    "g16": ("C2", "M1", None, 2024, "employed", "O1", "510100", 4600),
    "g17": ("C2", "M1", None, 2024, "employed", "O1", "510700", 4200),
    "g18": ("C2", "M1", None, 2024, "employed", "O3", "510100", 4000),
    "g19": ("C2", "M1", None, 2024, "employed", "O2", "500103", 5100),
    "g20": ("C2", "M1", None, 2024, "flexible", None, None, None),
    "g21": ("C2", "M1", None, 2024, "not_employed", None, None, None),
    "g22": ("C2", "M1", None, 2024, "further_study", None, None, None),
    "g23": ("C2", "M3", None, 2024, "employed", "O3", "500112", 3800),
    "g24": ("C2", "M3", None, 2024, "employed", "O3", "110105", 6500),
    "g25": ("C2", "M3", None, 2024, "self_employed", "O3", "510100", None),
    "g26": ("C2", "M3", None, 2024, "not_employed", None, None, None),
    "g27": ("C2", "M3", None, 2024, None, None, None, None),  # no placement record
    "g28": ("C1", "M1", "D1", 2023, "employed", "O1", "510100", 4400),
    "g29": ("C1", "M1", "D1", 2023, "employed", "O4", "510100", 4100),
    "g30": ("C1", "M1", "D1", 2023, "not_employed", None, None, None),
    "s31": ("C1", "M1", "D1", 2025, None, None, None, None),  # still a student
}

# (college, major, direction or None, year, enrolled, graduated)
COHORTS: tuple[tuple[str, str, str | None, int, int | None, int | None], ...] = (
    ("C1", "M1", None, 2023, 50, 3),  # stated whole-major figure
    ("C1", "M1", "D1", 2023, 20, None),
    ("C1", "M1", "D1", 2024, 30, 6),
    ("C1", "M1", "D2", 2024, 10, 5),  # a new direction
    ("C1", "M2", None, 2023, 15, None),
    ("C1", "M2", None, 2024, 12, 4),
    ("C2", "M1", None, 2023, 30, None),
    ("C2", "M1", None, 2024, 33, 7),
    ("C2", "M3", None, 2024, 25, 5),
)


@dataclass
class World:
    ids: dict[str, int]  # C1, C2, E1, M1…M3, D1, D2, O1…O4 -> id

    def principal(self, role: Role, org: str | None = None) -> Principal:
        return Principal(user_id=99, role=role, organization_id=self.ids[org] if org else None)


def build_world(session: Session) -> World:
    ids: dict[str, int] = {}
    for code, kind, name in (
        ("C1", "college", "示例·甲学院"),
        ("C2", "college", "示例·乙学院"),
        ("E1", "enterprise", "示例·物流公司"),
        ("A1", "association", "示例·物流协会"),
    ):
        org = Organization(code=code, kind=kind, name_zh=name, name_en=f"Sample {code}")
        session.add(org)
        session.flush()
        ids[code] = org.id
    for key, code, name in (
        ("M1", "530802", "现代物流管理"),
        ("M2", "530503", "关务与外贸服务"),
        ("M3", "530701", "电子商务"),
    ):
        major = Major(
            level="associate",
            item_level="major",
            code=code,
            name_zh=name,
            category_code="53",
            category_name="财经商贸大类",
        )
        session.add(major)
        session.flush()
        ids[key] = major.id
    for key, code, name in (
        ("O1", "4-02-06-03", "物流服务师"),
        ("O2", "4-01-02-03", "报关员"),
        ("O3", "4-01-06-01", "电子商务师"),
        ("O4", "4-03-02-05", "餐厅服务员"),
    ):
        occupation = Occupation(code=code, name_zh=name)
        session.add(occupation)
        session.flush()
        ids[key] = occupation.id
    for major, occupation, strength in (
        ("M1", "O1", "primary"),
        ("M1", "O2", "related"),
        ("M2", "O2", "primary"),
        ("M3", "O3", "primary"),
    ):
        session.add(
            MajorOccupation(major_id=ids[major], occupation_id=ids[occupation], strength=strength)
        )
    for college, major in (("C1", "M1"), ("C1", "M2"), ("C2", "M1"), ("C2", "M3")):
        offering = CollegeMajor(organization_id=ids[college], major_id=ids[major])
        session.add(offering)
        session.flush()
        ids[f"{college}{major}"] = offering.id
    for key, name in (("D1", "跨境电商"), ("D2", "冷链物流")):
        direction = Direction(college_major_id=ids["C1M1"], name_zh=name, name_en=f"track {key}")
        session.add(direction)
        session.flush()
        ids[key] = direction.id
    for college, major, direction, year, enrolled, graduated in COHORTS:
        session.add(
            Cohort(
                college_major_id=ids[f"{college}{major}"],
                direction_id=ids[direction] if direction else None,
                direction_key=ids[direction] if direction else 0,
                year=year,
                enrolled=enrolled,
                graduated=graduated,
            )
        )
    for number, (name, spec) in enumerate(GRADUATES.items()):
        college, major, direction, year, destination, occupation, place, salary = spec
        profile = Profile(
            organization_id=ids[college],
            college_major_id=ids[f"{college}{major}"],
            direction_id=ids[direction] if direction else None,
            student_no=f"S{number:03d}",
            name=f"毕业生{name}",
            graduation_year=year,
        )
        session.add(profile)
        session.flush()
        ids[name] = profile.id
        if destination is None:
            continue
        abroad = place == ABROAD
        code = None if abroad or place is None else place
        session.add(
            Placement(
                profile_id=profile.id,
                organization_id=ids[college],
                destination=destination,
                occupation_code=None,
                occupation_id=ids[occupation] if occupation else None,
                division_code=code,
                in_circle=in_circle(code) if code else None,
                abroad=abroad,
                salary_monthly=salary,
            )
        )
    session.commit()
    return World(ids=ids)
