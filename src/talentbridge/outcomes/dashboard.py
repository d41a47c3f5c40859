"""The outcomes dashboard as plain records: every indicator of a group (``figures_by``),
graduates by destination (``destination_counts``, a read the indicators do not give),
and the whole overview or college page (``dashboard``) for the principal's scope.
Figures come from ``outcomes.indicators`` and ``outcomes.salary``, enrollment from
``outcomes.enrollment``; small cells are suppressed there and here alike."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from talentbridge.accounts.directory import holds_sample_data
from talentbridge.accounts.outcomes_policy import (
    can_break_down_by_college,
)
from talentbridge.accounts.principal import Principal
from talentbridge.outcomes.cells import (
    GroupKey,
    GroupValue,
    IndicatorCell,
    SalaryCell,
    suppress_count,
    suppressed_rows,
)
from talentbridge.outcomes.enrollment import enrollment_table
from talentbridge.outcomes.groups import (
    PLACEMENT,
    Labeller,
    OutcomesScope,
    dimension_column,
    resolve_scope,
    sort_key,
)
from talentbridge.outcomes.indicators import indicator_tables, reporting_years
from talentbridge.outcomes.population import graduates_from, scope_filters
from talentbridge.outcomes.salary import salary_table
from talentbridge.outcomes.views import (
    SALARY,
    EnrollmentSeries,
    Figure,
    FilterChoices,
    GroupFigures,
    OutcomeFilters,
    filter_choices,
    major_id_by_code,
    may_drill,
    scope_college,
)
from talentbridge.store.outcomes_tables import DESTINATIONS
from talentbridge.store.tables import (
    Major,
    Organization,
)

# --- figures of groups ---------------------------------------------------------------------

# Which records are behind each indicator's figure (its numerator), as drill-down filters.
DRILL: dict[str, dict[str, str]] = {
    "placement_rate": {},  # every graduate's record, with where they went
    "employment_rate": {},
    "related_employment_rate": {"related": "related"},
    "stay_in_region_rate": {"region": "circle"},
    "abroad_rate": {"region": "abroad"},
    SALARY: {"destination": "employed"},
}


@dataclass(frozen=True)
class Ask:
    """What a page asks of the indicators: the scope and the filters."""

    threshold: int
    college_id: int | None = None
    alliance: bool = False
    years: tuple[int, ...] | None = None
    major_id: int | None = None
    direction_id: int | None = None
    zone: str | None = None

    def but(self, **changes: Any) -> Ask:
        return replace(self, **changes)

    def options(self, by: tuple[str, ...]) -> dict[str, Any]:
        return {
            "by": by,
            "min_cell": self.threshold,
            "college_id": self.college_id,
            "alliance": self.alliance,
            "years": self.years,
            "major_id": self.major_id,
            "direction_id": self.direction_id,
            "zone": self.zone,
        }


def _rate_figure(key: str, cell: IndicatorCell) -> Figure:
    return Figure(
        indicator=key,
        value=cell.value,
        numerator=cell.numerator,
        denominator=cell.denominator,
        suppressed=cell.suppressed,
        unclassifiable=cell.extras.get("unclassified"),
    )


def _salary_figure(cell: SalaryCell) -> Figure:
    return Figure(
        indicator=SALARY,
        value=cell.median,
        denominator=cell.n,
        suppressed=cell.suppressed,
        q1=cell.p25,
        q3=cell.p75,
    )


class _Codes:
    """Codes of colleges and majors by id, for drill-down links."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.colleges: dict[int, str] = {}
        self.majors: dict[int, str] = {}

    def load(self, keys: list[tuple[GroupValue, ...]]) -> None:
        colleges = {g.key for k in keys for g in k if g.dim == "college" and isinstance(g.key, int)}
        majors = {g.key for k in keys for g in k if g.dim == "major" and isinstance(g.key, int)}
        if colleges:
            self.colleges.update(
                (int(i), str(c))
                for i, c in self.session.execute(
                    select(Organization.id, Organization.code).where(Organization.id.in_(colleges))
                )
            )
        if majors:
            self.majors.update(
                (int(i), str(c))
                for i, c in self.session.execute(
                    select(Major.id, Major.code).where(Major.id.in_(majors))
                )
            )

    def drill(self, base: dict[str, str], group: tuple[GroupValue, ...]) -> dict[str, str]:
        out = dict(base)
        for g in group:
            if g.key is None:
                continue
            if g.dim == "college":
                out["college"] = self.colleges.get(int(g.key), str(g.key))
            elif g.dim == "major":
                out["major"] = self.majors.get(int(g.key), str(g.key))
            elif g.dim == "zone":
                out["region"] = str(g.key)
            else:
                out[g.dim] = str(g.key)
        return out


def unknown_place(group: tuple[GroupValue, ...]) -> bool:
    """A group of graduates whose place of work is unknown (records cannot be narrowed to it)."""
    return any(g.dim == "zone" and g.key == "unknown" for g in group)


def figures_by(
    session: Session,
    principal: Principal,
    dims: tuple[str, ...],
    ask: Ask,
    drill_base: dict[str, str] | None = None,
) -> list[GroupFigures]:
    """Every indicator grouped by ``dims`` (``()``: the scope's total, one group).
    ``drill_base`` (the records filters of the scope) makes
    each group carry its drill-down query; ``None`` when the principal may not drill."""
    rates = indicator_tables(session, principal, **ask.options(dims))
    salaries = salary_table(session, principal, **ask.options(dims))
    rows: dict[GroupKey, dict[str, Figure]] = {}
    groups: dict[GroupKey, tuple[GroupValue, ...]] = {}
    graduates: dict[GroupKey, int | None] = {}
    if not dims:
        total = {key: _rate_figure(key, t.total) for key, t in rates.items()}
        total[SALARY] = _salary_figure(salaries.total)
        rows[()] = total
        groups[()] = ()
        graduates[()] = rates["placement_rate"].total.n
    for key, table in rates.items():
        for row in table.rows:
            rows.setdefault(row.key, {})[key] = _rate_figure(key, row.cell)
            groups[row.key] = row.group
            if key == "placement_rate":
                graduates[row.key] = row.cell.n
    for srow in salaries.rows:
        if srow.key in rows:
            rows[srow.key][SALARY] = _salary_figure(srow.cell)
    codes = _Codes(session)
    codes.load(list(groups.values()))
    out = []
    for k, figures in rows.items():
        grp = groups[k]
        label_zh = " · ".join(g.zh for g in grp)
        label_en = " · ".join(g.en for g in grp)
        year = next((int(g.key) for g in grp if g.dim == "year" and g.key is not None), None)
        code = next(
            (codes.drill({}, (g,)).get(g.dim) for g in grp if g.dim in ("college", "major")),
            None,
        )
        out.append(
            GroupFigures(
                label_zh=label_zh,
                label_en=label_en,
                graduates=graduates.get(k),
                figures=figures,
                drill=codes.drill(drill_base, grp)
                if drill_base is not None and not unknown_place(grp)
                else None,
                code=code,
                year=year,
            )
        )
    return out


def drill_query(group: GroupFigures, indicator: str) -> dict[str, str] | None:
    """The records query behind one figure (``None``: no drill-down for this viewer)."""
    if group.drill is None:
        return None
    return {**group.drill, **DRILL.get(indicator, {})}


# --- destinations (a read the indicators do not provide) ----------------------------------

NO_RECORD = "no_record"
DESTINATION_COLUMNS: tuple[str, ...] = (*DESTINATIONS, NO_RECORD)


@dataclass(frozen=True)
class DestinationRow:
    """Graduates of one group by destination (``no_record``: no placement record);
    ``None`` where a count is suppressed."""

    group: GroupFigures
    counts: dict[str, int | None]


def destination_counts(
    session: Session,
    principal: Principal,
    dims: tuple[str, ...],
    ask: Ask,
    drill_base: dict[str, str] | None = None,
) -> list[DestinationRow]:
    """Counts of graduates per destination grouped by ``dims`` (and the total when
    ``dims`` is empty), protected like the indicator tables: a count below the
    threshold is hidden, and so is its smallest sibling when it alone would give it away
    (``cells.suppressed_rows`` over group × destination)."""
    scope = resolve_scope(
        principal,
        dims,
        college_id=ask.college_id,
        alliance=ask.alliance,
        years=ask.years,
        major_id=ask.major_id,
        direction_id=ask.direction_id,
        zone=ask.zone,
    )
    group_cols = [dimension_column(d).label(f"g{i}") for i, d in enumerate(dims)]
    destination = func.coalesce(PLACEMENT.c.destination, NO_RECORD).label("destination")
    stmt = (
        select(*group_cols, destination, func.count().label("n"))
        .select_from(graduates_from())
        .where(*scope_filters(session, scope))
        .group_by(*group_cols, destination)
    )
    counts: dict[GroupKey, dict[str, int]] = {}
    for row in session.execute(stmt):
        values = tuple(row)
        key: GroupKey = values[: len(dims)]
        counts.setdefault(key, {})[str(values[-2])] = int(values[-1])
    keys = sorted(counts, key=sort_key)
    cell_keys: list[GroupKey] = []
    cell_counts: list[int] = []
    for key in keys:
        for name in DESTINATION_COLUMNS:
            cell_keys.append((*key, name))
            cell_counts.append(counts[key].get(name, 0))
    hidden = suppressed_rows(cell_keys, cell_counts, ask.threshold)
    labeller = Labeller(session, dims, keys)
    codes = _Codes(session)
    groups = [tuple(labeller.value(d, v) for d, v in zip(dims, key, strict=True)) for key in keys]
    codes.load(groups)
    rows: list[DestinationRow] = []
    i = 0
    for key in keys:
        shown: dict[str, int | None] = {}
        for name in DESTINATION_COLUMNS:
            shown[name] = None if i in hidden else cell_counts[i]
            i += 1
        total = sum(counts[key].values())
        group = groups[len(rows)]
        rows.append(
            DestinationRow(
                group=GroupFigures(
                    label_zh=" · ".join(g.zh for g in group),
                    label_en=" · ".join(g.en for g in group),
                    graduates=suppress_count(total, ask.threshold),
                    figures={},
                    drill=codes.drill(drill_base, group) if drill_base is not None else None,
                ),
                counts=shown,
            )
        )
    return rows


# --- the dashboard ---------------------------------------------------------------------


@dataclass(frozen=True)
class Dashboard:
    """The overview (``college`` None: the alliance) or one college's page."""

    filters: OutcomeFilters
    college: Organization | None
    year: int | None  # the graduation year shown (default: the latest with records)
    years: list[int]  # graduation years with placement records in the scope
    threshold: int
    current: GroupFigures | None  # the scope in that year
    alliance: GroupFigures | None  # the alliance beside a college
    trend: list[GroupFigures]  # the scope by graduation year
    alliance_trend: list[GroupFigures]
    colleges: list[GroupFigures]  # side by side (only where the principal may see that)
    majors: list[GroupFigures]  # by major in that year
    regions: list[GroupFigures]  # by zone of work in that year
    destinations: list[DestinationRow]  # by major in that year, then the total
    enrollment: list[EnrollmentSeries]
    choices: FilterChoices
    can_drill: bool
    synthetic: bool


def _enrollment(
    session: Session, principal: Principal, college_id: int | None, major_id: int | None
) -> list[EnrollmentSeries]:
    """Major totals (and, for one college, each direction) by year."""
    dims: list[tuple[str, ...]] = [("major",)]
    if college_id is not None:
        dims.append(("major", "direction"))
    series: list[EnrollmentSeries] = []
    for by in dims:
        table = enrollment_table(
            session, principal, by=by, college_id=college_id, alliance=college_id is None,
            major_id=major_id,
        )  # fmt: skip
        points: dict[GroupKey, list[tuple[int, int | None]]] = {}
        labels: dict[GroupKey, tuple[GroupValue, ...]] = {}
        for row in table.rows:
            key = row.key[:-1]
            if "direction" in by and key[-1] is None:
                continue  # the major as a whole is its own series
            points.setdefault(key, []).append((int(str(row.key[-1])), row.cell.enrolled))
            labels[key] = row.group[:-1]
        for key, values in points.items():
            names = labels[key]
            series.append(
                EnrollmentSeries(
                    major_code=names[0].zh.split(" ")[0],
                    label_zh=" · ".join(g.zh for g in names),
                    label_en=" · ".join(g.en for g in names),
                    direction=names[1].zh if len(names) > 1 else None,
                    points=sorted(values),
                )
            )
    return sorted(series, key=lambda s: (s.major_code, s.direction or ""))


def dashboard(
    session: Session,
    principal: Principal,
    filters: OutcomeFilters,
    *,
    threshold: int,
    college_code: str | None = None,
) -> Dashboard:
    """Every indicator of the scope (a college, or the alliance) for the chosen year,
    its trend, the majors compared, where graduates work and enrollment over the years.
    College staff get their own college with the alliance beside it; another college is
    ``NotFound``."""
    college = scope_college(session, principal, college_code or filters.college)
    college_id = college.id if college is not None else None
    major_id = major_id_by_code(session, filters.major)
    base = Ask(
        threshold=threshold,
        college_id=college_id,
        alliance=college_id is None,
        major_id=major_id,
        direction_id=int(filters.direction) if filters.direction else None,
        zone=filters.region,
    )
    years = list(reporting_years(session, OutcomesScope(college_id=college_id)))
    year = filters.year if filters.year is not None else (years[-1] if years else None)
    # Records cannot be narrowed to "place unknown": no drill-down under that filter.
    drill_ok = may_drill(principal, college_id) and filters.region != "unknown"
    drill_base: dict[str, str] | None = None  # every year (the trend adds each row's)
    drill_year: dict[str, str] | None = None  # the year shown
    if drill_ok:
        drill_base = filters.query(college=college.code if college else None, year=None)
        drill_year = {**drill_base, **({"year": str(year)} if year is not None else {})}
    in_year = base.but(years=(year,) if year is not None else None)
    current = figures_by(session, principal, (), in_year, drill_year) if year else []
    alliance: list[GroupFigures] = []
    alliance_trend: list[GroupFigures] = []
    if college is not None:
        beside = in_year.but(college_id=None, alliance=True)
        alliance = figures_by(session, principal, (), beside) if year else []
        alliance_trend = figures_by(session, principal, ("year",), beside.but(years=None))
    colleges: list[GroupFigures] = []
    if college is None and can_break_down_by_college(principal) and year is not None:
        colleges = figures_by(session, principal, ("college",), in_year, drill_year)
    no_zone = in_year.but(zone=None)
    return Dashboard(
        filters=filters,
        college=college,
        year=year,
        years=years,
        threshold=threshold,
        current=current[0] if current else None,
        alliance=alliance[0] if alliance else None,
        trend=figures_by(session, principal, ("year",), base, drill_base),
        alliance_trend=alliance_trend,
        colleges=colleges,
        majors=figures_by(session, principal, ("major",), in_year, drill_year) if year else [],
        regions=figures_by(session, principal, ("zone",), no_zone, drill_year) if year else [],
        destinations=(
            destination_counts(session, principal, ("major",), in_year, drill_year)
            + destination_counts(session, principal, (), in_year, drill_year)
            if year
            else []
        ),
        enrollment=_enrollment(session, principal, college_id, major_id),
        choices=filter_choices(session, principal, college_id),
        can_drill=drill_ok,
        synthetic=holds_sample_data(session),
    )
