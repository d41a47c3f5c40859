"""In a real browser, a skill named ``<img src=x onerror=alert(1)>`` (and one named
``</script><script>alert(1)</script>``) on the demand map and the skill graph: the
charts draw, the names show as text, no dialog opens, no ``img[src=x]`` appears and
the page logs no error (a CSP violation would be one)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from browsertools import PHONE, LiveServer, _console, assert_fits, login_page, screenshot_path
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from hostiletools import IMG, build_hostile_demand
from talentbridge.accounts.users import create_user
from talentbridge.config import Settings
from talentbridge.store.tables import Organization
from talentbridge.web.app import create_app

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PASSWORD = "hostile-labels-42"


@pytest.fixture()
def hostile_server(
    settings: Settings, engine: Engine, factory: sessionmaker[Session]
) -> Iterator[str]:
    with factory.begin() as session:
        org = Organization(code="ASSOC-X", kind="association", name_zh="示例协会")
        session.add(org)
        session.flush()
        create_user(
            session,
            username="analyst_x",
            password=PASSWORD,
            role="analyst",
            organization_id=org.id,
            display_name="分析员",
        )
    build_hostile_demand(factory)
    with LiveServer(create_app(settings, engine=engine)) as server:
        yield server.url


def test_hostile_chart_labels_stay_text_in_the_browser(chromium: Any, hostile_server: str) -> None:
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    dialogs: list[str] = []
    errors: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: _console(msg, errors))
    try:
        login_page(page, hostile_server, "analyst_x", PASSWORD, "zh")
        assert "/login" not in page.url
        for path in ("/demand", "/demand/graph?min_pair=1&min_npmi=0"):
            page.goto(hostile_server + path)
            page.wait_for_selector("[data-plotly-figure] .main-svg", timeout=20_000)
            page.wait_for_timeout(300)
            assert page.locator("img[src=x]").count() == 0, path
            assert page.locator("script:not([src])").count() == 0, path
            shown = page.locator("[data-plotly-figure] .main-svg text").all_text_contents()
            assert any(IMG in text for text in shown), (path, shown[:20])
        page.goto(hostile_server + "/demand/graph?min_pair=1&min_npmi=0")
        page.wait_for_selector("[data-plotly-figure] .main-svg", timeout=20_000)
        points = page.locator("[data-plotly-figure] .scatterlayer .point")
        hovered = []
        for i in range(points.count()):  # hover every skill: tooltips hold the names too
            points.nth(i).scroll_into_view_if_needed()
            box = points.nth(i).bounding_box()
            assert box is not None
            x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
            page.mouse.move(x - 3, y - 3)
            page.mouse.move(x, y, steps=3)
            page.wait_for_timeout(250)
            hovered += page.locator(".hoverlayer .hovertext text").all_text_contents()
        assert any(IMG in text for text in hovered), hovered
        assert page.locator("img[src=x]").count() == 0
        assert dialogs == []
        assert errors == []
    finally:
        context.close()


def test_account_page_fits_a_phone_and_signs_out_everywhere(
    chromium: Any, hostile_server: str
) -> None:
    context = chromium.new_context(
        viewport=PHONE, has_touch=True, is_mobile=True, device_scale_factor=2
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: _console(msg, errors))
    try:
        login_page(page, hostile_server, "analyst_x", PASSWORD, "zh")
        page.goto(hostile_server + "/account")
        assert page.locator("h1").inner_text() == "账户与安全"
        assert page.locator("table.sessions tbody tr").count() == 1
        page.screenshot(path=str(screenshot_path("account-phone")), full_page=True)
        assert_fits(page, "account-phone")
        page.click("form[action='/account/sessions/revoke-all'] button")
        page.wait_for_load_state("networkidle")
        assert "/login" in page.url
        page.goto(hostile_server + "/account")
        assert "/login" in page.url
        assert errors == []
    finally:
        context.close()
