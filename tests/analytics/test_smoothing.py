"""The numpy exponential smoothing behind the ``ses`` and ``holt_damped`` forecasts."""

from __future__ import annotations

import numpy as np
import pytest

from talentbridge.analytics.forecast import fit_model
from talentbridge.analytics.smoothing import (
    PHI_BOUNDS,
    damped_sums,
    fit_holt_damped,
    fit_ses,
    grid_sse,
    initial_states,
    run,
)


def test_ses_matches_hand_computed_smoothing():
    # alpha 0.5 from level 10: forecasts 10, 10, 11, 11; errors 0, 2, 0, 4; levels
    # 10, 11, 11, 13
    y = np.array([10.0, 12, 11, 15])
    model = run(y, 0.5, 0.0, 1.0, 10.0, 0.0)
    assert list(model.residuals) == [0, 2, 0, 4]
    assert model.level == 13 and model.trend == 0
    assert list(model.forecast(3)) == [13, 13, 13]
    assert list(model.psi(3)) == [0.5, 0.5]  # c_j = alpha for simple smoothing


def test_damped_holt_matches_hand_computed_smoothing():
    # alpha 0.5, beta* 0.4, phi 0.9 from level 9 and trend 1:
    # t1: forecast 9 + 0.9 = 9.9, error 0.1, level 9.95, trend 0.9 + 0.5*0.4*0.1 = 0.92
    # t2: forecast 9.95 + 0.828 = 10.778, error 1.222, level 11.389,
    #     trend 0.828 + 0.2*1.222 = 1.0724
    y = np.array([10.0, 12])
    model = run(y, 0.5, 0.4, 0.9, 9.0, 1.0)
    assert model.residuals == pytest.approx([0.1, 1.222])
    assert model.level == pytest.approx(11.389) and model.trend == pytest.approx(1.0724)
    # h steps ahead: level + (0.9 + … + 0.9^h) * trend
    assert model.forecast(2) == pytest.approx([11.389 + 0.9 * 1.0724, 11.389 + 1.71 * 1.0724])
    assert list(damped_sums(0.9, 3)) == pytest.approx([0.9, 1.71, 2.439])
    assert model.psi(3) == pytest.approx([0.5 * (1 + 0.4 * 0.9), 0.5 * (1 + 0.4 * 1.71)])


def test_error_correction_form_equals_the_component_form():
    """Holt's textbook recursions (level and trend equations) give the same numbers."""
    rng = np.random.default_rng(2)
    y = rng.poisson(40, 20).astype(float)
    alpha, beta, phi, level, trend = 0.3, 0.2, 0.95, 38.0, 0.5
    model = run(y, alpha, beta, phi, level, trend)
    for t, value in enumerate(y):
        forecast = level + phi * trend
        assert model.residuals[t] == pytest.approx(value - forecast)
        new_level = alpha * value + (1 - alpha) * forecast
        trend = beta * (new_level - level) + (1 - beta) * phi * trend
        level = new_level
    assert model.level == pytest.approx(level) and model.trend == pytest.approx(trend)


def test_the_vectorised_grid_gives_each_combination_its_own_error_sum():
    y = np.array([5.0, 8, 6, 9, 12, 10, 14])
    alphas = np.array([0.0, 0.2, 0.7, 1.0])
    betas = np.array([0.0, 0.1, 0.5, 1.0])
    phis = np.array([0.8, 0.9, 0.995, 0.85])
    sse = grid_sse(y, alphas, betas, phis, 4.0, 1.0)
    for i in range(alphas.size):
        expected = run(y, alphas[i], betas[i], phis[i], 4.0, 1.0).residuals
        assert sse[i] == pytest.approx(float(np.sum(expected**2)))


def test_initial_states_come_from_a_line_through_the_first_ten_values():
    y = np.array([3.0 + 2 * t for t in range(1, 16)])
    y[10:] = 0  # values after the tenth do not count
    assert initial_states(y) == pytest.approx((3.0, 2.0))
    assert initial_states(np.array([7.0])) == (7.0, 0.0)


def test_a_constant_level_is_recovered():
    flat = np.full(20, 50.0)
    model = fit_ses(flat)
    assert np.all(model.residuals == 0) and list(model.forecast(2)) == [50, 50]
    noisy = 50 + np.random.default_rng(4).normal(0, 1, 30)
    ses = fit_ses(noisy)
    assert ses.alpha <= 0.3  # noise around one level: smooth heavily
    assert ses.forecast(1)[0] == pytest.approx(50, abs=1.0)
    holt = fit_holt_damped(noisy)
    assert abs(holt.trend) < 0.3
    assert holt.forecast(6) == pytest.approx(np.full(6, 50.0), abs=1.5)


def test_a_level_shift_is_followed_quickly():
    model = fit_ses(np.array([10.0] * 10 + [30.0] * 10))
    assert model.alpha >= 0.8 and model.forecast(1)[0] == pytest.approx(30, abs=0.5)


def test_a_linear_trend_is_recovered():
    t = np.arange(30)
    y = 20 + 3 * t + np.random.default_rng(6).normal(0, 0.5, 30)
    model = fit_holt_damped(y)
    assert model.trend == pytest.approx(3.0, abs=0.3)
    assert PHI_BOUNDS[0] <= model.phi <= PHI_BOUNDS[1] and model.phi >= 0.9
    assert 0 <= model.beta <= 1 and 0 <= model.alpha <= 1
    assert np.sqrt(np.mean(model.residuals**2)) < 1.0
    # the first steps continue the line (damping bends it only slowly)
    assert model.forecast(3) == pytest.approx(20 + 3 * np.arange(30, 33), rel=0.03)
    # and the forecast's intervals widen with the psi weights
    point, se = fit_model("holt_damped", y, 6)
    assert point == pytest.approx(model.forecast(6))
    assert np.all(np.diff(se) > 0)
