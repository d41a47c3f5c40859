"""Exponential smoothing in numpy: ETS(A,N,N) and ETS(A,Ad,N) for ``analytics.forecast``.

Pure: no I/O. Additive errors, no seasonality. With one-step forecast
``f_t = l_{t-1} + phi * b_{t-1}`` and error ``e_t = y_t - f_t``::

    l_t = f_t + alpha * e_t
    b_t = phi * b_{t-1} + alpha * beta * e_t

which is Holt's damped trend written in error-correction form with the trend smoothing
``beta`` (``beta*`` in Hyndman et al.) applied to the change in level, as statsmodels'
``ExponentialSmoothing`` does. Simple exponential smoothing is the same with ``b = 0``.
The ``h``-step forecast is ``l_n + (phi + … + phi^h) * b_n``.

**Initial states** (the usual heuristic of Hyndman et al., *Forecasting with Exponential
Smoothing*, 2008, §2.6.1): a straight line is fitted by least squares to the first
``min(10, n)`` values at times 1, 2, …; its value at time 0 is the initial level and its
slope the initial trend. Simple smoothing uses the same initial level.

**Parameters** minimise the in-sample sum of squared one-step errors (all ``n`` of them)
over a grid, evaluated for every combination at once (numpy arrays over the parameter
grid, a Python loop over time). Simple smoothing tries ``alpha`` = 0, 0.01, …, 1. The
damped trend tries 21 × 8 × 6 combinations (``ALPHA_GRID``, ``RATIO_GRID``,
``PHI_GRID``), then a finer grid (a quarter and half a step) around the best one:

* ``alpha`` in [0, 1];
* ``beta = alpha * r`` with ``r`` in [0, 1] (statsmodels' constraint ``beta <= alpha``);
* ``phi`` in [0.8, 0.995] (statsmodels' bounds for the damping).

Ties go to the first grid point (smaller ``alpha``, less trend, more damping).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]

INIT_WINDOW = 10
PHI_BOUNDS = (0.8, 0.995)
ALPHA_GRID = np.linspace(0.0, 1.0, 21)  # step 0.05
RATIO_GRID = np.array([0.0, 0.05, 0.1, 0.2, 0.35, 0.5, 0.75, 1.0])  # beta / alpha
PHI_GRID = np.array([0.8, 0.85, 0.9, 0.94, 0.97, 0.995])
SES_ALPHA_GRID = np.linspace(0.0, 1.0, 101)  # step 0.01, no refinement needed


@dataclass(frozen=True)
class Smoothed:
    """A fitted model: its parameters, final states and in-sample one-step errors."""

    alpha: float
    beta: float
    phi: float
    level: float
    trend: float
    residuals: Array

    def forecast(self, h: int) -> Array:
        """Point forecasts for steps 1 … ``h``."""
        return self.level + damped_sums(self.phi, h) * self.trend

    def psi(self, h: int) -> Array:
        """The weights ``c_j = alpha * (1 + beta * (phi + … + phi^j))`` for j = 1 … h - 1;
        the ``h``-step forecast variance is ``sigma^2 * (1 + sum_{j<h} c_j^2)``."""
        return self.alpha * (1.0 + self.beta * damped_sums(self.phi, h - 1))


def damped_sums(phi: float, h: int) -> Array:
    """``phi + phi^2 + … + phi^j`` for j = 1 … ``h``."""
    return np.cumsum(phi ** np.arange(1, h + 1, dtype=float))


def initial_states(y: Array) -> tuple[float, float]:
    """Level at time 0 and slope of the least-squares line through the first values."""
    k = min(INIT_WINDOW, y.size)
    if k == 1:
        return float(y[0]), 0.0
    t = np.arange(1, k + 1, dtype=float)
    t_mean, y_mean = (k + 1) / 2.0, float(y[:k].mean())
    slope = float(np.dot(t - t_mean, y[:k] - y_mean) / np.dot(t - t_mean, t - t_mean))
    return y_mean - slope * t_mean, slope


def grid_sse(y: Array, alpha: Array, beta: Array, phi: Array, level: float, trend: float) -> Array:
    """The sum of squared one-step errors for every parameter combination at once
    (``alpha``, ``beta``, ``phi``: arrays of one shape)."""
    ab = alpha * beta
    lvl = np.full(alpha.shape, level)
    trd = np.full(alpha.shape, trend)
    sse = np.zeros(alpha.shape)
    error = np.empty(alpha.shape)
    for value in y.tolist():
        np.multiply(phi, trd, out=trd)
        np.add(lvl, trd, out=lvl)  # the one-step forecast
        np.subtract(value, lvl, out=error)
        sse += error * error
        lvl += alpha * error
        trd += ab * error
    return sse


def run(y: Array, alpha: float, beta: float, phi: float, level: float, trend: float) -> Smoothed:
    """The model with these parameters and initial states, run over ``y``."""
    residuals = np.empty(y.size)
    for i, value in enumerate(y.tolist()):
        trend = phi * trend
        fitted = level + trend
        residuals[i] = error = value - fitted
        level = fitted + alpha * error
        trend = trend + alpha * beta * error
    if not (math.isfinite(level) and math.isfinite(trend)):
        raise FloatingPointError("exponential smoothing gave a non-finite state")
    return Smoothed(alpha, beta, phi, level, trend, residuals)


def fit_ses(y: Array) -> Smoothed:
    """ETS(A,N,N): ``alpha`` from a grid with step 0.01."""
    if y.size < 1:
        raise ValueError("simple exponential smoothing needs at least one value")
    level, _ = initial_states(y)
    sse = grid_sse(y, SES_ALPHA_GRID, _SES_ZERO, _SES_ONE, level, 0.0)
    alpha = float(SES_ALPHA_GRID[int(np.argmin(sse))])
    return run(y, alpha, 0.0, 1.0, level, 0.0)


def _refined(grid: Array, best: float, low: float, high: float) -> Array:
    """Five points around ``best``, a quarter and half a grid step apart, in [low, high]."""
    step = float(np.min(np.diff(grid)))
    points = {min(high, max(low, best + step * k)) for k in (-0.5, -0.25, 0.0, 0.25, 0.5)}
    return np.array(sorted(points))


def fit_holt_damped(y: Array) -> Smoothed:
    """ETS(A,Ad,N): (``alpha``, ``beta / alpha``, ``phi``) from a grid, then a finer grid
    around the best point. The returned ``beta`` is the trend smoothing ``beta*``."""
    if y.size < 2:
        raise ValueError("a damped trend needs at least two values")
    level, trend = initial_states(y)
    best = _grid_search(y, _COARSE, level, trend)
    fine = _grid(
        _refined(ALPHA_GRID, best[0], 0.0, 1.0),
        _refined(RATIO_GRID, best[1], 0.0, 1.0),
        _refined(PHI_GRID, best[2], *PHI_BOUNDS),
    )
    alpha, ratio, phi = _grid_search(y, fine, level, trend)
    return run(y, alpha, alpha * ratio, phi, level, trend)


def _grid(alphas: Array, ratios: Array, phis: Array) -> tuple[Array, Array, Array]:
    a, r, p = (g.ravel() for g in np.meshgrid(alphas, ratios, phis, indexing="ij"))
    return a, a * r, p


_COARSE = _grid(ALPHA_GRID, RATIO_GRID, PHI_GRID)
_SES_ZERO = np.zeros(SES_ALPHA_GRID.size)
_SES_ONE = np.ones(SES_ALPHA_GRID.size)


def _grid_search(
    y: Array, grid: tuple[Array, Array, Array], level: float, trend: float
) -> tuple[float, float, float]:
    """The (``alpha``, ``beta / alpha``, ``phi``) of the smallest finite error sum."""
    a, b, p = grid
    sse = grid_sse(y, a, b, p, level, trend)
    i = int(np.argmin(np.where(np.isfinite(sse), sse, np.inf)))
    alpha = float(a[i])
    return alpha, float(b[i]) / alpha if alpha > 0 else 0.0, float(p[i])
