"""Starting salary (起薪) median and quartiles (issue 8).

Population: graduates of the scope in work (employed, self-employed, flexible; not
enlisted) who reported a monthly salary above 0 yuan. The salaries are fetched with
their grouping values by one SQL query and the quartiles are worked out in Python
(``cells.salary_quartiles``: linear interpolation, the same as PostgreSQL's
``percentile_cont``), so SQLite and PostgreSQL give the same answer. A group of fewer
than ``min_cell`` salaries is suppressed (for college staff looking at the alliance, also
one with fewer than ``min_cell`` salaries of other colleges); medians cannot be
subtracted from a total, so no complementary suppression is needed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from talentbridge.accounts.principal import Principal
from talentbridge.outcomes.cells import GroupKey, GroupValue, SalaryCell, suppress_count
from talentbridge.outcomes.groups import (
    PROFILE,
    Labeller,
    OutcomesScope,
    dimension_column,
    parse_by,
    resolve_scope,
    sort_key,
)
from talentbridge.outcomes.population import HAS_SALARY, SALARY, graduates_from, scope_filters

STARTING_SALARY = "starting_salary"


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
    direction_id: int | None = None,
    zone: str | None = None,
) -> SalaryTable:
    """Starting salary quartiles grouped by ``by``, in the principal's scope (as
    ``indicators.indicator_tables``)."""
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
    return compute_salaries(session, scope, dims, min_cell=min_cell)


def compute_salaries(
    session: Session, scope: OutcomesScope, dims: Sequence[str], *, min_cell: int
) -> SalaryTable:
    """The salary table of an already authorised scope (no access check here)."""
    dims = tuple(dims)
    group_cols = [dimension_column(d).label(f"g{i}") for i, d in enumerate(dims)]
    stmt = (
        select(*group_cols, PROFILE.c.organization_id, SALARY)
        .select_from(graduates_from())
        .where(*scope_filters(session, scope), HAS_SALARY)
    )
    groups: dict[GroupKey, list[int]] = {}
    own: dict[GroupKey, int] = {}  # salaries of the viewer's own college per group
    everyone: list[int] = []
    for row in session.execute(stmt):
        values: tuple[Any, ...] = tuple(row)
        key: GroupKey = values[:-2]
        salary = int(values[-1])
        groups.setdefault(key, []).append(salary)
        everyone.append(salary)
        if scope.viewer_college is not None and values[-2] == scope.viewer_college:
            own[key] = own.get(key, 0) + 1
    keys = sorted(groups, key=sort_key) if dims else []
    labeller = Labeller(session, dims, keys)
    rows = []
    for key in keys:
        cell = SalaryCell.of(groups[key])
        if _withheld(len(groups[key]), own.get(key, 0), min_cell):
            cell = cell.hidden()
        group = tuple(labeller.value(d, v) for d, v in zip(dims, key, strict=True))
        rows.append(SalaryRow(group=group, cell=cell))
    total = SalaryCell.of(everyone)
    if _withheld(len(everyone), sum(own.values()), min_cell):
        total = total.hidden()
    return SalaryTable(by=dims, scope=scope, min_cell=min_cell, rows=rows, total=total)


def _withheld(n: int, own: int, min_cell: int) -> bool:
    """Too few salaries, or too few of other colleges beside the viewer's own."""
    return suppress_count(n, min_cell) is None or suppress_count(n - own, min_cell) is None
