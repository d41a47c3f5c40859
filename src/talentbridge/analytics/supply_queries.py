"""The reads behind supply vs demand (``analytics.supply``): the period, the colleges of
a region, their graduates and what their courses teach, the catalog majors with 对口
occupations, and the demand cube's monthly counts, pay bins and occupation skills.

Each function is one query (or one per fixed-size chunk) over a whole region and
period, never one per major: the advice reads everything it needs in a handful of
statements and assembles it in Python.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from talentbridge.analytics.demand import occupation_pay_bins
from talentbridge.analytics.regions import ALL, parse_region, region_keys, without_districts
from talentbridge.domain.dates import month_index, month_name
from talentbridge.domain.divisions import in_circle
from talentbridge.store.demand_tables import (
    DemandCell,
    DemandOccupationSkill,
    DemandSkill,
    DemandSkillSalaryBin,
)
from talentbridge.store.tables import Cohort, Concept, Major, MajorOccupation, Organization
from talentbridge.store.teaching_tables import Course, CourseConcept, TrainingPlan

PERIOD_MONTHS = 12
CHUNK = 500  # ids per IN (...) list


@dataclass(frozen=True)
class Period:
    start: str
    end: str
    prev_start: str
    prev_end: str

    @property
    def months(self) -> list[str]:
        return _months(self.start, self.end)

    @property
    def all_months(self) -> list[str]:
        """The previous and the current period, oldest first (the trend series)."""
        return _months(self.prev_start, self.end)

    def to_dict(self) -> dict[str, str]:
        return {"start": self.start, "end": self.end, "prev_start": self.prev_start,
                "prev_end": self.prev_end}  # fmt: skip


@dataclass(frozen=True)
class ConceptInfo:
    """What reports show of a concept (a plain value: reports outlive their session)."""

    id: int
    key: str
    label_zh: str | None
    label_en: str | None
    kind: str


def concept_infos(session: Session, ids: Iterable[int]) -> dict[int, ConceptInfo]:
    out: dict[int, ConceptInfo] = {}
    for chunk in _chunks(ids):
        query = select(Concept.id, Concept.key, Concept.label_zh, Concept.label_en, Concept.kind)
        for row in session.execute(query.where(Concept.id.in_(chunk))):
            out[row[0]] = ConceptInfo(*row)
    return out


def _months(start: str, end: str) -> list[str]:
    return [month_name(i) for i in range(month_index(start), month_index(end) + 1)]


def _chunks(ids: Iterable[int]) -> list[list[int]]:
    unique = sorted(set(ids))
    return [unique[i : i + CHUNK] for i in range(0, len(unique), CHUNK)]


def latest_period(session: Session, end: str | None = None) -> Period | None:
    """The 12 months ending at ``end`` (default: the cube's newest month) and the 12
    before; ``None`` when the cube is empty."""
    if end is None:
        end = session.scalar(select(func.max(DemandCell.month)).where(DemandCell.region == ALL))
    if not end:
        return None
    last = month_index(end)
    return Period(
        start=month_name(last - PERIOD_MONTHS + 1),
        end=end,
        prev_start=month_name(last - 2 * PERIOD_MONTHS + 1),
        prev_end=month_name(last - PERIOD_MONTHS),
    )


# --- place of colleges ---------------------------------------------------------------


def org_region_keys(city_code: str | None, district_code: str | None) -> list[str]:
    """The region keys a college at this place counts in (as postings do)."""
    if not city_code and not district_code:
        return [ALL]
    code = district_code or city_code or ""
    province = code[:2] + "0000"
    return region_keys(province, city_code, district_code, in_circle(code))


def colleges_in_region(session: Session, region: str) -> dict[int, Organization]:
    key = parse_region(region).key
    query = select(Organization).where(Organization.kind == "college")
    return {
        org.id: org
        for org in session.scalars(query)
        if key in org_region_keys(org.city_code, org.district_code)
    }


# --- supply: graduates and what is taught --------------------------------------------


def graduates(
    session: Session, college_major_ids: Iterable[int], years: int
) -> dict[tuple[int, int], float]:
    """(college major id, direction key) → graduates per year; key 0 is the major's total."""
    by_key: dict[tuple[int, int], dict[int, int]] = defaultdict(dict)
    for ids in _chunks(college_major_ids):
        rows = session.execute(
            select(
                Cohort.college_major_id, Cohort.direction_key, Cohort.year, Cohort.graduated
            ).where(Cohort.college_major_id.in_(ids), Cohort.graduated.is_not(None))
        ).all()
        for cm_id, direction_key, year, graduated in rows:
            by_key[(cm_id, direction_key)][year] = int(graduated or 0)
    totals: dict[int, dict[int, int]] = defaultdict(dict)
    for (cm_id, direction_key), per_year in by_key.items():
        if direction_key:
            for year, n in per_year.items():
                totals[cm_id][year] = totals[cm_id].get(year, 0) + n
    for (cm_id, direction_key), per_year in by_key.items():
        if not direction_key:
            totals[cm_id].update(per_year)  # the stated total wins over summed directions
    out: dict[tuple[int, int], float] = {}
    for (cm_id, direction_key), per_year in list(by_key.items()) + [
        ((cm_id, 0), per_year) for cm_id, per_year in totals.items()
    ]:
        recent = sorted(per_year)[-years:]
        out[(cm_id, direction_key)] = sum(per_year[y] for y in recent) / len(recent)
    return out


def taught(session: Session, college_major_ids: Sequence[int]) -> dict[tuple[int, int], set[int]]:
    """(college major id, plan direction key) → concepts its courses teach (any year)."""
    out: dict[tuple[int, int], set[int]] = defaultdict(set)
    for ids in _chunks(college_major_ids):
        rows = session.execute(
            select(
                TrainingPlan.college_major_id, TrainingPlan.direction_key, CourseConcept.concept_id
            )
            .join(Course, Course.training_plan_id == TrainingPlan.id)
            .join(CourseConcept, CourseConcept.course_id == Course.id)
            .where(TrainingPlan.college_major_id.in_(ids))
        ).all()
        for cm_id, direction_key, concept in rows:
            out[(cm_id, direction_key)].add(concept)
    return out


def taught_concepts(session: Session, college_major_ids: Sequence[int]) -> set[int]:
    """Every concept the courses of these college majors teach."""
    return {c for concepts in taught(session, college_major_ids).values() for c in concepts}


def catalog(session: Session) -> tuple[dict[int, Major], dict[int, dict[str, list[int]]]]:
    """Catalog majors with 对口 occupations, and their ``primary``/``related`` ones."""
    links: dict[int, dict[str, list[int]]] = defaultdict(lambda: {"primary": [], "related": []})
    for major_id, occupation_id, strength in session.execute(
        select(MajorOccupation.major_id, MajorOccupation.occupation_id, MajorOccupation.strength)
    ):
        links[major_id]["primary" if strength == "primary" else "related"].append(occupation_id)
    majors = {
        m.id: m
        for m in session.scalars(select(Major).where(Major.id.in_(list(links)))).all()
        if m.item_level == "major"
    }
    return majors, {k: v for k, v in links.items() if k in majors}


# --- demand from the cube ------------------------------------------------------------


def occupation_months(
    session: Session, region: str, period: Period
) -> dict[int, dict[str, tuple[int, int]]]:
    """Occupation → month → (postings, openings) over both periods."""
    rows = session.execute(
        select(
            DemandCell.occupation_id,
            DemandCell.month,
            func.sum(DemandCell.postings),
            func.sum(DemandCell.openings),
        )
        .where(
            DemandCell.region == region,
            DemandCell.month >= period.prev_start,
            DemandCell.month <= period.end,
        )
        .group_by(DemandCell.occupation_id, DemandCell.month)
    ).all()
    out: dict[int, dict[str, tuple[int, int]]] = defaultdict(dict)
    for occupation, month, postings, openings in rows:
        out[occupation][month] = (int(postings or 0), int(openings or 0))
    return out


def occupation_bins(session: Session, region: str, period: Period) -> dict[int, dict[int, int]]:
    """Occupation → pay bin → postings over the current period."""
    return occupation_pay_bins(session, region=region, period=period)


def occupation_skills(
    session: Session, region: str, period: Period, occupations: Iterable[int]
) -> dict[int, dict[int, int]]:
    """Occupation → concept → postings over the current period."""
    out: dict[int, dict[int, int]] = defaultdict(dict)
    for ids in _chunks(occupations):
        rows = session.execute(
            select(
                DemandOccupationSkill.occupation_id,
                DemandOccupationSkill.concept_id,
                func.sum(DemandOccupationSkill.postings),
            )
            .where(
                DemandOccupationSkill.region == without_districts(region),
                DemandOccupationSkill.month >= period.start,
                DemandOccupationSkill.month <= period.end,
                DemandOccupationSkill.occupation_id.in_(ids),
            )
            .group_by(DemandOccupationSkill.occupation_id, DemandOccupationSkill.concept_id)
        ).all()
        for occupation, concept, n in rows:
            out[occupation][concept] = int(n or 0)
    return out


def skill_months(
    session: Session, region: str, period: Period, concepts: Iterable[int]
) -> dict[int, dict[str, int]]:
    """Concept → month → postings naming it, over both periods."""
    out: dict[int, dict[str, int]] = defaultdict(dict)
    for ids in _chunks(concepts):
        rows = session.execute(
            select(DemandSkill.concept_id, DemandSkill.month, DemandSkill.postings).where(
                DemandSkill.region == region,
                DemandSkill.month >= period.prev_start,
                DemandSkill.month <= period.end,
                DemandSkill.concept_id.in_(ids),
            )
        ).all()
        for concept, month, n in rows:
            out[concept][month] = int(n or 0)
    return out


def skill_bins(
    session: Session, region: str, period: Period, concepts: Iterable[int]
) -> dict[int, dict[int, int]]:
    """Concept → pay bin → postings naming it over the current period."""
    out: dict[int, dict[int, int]] = defaultdict(dict)
    for ids in _chunks(concepts):
        rows = session.execute(
            select(
                DemandSkillSalaryBin.concept_id,
                DemandSkillSalaryBin.bin,
                func.sum(DemandSkillSalaryBin.n),
            )
            .where(
                DemandSkillSalaryBin.region == without_districts(region),
                DemandSkillSalaryBin.concept_id.in_(ids),
                DemandSkillSalaryBin.month >= period.start,
                DemandSkillSalaryBin.month <= period.end,
            )
            .group_by(DemandSkillSalaryBin.concept_id, DemandSkillSalaryBin.bin)
        ).all()
        for concept, pay_bin, n in rows:
            out[concept][pay_bin] = int(n or 0)
    return out
