"""Monthly pay bins: salary distributions that add up.

A posting's monthly pay is the midpoint of its range in yuan (``pay_of``). Bin 0 holds
everything under 1,000 yuan; bin k ≥ 1 holds [1000·r^(k-1), 1000·r^k) with r = 1.05,
so a quantile read back from summed bins (geometric interpolation inside the bin) is
within 5% of the exact one. The last bin (``TOP``) holds everything above.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

RATIO = 1.05
FLOOR = 1000
TOP = 120  # 1000 · 1.05^119 ≈ 330,000 yuan a month and above


def pay_of(salary_min: int | None, salary_max: int | None) -> int | None:
    """The monthly pay a posting counts with: the midpoint of its range."""
    values = [v for v in (salary_min, salary_max) if v is not None and v > 0]
    if not values:
        return None
    return round(sum(values) / len(values))


def bin_of(pay: float) -> int:
    if pay < FLOOR:
        return 0
    return min(TOP, 1 + int(math.log(pay / FLOOR) / math.log(RATIO)))


def bin_bounds(index: int) -> tuple[float, float]:
    if index <= 0:
        return 0.0, float(FLOOR)
    return FLOOR * RATIO ** (index - 1), FLOOR * RATIO**index


def quantiles(
    counts: Mapping[int, int], probs: Iterable[float] = (0.25, 0.5, 0.75)
) -> list[float | None]:
    """Quantiles of the pay distribution given as bin → count (None when empty)."""
    total = sum(counts.values())
    wanted = list(probs)
    if total <= 0:
        return [None for _ in wanted]
    ordered = sorted((b, n) for b, n in counts.items() if n > 0)
    out: list[float | None] = []
    for p in wanted:
        target = p * total
        seen = 0.0
        value = None
        for index, n in ordered:
            if seen + n >= target:
                low, high = bin_bounds(index)
                share = (target - seen) / n
                value = low + (high - low) * share if index == 0 else low * (high / low) ** share
                break
            seen += n
        out.append(round(value if value is not None else bin_bounds(ordered[-1][0])[1], 0))
    return out
