"""Cells of outcome tables and small-number protection (issue 8).

A cell is one figure of a grouped table: a rate with its numerator and denominator, a
salary distribution, or an enrollment count. Aggregate tables are protected before
anyone sees them:

* **primary suppression**: a cell computed from fewer than ``min_cell`` graduates
  (``0 < n < min_cell`` for its denominator or the population it describes; see
  ``indicators.compute_rates``) shows no value and no counts (``suppressed=True``);
* **complementary suppression**: within a group of sibling cells whose total is shown
  (the rows that share every grouping value but one), a single suppressed cell could be
  recovered by subtracting the others from the total; so when exactly one cell of such
  a group is suppressed, the next smallest cell of the group is suppressed too, and this
  repeats until no group has exactly one suppressed cell.

When college staff look at the alliance, their own college's part of every cell is
known to them; a cell whose other colleges' part is small (``0 < n - own < min_cell``)
is then suppressed as well (``forced``), so the alliance minus their own college does
not single out a graduate of another college.

Side counts shown beside a rate (graduates without a record, unclassifiable
occupations …) follow their cell: shown with it, withheld with it (like the numerator,
they are counts within a population of at least ``min_cell`` graduates).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from statistics import median, quantiles

GroupKey = tuple[int | str | None, ...]


@dataclass(frozen=True)
class GroupValue:
    """One grouping value of a row: the dimension, its key (an id, a year, a code) and
    what to show in each language."""

    dim: str
    key: int | str | None
    zh: str
    en: str


@dataclass(frozen=True)
class IndicatorCell:
    """A rate: ``value = numerator / denominator`` (0..1), from ``n`` graduates (``n`` is
    the denominator). Suppressed cells carry ``None`` for every figure."""

    numerator: int | None
    denominator: int | None
    value: float | None
    n: int | None
    suppressed: bool = False
    extras: Mapping[str, int | None] = field(default_factory=dict)
    lower_bound: float | None = None  # e.g. 对口 if every unclassifiable case were unrelated

    @classmethod
    def of(
        cls,
        numerator: int,
        denominator: int,
        extras: Mapping[str, int] | None = None,
        lower_denominator: int | None = None,
    ) -> IndicatorCell:
        value = numerator / denominator if denominator else None
        lower = None
        if lower_denominator:
            lower = numerator / lower_denominator
        return cls(
            numerator=numerator,
            denominator=denominator,
            value=value,
            n=denominator,
            extras=dict(extras or {}),
            lower_bound=lower,
        )

    def hidden(self) -> IndicatorCell:
        """The same cell with every figure withheld."""
        return IndicatorCell(
            numerator=None,
            denominator=None,
            value=None,
            n=None,
            suppressed=True,
            extras={name: None for name in self.extras},
            lower_bound=None,
        )


@dataclass(frozen=True)
class SalaryCell:
    """Monthly starting salary (yuan) of ``n`` graduates: quartiles and median."""

    n: int | None
    p25: float | None
    median: float | None
    p75: float | None
    suppressed: bool = False

    @classmethod
    def of(cls, salaries: Sequence[int]) -> SalaryCell:
        p25, p50, p75 = salary_quartiles(salaries)
        return cls(n=len(salaries), p25=p25, median=p50, p75=p75)

    def hidden(self) -> SalaryCell:
        return SalaryCell(n=None, p25=None, median=None, p75=None, suppressed=True)


def salary_quartiles(values: Sequence[int]) -> tuple[float | None, float | None, float | None]:
    """Lower quartile, median and upper quartile by linear interpolation between the
    closest ranks (``statistics.quantiles(method="inclusive")``, the same as
    PostgreSQL's ``percentile_cont``)."""
    data = sorted(values)
    if not data:
        return None, None, None
    if len(data) == 1:
        only = float(data[0])
        return only, only, only
    q1, _, q3 = quantiles(data, n=4, method="inclusive")
    return float(q1), float(median(data)), float(q3)


def suppress_count(count: int | None, min_cell: int) -> int | None:
    """A count of people, or ``None`` when it is below the threshold (but not 0)."""
    if count is None or 0 < count < min_cell:
        return None
    return count


def suppressed_rows(
    keys: Sequence[GroupKey], counts: Sequence[int], min_cell: int, forced: Iterable[int] = ()
) -> set[int]:
    """Indexes of the rows to suppress: primary (``0 < n < min_cell``, and ``forced``)
    and complementary.

    Siblings along a dimension are the rows that agree on every other grouping value
    (in a table grouped by one dimension: all rows, against the shown total). When
    exactly one non-empty sibling is suppressed, the smallest shown sibling (ties: the
    first) is suppressed too; repeated until stable.
    """
    hidden = {i for i, n in enumerate(counts) if 0 < n < min_cell} | set(forced)
    if not keys or not hidden:
        return hidden
    dims = len(keys[0])
    changed = True
    while changed:
        changed = False
        for d in range(dims):
            siblings: dict[Hashable, list[int]] = defaultdict(list)
            for i, key in enumerate(keys):
                siblings[key[:d] + key[d + 1 :]].append(i)
            for members in siblings.values():
                filled = [i for i in members if counts[i] > 0]
                if sum(1 for i in filled if i in hidden) != 1:
                    continue
                shown = [i for i in filled if i not in hidden]
                if shown:
                    hidden.add(min(shown, key=lambda i: (counts[i], i)))
                    changed = True
    return hidden
