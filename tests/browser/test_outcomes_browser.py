"""Employment outcomes in a real browser on the demo data (issue 8 done-when): the demo
college admin opens /outcomes, sees every indicator for their college with the alliance
beside it, opens the college page and drills down from a figure to the placement
records behind it; an analyst sees the same indicators and no names and no drill-down;
the recruiting page shows the before/after comparison with its 95 % interval; on a
phone nothing overflows sideways (tables scroll inside their box). No page errors (a
CSP violation would show as one); screenshots under test-output/."""

from __future__ import annotations

from typing import Any

import pytest
from browsertools import assert_fits, demo_session, screenshot_path

from talentbridge.demo.build import DemoSummary

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

INDICATORS = (
    "placement_rate",
    "employment_rate",
    "related_employment_rate",
    "stay_in_region_rate",
    "abroad_rate",
    "starting_salary",
)


def _every_indicator_shows(page: Any) -> None:
    for key in INDICATORS:
        tile = page.locator(f"li[data-indicator='{key}'] .figure")
        assert tile.count() == 1, key
        text = tile.inner_text().strip()
        assert text and text != "–", (key, text)  # a figure, or the <5 marker


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_college_admin_sees_indicators_and_drills_down(
    chromium: Any, demo: tuple[str, DemoSummary], phone: bool
) -> None:
    base, _ = demo
    device = "phone" if phone else "desktop"
    context, page, errors = demo_session(chromium, demo, "college_admin", phone=phone)
    response = page.goto(f"{base}/outcomes")
    assert response is not None and response.status == 200
    _every_indicator_shows(page)
    body = page.inner_text("main")
    assert "联盟总体" in body  # the alliance beside the own college
    assert "合成数据" in body  # the demo's records are labelled synthetic
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=15_000)
    assert_fits(page, "overview")
    page.screenshot(path=str(screenshot_path(f"{device}-outcomes-college-admin")), full_page=True)

    # the college page: trend, majors compared, enrollment per major and direction
    page.click(".subnav a[href^='/outcomes/colleges/']")
    page.wait_for_load_state("networkidle")
    assert "/outcomes/colleges/DEMO-C01" in page.url
    _every_indicator_shows(page)
    assert page.locator("table[data-table='majors'] tbody tr").count() >= 1
    assert page.locator("table[data-table='enrollment'] tr[data-direction]").count() >= 1
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=15_000)
    assert_fits(page, "college page")
    page.screenshot(path=str(screenshot_path(f"{device}-outcomes-college-page")), full_page=True)

    # drill down from the placement-rate figure to the records behind it
    page.click("li[data-indicator='placement_rate'] a[data-drill]")
    page.wait_for_load_state("networkidle")
    assert "/outcomes/records?" in page.url and "college=DEMO-C01" in page.url
    assert "year=" in page.url  # the records of the year shown
    rows = page.locator("tr[data-placement]")
    assert rows.count() >= 1
    name = rows.first.locator("td").first.inner_text().strip()
    assert name and name != "–"  # the college admin sees their graduates' names
    assert_fits(page, "records")
    page.screenshot(path=str(screenshot_path(f"{device}-outcomes-records")), full_page=True)
    assert not errors, errors
    context.close()


def test_analyst_sees_aggregates_and_no_names(chromium: Any, demo: tuple[str, DemoSummary]) -> None:
    base, _ = demo
    context, page, errors = demo_session(chromium, demo, "college_admin")
    page.goto(f"{base}/outcomes/records?college=DEMO-C01")
    names = [n.strip() for n in page.locator("tr[data-placement] td:first-child").all_inner_texts()]
    assert names
    context.close()

    context, page, errors = demo_session(chromium, demo, "analyst", phone=True)
    response = page.goto(f"{base}/outcomes")
    assert response is not None and response.status == 200
    _every_indicator_shows(page)
    assert page.locator("table[data-table='colleges'] tbody tr").count() >= 2
    assert page.locator("a[data-drill]").count() == 0
    html = page.content()
    assert "/outcomes/records" not in html
    assert not [n for n in names if n in html], "an analyst saw a graduate's name"
    assert_fits(page, "analyst overview")
    page.screenshot(path=str(screenshot_path("phone-outcomes-analyst")), full_page=True)
    assert not errors, errors
    records = page.goto(f"{base}/outcomes/records?college=DEMO-C01")
    assert records is not None and records.status == 403  # (the browser logs the 403)
    context.close()


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_recruiting_before_after_with_its_interval(
    chromium: Any, demo: tuple[str, DemoSummary], phone: bool
) -> None:
    base, _ = demo
    context, page, errors = demo_session(chromium, demo, "analyst", phone=phone)
    response = page.goto(f"{base}/outcomes/recruiting")
    assert response is not None and response.status == 200
    explain = page.locator("[data-comparison]")
    assert explain.get_attribute("data-comparison") == "ok"
    text = explain.inner_text()
    assert "95% 区间" in text and "（p " in text
    row = page.locator("tr[data-measure='days_to_hire']")
    cells = row.locator("td").all_inner_texts()
    assert "…" in cells[6]  # the interval, low … high
    assert "合成数据" in page.inner_text("main")
    # ... and the demo's before/after difference is said to be generated, not measured
    assert "并非实际测得" in page.locator(".synthetic-effect").inner_text()
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=15_000)
    assert_fits(page, "recruiting")
    device = "phone" if phone else "desktop"
    page.screenshot(path=str(screenshot_path(f"{device}-outcomes-recruiting")), full_page=True)
    assert not errors, errors
    context.close()
