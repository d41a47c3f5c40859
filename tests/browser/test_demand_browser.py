"""The demand map and advice in a real browser on the demo data: every view opens, its
charts draw, nothing overflows a phone screen; screenshots under test-output/."""

from __future__ import annotations

from typing import Any

import pytest
from browsertools import login_page, screenshot_path

from talentbridge.demo.build import DemoSummary

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PHONE = {"width": 390, "height": 844}
VIEWS = {
    "demand": "/demand",
    "demand-trends": "/demand/trends",
    "demand-regions": "/demand/regions?region=circle",
    "demand-graph": "/demand/graph?min_pair=2",
    "advice": "/advice",
}


@pytest.mark.parametrize(("device", "viewport"), [("desktop", None), ("phone", PHONE)])
def test_every_demand_view_opens_and_draws_on_the_demo(
    chromium: Any, demo: tuple[str, DemoSummary], device: str, viewport: dict[str, int] | None
) -> None:
    base, summary = demo
    analyst = next(login for login in summary.logins if login.role == "analyst")
    context = chromium.new_context(viewport=viewport)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    login_page(page, base, analyst.username, analyst.password, "zh")
    pages = dict(VIEWS)
    page.goto(f"{base}/demand")
    occupation = page.get_attribute("a[href^='/demand/occupations/']", "href")
    assert occupation, "the overview links no occupation profile"
    pages["demand-occupation"] = occupation
    for name, path in pages.items():
        response = page.goto(f"{base}{path}")
        assert response is not None and response.status == 200, (name, response)
        text = page.inner_text("body")
        assert "示例数据" in text, name  # synthetic data is labelled on every page
        if name != "advice":
            assert page.locator("[data-plotly-figure]").count(), f"{name} has no chart"
            page.wait_for_selector(".js-plotly-plot .main-svg", timeout=15_000)
        if viewport is not None:
            overflow = page.evaluate(
                "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 1, (name, overflow)
        page.screenshot(path=str(screenshot_path(f"{device}-{name}")), full_page=True)
    assert not errors, errors
    context.close()


def test_the_forecast_and_its_backtest_show_on_the_trends_page(
    chromium: Any, demo: tuple[str, DemoSummary]
) -> None:
    base, summary = demo
    analyst = next(login for login in summary.logins if login.role == "analyst")
    page = chromium.new_page()
    login_page(page, base, analyst.username, analyst.password, "en")
    page.goto(f"{base}/demand/trends")
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=15_000)
    text = page.inner_text("body")
    assert "Forecast model" in text or "Less than 12 months" in text
    assert "Fastest rising skills" in text
    legend = page.inner_text(".js-plotly-plot")
    assert "Forecast" in legend or "Less than 12 months" in text
    page.screenshot(path=str(screenshot_path("en-demand-trends-forecast")), full_page=True)
    page.close()
