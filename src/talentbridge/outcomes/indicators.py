"""Employment-outcome indicators (issue 8), each defined once here and written out in
``docs/indicators.md`` (a test keeps the two in step).

The population of every graduate indicator is the **graduates** of the scope: profiles
whose ``graduation_year`` is one of the years asked for (by default every year in which
some graduate of the scope has a placement record), of the college asked for. A graduate
without a placement record counts as a graduate who is not placed, and is shown apart
as ``no_record``. The counts are SQL aggregates (``SUM(CASE …)`` grouped by the asked
dimensions, the same on SQLite and PostgreSQL); rates, salary quartiles and suppression
are worked out in Python from those counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Join,
    RowMapping,
    and_,
    case,
    func,
    not_,
    or_,
    select,
    true,
)
from sqlalchemy.orm import Session

from talentbridge.accounts.principal import Principal
from talentbridge.outcomes.cells import (
    GroupKey,
    GroupValue,
    IndicatorCell,
    SalaryCell,
    suppress_count,
    suppressed_rows,
)
from talentbridge.outcomes.enrollment import (
    EnrollmentCell,
    EnrollmentRow,
    EnrollmentTable,
    enrollment_table,
)
from talentbridge.outcomes.groups import (
    COLLEGE_MAJOR,
    PLACEMENT,
    PROFILE,
    Labeller,
    OutcomesScope,
    dimension_column,
    parse_by,
    resolve_scope,
    sort_key,
)
from talentbridge.store.tables import MajorOccupation, table_of

MAJOR_OCCUPATION = table_of(MajorOccupation)
_P = PLACEMENT.c

# --- the populations the definitions are made of ------------------------------------

# Every MOE destination but "not yet employed" is a destination (去向落实).
PLACED: tuple[str, ...] = ("employed", "further_study", "enlisted", "self_employed", "flexible")
# Employment (就业) as the MOE counts it: contract or other employment, enlistment
# (应征义务兵), self-employment (自主创业) and flexible employment (灵活就业); not
# further study (升学), not "not yet employed".
EMPLOYMENT: tuple[str, ...] = ("employed", "enlisted", "self_employed", "flexible")
# In civilian work, with an occupation and a pay: employment minus enlistment.
IN_WORK: tuple[str, ...] = ("employed", "self_employed", "flexible")

_has_record = _P.id.is_not(None)
_no_record = _P.id.is_(None)
_placed = _P.destination.in_(PLACED)
_employment = _P.destination.in_(EMPLOYMENT)
_in_work = _P.destination.in_(IN_WORK)
_abroad = _P.abroad.is_(True)
_classifiable = and_(_in_work, _P.occupation_id.is_not(None), COLLEGE_MAJOR.c.major_id.is_not(None))
_related = and_(_classifiable, MAJOR_OCCUPATION.c.major_id.is_not(None))
_place_known = and_(_employment, or_(_abroad, _P.in_circle.is_not(None)))
_stays = and_(_employment, _P.in_circle.is_(True), not_(_abroad))


@dataclass(frozen=True)
class Indicator:
    """A rate over graduates: SQL conditions for who counts in the numerator and the
    denominator, side counts shown beside it, and the words of its definition."""

    key: str
    name_zh: str
    name_en: str
    numerator: str
    denominator: str
    excluded: str
    num: ColumnElement[bool] = field(repr=False, compare=False)
    den: ColumnElement[bool] = field(repr=False, compare=False)
    extras: tuple[tuple[str, ColumnElement[bool]], ...] = field(
        default=(), repr=False, compare=False
    )
    # A side count added to the denominator for a lower bound of the rate.
    lower_bound_extra: str | None = None


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        key="placement_rate",
        name_zh="毕业去向落实率",
        name_en="placement rate",
        numerator="graduates with a destination: employed, further study, enlisted, "
        "self-employed or flexible employment",
        denominator="graduates (a graduate without a placement record counts as not placed)",
        excluded="nothing; graduates without a record are shown apart as no_record",
        num=_placed,
        den=true(),
        extras=(("no_record", _no_record),),
    ),
    Indicator(
        key="employment_rate",
        name_zh="就业率",
        name_en="employment rate",
        numerator="graduates employed, enlisted, self-employed or in flexible employment",
        denominator="graduates (a graduate without a placement record counts as not employed)",
        excluded="further study counts in the denominator only; shown apart as further_study",
        num=_employment,
        den=true(),
        extras=(
            ("no_record", _no_record),
            ("further_study", _P.destination == "further_study"),
        ),
    ),
    Indicator(
        key="related_employment_rate",
        name_zh="专业对口就业率",
        name_en="major-related employment rate",
        numerator="graduates in work whose occupation is related (primary or related) "
        "to their major through the major → occupation relation",
        denominator="graduates in work (employed, self-employed, flexible) with a known "
        "occupation and a known major",
        excluded="enlisted and further study; graduates in work without a known occupation "
        "(or major) are shown apart as unclassified, and the lower bound counts them as "
        "unrelated",
        num=_related,
        den=_classifiable,
        extras=(("unclassified", and_(_in_work, not_(_classifiable))),),
        lower_bound_extra="unclassified",
    ),
    Indicator(
        key="stay_in_region_rate",
        name_zh="留在成渝就业率",
        name_en="staying in the region",
        numerator="employed graduates (as in the employment rate) working in the "
        "Chengdu–Chongqing economic circle",
        denominator="employed graduates whose place of work is known (abroad counts as known)",
        excluded="employed graduates with no known place, shown apart as unknown_place",
        num=_stays,
        den=_place_known,
        extras=(("unknown_place", and_(_employment, not_(_place_known))),),
    ),
    Indicator(
        key="abroad_rate",
        name_zh="出国（境）率",
        name_en="going abroad",
        numerator="placed graduates who work or study abroad",
        denominator="graduates",
        excluded="nothing; abroad work and abroad study are shown apart",
        num=and_(_placed, _abroad),
        den=true(),
        extras=(
            ("abroad_work", and_(_employment, _abroad)),
            ("abroad_study", and_(_P.destination == "further_study", _abroad)),
        ),
    ),
)
INDICATORS_BY_KEY: dict[str, Indicator] = {i.key: i for i in INDICATORS}
# Not rates, defined below: the salary distribution and enrollment.
STARTING_SALARY = "starting_salary"
ENROLLMENT = "enrollment"
ALL_INDICATOR_KEYS: tuple[str, ...] = (*INDICATORS_BY_KEY, STARTING_SALARY, ENROLLMENT)


@dataclass(frozen=True)
class IndicatorRow:
    group: tuple[GroupValue, ...]
    cell: IndicatorCell

    @property
    def key(self) -> GroupKey:
        return tuple(g.key for g in self.group)


@dataclass(frozen=True)
class IndicatorTable:
    """One indicator grouped by ``by``: its rows and the total of the scope."""

    indicator: Indicator
    by: tuple[str, ...]
    scope: OutcomesScope
    min_cell: int
    rows: list[IndicatorRow]
    total: IndicatorCell


@dataclass(frozen=True)
class SalaryRow:
    group: tuple[GroupValue, ...]
    cell: SalaryCell

    @property
    def key(self) -> GroupKey:
        return tuple(g.key for g in self.group)


@dataclass(frozen=True)
class SalaryTable:
    """Starting salary (monthly yuan) of graduates in work who reported one."""

    by: tuple[str, ...]
    scope: OutcomesScope
    min_cell: int
    rows: list[SalaryRow]
    total: SalaryCell


# --- computing -----------------------------------------------------------------------


def _count(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0).cast(Integer)


def _graduates_from() -> Join:
    """profile ⟕ placement ⟕ college major ⟕ major_occupation (at most one row each)."""
    return (
        PROFILE.outerjoin(PLACEMENT, PLACEMENT.c.profile_id == PROFILE.c.id)
        .outerjoin(COLLEGE_MAJOR, COLLEGE_MAJOR.c.id == PROFILE.c.college_major_id)
        .outerjoin(
            MAJOR_OCCUPATION,
            and_(
                MAJOR_OCCUPATION.c.major_id == COLLEGE_MAJOR.c.major_id,
                MAJOR_OCCUPATION.c.occupation_id == PLACEMENT.c.occupation_id,
            ),
        )
    )


def _scope_filters(session: Session, scope: OutcomesScope) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if scope.college_id is not None:
        where.append(PROFILE.c.organization_id == scope.college_id)
    if scope.major_id is not None:
        where.append(COLLEGE_MAJOR.c.major_id == scope.major_id)
    years = scope.years if scope.years is not None else reporting_years(session, scope)
    where.append(PROFILE.c.graduation_year.in_(years))
    return where


def reporting_years(session: Session, scope: OutcomesScope) -> tuple[int, ...]:
    """Graduation years in which some graduate of the scope has a placement record."""
    stmt = (
        select(PROFILE.c.graduation_year)
        .select_from(PROFILE.join(PLACEMENT, PLACEMENT.c.profile_id == PROFILE.c.id))
        .distinct()
    )
    if scope.college_id is not None:
        stmt = stmt.where(PROFILE.c.organization_id == scope.college_id)
    return tuple(sorted(int(y) for y in session.scalars(stmt)))


def indicator_tables(
    session: Session,
    principal: Principal,
    *,
    by: Sequence[str] | str | None = (),
    min_cell: int,
    college_id: int | None = None,
    alliance: bool = False,
    years: Sequence[int] | None = None,
    major_id: int | None = None,
    indicators: Sequence[str] | None = None,
) -> dict[str, IndicatorTable]:
    """Every rate indicator (or those named) grouped by ``by``, protected for
    aggregate display. College staff get their own college unless ``alliance``."""
    dims = parse_by(by)
    scope = resolve_scope(
        principal, dims, college_id=college_id, alliance=alliance, years=years, major_id=major_id
    )
    chosen = [INDICATORS_BY_KEY[k] for k in (indicators or INDICATORS_BY_KEY)]
    return compute_rates(session, scope, dims, chosen, min_cell=min_cell)


def indicator_table(
    session: Session, principal: Principal, key: str, **options: object
) -> IndicatorTable:
    """One rate indicator; options as ``indicator_tables``."""
    tables = indicator_tables(session, principal, indicators=[key], **options)  # type: ignore[arg-type]
    return tables[key]


def compute_rates(
    session: Session,
    scope: OutcomesScope,
    dims: Sequence[str],
    chosen: Sequence[Indicator],
    *,
    min_cell: int,
) -> dict[str, IndicatorTable]:
    """The rates of an already authorised scope (no access check here)."""
    dims = tuple(dims)
    group_cols = [dimension_column(d).label(f"g{i}") for i, d in enumerate(dims)]
    counts: list[ColumnElement[int]] = []
    for ind in chosen:
        counts.append(_count(ind.num).label(f"{ind.key}__num"))
        counts.append(_count(ind.den).label(f"{ind.key}__den"))
        counts.extend(_count(cond).label(f"{ind.key}__{name}") for name, cond in ind.extras)
    stmt = (
        select(*group_cols, *counts)
        .select_from(_graduates_from())
        .where(*_scope_filters(session, scope))
    )
    if group_cols:
        stmt = stmt.group_by(*group_cols)
    fetched = [row._mapping for row in session.execute(stmt)]
    totals_only = not dims
    keyed = sorted(
        ((tuple(row[f"g{i}"] for i in range(len(dims))), row) for row in fetched),
        key=lambda kr: sort_key(kr[0]),
    )
    labeller = Labeller(session, dims, (k for k, _ in keyed))
    out: dict[str, IndicatorTable] = {}
    for ind in chosen:
        cells = [_cell(ind, row) for _, row in keyed]
        total = _sum_cells(ind, cells)
        if totals_only:
            cells = []
        keys = [k for k, _ in keyed][: len(cells)]
        hidden = suppressed_rows(keys, [c.n or 0 for c in cells], min_cell)
        rows = [
            IndicatorRow(
                group=tuple(labeller.value(d, v) for d, v in zip(dims, key, strict=True)),
                cell=cell.hidden() if i in hidden else cell.with_small_extras_hidden(min_cell),
            )
            for i, (key, cell) in enumerate(zip(keys, cells, strict=True))
        ]
        total = (
            total.hidden()
            if 0 < (total.n or 0) < min_cell
            else total.with_small_extras_hidden(min_cell)
        )
        out[ind.key] = IndicatorTable(
            indicator=ind, by=dims, scope=scope, min_cell=min_cell, rows=rows, total=total
        )
    return out


def _cell(ind: Indicator, row: RowMapping) -> IndicatorCell:
    get = row.__getitem__
    extras = {name: int(get(f"{ind.key}__{name}")) for name, _ in ind.extras}
    num, den = int(get(f"{ind.key}__num")), int(get(f"{ind.key}__den"))
    lower = den + extras[ind.lower_bound_extra] if ind.lower_bound_extra else None
    return IndicatorCell.of(num, den, extras, lower_denominator=lower)


def _sum_cells(ind: Indicator, cells: Sequence[IndicatorCell]) -> IndicatorCell:
    """The scope's total: counts add up (every graduate is in exactly one row)."""
    num = sum(c.numerator or 0 for c in cells)
    den = sum(c.denominator or 0 for c in cells)
    extras = {name: sum(c.extras.get(name) or 0 for c in cells) for name, _ in ind.extras}
    lower = den + extras[ind.lower_bound_extra] if ind.lower_bound_extra else None
    return IndicatorCell.of(num, den, extras, lower_denominator=lower)


def salary_table(
    session: Session,
    principal: Principal,
    *,
    by: Sequence[str] | str | None = (),
    min_cell: int,
    college_id: int | None = None,
    alliance: bool = False,
    years: Sequence[int] | None = None,
    major_id: int | None = None,
) -> SalaryTable:
    """Starting salary quartiles of graduates in work (employed, self-employed,
    flexible) who reported a monthly salary above 0, grouped by ``by``."""
    dims = parse_by(by)
    scope = resolve_scope(
        principal, dims, college_id=college_id, alliance=alliance, years=years, major_id=major_id
    )
    return compute_salaries(session, scope, dims, min_cell=min_cell)


def compute_salaries(
    session: Session, scope: OutcomesScope, dims: Sequence[str], *, min_cell: int
) -> SalaryTable:
    dims = tuple(dims)
    group_cols = [dimension_column(d).label(f"g{i}") for i, d in enumerate(dims)]
    stmt = (
        select(*group_cols, _P.salary_monthly)
        .select_from(_graduates_from())
        .where(*_scope_filters(session, scope), _in_work, _P.salary_monthly > 0)
    )
    groups: dict[GroupKey, list[int]] = {}
    everyone: list[int] = []
    for row in session.execute(stmt):
        values: tuple[Any, ...] = tuple(row)
        key: GroupKey = values[:-1]
        salary = int(values[-1])
        groups.setdefault(key, []).append(salary)
        everyone.append(salary)
    keys = sorted(groups, key=sort_key) if dims else []
    labeller = Labeller(session, dims, keys)
    rows = []
    for key in keys:
        cell = SalaryCell.of(groups[key])
        if suppress_count(cell.n, min_cell) is None:
            cell = cell.hidden()
        rows.append(
            SalaryRow(
                group=tuple(labeller.value(d, v) for d, v in zip(dims, key, strict=True)),
                cell=cell,
            )
        )
    total = SalaryCell.of(everyone)
    if suppress_count(total.n, min_cell) is None:
        total = total.hidden()
    return SalaryTable(by=dims, scope=scope, min_cell=min_cell, rows=rows, total=total)


__all__ = [
    "ALL_INDICATOR_KEYS",
    "EMPLOYMENT",
    "ENROLLMENT",
    "INDICATORS",
    "INDICATORS_BY_KEY",
    "IN_WORK",
    "PLACED",
    "STARTING_SALARY",
    "EnrollmentCell",
    "EnrollmentRow",
    "EnrollmentTable",
    "GroupValue",
    "Indicator",
    "IndicatorCell",
    "IndicatorRow",
    "IndicatorTable",
    "OutcomesScope",
    "SalaryCell",
    "SalaryRow",
    "SalaryTable",
    "compute_rates",
    "compute_salaries",
    "enrollment_table",
    "indicator_table",
    "indicator_tables",
    "reporting_years",
    "salary_table",
]
