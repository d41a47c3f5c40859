"""A person's walk through the demo: every role logs in, opens each area it may use,
in Chinese and English, on a desktop and a phone screen; screenshots are saved under
test-output/screenshots/."""

from __future__ import annotations

from typing import Any

import pytest
from browsertools import login_page, screenshot_path

from talentbridge.accounts.policy import AREAS, Principal, areas_for
from talentbridge.accounts.roles import Role
from talentbridge.demo.build import DemoSummary

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PHONE = {"width": 390, "height": 844}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_role_logs_in_and_opens_each_area(
    chromium: Any, demo: tuple[str, DemoSummary], lang: str
) -> None:
    base, summary = demo
    roles_seen = set()
    for login in summary.logins:
        context = chromium.new_context(viewport=PHONE if login.role == "student" else None)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc, errors=errors: errors.append(str(exc)))
        login_page(page, base, login.username, login.password, lang)
        assert "/login" not in page.url, f"{login.username} could not log in"
        banner = page.inner_text("body")
        assert ("示例数据" if lang == "zh" else "Sample data") in banner
        allowed = areas_for(Principal(user_id=0, role=Role(login.role), organization_id=None))
        for area in AREAS:
            response = page.goto(f"{base}/{area}")
            assert response is not None
            if area in allowed:
                assert response.status == 200, (login.role, area, response.status)
                page.screenshot(path=str(screenshot_path(f"{lang}-{login.role}-{area}")))
            else:
                assert response.status == 403, (login.role, area, response.status)
        assert not errors, errors
        roles_seen.add(login.role)
        context.close()
    assert roles_seen == {r.value for r in Role}


def test_chinese_text_renders_with_the_chinese_font(
    chromium: Any, demo: tuple[str, DemoSummary]
) -> None:
    base, summary = demo
    admin = next(login for login in summary.logins if login.role == "platform_admin")
    page = chromium.new_page()
    login_page(page, base, admin.username, admin.password, "zh")
    nav = page.inner_text("nav")
    for label in ("需求图谱", "专业建议", "人岗匹配", "就业质量", "双语资源库", "管理"):
        assert label in nav
    # The glyphs take real width: a missing CJK font would render tofu of equal boxes.
    width = page.evaluate(
        "() => { const s = document.createElement('span'); s.textContent = '需求图谱';"
        " document.body.appendChild(s); return s.getBoundingClientRect().width; }"
    )
    assert width > 20
    page.goto(f"{base}/admin")
    page.wait_for_selector(".js-plotly-plot", timeout=10_000)
    page.screenshot(path=str(screenshot_path("zh-admin-chart")), full_page=True)
    page.close()


def test_wrong_password_shows_an_error_and_stays_on_login(
    chromium: Any, demo: tuple[str, DemoSummary]
) -> None:
    base, summary = demo
    page = chromium.new_page()
    login_page(page, base, summary.logins[0].username, "wrong-password-123", "zh")
    assert "/login" in page.url
    page.screenshot(path=str(screenshot_path("zh-login-error")))
    page.close()
