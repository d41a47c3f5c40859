"""What the outcomes pages, downloads and API show, as plain records (no SQL in handlers).

The figures themselves come from ``outcomes.indicators`` (each formula defined once
there); this module asks for the groupings a page needs, in the principal's scope
(``accounts.outcomes_policy``), and reshapes them: ``Figure`` is one indicator of one
group (value, numerator, denominator, suppressed or not), ``GroupFigures`` every
indicator of one group with the query that drills down to its records. It also reads
the choices of the filter form (years, colleges, majors, directions).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from talentbridge.accounts.outcomes_policy import (
    can_break_down_by_college,
    can_view_college_outcomes,
    can_view_outcomes,
    can_view_placement_records,
    outcomes_college,
)
from talentbridge.accounts.principal import Principal
from talentbridge.errors import Forbidden, NotFound
from talentbridge.outcomes.placements import RELATED, PlacementFilters
from talentbridge.store.outcomes_tables import DESTINATIONS
from talentbridge.store.tables import (
    Cohort,
    CollegeMajor,
    Direction,
    Major,
    Organization,
    Profile,
)

# Indicators shown on every page, in this order (names as in ``outcomes.indicators``).
RATES: tuple[str, ...] = (
    "placement_rate",
    "employment_rate",
    "related_employment_rate",
    "stay_in_region_rate",
    "abroad_rate",
)
SALARY = "starting_salary"
INDICATORS: tuple[str, ...] = (*RATES, SALARY)
REGIONS: tuple[str, ...] = ("circle", "elsewhere", "abroad", "unknown")  # groups.ZONES


@dataclass(frozen=True)
class OutcomeFilters:
    """The filter form: each ``None`` means every value."""

    year: int | None = None
    college: str | None = None  # organization code
    major: str | None = None  # catalog major code
    direction: str | None = None  # direction name (zh)
    region: str | None = None  # one of REGIONS

    def query(self, **changes: object) -> dict[str, str]:
        """The filters as query parameters (with ``changes`` applied), empty ones left out."""
        values: dict[str, object] = {
            "year": self.year,
            "college": self.college,
            "major": self.major,
            "direction": self.direction,
            "region": self.region,
        }
        values.update(changes)
        return {k: str(v) for k, v in values.items() if v not in (None, "")}


@dataclass(frozen=True)
class Figure:
    """One indicator of one group. ``value`` is a share (0–1) for rates and yuan per
    month for pay; ``suppressed`` when it was computed from fewer graduates than the
    small-cell threshold (then ``value``, ``numerator`` and ``denominator`` are None)."""

    indicator: str
    value: float | None
    numerator: int | None = None
    denominator: int | None = None
    suppressed: bool = False
    q1: float | None = None
    q3: float | None = None
    unclassifiable: int | None = None  # related rate: employed with no classifiable occupation

    @property
    def kind(self) -> str:
        return "money" if self.indicator == SALARY else "rate"


@dataclass(frozen=True)
class GroupFigures:
    """Every indicator of one group (a college, major, direction, year or the alliance)."""

    label_zh: str
    label_en: str | None
    graduates: int | None  # None: suppressed
    figures: dict[str, Figure]
    drill: dict[str, str] | None = None  # query of /outcomes/records (None: no drill-down)
    code: str | None = None  # college or major code, where the group is one
    year: int | None = None

    def label(self, lang: str) -> str:
        return self.label_en if lang == "en" and self.label_en else self.label_zh


@dataclass(frozen=True)
class EnrollmentSeries:
    """Enrolled students by year of one major (``direction`` None: the major as a whole)
    or one of its directions; ``first_year`` is when the track first enrolled."""

    major_code: str
    label_zh: str
    label_en: str | None
    direction: str | None
    points: list[tuple[int, int | None]]  # (year, enrolled); None: suppressed

    def label(self, lang: str) -> str:
        return self.label_en if lang == "en" and self.label_en else self.label_zh

    @property
    def first_year(self) -> int | None:
        return next((y for y, v in self.points if v), None)

    @property
    def growth(self) -> float | None:
        """Enrolled in the last year ÷ enrolled in the first year with students, − 1."""
        values = [v for _, v in self.points if v]
        if len(values) < 2:
            return None
        return values[-1] / values[0] - 1.0


@dataclass(frozen=True)
class Choice:
    value: str
    label_zh: str
    label_en: str | None = None

    def label(self, lang: str) -> str:
        return self.label_en if lang == "en" and self.label_en else self.label_zh


@dataclass(frozen=True)
class FilterChoices:
    years: list[int]
    colleges: list[Choice]  # empty when the principal may not choose a college
    majors: list[Choice]
    directions: list[Choice]
    regions: tuple[str, ...] = REGIONS


# --- access --------------------------------------------------------------------------


def require_outcomes(principal: Principal) -> None:
    if not can_view_outcomes(principal):
        raise Forbidden("your role may not see employment outcomes")


def college_by_code(session: Session, code: str) -> Organization:
    college = session.scalar(
        select(Organization).where(Organization.code == code, Organization.kind == "college")
    )
    if college is None:
        raise NotFound(f"no college with code {code!r}")
    return college


def college_code_of(session: Session, college_id: int) -> str | None:
    org = session.get(Organization, college_id)
    return org.code if org is not None else None


def major_id_by_code(session: Session, code: str | None) -> int | None:
    """The catalog major with ``code`` (``None`` for no code; ``NotFound`` if unknown)."""
    if not code:
        return None
    found = session.scalar(
        select(Major.id).where(Major.code == code, Major.item_level == "major").order_by(Major.id)
    )
    if found is None:
        raise NotFound(f"no major with code {code!r}")
    return int(found)


def scope_college(session: Session, principal: Principal, code: str | None) -> Organization | None:
    """The college whose figures the principal asked for (college staff: always their
    own). ``NotFound`` for a college the principal may not see in detail (nothing leaks)."""
    require_outcomes(principal)
    own = outcomes_college(principal)
    if code is None:
        return session.get(Organization, own) if own is not None else None
    college = college_by_code(session, code)
    if not can_view_college_outcomes(principal, college.id):
        raise NotFound(f"no college with code {code!r}")
    return college


def may_drill(principal: Principal, college_id: int | None) -> bool:
    """Whether figures of ``college_id`` (``None``: the alliance) link to their records."""
    if college_id is None:
        return can_view_placement_records(principal, None) and outcomes_college(principal) is None
    return can_view_placement_records(principal, college_id)


# --- filter choices --------------------------------------------------------------------


def filter_choices(session: Session, principal: Principal, college_id: int | None) -> FilterChoices:
    """Years with graduates or enrollment, the colleges the principal may pick, and the
    majors and directions offered (by the chosen college, or anywhere)."""
    years = sorted(
        {y for y in session.scalars(select(Profile.graduation_year).distinct()) if y}
        | {y for y in session.scalars(select(Cohort.year).distinct()) if y},
        reverse=True,
    )
    colleges: list[Choice] = []
    if can_break_down_by_college(principal):
        colleges = [
            Choice(o.code, o.name_zh, o.name_en)
            for o in session.scalars(
                select(Organization)
                .where(Organization.kind == "college")
                .order_by(Organization.code)
            )
        ]
    majors_q = (
        select(Major.code, Major.name_zh, Major.name_en)
        .join(CollegeMajor, CollegeMajor.major_id == Major.id)
        .distinct()
        .order_by(Major.code)
    )
    directions_q = (
        select(Direction.id, Direction.name_zh, Direction.name_en, Organization.name_zh)
        .join(CollegeMajor, CollegeMajor.id == Direction.college_major_id)
        .join(Organization, Organization.id == CollegeMajor.organization_id)
        .order_by(Organization.code, Direction.name_zh, Direction.id)
    )
    if college_id is not None:
        majors_q = majors_q.where(CollegeMajor.organization_id == college_id)
        directions_q = directions_q.where(CollegeMajor.organization_id == college_id)
    majors = [Choice(code, zh, en) for code, zh, en in session.execute(majors_q)]
    # A direction is a college's own track: its id is the filter value; over several
    # colleges the college is named beside it.
    directions = [
        Choice(
            str(did),
            zh if college_id is not None else f"{zh} · {college}",
            (en or zh) if college_id is not None else f"{en or zh} · {college}",
        )
        for did, zh, en, college in session.execute(directions_q)
    ]
    return FilterChoices(years=years, colleges=colleges, majors=majors, directions=directions)


# --- drill-down ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordsQuery:
    """The query of ``/outcomes/records`` as the page received it (codes, not ids)."""

    college: str | None = None
    major: str | None = None
    year: int | None = None
    direction: str | None = None
    region: str | None = None
    destination: str | None = None
    related: str | None = None

    def params(self, **changes: object) -> dict[str, str]:
        values: dict[str, object] = dict(self.__dict__)
        values.update(changes)
        return {k: str(v) for k, v in values.items() if v not in (None, "")}


def records_filters(session: Session, query: RecordsQuery) -> PlacementFilters:
    """The drill-down query as ``outcomes.placements`` filters (codes resolved to ids;
    ``NotFound`` for an unknown college or major, ``ValueError`` for an unknown region,
    destination or relatedness)."""
    college_id = college_by_code(session, query.college).id if query.college else None
    major_id = major_id_by_code(session, query.major)
    if query.destination and query.destination not in DESTINATIONS:
        raise ValueError(f"unknown destination {query.destination!r}")
    if query.related and query.related not in RELATED:
        raise ValueError(f"unknown relatedness {query.related!r}; use {', '.join(RELATED)}")
    zone: dict[str, dict[str, bool]] = {
        "circle": {"in_circle": True, "abroad": False},
        "elsewhere": {"in_circle": False, "abroad": False},
        "abroad": {"abroad": True},
    }
    if query.region and query.region not in zone:
        raise ValueError(f"unknown region {query.region!r}; use {', '.join(zone)}")
    place: dict[str, bool] = zone.get(query.region or "", {})
    return PlacementFilters(
        college_id=college_id,
        graduation_year=query.year,
        major_id=major_id,
        direction_id=int(query.direction) if query.direction else None,
        destination=query.destination or None,
        related=query.related or None,
        in_circle=place.get("in_circle"),
        abroad=place.get("abroad"),
    )
