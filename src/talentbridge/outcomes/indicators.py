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

from sqlalchemy import ColumnElement, RowMapping, and_, or_, select, true
from sqlalchemy.orm import Session

from talentbridge.accounts.principal import Principal
from talentbridge.outcomes.cells import (
    GroupKey,
    GroupValue,
    IndicatorCell,
    SalaryCell,
    suppressed_rows,
)
from talentbridge.outcomes.enrollment import (
    EnrollmentCell,
    EnrollmentRow,
    EnrollmentTable,
    enrollment_table,
)
from talentbridge.outcomes.groups import (
    PROFILE,
    Labeller,
    OutcomesScope,
    dimension_column,
    parse_by,
    resolve_scope,
    sort_key,
)
from talentbridge.outcomes.population import (
    EMPLOYMENT,
    IN_WORK,
    IS_ABROAD,
    IS_CLASSIFIABLE,
    IS_EMPLOYED,
    IS_FURTHER_STUDY,
    IS_PLACE_KNOWN,
    IS_PLACE_UNKNOWN,
    IS_PLACED,
    IS_RELATED,
    IS_UNCLASSIFIED,
    NO_RECORD,
    PLACED,
    STAYS_IN_REGION,
    count,
    graduates_from,
    reporting_years,
    scope_filters,
)
from talentbridge.outcomes.salary import (
    STARTING_SALARY,
    SalaryRow,
    SalaryTable,
    compute_salaries,
    salary_table,
)


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
    # Side counts of graduates outside the denominator: with it, the population a cell
    # describes (small-number protection looks at both).
    outside: tuple[str, ...] = ()

    @property
    def population(self) -> ColumnElement[bool]:
        extra = dict(self.extras)
        return or_(self.den, *(extra[name] for name in self.outside))


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        key="placement_rate",
        name_zh="毕业去向落实率",
        name_en="placement rate",
        numerator="graduates with a destination: employed, further study, enlisted, "
        "self-employed or flexible employment",
        denominator="graduates (a graduate without a placement record counts as not placed)",
        excluded="nothing; graduates without a record are shown apart as no_record",
        num=IS_PLACED,
        den=true(),
        extras=(("no_record", NO_RECORD),),
    ),
    Indicator(
        key="employment_rate",
        name_zh="就业率",
        name_en="employment rate",
        numerator="graduates employed, enlisted, self-employed or in flexible employment",
        denominator="graduates (a graduate without a placement record counts as not employed)",
        excluded="further study counts in the denominator only; shown apart as further_study",
        num=IS_EMPLOYED,
        den=true(),
        extras=(
            ("no_record", NO_RECORD),
            ("further_study", IS_FURTHER_STUDY),
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
        num=IS_RELATED,
        den=IS_CLASSIFIABLE,
        extras=(("unclassified", IS_UNCLASSIFIED),),
        lower_bound_extra="unclassified",
        outside=("unclassified",),
    ),
    Indicator(
        key="stay_in_region_rate",
        name_zh="留在成渝就业率",
        name_en="staying in the region",
        numerator="employed graduates (as in the employment rate) working in the "
        "Chengdu–Chongqing economic circle",
        denominator="employed graduates whose place of work is known (abroad counts as known)",
        excluded="employed graduates with no known place, shown apart as unknown_place",
        num=STAYS_IN_REGION,
        den=IS_PLACE_KNOWN,
        extras=(("unknown_place", IS_PLACE_UNKNOWN),),
        outside=("unknown_place",),
    ),
    Indicator(
        key="abroad_rate",
        name_zh="出国（境）率",
        name_en="going abroad",
        numerator="placed graduates who work or study abroad",
        denominator="graduates",
        excluded="nothing; abroad work and abroad study are shown apart",
        num=and_(IS_PLACED, IS_ABROAD),
        den=true(),
        extras=(
            ("abroad_work", and_(IS_EMPLOYED, IS_ABROAD)),
            ("abroad_study", and_(IS_FURTHER_STUDY, IS_ABROAD)),
        ),
    ),
)
INDICATORS_BY_KEY: dict[str, Indicator] = {i.key: i for i in INDICATORS}
# Not rates, defined below: the salary distribution and enrollment.
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


# --- computing -----------------------------------------------------------------------


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
    direction_id: int | None = None,
    zone: str | None = None,
    indicators: Sequence[str] | None = None,
) -> dict[str, IndicatorTable]:
    """Every rate indicator (or those named) grouped by ``by``, protected for
    aggregate display. College staff get their own college unless ``alliance``."""
    dims = parse_by(by)
    scope = resolve_scope(
        principal,
        dims,
        college_id=college_id,
        alliance=alliance,
        years=years,
        major_id=major_id,
        direction_id=direction_id,
        zone=zone,
    )
    unknown = [k for k in indicators or () if k not in INDICATORS_BY_KEY]
    if unknown:
        raise ValueError(f"not a rate indicator: {', '.join(unknown)}")
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
        counts.append(count(ind.num).label(f"{ind.key}__num"))
        counts.append(count(ind.den).label(f"{ind.key}__den"))
        counts.extend(count(cond).label(f"{ind.key}__{name}") for name, cond in ind.extras)
        if scope.viewer_college is not None:
            mine = PROFILE.c.organization_id == scope.viewer_college
            counts.append(count(and_(ind.den, mine)).label(f"{ind.key}__own_den"))
            counts.append(count(and_(ind.population, mine)).label(f"{ind.key}__own_pop"))
    stmt = (
        select(*group_cols, *counts)
        .select_from(graduates_from())
        .where(*scope_filters(session, scope))
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
        sizes = [_sizes(ind, row, scope) for _, row in keyed]
        forced = [i for i in range(len(cells)) if _too_small(sizes[i], min_cell)]
        populations = [size[1] for size in sizes[: len(cells)]]
        hidden = suppressed_rows(keys, populations, min_cell, forced)
        rows = [
            IndicatorRow(
                group=tuple(labeller.value(d, v) for d, v in zip(dims, key, strict=True)),
                cell=cell.hidden() if i in hidden else cell,
            )
            for i, (key, cell) in enumerate(zip(keys, cells, strict=True))
        ]
        total_sizes = [sum(size[k] for size in sizes) for k in range(4)]
        if _too_small(total_sizes, min_cell):
            total = total.hidden()
        out[ind.key] = IndicatorTable(
            indicator=ind, by=dims, scope=scope, min_cell=min_cell, rows=rows, total=total
        )
    return out


def _sizes(ind: Indicator, row: RowMapping, scope: OutcomesScope) -> list[int]:
    """How many graduates a cell's figures are about: the denominator, the population
    (denominator and side counts outside it), and the same counted without the viewer's
    own college (college staff looking at the alliance; else the same two again)."""
    den = int(row[f"{ind.key}__den"])
    population = den + sum(int(row[f"{ind.key}__{name}"]) for name in ind.outside)
    if scope.viewer_college is None:
        return [den, population, den, population]
    own_den, own_pop = int(row[f"{ind.key}__own_den"]), int(row[f"{ind.key}__own_pop"])
    return [den, population, den - own_den, population - own_pop]


def _too_small(sizes: Sequence[int], min_cell: int) -> bool:
    return any(0 < n < min_cell for n in sizes)


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
