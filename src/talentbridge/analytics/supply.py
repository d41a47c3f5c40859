"""Supply vs demand per catalog major (and per major direction) in a region.

Everything is read from the demand cube and the registry, never from raw postings.
Definitions (also in ``docs/advice.md``):

* **Period**: the last 12 months the cube holds (ending at its newest month), and the
  12 months before it for the year-on-year comparison.
* **Demand** of a major: postings in the region over the period of its 对口
  occupations (``MajorOccupation``): ``primary`` occupations count fully, ``related``
  ones with ``AdviceSettings.related_weight``. Openings (招聘人数) likewise.
  ``demand_per_1000``: per 1,000 postings of the region. ``demand_index``: 100 × the
  major's postings / the mean over the catalog majors with any such postings (100 =
  an average major).
* **Demand** of a direction (专业方向): directions have no occupations of their own,
  so they are defined by skills: the concepts the extractor finds in the direction's
  name plus those taught only in the direction's training plans (not in the major's
  general plan). Its demand is the postings of the region naming its *leading* skill
  (the defining skill most asked for): a lower bound of the postings asking for any of
  them, without counting a posting twice.
* **Supply**: graduates per year from the cohorts of colleges located in the region
  (``Organization.city_code``/``district_code``), averaged over the last
  ``graduate_years`` years with a graduate count; per college major the row without
  direction is the total, else the direction rows are summed. ``supply_index``: 100 ×
  graduates / the mean over majors with graduates in the region.
* **Gap**: ``postings_per_graduate`` (postings in the period per yearly graduate) and
  ``gap_ratio`` = that / the same ratio over all majors the region's colleges graduate
  in (above 1: tighter than the region's average); ``None`` where the region
  graduates nobody in it.
* **Salary**: median monthly pay of the postings of the related occupations (summed
  pay bins, ``analytics.bins``); for a direction, of postings naming its leading skill.
* **Trend**: year-on-year growth of postings, ``significant`` when the change is more
  than twice its Poisson noise (√(now + before)); and, when ``with_forecast``, the
  6-month forecast of the monthly series (``analytics.forecast_cache``) with its
  backtest against the seasonal-naive baseline.
* **Skill profile**: concepts of the courses of the major's training plans in the region
  (or the college, for a college's view). **Coverage gap**: concepts demanded by the
  postings of the related occupations, ranked by postings, taught by no such course.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from talentbridge.analytics.bins import quantiles
from talentbridge.analytics.cube import get_state
from talentbridge.analytics.forecast import month_index, month_name
from talentbridge.analytics.regions import ALL, parse_region, region_keys, without_districts
from talentbridge.config import AdviceSettings
from talentbridge.domain.divisions import in_circle
from talentbridge.store.demand_tables import (
    DemandCell,
    DemandOccupationSkill,
    DemandSalaryBin,
    DemandSkill,
    DemandSkillSalaryBin,
)
from talentbridge.store.tables import (
    Cohort,
    CollegeMajor,
    Concept,
    Direction,
    Major,
    MajorOccupation,
    Organization,
)
from talentbridge.store.teaching_tables import Course, CourseConcept, TrainingPlan
from talentbridge.taxonomy.extractor import extractor_for

PERIOD_MONTHS = 12
HORIZON = 6
TOP_GAPS = 10


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


def _months(start: str, end: str) -> list[str]:
    return [month_name(i) for i in range(month_index(start), month_index(end) + 1)]


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


@dataclass(frozen=True)
class CollegeSupply:
    organization_id: int
    code: str
    name_zh: str
    name_en: str | None
    graduates: float


@dataclass
class SupplyItem:
    """One major (``direction_zh`` None) or one direction, in one region and period."""

    major_id: int
    major_code: str
    major_level: str
    major_name_zh: str
    major_name_en: str | None
    direction_zh: str | None = None
    direction_en: str | None = None
    primary: tuple[int, ...] = ()
    related: tuple[int, ...] = ()
    defining: tuple[int, ...] = ()  # a direction's defining concepts
    leading_concept: int | None = None
    postings: float = 0.0
    openings: float = 0.0
    prev_postings: float = 0.0
    series: list[float] = field(default_factory=list)  # monthly, over Period.all_months
    demand_per_1000: float = 0.0
    demand_index: float = 0.0
    graduates: float = 0.0
    supply_index: float | None = None
    postings_per_graduate: float | None = None
    gap_ratio: float | None = None
    salary_median: float | None = None
    yoy: float | None = None
    significant: bool = False
    forecast: dict[str, Any] | None = None
    forecast_growth: float | None = None
    colleges: list[CollegeSupply] = field(default_factory=list)
    taught: set[int] = field(default_factory=set)
    coverage_gaps: list[tuple[int, float]] = field(default_factory=list)
    top_skills: list[tuple[int, float]] = field(default_factory=list)  # most demanded

    @property
    def key(self) -> str:
        base = f"{self.major_level}:{self.major_code}"
        return f"{base}:{self.direction_zh}" if self.direction_zh else base

    @property
    def offered(self) -> bool:
        return bool(self.colleges)

    def occupations(self) -> tuple[int, ...]:
        return self.primary + self.related


@dataclass
class SupplyReport:
    region: str
    period: Period | None
    college_id: int | None
    items: list[SupplyItem]
    region_postings: float
    region_salary_median: float | None
    concepts: dict[int, Concept]
    data_version: int

    def majors(self) -> list[SupplyItem]:
        return [i for i in self.items if i.direction_zh is None]

    def directions(self) -> list[SupplyItem]:
        return [i for i in self.items if i.direction_zh is not None]

    def find(self, key: str) -> SupplyItem | None:
        return next((i for i in self.items if i.key == key), None)


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


# --- supply: graduates ---------------------------------------------------------------


def _graduates(
    session: Session, college_major_ids: Iterable[int], years: int
) -> dict[tuple[int, int], float]:
    """(college major id, direction key) → graduates per year; key 0 is the major's total."""
    ids = list(college_major_ids)
    if not ids:
        return {}
    rows = session.execute(
        select(Cohort.college_major_id, Cohort.direction_key, Cohort.year, Cohort.graduated).where(
            Cohort.college_major_id.in_(ids), Cohort.graduated.is_not(None)
        )
    ).all()
    by_key: dict[tuple[int, int], dict[int, int]] = defaultdict(dict)
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


# --- demand from the cube ------------------------------------------------------------


def _occupation_months(
    session: Session, region: str, period: Period
) -> dict[int, dict[str, tuple[int, int]]]:
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


def _occupation_bins(session: Session, region: str, period: Period) -> dict[int, dict[int, int]]:
    rows = session.execute(
        select(DemandSalaryBin.occupation_id, DemandSalaryBin.bin, func.sum(DemandSalaryBin.n))
        .where(
            DemandSalaryBin.region == region,
            DemandSalaryBin.month >= period.start,
            DemandSalaryBin.month <= period.end,
        )
        .group_by(DemandSalaryBin.occupation_id, DemandSalaryBin.bin)
    ).all()
    out: dict[int, dict[int, int]] = defaultdict(dict)
    for occupation, pay_bin, n in rows:
        out[occupation][pay_bin] = int(n or 0)
    return out


def _occupation_skills(
    session: Session, region: str, period: Period, occupations: Iterable[int]
) -> dict[int, dict[int, int]]:
    ids = list(set(occupations))
    if not ids:
        return {}
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
    out: dict[int, dict[int, int]] = defaultdict(dict)
    for occupation, concept, n in rows:
        out[occupation][concept] = int(n or 0)
    return out


def _skill_months(
    session: Session, region: str, period: Period, concepts: Iterable[int]
) -> dict[int, dict[str, int]]:
    ids = list(set(concepts))
    if not ids:
        return {}
    rows = session.execute(
        select(DemandSkill.concept_id, DemandSkill.month, DemandSkill.postings).where(
            DemandSkill.region == region,
            DemandSkill.month >= period.prev_start,
            DemandSkill.month <= period.end,
            DemandSkill.concept_id.in_(ids),
        )
    ).all()
    out: dict[int, dict[str, int]] = defaultdict(dict)
    for concept, month, n in rows:
        out[concept][month] = int(n or 0)
    return out


def _skill_bins(session: Session, region: str, period: Period, concept: int) -> dict[int, int]:
    rows = session.execute(
        select(DemandSkillSalaryBin.bin, func.sum(DemandSkillSalaryBin.n))
        .where(
            DemandSkillSalaryBin.region == without_districts(region),
            DemandSkillSalaryBin.concept_id == concept,
            DemandSkillSalaryBin.month >= period.start,
            DemandSkillSalaryBin.month <= period.end,
        )
        .group_by(DemandSkillSalaryBin.bin)
    ).all()
    return {b: int(n or 0) for b, n in rows}


def _median(bins: dict[int, int]) -> float | None:
    return quantiles(bins, (0.5,))[0]


def growth(now: float, before: float) -> tuple[float | None, bool]:
    """Year-on-year growth and whether it is more than twice its Poisson noise."""
    if before <= 0:
        return None, now > 0 and now > 2 * math.sqrt(now)
    change = now - before
    return change / before, abs(change) > 2 * math.sqrt(now + before)


# --- the catalog side ----------------------------------------------------------------


def _catalog(session: Session) -> tuple[dict[int, Major], dict[int, dict[str, list[int]]]]:
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


def _taught(session: Session, college_major_ids: Sequence[int]) -> dict[tuple[int, int], set[int]]:
    """(college major id, plan direction key) → concepts its courses teach (any year)."""
    if not college_major_ids:
        return {}
    rows = session.execute(
        select(TrainingPlan.college_major_id, TrainingPlan.direction_key, CourseConcept.concept_id)
        .join(Course, Course.training_plan_id == TrainingPlan.id)
        .join(CourseConcept, CourseConcept.course_id == Course.id)
        .where(TrainingPlan.college_major_id.in_(list(college_major_ids)))
    ).all()
    out: dict[tuple[int, int], set[int]] = defaultdict(set)
    for cm_id, direction_key, concept in rows:
        out[(cm_id, direction_key)].add(concept)
    return out


def _demand_of_major(
    item: SupplyItem,
    months: dict[int, dict[str, tuple[int, int]]],
    period: Period,
    related_weight: float,
) -> None:
    current = set(period.months)
    series = dict.fromkeys(period.all_months, 0.0)
    for occupation in item.occupations():
        weight = 1.0 if occupation in item.primary else related_weight
        for month, (postings, openings) in months.get(occupation, {}).items():
            if month in series:
                series[month] += weight * postings
            if month in current:
                item.openings += weight * openings
    item.series = [round(v, 2) for v in series.values()]
    item.postings = sum(v for m, v in series.items() if m in current)
    item.prev_postings = sum(v for m, v in series.items() if m not in current)


def supply_demand(
    session: Session,
    *,
    region: str = "circle",
    college_id: int | None = None,
    period: Period | None = None,
    advice: AdviceSettings | None = None,
    with_forecast: bool = True,
    top_gaps: int = TOP_GAPS,
) -> SupplyReport:
    """Supply vs demand of every catalog major with 对口 occupations (and every
    direction offered in the region) — see the module docstring for the definitions."""
    advice = advice or AdviceSettings()
    region = parse_region(region).key
    period = period or latest_period(session)
    state = get_state(session)
    version = int(state.version or 0)
    majors, links = _catalog(session)
    colleges = colleges_in_region(session, region)
    offerings = list(
        session.scalars(
            select(CollegeMajor).where(CollegeMajor.organization_id.in_(list(colleges)))
        )
    )
    graduates = _graduates(session, [o.id for o in offerings], advice.graduate_years)
    taught = _taught(session, [o.id for o in offerings])
    directions = list(
        session.scalars(
            select(Direction).where(Direction.college_major_id.in_([o.id for o in offerings]))
        )
    )
    items: dict[str, SupplyItem] = {}
    for major_id, catalog_major in sorted(majors.items(), key=lambda kv: (kv[1].level, kv[1].code)):
        major = catalog_major
        items[f"{major.level}:{major.code}"] = SupplyItem(
            major_id=major_id,
            major_code=major.code,
            major_level=major.level,
            major_name_zh=major.name_zh,
            major_name_en=major.name_en,
            primary=tuple(sorted(links[major_id]["primary"])),
            related=tuple(sorted(links[major_id]["related"])),
        )
    # supply and skill profile per major
    for offering in offerings:
        offered_major = majors.get(offering.major_id)
        if offered_major is None:
            continue
        item = items[f"{offered_major.level}:{offered_major.code}"]
        org = colleges[offering.organization_id]
        n = graduates.get((offering.id, 0), 0.0)
        item.colleges.append(CollegeSupply(org.id, org.code, org.name_zh, org.name_en, n))
        item.graduates += n
        if college_id is None or offering.organization_id == college_id:
            for (cm_id, _dk), concepts in taught.items():
                if cm_id == offering.id:
                    item.taught |= concepts
    # directions, grouped by (major, name) across the region's colleges
    offering_by_id = {o.id: o for o in offerings}
    extractor = extractor_for(session)
    for direction in sorted(directions, key=lambda d: (d.college_major_id, d.name_zh)):
        offering = offering_by_id[direction.college_major_id]
        parent = majors.get(offering.major_id)
        if parent is None:
            continue
        major = parent
        key = f"{major.level}:{major.code}:{direction.name_zh}"
        found = items.get(key)
        if found is None:
            named = extractor.concepts(direction.name_zh)
            found = SupplyItem(
                major_id=major.id,
                major_code=major.code,
                major_level=major.level,
                major_name_zh=major.name_zh,
                major_name_en=major.name_en,
                direction_zh=direction.name_zh,
                direction_en=direction.name_en,
                primary=items[f"{major.level}:{major.code}"].primary,
                related=items[f"{major.level}:{major.code}"].related,
                defining=tuple(sorted(c for c, h in named.items() if not h.negated)),
            )
            items[key] = found
        org = colleges[offering.organization_id]
        n = graduates.get((offering.id, direction.id), 0.0)
        found.colleges.append(CollegeSupply(org.id, org.code, org.name_zh, org.name_en, n))
        found.graduates += n
        own = taught.get((offering.id, direction.id), set())
        general = taught.get((offering.id, 0), set())
        found.defining = tuple(sorted(set(found.defining) | (own - general)))
        if college_id is None or offering.organization_id == college_id:
            found.taught |= own | general
    report = SupplyReport(region, period, college_id, list(items.values()), 0.0, None, {}, version)
    if period is None:
        return report
    months = _occupation_months(session, region, period)
    bins = _occupation_bins(session, region, period)
    current = set(period.months)
    report.region_postings = float(
        sum(p for per in months.values() for m, (p, _o) in per.items() if m in current)
    )
    region_bins: dict[int, int] = defaultdict(int)
    for per in bins.values():
        for b, n in per.items():
            region_bins[b] += n
    report.region_salary_median = _median(region_bins)
    skill_months = _skill_months(
        session, region, period, [c for i in report.directions() for c in i.defining]
    )
    for item in report.majors():
        _demand_of_major(item, months, period, advice.related_weight)
        major_bins: dict[int, int] = defaultdict(int)
        for occupation in item.occupations():
            for b, n in bins.get(occupation, {}).items():
                major_bins[b] += n
        item.salary_median = _median(major_bins)
    for item in report.directions():
        totals = {c: sum(n for m, n in skill_months.get(c, {}).items() if m in current)
                  for c in item.defining}  # fmt: skip
        if not totals or max(totals.values()) <= 0:
            continue
        leading = max(sorted(totals), key=lambda c: totals[c])
        item.leading_concept = leading
        per_month = skill_months.get(leading, {})
        item.series = [float(per_month.get(m, 0)) for m in period.all_months]
        item.postings = float(totals[leading])
        item.openings = item.postings
        item.prev_postings = float(sum(n for m, n in per_month.items() if m not in current))
        item.salary_median = _median(_skill_bins(session, region, period, leading))
    _indexes(report)
    _coverage(session, report, period, top_gaps)
    if with_forecast:
        _forecasts(session, report, period, version, advice.min_postings)
    return report


def _indexes(report: SupplyReport) -> None:
    majors = report.majors()
    demanded = [i.postings for i in majors if i.postings > 0]
    mean_demand = sum(demanded) / len(demanded) if demanded else 0.0
    offered = [i for i in majors if i.graduates > 0]
    mean_supply = sum(i.graduates for i in offered) / len(offered) if offered else 0.0
    graduates = sum(i.graduates for i in offered)
    per_graduate = sum(i.postings for i in offered) / graduates if graduates else 0.0
    for item in report.items:
        if report.region_postings:
            item.demand_per_1000 = round(1000 * item.postings / report.region_postings, 2)
        item.demand_index = round(100 * item.postings / mean_demand, 1) if mean_demand else 0.0
        if item.graduates > 0 and mean_supply:
            item.supply_index = round(100 * item.graduates / mean_supply, 1)
            item.postings_per_graduate = round(item.postings / item.graduates, 2)
            if per_graduate > 0:
                item.gap_ratio = round(item.postings_per_graduate / per_graduate, 2)
        item.yoy, item.significant = growth(item.postings, item.prev_postings)
        item.postings = round(item.postings, 1)
        item.openings = round(item.openings, 1)
        item.prev_postings = round(item.prev_postings, 1)


def _coverage(session: Session, report: SupplyReport, period: Period, top: int) -> None:
    occupations = {o for i in report.majors() for o in i.occupations()}
    skills = _occupation_skills(session, report.region, period, occupations)
    wanted: set[int] = set()
    for item in report.items:
        demanded: dict[int, float] = defaultdict(float)
        for occupation in item.occupations():
            for concept, n in skills.get(occupation, {}).items():
                demanded[concept] += n
        ranked = sorted(demanded.items(), key=lambda kv: (-kv[1], kv[0]))
        item.coverage_gaps = [(c, n) for c, n in ranked if c not in item.taught][:top]
        item.top_skills = ranked[:top]
        wanted |= {c for c, _ in ranked[:top]} | {c for c, _ in item.coverage_gaps}
        wanted |= item.taught | set(item.defining)
    if wanted:
        report.concepts = {
            c.id: c for c in session.scalars(select(Concept).where(Concept.id.in_(wanted)))
        }


def _forecasts(
    session: Session, report: SupplyReport, period: Period, version: int, min_postings: int
) -> None:
    from talentbridge.analytics.forecast_cache import forecast_series

    for item in report.items:
        if item.postings < min_postings or not any(item.series):
            continue
        result = forecast_series(
            session,
            series_key=f"supply:{report.region}:{item.key}"[:120],
            data_version=f"{version}:{period.end}",
            start_month=period.prev_start,
            values=item.series,
            horizon=HORIZON,
        )
        if not result.ok:
            continue
        item.forecast = result.to_dict()
        recent = sum(item.series[-HORIZON:])
        if recent > 0 and result.beats_baseline:
            item.forecast_growth = round(sum(result.point) / recent - 1, 3)


def taught_concepts(session: Session, college_major_ids: Sequence[int]) -> set[int]:
    """Every concept the courses of these college majors teach."""
    return {c for concepts in _taught(session, college_major_ids).values() for c in concepts}
