"""The library usage dashboard in a real browser on the demo data: it opens for a college
admin and an analyst, says the events are synthetic, draws the trend chart and does not
overflow a phone screen; screenshots under test-output/."""

from __future__ import annotations

from typing import Any

import pytest
from browsertools import login_page, screenshot_path

from talentbridge.demo.build import DemoSummary

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PHONE = {"width": 390, "height": 844}


@pytest.mark.parametrize(("device", "viewport"), [("desktop", None), ("phone", PHONE)])
@pytest.mark.parametrize("role", ["college_admin", "analyst"])
def test_usage_dashboard_on_the_demo(
    chromium: Any,
    demo: tuple[str, DemoSummary],
    device: str,
    viewport: dict[str, int] | None,
    role: str,
) -> None:
    base, summary = demo
    who = next(login for login in summary.logins if login.role == role)
    context = chromium.new_context(viewport=viewport)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    login_page(page, base, who.username, who.password, "zh")
    response = page.goto(f"{base}/library/stats")
    assert response is not None and response.status == 200
    text = page.inner_text("body")
    assert "合成数据" in text  # the demo's usage events are labelled synthetic
    assert "无结果的检索" in text
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=15_000)
    if viewport is not None:
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 1, overflow
    page.screenshot(path=str(screenshot_path(f"{device}-library-stats-{role}")), full_page=True)
    assert not errors, errors
    context.close()
