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
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from talentbridge.analytics import supply_queries as q
from talentbridge.analytics.bins import quantiles
from talentbridge.analytics.cube import get_state
from talentbridge.analytics.regions import parse_region
from talentbridge.analytics.supply_queries import (
    ConceptInfo,
    Period,
    colleges_in_region,
    latest_period,
    org_region_keys,
    taught_concepts,
)
from talentbridge.config import AdviceSettings
from talentbridge.store.tables import CollegeMajor, Direction
from talentbridge.taxonomy.extractor import extractor_for

HORIZON = 6
TOP_GAPS = 10

__all__ = [
    "CollegeSupply",
    "ConceptInfo",
    "Period",
    "SupplyItem",
    "SupplyReport",
    "colleges_in_region",
    "growth",
    "latest_period",
    "org_region_keys",
    "supply_demand",
    "taught_concepts",
]


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
    concepts: dict[int, ConceptInfo]
    data_version: int

    def majors(self) -> list[SupplyItem]:
        return [i for i in self.items if i.direction_zh is None]

    def directions(self) -> list[SupplyItem]:
        return [i for i in self.items if i.direction_zh is not None]

    def find(self, key: str) -> SupplyItem | None:
        return next((i for i in self.items if i.key == key), None)


def _median(bins: dict[int, int]) -> float | None:
    return quantiles(bins, (0.5,))[0]


def growth(now: float, before: float) -> tuple[float | None, bool]:
    """Year-on-year growth and whether it is more than twice its Poisson noise."""
    if before <= 0:
        return None, now > 0 and now > 2 * math.sqrt(now)
    change = now - before
    return change / before, abs(change) > 2 * math.sqrt(now + before)


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
    majors, links = q.catalog(session)
    colleges = colleges_in_region(session, region)
    offerings = list(
        session.scalars(
            select(CollegeMajor).where(CollegeMajor.organization_id.in_(list(colleges)))
        )
    )
    graduates = q.graduates(session, [o.id for o in offerings], advice.graduate_years)
    taught = q.taught(session, [o.id for o in offerings])
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
    extractor = extractor_for(session) if directions else None
    for direction in sorted(directions, key=lambda d: (d.college_major_id, d.name_zh)):
        offering = offering_by_id[direction.college_major_id]
        parent = majors.get(offering.major_id)
        if parent is None:
            continue
        major = parent
        key = f"{major.level}:{major.code}:{direction.name_zh}"
        found = items.get(key)
        if found is None:
            named = extractor.concepts(direction.name_zh) if extractor is not None else {}
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
    months = q.occupation_months(session, region, period)
    bins = q.occupation_bins(session, region, period)
    current = set(period.months)
    report.region_postings = float(
        sum(p for per in months.values() for m, (p, _o) in per.items() if m in current)
    )
    region_bins: dict[int, int] = defaultdict(int)
    for per in bins.values():
        for b, n in per.items():
            region_bins[b] += n
    report.region_salary_median = _median(region_bins)
    skill_months = q.skill_months(
        session, region, period, [c for i in report.directions() for c in i.defining]
    )
    leading_of: dict[str, int] = {}
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
        leading_of[item.key] = leading
    skill_bins = q.skill_bins(session, region, period, leading_of.values())
    for item in report.directions():
        if item.key in leading_of:
            item.salary_median = _median(skill_bins.get(leading_of[item.key], {}))
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
    skills = q.occupation_skills(session, report.region, period, occupations)
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
        report.concepts = q.concept_infos(session, wanted)


def _forecasts(
    session: Session, report: SupplyReport, period: Period, version: int, min_postings: int
) -> None:
    from talentbridge.analytics.forecast_cache import cached_forecasts, forecast_series

    data_version = f"{version}:{period.end}"
    wanted = {
        f"supply:{report.region}:{item.key}"[:120]: item
        for item in report.items
        if item.postings >= min_postings and any(item.series)
    }
    stored = cached_forecasts(session, list(wanted), data_version, HORIZON)
    for series_key, item in wanted.items():
        result = stored.get(series_key) or forecast_series(
            session,
            series_key=series_key,
            data_version=data_version,
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
