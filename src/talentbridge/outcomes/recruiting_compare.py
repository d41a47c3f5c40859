"""Before/after comparison of recruiting efficiency around a switch date (for example
the day matching was switched on), with its uncertainty.

A posting is *before* when its posting date is earlier than the switch date and
*after* when it is on or after it (optionally only within ``window_days`` on either
side). For the chosen measure (one of ``recruiting.MEASURES``; every one is "lower is
better") the comparison gives, per side, n and the median (and quartiles), then:

* **change**: median after − median before (absolute) and after ÷ before − 1
  (relative; ``None`` when the median before is 0);
* **95 % confidence interval of the relative change**: percentile bootstrap — both
  sides resampled with replacement independently, ``resamples`` times (≥ 2,000) with a
  seeded numpy generator, the relative change of the medians each time, and the 2.5th
  and 97.5th percentiles of those (resamples whose median before is 0 are dropped);
* **p-value**: two-sided Mann–Whitney U test (scipy; normal approximation with tie and
  continuity correction);
* **efficiency change**: −(relative change), so fewer days means efficiency up; for
  ``days_to_hire`` this is the headline "recruiting efficiency up X %" — the relative
  reduction of the median days from posting to first hire, 1 − median after ÷ median
  before;
* **insufficient data** when either side has fewer than ``min_n`` postings (default
  10): then no change, interval or p-value is given.

The switch date is a setting (``TALENTBRIDGE_MATCHING_SWITCH_DATE``; the demo store
records its own in ``store_setting``) and a parameter; with neither, callers ask.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from scipy.stats import mannwhitneyu  # type: ignore[import-untyped]
from sqlalchemy import select
from sqlalchemy.orm import Session

from talentbridge.accounts.directory import holds_sample_data
from talentbridge.accounts.principal import Principal
from talentbridge.config import Settings, SettingsError
from talentbridge.outcomes.recruiting import (
    MEASURES,
    Distribution,
    employer_scope,
    load_posting_times,
)
from talentbridge.store.tables import Setting

SWITCH_DATE_VARIABLE = "TALENTBRIDGE_MATCHING_SWITCH_DATE"
SWITCH_DATE_KEY = "matching_switch_date"  # store_setting key (the demo writes it)
DEFAULT_MIN_N = 10
DEFAULT_RESAMPLES = 2_000
HEADLINE_MEASURE = "days_to_hire"


@dataclass(frozen=True)
class Side:
    """One side of the comparison: its postings' values summarized."""

    first: dt.date | None  # posting dates counted (inclusive); None: open
    last: dt.date | None
    values: Distribution

    @property
    def n(self) -> int:
        return self.values.n

    @property
    def median(self) -> float | None:
        return self.values.median


@dataclass(frozen=True)
class Comparison:
    """Before vs after the switch date for one measure (see the module docstring)."""

    measure: str
    switch_date: dt.date
    employer_id: int | None  # None: every employer in scope
    window_days: int | None
    before: Side
    after: Side
    min_n: int
    resamples: int
    seed: int
    sufficient: bool  # both sides have at least ``min_n`` postings
    change_abs: float | None  # median after − median before
    change_rel: float | None  # median after ÷ median before − 1
    ci_low: float | None  # 95 % bootstrap interval of change_rel
    ci_high: float | None
    p_value: float | None  # two-sided Mann–Whitney U
    synthetic: bool  # the store holds the demo's generated sample data

    @property
    def status(self) -> str:
        """``ok`` or ``insufficient_data``."""
        return "ok" if self.sufficient else "insufficient_data"

    @property
    def efficiency_change(self) -> float | None:
        """−(relative change): +0.4 means "efficiency up 40 %" (the measure fell 40 %)."""
        return None if self.change_rel is None else -self.change_rel

    @property
    def efficiency_ci(self) -> tuple[float, float] | None:
        """The 95 % interval of ``efficiency_change`` (low, high)."""
        if self.ci_low is None or self.ci_high is None:
            return None
        return (-self.ci_high, -self.ci_low)


def percent(value: float | None) -> str:
    """A relative change as text, e.g. ``-0.4`` → ``"−40 %"`` (``"—"`` for none)."""
    if value is None:
        return "—"
    rounded = round(value * 100)
    sign = "−" if rounded < 0 else "+" if rounded > 0 else ""
    return f"{sign}{abs(rounded)} %"


# --- the switch date ------------------------------------------------------------------


def parse_switch_date(value: str | None) -> dt.date | None:
    """``YYYY-MM-DD`` as a date (``None`` for empty); ``SettingsError`` otherwise."""
    if value is None or not value.strip():
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise SettingsError(
            f"{SWITCH_DATE_VARIABLE} must be a date as YYYY-MM-DD, got {value!r}"
        ) from None


def configured_switch_date(session: Session, settings: Settings) -> dt.date | None:
    """The switch date from the environment setting, else the one the store records
    (the demo's), else ``None`` (the page then asks for one)."""
    from_env = parse_switch_date(settings.extra.get(SWITCH_DATE_VARIABLE))
    if from_env is not None:
        return from_env
    stored = session.scalar(select(Setting.value).where(Setting.key == SWITCH_DATE_KEY))
    try:
        return parse_switch_date(stored)
    except SettingsError:
        return None


# --- statistics -----------------------------------------------------------------------


def bootstrap_relative_change(
    before: np.ndarray, after: np.ndarray, *, resamples: int, seed: int
) -> tuple[float, float] | None:
    """Percentile 95 % interval of median(after) ÷ median(before) − 1 (both resampled
    independently with replacement); ``None`` when every resample's median before is 0."""
    if resamples < 1:
        raise ValueError("resamples must be positive")
    rng = np.random.default_rng(seed)
    b = np.median(rng.choice(before, size=(resamples, before.size), replace=True), axis=1)
    a = np.median(rng.choice(after, size=(resamples, after.size), replace=True), axis=1)
    keep = b != 0
    if not keep.any():
        return None
    ratios = a[keep] / b[keep] - 1.0
    low, high = np.percentile(ratios, [2.5, 97.5])
    return float(low), float(high)


def mann_whitney_p(before: np.ndarray, after: np.ndarray) -> float:
    """Two-sided Mann–Whitney U p-value (normal approximation, tie and continuity
    corrected); 1.0 when every value is the same."""
    if np.ptp(np.concatenate([before, after])) == 0:
        return 1.0
    result = mannwhitneyu(before, after, alternative="two-sided", method="asymptotic")
    return float(result.pvalue)


def compare_values(
    before: list[float],
    after: list[float],
    *,
    measure: str,
    switch_date: dt.date,
    employer_id: int | None = None,
    window_days: int | None = None,
    min_n: int = DEFAULT_MIN_N,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = 0,
    synthetic: bool = False,
) -> Comparison:
    """The comparison of two samples of a measure (pure; see the module docstring)."""
    if min_n < 1:
        raise ValueError("min_n must be at least 1")
    lo = switch_date - dt.timedelta(days=window_days) if window_days else None
    hi = switch_date + dt.timedelta(days=window_days - 1) if window_days else None
    side_b = Side(lo, switch_date - dt.timedelta(days=1), Distribution.of(before))
    side_a = Side(switch_date, hi, Distribution.of(after))
    sufficient = side_b.n >= min_n and side_a.n >= min_n
    change_abs = change_rel = ci_low = ci_high = p_value = None
    if sufficient and side_b.median is not None and side_a.median is not None:
        change_abs = side_a.median - side_b.median
        if side_b.median != 0:
            change_rel = side_a.median / side_b.median - 1.0
        b, a = np.asarray(before, float), np.asarray(after, float)
        interval = bootstrap_relative_change(b, a, resamples=resamples, seed=seed)
        if interval is not None and change_rel is not None:
            ci_low, ci_high = interval
        p_value = mann_whitney_p(b, a)
    return Comparison(
        measure=measure,
        switch_date=switch_date,
        employer_id=employer_id,
        window_days=window_days,
        before=side_b,
        after=side_a,
        min_n=min_n,
        resamples=resamples,
        seed=seed,
        sufficient=sufficient,
        change_abs=change_abs,
        change_rel=change_rel,
        ci_low=ci_low,
        ci_high=ci_high,
        p_value=p_value,
        synthetic=synthetic,
    )


def compare_before_after(
    session: Session,
    *,
    principal: Principal,
    switch_date: dt.date,
    employer_id: int | None = None,
    measure: str = HEADLINE_MEASURE,
    window_days: int | None = None,
    seed: int = 0,
    min_n: int = DEFAULT_MIN_N,
    resamples: int = DEFAULT_RESAMPLES,
) -> Comparison:
    """Postings before vs on/after ``switch_date`` for ``measure``, for the employers the
    principal may see (``Forbidden`` otherwise; a recruiter: their own organization)."""
    if measure not in MEASURES:
        raise ValueError(f"unknown measure {measure!r}; use one of: {', '.join(MEASURES)}")
    if resamples < DEFAULT_RESAMPLES:
        raise ValueError(f"use at least {DEFAULT_RESAMPLES} bootstrap resamples")
    if window_days is not None and window_days < 1:
        raise ValueError("window_days must be at least 1")
    since = switch_date - dt.timedelta(days=window_days) if window_days else None
    until = switch_date + dt.timedelta(days=window_days - 1) if window_days else None
    scoped = employer_scope(principal, employer_id)
    times = load_posting_times(
        session, principal=principal, employer_id=scoped, since=since, until=until
    )
    before: list[float] = []
    after: list[float] = []
    for t in times:
        value = t.measure(measure)
        if value is not None:
            (before if t.posted_on < switch_date else after).append(value)
    return compare_values(
        before,
        after,
        measure=measure,
        switch_date=switch_date,
        employer_id=scoped,
        window_days=window_days,
        min_n=min_n,
        resamples=resamples,
        seed=seed,
        synthetic=holds_sample_data(session),
    )
