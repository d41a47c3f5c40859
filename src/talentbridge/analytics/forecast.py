"""Monthly demand forecasts with an honest backtest against the seasonal-naive baseline.

Pure: no I/O. ``forecast(values, start_month)`` takes a series of monthly counts (one
value per month from ``start_month`` on, no gaps) and returns a ``Forecast`` of the next
``horizon`` months (6 by default) with 80 % and 95 % intervals.

**History.** Months before the first nonzero count are not history (a skill that did
not exist yet). A series needs ``MIN_HISTORY`` (12) months of history and a nonzero
total; otherwise the result has ``status == "not_enough_history"`` and no points.

**Candidates.** ``seasonal_naive`` (the value 12 months earlier), ``naive`` (the last
value), ``drift`` (the line through the first and last value), ``ses`` (simple
exponential smoothing, ETS(A,N,N)), ``holt_damped`` (Holt's damped additive trend,
ETS(A,Ad,N)), both from ``analytics.smoothing`` (numpy: initial states from a line
through the first 10 values, parameters by the smallest in-sample one-step squared
error over a grid and a finer grid around its best point), ``seasonal_growth``
(seasonal naive scaled by the year-on-year ratio of the last three months, clipped to
[0.5, 2]) and ``ses_seasonal_mean`` (the mean of the ``ses`` and
``seasonal_naive`` forecasts). Seasonal candidates need 12 months (``seasonal_growth``
15) of data in the window they are fitted on.

**Selection (by backtest on an inner validation split, not by AIC).** AIC cannot rank
naive rules against fitted models, so the model is chosen by forecast error: the
training part of the backtest is split again, every candidate is fitted on its first
part and scored by MASE on its last ``holdout`` months (ties and undefined MASE fall
back to sMAPE), and the best is the *chosen* model.

**Backtest.** The last ``holdout`` months of the series (6, or a quarter of the history
for series shorter than 24 months) are held out; the chosen model and the baseline are
fitted on the months before and scored on the held-out months with sMAPE (0–200, in
percent; a month where both actual and forecast are 0 counts as 0) and MASE (mean
absolute error divided by the in-sample mean absolute error of the seasonal-naive
forecast; ``m`` = 12 when the training part has two full seasons (24 months), else 1).
The **baseline** is the seasonal-naive forecast with that same ``m`` (so the plain naive
forecast for short series). The model *beats the baseline* when its MASE is strictly
lower (sMAPE when MASE is undefined because the in-sample error is 0).

**Served forecast.** When the chosen model beats the baseline it is refitted on the
whole series and served; otherwise the baseline is served and ``note`` says why, so the
UI never shows a model that lost to the baseline as if it were better. Points and
interval bounds are clipped at 0 (counts). Intervals are the usual analytic ones from
the in-sample one-step error (normal errors): ``sigma*sqrt(h)`` for naive,
``sigma*sqrt(h*(1+h/T))`` for drift, ``sigma*sqrt(k+1)`` (k full seasons ahead) for the
seasonal rules, ``sigma*sqrt(1+sum c_j^2)`` for the exponential smoothing models, and
the mean of both members' widths for the mean.

``Forecast.to_dict()`` (what the cache stores and the web shows) has the keys:

* ``status``: ``"ok"`` or ``"not_enough_history"``;
* ``model``: the served model's name (``None`` when not enough history);
  ``chosen_model``: the model selection picked (may differ from ``model``);
* ``beats_baseline``: bool; ``note``: a sentence for people, or ``None``;
* ``horizon``; ``history_months``; ``last_month`` (``YYYY-MM`` of the last value);
* ``months``: the forecast months (``YYYY-MM``); ``point``, ``lower80``, ``upper80``,
  ``lower95``, ``upper95``: lists of floats, one per month;
* ``backtest``: ``None`` or a dict with ``holdout``, ``train_months``, ``season``
  (the ``m``), ``model``, ``baseline``, ``smape``, ``mase``, ``baseline_smape``,
  ``baseline_mase`` (MASE values may be ``None``), ``beats_baseline`` and
  ``selection`` (``"inner_validation"``).

``Forecast.from_dict`` reads it back.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from talentbridge.analytics.forecast_models import (
    BY_NAME,
    MODEL_NAMES,
    MODELS,
    Array,
    Fit,
    baseline_name,
    fit_model,
    mase,
    season_for,
    smape,
)
from talentbridge.domain.dates import month_index, month_name, months_after

__all__ = [
    "MODELS",
    "MODEL_NAMES",
    "fit_model",
    "mase",
    "month_index",
    "month_name",
    "months_after",
    "smape",
]

HORIZON = 6
HOLDOUT = 6
MIN_HISTORY = 12
Z80 = 1.2815515655446004
Z95 = 1.959963984540054
SELECTION = "inner_validation"


def holdout_for(history: int, holdout: int = HOLDOUT) -> int:
    """Months held out: ``holdout``, but at most a quarter of the history (at least 2)."""
    return max(2, min(holdout, history // 4))


# --- results ------------------------------------------------------------------------


@dataclass(frozen=True)
class Backtest:
    """The chosen model and the baseline, fitted on ``train_months`` and scored on the
    following ``holdout`` months."""

    holdout: int
    train_months: int
    season: int
    model: str
    baseline: str
    smape: float
    mase: float | None
    baseline_smape: float
    baseline_mase: float | None
    beats_baseline: bool
    selection: str = SELECTION

    def to_dict(self) -> dict[str, Any]:
        return {
            "holdout": self.holdout,
            "train_months": self.train_months,
            "season": self.season,
            "model": self.model,
            "baseline": self.baseline,
            "smape": _round(self.smape),
            "mase": _round_opt(self.mase),
            "baseline_smape": _round(self.baseline_smape),
            "baseline_mase": _round_opt(self.baseline_mase),
            "beats_baseline": self.beats_baseline,
            "selection": self.selection,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Backtest:
        return cls(
            holdout=int(data["holdout"]),
            train_months=int(data["train_months"]),
            season=int(data["season"]),
            model=str(data["model"]),
            baseline=str(data["baseline"]),
            smape=float(data["smape"]),
            mase=None if data["mase"] is None else float(data["mase"]),
            baseline_smape=float(data["baseline_smape"]),
            baseline_mase=None if data["baseline_mase"] is None else float(data["baseline_mase"]),
            beats_baseline=bool(data["beats_baseline"]),
            selection=str(data.get("selection", SELECTION)),
        )


@dataclass(frozen=True)
class Forecast:
    """A served forecast with its backtest (see the module docstring for the dict)."""

    status: str  # ok | not_enough_history
    model: str | None
    chosen_model: str | None
    beats_baseline: bool
    note: str | None
    horizon: int
    history_months: int
    last_month: str | None
    months: tuple[str, ...] = ()
    point: tuple[float, ...] = ()
    lower80: tuple[float, ...] = ()
    upper80: tuple[float, ...] = ()
    lower95: tuple[float, ...] = ()
    upper95: tuple[float, ...] = ()
    backtest: Backtest | None = None

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "model": self.model,
            "chosen_model": self.chosen_model,
            "beats_baseline": self.beats_baseline,
            "note": self.note,
            "horizon": self.horizon,
            "history_months": self.history_months,
            "last_month": self.last_month,
            "months": list(self.months),
            "point": [_round(v) for v in self.point],
            "lower80": [_round(v) for v in self.lower80],
            "upper80": [_round(v) for v in self.upper80],
            "lower95": [_round(v) for v in self.lower95],
            "upper95": [_round(v) for v in self.upper95],
            "backtest": self.backtest.to_dict() if self.backtest else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Forecast:
        backtest = data.get("backtest")

        def floats(key: str) -> tuple[float, ...]:
            return tuple(float(v) for v in data.get(key) or ())

        return cls(
            status=str(data["status"]),
            model=data.get("model"),
            chosen_model=data.get("chosen_model"),
            beats_baseline=bool(data.get("beats_baseline")),
            note=data.get("note"),
            horizon=int(data["horizon"]),
            history_months=int(data["history_months"]),
            last_month=data.get("last_month"),
            months=tuple(str(m) for m in data.get("months") or ()),
            point=floats("point"),
            lower80=floats("lower80"),
            upper80=floats("upper80"),
            lower95=floats("lower95"),
            upper95=floats("upper95"),
            backtest=Backtest.from_dict(backtest) if backtest else None,
        )


def _round(value: float) -> float:
    return round(float(value), 4)


def _round_opt(value: float | None) -> float | None:
    return None if value is None else _round(value)


# --- selection and backtest ---------------------------------------------------------


def _score(train: Array, actual: Array, predicted: Array, m: int) -> tuple[float, float | None]:
    return smape(actual, predicted), mase(train, actual, predicted, m)


def _safe_fit(name: str, y: Array, h: int) -> Fit | None:
    try:
        fitted = BY_NAME[name].fit(y, h)
    except (ValueError, FloatingPointError, np.linalg.LinAlgError):
        return None
    if not (np.all(np.isfinite(fitted.point)) and np.all(np.isfinite(fitted.se))):
        return None
    return Fit(np.maximum(fitted.point, 0.0), fitted.se)


def select_model(y: Sequence[float] | Array, holdout: int = HOLDOUT) -> str:
    """The candidate with the lowest MASE (then sMAPE) on the last months of ``y``,
    each fitted on the months before."""
    values = np.asarray(y, dtype=float)
    h = holdout_for(values.size, holdout)
    train, valid = values[:-h], values[-h:]
    m = season_for(train.size)
    best: tuple[float, float, int] | None = None
    chosen = baseline_name(m)
    fits: dict[str, Fit] = {}
    for order, model in enumerate(MODELS):
        if train.size < model.min_length:
            continue
        if model.name == "ses_seasonal_mean" and {"ses", "seasonal_naive"} <= fits.keys():
            a, b = fits["ses"], fits["seasonal_naive"]  # the same fits, not refitted
            fitted: Fit | None = Fit((a.point + b.point) / 2, (a.se + b.se) / 2)
        else:
            fitted = _safe_fit(model.name, train, h)
        if fitted is None:
            continue
        fits[model.name] = fitted
        s, q = _score(train, valid, fitted.point, m)
        key = (math.inf if q is None else q, s, order)
        if best is None or key < best:
            best, chosen = key, model.name
    return chosen


def _beats(model: tuple[float, float | None], baseline: tuple[float, float | None]) -> bool:
    (s_model, q_model), (s_base, q_base) = model, baseline
    if q_model is not None and q_base is not None:
        return q_model < q_base
    return s_model < s_base


def backtest(y: Sequence[float] | Array, holdout: int = HOLDOUT) -> Backtest:
    """Choose a model on the training part, then score it and the baseline on the
    last ``holdout`` months (see the module docstring)."""
    values = np.asarray(y, dtype=float)
    h = holdout_for(values.size, holdout)
    train, test = values[:-h], values[-h:]
    m = season_for(train.size)
    base = baseline_name(m)
    chosen = select_model(train, holdout)
    base_fit = _safe_fit(base, train, h)
    if base_fit is None:  # pragma: no cover - naive rules do not fail
        raise RuntimeError("baseline forecast failed")
    base_score = _score(train, test, base_fit.point, m)
    chosen_fit = None if chosen == base else _safe_fit(chosen, train, h)
    if chosen_fit is None:
        chosen, score, beats = base, base_score, False
    else:
        score = _score(train, test, chosen_fit.point, m)
        beats = _beats(score, base_score)
    return Backtest(
        holdout=h,
        train_months=int(train.size),
        season=m,
        model=chosen,
        baseline=base,
        smape=score[0],
        mase=score[1],
        baseline_smape=base_score[0],
        baseline_mase=base_score[1],
        beats_baseline=beats,
    )


def _history(values: Sequence[float]) -> Array:
    y = np.asarray(list(values), dtype=float)
    if y.ndim != 1:
        raise ValueError("a series is a flat list of monthly values")
    if not np.all(np.isfinite(y)) or np.any(y < 0):
        raise ValueError("monthly counts must be finite and non-negative")
    nonzero = np.flatnonzero(y)
    return y[nonzero[0] :] if nonzero.size else y[:0]


def forecast(
    values: Sequence[float],
    start_month: str,
    *,
    horizon: int = HORIZON,
    holdout: int = HOLDOUT,
) -> Forecast:
    """Backtest, choose and fit a model on ``values`` and forecast ``horizon`` months."""
    if horizon < 1:
        raise ValueError("horizon must be at least 1")
    count = len(values)
    last = month_name(month_index(start_month) + count - 1) if count else None
    y = _history(values)
    if y.size < MIN_HISTORY or float(y.sum()) <= 0:
        return Forecast(
            status="not_enough_history",
            model=None,
            chosen_model=None,
            beats_baseline=False,
            note=(
                f"not enough history: {y.size} months since the first nonzero month, "
                f"{MIN_HISTORY} needed"
            ),
            horizon=horizon,
            history_months=int(y.size),
            last_month=last,
        )
    test = backtest(y, holdout)
    served = test.model if test.beats_baseline else test.baseline
    fitted = _safe_fit(served, y, horizon)
    if fitted is None:  # the winner failed on the whole series: fall back honestly
        served = test.baseline
        fitted = _safe_fit(served, y, horizon)
    assert fitted is not None  # naive rules do not fail
    note = _note(test, served)
    point = fitted.point
    months = months_after(last or start_month, horizon)

    def bound(z: float, sign: int) -> tuple[float, ...]:
        return tuple(float(v) for v in np.maximum(point + sign * z * fitted.se, 0.0))

    return Forecast(
        status="ok",
        model=served,
        chosen_model=test.model,
        beats_baseline=test.beats_baseline and served == test.model,
        note=note,
        horizon=horizon,
        history_months=int(y.size),
        last_month=last,
        months=months,
        point=tuple(float(v) for v in point),
        lower80=bound(Z80, -1),
        upper80=bound(Z80, 1),
        lower95=bound(Z95, -1),
        upper95=bound(Z95, 1),
        backtest=test,
    )


def _note(test: Backtest, served: str) -> str | None:
    if test.beats_baseline and served == test.model:
        return None
    if test.model == test.baseline:
        return f"no model beat the {test.baseline} baseline in selection; serving the baseline"
    if not test.beats_baseline:
        return (
            f"{test.model} did not beat the {test.baseline} baseline in the backtest; "
            "serving the baseline"
        )
    return f"{test.model} could not be fitted on the whole series; serving the baseline"
