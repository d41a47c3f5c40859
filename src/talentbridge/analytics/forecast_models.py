"""Forecast models and error measures, used by ``analytics.forecast``.

Seven candidates, each fitted on one window and returning point forecasts and the
standard error per step: seasonal naive, naive, drift, simple exponential smoothing
(SES), damped Holt, seasonal growth, and the mean of SES and seasonal naive.
sMAPE and MASE score them (see ``analytics.forecast`` for how one is chosen).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from talentbridge.analytics.smoothing import fit_holt_damped, fit_ses

SEASON = 12
GROWTH_WINDOW = 3
GROWTH_CLIP = (0.5, 2.0)

Array = NDArray[np.float64]


# --- metrics ------------------------------------------------------------------------


def smape(actual: Sequence[float] | Array, predicted: Sequence[float] | Array) -> float:
    """Symmetric MAPE in percent (0–200); a month with actual = forecast = 0 scores 0."""
    a = np.asarray(actual, dtype=float)
    f = np.asarray(predicted, dtype=float)
    if a.size == 0:
        raise ValueError("smape of an empty series")
    denominator = np.abs(a) + np.abs(f)
    safe = np.where(denominator == 0, 1.0, denominator)
    terms = np.where(denominator == 0, 0.0, 2.0 * np.abs(a - f) / safe)
    return float(100.0 * terms.mean())


def mase(
    train: Sequence[float] | Array,
    actual: Sequence[float] | Array,
    predicted: Sequence[float] | Array,
    m: int = 1,
) -> float | None:
    """Mean absolute error over the in-sample MAE of the lag-``m`` naive forecast.

    ``None`` when the scale is undefined: fewer than ``m + 1`` training values, or a
    training series whose lag-``m`` differences are all 0.
    """
    y = np.asarray(train, dtype=float)
    a = np.asarray(actual, dtype=float)
    f = np.asarray(predicted, dtype=float)
    if a.size == 0:
        raise ValueError("mase of an empty series")
    if y.size <= m:
        return None
    scale = float(np.mean(np.abs(y[m:] - y[:-m])))
    if scale == 0.0:
        return None
    return float(np.mean(np.abs(a - f)) / scale)


def season_for(train_length: int) -> int:
    """The ``m`` of MASE and of the baseline: 12 with two full seasons of data, else 1."""
    return SEASON if train_length >= 2 * SEASON else 1


# --- models -------------------------------------------------------------------------


@dataclass(frozen=True)
class Fit:
    """One model fitted on one window: point forecasts and the standard error per step."""

    point: Array
    se: Array


def _sigma(residuals: Array) -> float:
    residuals = residuals[np.isfinite(residuals)]
    return float(np.sqrt(np.mean(residuals**2))) if residuals.size else 0.0


def _seasonal_steps(h: int, m: int) -> Array:
    return np.floor(np.arange(h) / m)  # full seasons ahead: 0 for the first m steps


def _fit_naive(y: Array, h: int) -> Fit:
    sigma = _sigma(np.diff(y))
    return Fit(np.repeat(y[-1], h), sigma * np.sqrt(np.arange(1, h + 1)))


def _fit_seasonal_naive_m(y: Array, h: int, m: int) -> Fit:
    if m == 1:
        return _fit_naive(y, h)
    n = y.size
    point = np.array([y[n - m + (i % m)] for i in range(h)])
    sigma = _sigma(y[m:] - y[:-m])
    return Fit(point, sigma * np.sqrt(_seasonal_steps(h, m) + 1))


def _fit_seasonal_naive(y: Array, h: int) -> Fit:
    return _fit_seasonal_naive_m(y, h, SEASON)


def _fit_drift(y: Array, h: int) -> Fit:
    n = y.size
    slope = (y[-1] - y[0]) / (n - 1)
    steps = np.arange(1, h + 1)
    sigma = _sigma(np.diff(y) - slope)
    return Fit(y[-1] + slope * steps, sigma * np.sqrt(steps * (1 + steps / (n - 1))))


def _fit_seasonal_growth(y: Array, h: int) -> Fit:
    base = _fit_seasonal_naive(y, h)
    recent = float(y[-GROWTH_WINDOW:].sum())
    before = float(y[-SEASON - GROWTH_WINDOW : -SEASON].sum())
    growth = float(np.clip(recent / before, *GROWTH_CLIP)) if before > 0 else 1.0
    return Fit(base.point * growth, base.se * max(growth, 1.0))


def _exp_smoothing(y: Array, h: int, *, trend: bool) -> Fit:
    fitted = fit_holt_damped(y) if trend else fit_ses(y)
    point = fitted.forecast(h)
    if not np.all(np.isfinite(point)):
        raise FloatingPointError("exponential smoothing gave a non-finite forecast")
    sigma = _sigma(fitted.residuals)
    variance = np.concatenate([[1.0], 1.0 + np.cumsum(fitted.psi(h) ** 2)])
    return Fit(point, sigma * np.sqrt(variance))


def _fit_ses(y: Array, h: int) -> Fit:
    return _exp_smoothing(y, h, trend=False)


def _fit_holt_damped(y: Array, h: int) -> Fit:
    return _exp_smoothing(y, h, trend=True)


def _fit_ses_seasonal_mean(y: Array, h: int) -> Fit:
    a, b = _fit_ses(y, h), _fit_seasonal_naive(y, h)
    return Fit((a.point + b.point) / 2, (a.se + b.se) / 2)


@dataclass(frozen=True)
class Model:
    name: str
    fit: Callable[[Array, int], Fit]
    min_length: int


MODELS: tuple[Model, ...] = (
    Model("seasonal_naive", _fit_seasonal_naive, SEASON),
    Model("naive", _fit_naive, 2),
    Model("drift", _fit_drift, 2),
    Model("ses", _fit_ses, 4),
    Model("holt_damped", _fit_holt_damped, 6),
    Model("seasonal_growth", _fit_seasonal_growth, SEASON + GROWTH_WINDOW),
    Model("ses_seasonal_mean", _fit_ses_seasonal_mean, SEASON),
)
BY_NAME = {model.name: model for model in MODELS}
MODEL_NAMES = tuple(BY_NAME)


def baseline_name(m: int) -> str:
    return "seasonal_naive" if m == SEASON else "naive"


def fit_model(name: str, y: Sequence[float] | Array, h: int) -> tuple[Array, Array]:
    """Point forecasts and standard errors of model ``name`` fitted on ``y``."""
    fitted = BY_NAME[name].fit(np.asarray(y, dtype=float), h)
    return fitted.point, fitted.se
