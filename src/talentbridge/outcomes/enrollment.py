"""Enrollment per major and direction over the years (issue 8), from the yearly cohorts
of the registry (``Cohort``: enrolled, graduated per college major and direction).

A college major's figure for a year is its stated whole-major cohort (``direction_key``
0) when there is one, else the sum of its directions' cohorts (the rule of
``analytics.supply_queries``). Grouped by ``direction``, each direction's cohorts are
rows and a whole-major cohort is the ``(no direction)`` row of a college major that
has no direction cohort that year. Growth is against the same group's previous year
(``None`` when that year has no figure or 0). Enrollment counts are published cohort
sizes, not facts about a person, so they are not suppressed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from talentbridge.accounts.principal import Principal
from talentbridge.outcomes.cells import GroupKey, GroupValue
from talentbridge.outcomes.groups import GRADUATE_DIMS, Labeller, parse_by, resolve_scope, sort_key
from talentbridge.store.tables import Cohort, CollegeMajor


@dataclass(frozen=True)
class EnrollmentCell:
    enrolled: int | None
    graduated: int | None
    enrolled_growth: float | None  # (this year - previous year) / previous year


@dataclass(frozen=True)
class EnrollmentRow:
    group: tuple[GroupValue, ...]  # the asked dimensions, then the year
    cell: EnrollmentCell

    @property
    def key(self) -> GroupKey:
        return tuple(g.key for g in self.group)


@dataclass(frozen=True)
class EnrollmentTable:
    by: tuple[str, ...]  # always ends with "year"
    college_id: int | None
    rows: list[EnrollmentRow]


def enrollment_table(
    session: Session,
    principal: Principal,
    *,
    by: Sequence[str] | str | None = ("major",),
    college_id: int | None = None,
    alliance: bool = False,
    years: Sequence[int] | None = None,
    major_id: int | None = None,
) -> EnrollmentTable:
    """Enrolled and graduated per year, grouped by any of college, major, direction."""
    dims = tuple(d for d in parse_by(by) if d != "year")
    for dim in dims:
        if dim not in GRADUATE_DIMS:
            raise ValueError(f"enrollment cannot be grouped by {dim!r}")
    scope = resolve_scope(
        principal, dims, college_id=college_id, alliance=alliance, years=years, major_id=major_id
    )
    stmt = select(
        CollegeMajor.organization_id,
        CollegeMajor.major_id,
        Cohort.college_major_id,
        Cohort.direction_key,
        Cohort.year,
        Cohort.enrolled,
        Cohort.graduated,
    ).join(CollegeMajor, CollegeMajor.id == Cohort.college_major_id)
    if scope.college_id is not None:
        stmt = stmt.where(CollegeMajor.organization_id == scope.college_id)
    if scope.major_id is not None:
        stmt = stmt.where(CollegeMajor.major_id == scope.major_id)
    # (college major, year) -> direction key -> (college, major, enrolled, graduated)
    found: dict[tuple[int, int], dict[int, tuple[int, int, int | None, int | None]]] = defaultdict(
        dict
    )
    for org, major, cm, dkey, year, enrolled, graduated in session.execute(stmt):
        found[(cm, year)][dkey] = (org, major, enrolled, graduated)
    sums: dict[GroupKey, list[int | None]] = {}
    for (_cm, year), by_direction in found.items():
        has_directions = any(k for k in by_direction)
        if "direction" in dims:
            parts = [(k, v) for k, v in by_direction.items() if k or not has_directions]
        elif 0 in by_direction:
            parts = [(0, by_direction[0])]
        else:
            parts = list(by_direction.items())
        for dkey, (org, major, enrolled, graduated) in parts:
            values: dict[str, int | None] = {
                "college": org,
                "major": major,
                "direction": dkey or None,
            }
            key: GroupKey = (*(values[d] for d in dims), year)
            acc = sums.setdefault(key, [None, None])
            acc[0] = _add(acc[0], enrolled)
            acc[1] = _add(acc[1], graduated)
    keys = sorted(sums, key=sort_key)
    labeller = Labeller(session, (*dims, "year"), keys)
    rows = []
    for key in keys:
        enrolled, graduated = sums[key]
        if scope.years is not None and key[-1] not in scope.years:
            continue
        previous = sums.get((*key[:-1], int(key[-1]) - 1))  # type: ignore[arg-type]
        growth = None
        if previous is not None and previous[0] and enrolled is not None:
            growth = (enrolled - previous[0]) / previous[0]
        rows.append(
            EnrollmentRow(
                group=tuple(
                    labeller.value(d, v) for d, v in zip((*dims, "year"), key, strict=True)
                ),
                cell=EnrollmentCell(enrolled=enrolled, graduated=graduated, enrolled_growth=growth),
            )
        )
    return EnrollmentTable(by=(*dims, "year"), college_id=scope.college_id, rows=rows)


def _add(total: int | None, value: int | None) -> int | None:
    if value is None:
        return total
    return (total or 0) + value
