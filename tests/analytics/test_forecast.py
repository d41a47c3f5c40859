"""Forecast metrics, model selection, the honest baseline check, intervals and the cache."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from talentbridge.analytics.forecast import (
    MIN_HISTORY,
    Forecast,
    backtest,
    fit_model,
    forecast,
    holdout_for,
    mase,
    months_after,
    season_for,
    smape,
)
from talentbridge.analytics.forecast_cache import forecast_series
from talentbridge.store.demand_tables import DemandForecast


@pytest.mark.parametrize(
    ("actual", "predicted", "expected"),
    [
        ([100, 100], [100, 100], 0.0),
        ([100, 100], [110, 90], 100 * (20 / 210 + 20 / 190) / 2),
        ([0, 10], [0, 0], 100.0),  # 0/0 month scores 0, the other the maximum 200
        ([4], [0], 200.0),
        ([1, 2, 3], [2, 2, 2], 100 * (2 / 3 + 0 + 2 / 5) / 3),
    ],
)
def test_smape_matches_hand_computed_values(actual, predicted, expected):
    assert smape(actual, predicted) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("train", "actual", "predicted", "m", "expected"),
    [
        # in-sample naive MAE of [1, 3, 2, 4] is (2 + 1 + 2) / 3 = 5/3; forecast MAE is 1
        ([1, 3, 2, 4], [5, 5], [4, 6], 1, 1 / (5 / 3)),
        # lag-2 errors of [1, 2, 3, 5, 7]: |3-1|, |5-2|, |7-3| -> 3; forecast MAE 1.5
        ([1, 2, 3, 5, 7], [8, 9], [8, 6], 2, 1.5 / 3),
        ([5, 5, 5], [5], [6], 1, None),  # flat training series: no scale
        ([5], [5], [6], 1, None),  # too short for the scale
    ],
)
def test_mase_matches_hand_computed_values(train, actual, predicted, m, expected):
    result = mase(train, actual, predicted, m)
    if expected is None:
        assert result is None
    else:
        assert result == pytest.approx(expected)


def test_metrics_refuse_empty_series():
    with pytest.raises(ValueError):
        smape([], [])
    with pytest.raises(ValueError):
        mase([1, 2], [], [])


@pytest.mark.parametrize(
    ("history", "holdout", "season"), [(12, 3, 1), (16, 4, 1), (24, 6, 1), (30, 6, 12)]
)
def test_holdout_and_season_follow_the_history(history, holdout, season):
    assert holdout_for(history) == holdout
    assert season_for(history - holdout) == season


def test_naive_rules_forecast_what_they_say():
    y = [1.0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]
    assert list(fit_model("naive", y, 3)[0]) == [14, 14, 14]
    assert list(fit_model("seasonal_naive", y, 3)[0]) == [3, 4, 5]
    assert list(fit_model("drift", y, 2)[0]) == pytest.approx([15, 16])


def _seasonal(months: int, seed: int = 3) -> list[float]:
    t = np.arange(months)
    noise = np.random.default_rng(seed).normal(0, 2, months)
    return list(200 + 3 * t + 60 * np.sin(2 * np.pi * t / 12) + noise)


def test_a_strongly_seasonal_series_gets_a_seasonal_model_that_beats_the_baseline():
    result = forecast(_seasonal(36), "2021-01")
    assert result.ok
    assert result.model in {"seasonal_growth", "ses_seasonal_mean"}
    assert result.beats_baseline and result.note is None
    test = result.backtest
    assert test is not None and test.season == 12 and test.baseline == "seasonal_naive"
    assert test.mase is not None and test.baseline_mase is not None
    assert test.mase < test.baseline_mase
    assert result.months == months_after("2023-12", 6) == (
        "2024-01", "2024-02", "2024-03", "2024-04", "2024-05", "2024-06",
    )  # fmt: skip
    # the served points follow the season: the sine peaks in April, troughs in October
    assert result.point[3] > result.point[0]


def test_a_model_that_loses_the_backtest_is_not_served():
    # White noise for two years, then the last six months repeat the same months of
    # the year before exactly: the seasonal-naive baseline is perfect on the holdout.
    rng = np.random.default_rng(5)
    values = list(rng.poisson(50, 24).astype(float))
    values += values[12:18]
    result = forecast(values, "2021-01")
    test = result.backtest
    assert test is not None and test.baseline_mase == 0.0
    assert not test.beats_baseline and not result.beats_baseline
    assert result.model == "seasonal_naive"
    assert result.note is not None and "baseline" in result.note
    assert list(result.point) == values[-12:-6]


def test_on_pure_noise_the_backtest_says_whether_the_model_beat_the_baseline():
    """Across noise series the verdict is whatever the scores say, never assumed."""
    rng = np.random.default_rng(11)
    for _ in range(5):
        result = forecast(list(rng.poisson(30, 30).astype(float)), "2021-01")
        test = result.backtest
        assert test is not None and test.mase is not None and test.baseline_mase is not None
        assert test.beats_baseline == (test.mase < test.baseline_mase)
        assert result.beats_baseline == (test.beats_baseline and result.model == test.model)
        if not test.beats_baseline:
            assert result.model == test.baseline and result.note


@pytest.mark.parametrize(
    "values",
    [
        [],
        [5.0] * (MIN_HISTORY - 1),
        [0.0] * 30,
        [0.0] * 20 + [3.0] * 10,  # a skill that appeared ten months ago
    ],
)
def test_short_or_empty_series_have_not_enough_history(values):
    result = forecast(values, "2021-01")
    assert result.status == "not_enough_history" and not result.ok
    assert result.point == () and result.backtest is None and result.model is None
    assert "not enough history" in (result.note or "")
    json.dumps(result.to_dict())


def test_negative_or_missing_values_are_refused():
    with pytest.raises(ValueError):
        forecast([1.0] * 11 + [-1.0], "2021-01")
    with pytest.raises(ValueError):
        forecast([1.0] * 11 + [math.nan], "2021-01")
    with pytest.raises(ValueError):
        forecast([1.0] * 12, "2021-13")


def _check_intervals(result: Forecast) -> None:
    for lo95, lo80, point, hi80, hi95 in zip(
        result.lower95, result.lower80, result.point, result.upper80, result.upper95, strict=True
    ):
        assert 0 <= lo95 <= lo80 <= point <= hi80 <= hi95
        assert all(math.isfinite(v) for v in (lo95, hi95))


def test_intervals_contain_the_point_are_non_negative_and_widen():
    falling = [float(v) for v in range(60, 0, -3)]  # drifts below zero if not clipped
    for values in (_seasonal(30), falling, [1.0, 0, 0, 2, 0, 1, 0, 0, 3, 0, 0, 1, 0, 0]):
        result = forecast(values, "2021-01")
        assert result.ok
        _check_intervals(result)
    widths = np.subtract(result.upper95, result.lower95)
    assert widths[-1] >= widths[0]


def test_to_dict_is_json_and_round_trips():
    result = forecast(_seasonal(30), "2022-03")
    data = json.loads(json.dumps(result.to_dict()))
    assert set(data) >= {"status", "model", "months", "point", "lower80", "upper95", "backtest"}
    assert set(data["backtest"]) >= {"smape", "mase", "baseline_smape", "baseline_mase"}
    again = Forecast.from_dict(data)
    assert again.to_dict() == data
    assert again.last_month == "2024-08" and again.months[0] == "2024-09"


def test_backtest_scores_the_last_months_only():
    values = [10.0] * 24 + [20.0] * 6
    test = backtest(values)
    assert test.holdout == 6 and test.train_months == 24
    # every candidate forecasts 10 from a flat history: sMAPE 2*10/30 = 66.7 %
    assert test.baseline_smape == pytest.approx(100 * 20 / 30)
    assert test.baseline_mase is None  # flat training part: MASE undefined


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(
            st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False),
            st.integers(min_value=0, max_value=5).map(float),
        ),
        max_size=40,
    )
)
def test_forecast_never_raises_on_non_negative_series(values):
    result = forecast(values, "2020-01")
    json.dumps(result.to_dict())
    if result.ok:
        assert len(result.point) == 6
        _check_intervals(result)


# --- cache ---------------------------------------------------------------------------


def _rows(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(DemandForecast)) or 0


def test_cache_hits_for_the_same_version_and_refits_for_a_new_one(session):
    values = _seasonal(30)
    first = forecast_series(
        session, series_key="skill:42:circle", data_version=3, start_month="2021-01", values=values
    )
    session.commit()
    assert first.ok and _rows(session) == 1
    # Same key and version: the stored result comes back even for other values.
    cached = forecast_series(
        session, series_key="skill:42:circle", data_version=3, start_month="2021-01", values=[1.0]
    )
    assert cached == first
    # A new data version refits, and replaces the older version's row.
    changed = [v * 3 for v in values]
    refit = forecast_series(
        session, series_key="skill:42:circle", data_version=4, start_month="2021-01", values=changed
    )
    session.commit()
    assert refit.point != first.point
    assert refit.point == pytest.approx([p * 3 for p in first.point], rel=1e-3)
    stored = session.scalars(select(DemandForecast)).all()
    assert [(r.series_key, r.data_version) for r in stored] == [("skill:42:circle", "4")]
    assert stored[0].model == refit.model and stored[0].result["horizon"] == 6
    # Another series keeps its own row.
    forecast_series(
        session, series_key="skill:7:all", data_version=4, start_month="2021-01", values=[2.0] * 5
    )
    session.commit()
    assert _rows(session) == 2


def test_cache_refits_when_the_horizon_changes(session):
    values = _seasonal(30)
    forecast_series(
        session, series_key="k", data_version="v1", start_month="2021-01", values=values
    )
    longer = forecast_series(
        session, series_key="k", data_version="v1", start_month="2021-01", values=values, horizon=9
    )
    session.commit()
    assert len(longer.point) == 9 and _rows(session) == 1
