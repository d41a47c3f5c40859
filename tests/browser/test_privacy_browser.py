"""/account/privacy in a real browser on the demo (issue 9): the demo student sees the
notice, their consents (recorded by the demo with channel "demo") and their history,
withdraws and grants again, and opens the deletion confirmation; on a phone nothing
overflows sideways; no page errors (a CSP violation would be one); screenshots under
test-output/."""

from __future__ import annotations

from typing import Any

import pytest
from browsertools import assert_fits, demo_session, screenshot_path

from talentbridge.demo.build import DemoSummary

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_student_manages_consents_and_sees_the_deletion_step(
    chromium: Any, demo: tuple[str, DemoSummary], phone: bool
) -> None:
    base, _ = demo
    device = "phone" if phone else "desktop"
    context, page, errors = demo_session(chromium, demo, "student", phone=phone)
    response = page.goto(f"{base}/account/privacy")
    assert response is not None and response.status == 200
    body = page.inner_text("main")
    for expected in ("我的数据与隐私", "个人信息处理告知", "向用人单位展示我的档案", "自动化排序",
                     "我的同意记录", "示例数据", "下载我的数据（JSON）", "注销我的账号"):  # fmt: skip
        assert expected in body, expected
    assert_fits(page, "privacy")
    page.screenshot(path=str(screenshot_path(f"{device}-privacy-student")), full_page=True)

    state = page.locator("#state-automated_ranking")
    before = state.inner_text()
    page.click("#toggle-automated_ranking")
    page.wait_for_load_state("networkidle")
    assert page.locator("#state-automated_ranking").inner_text() != before
    assert page.locator("p[role=status]").count() == 1
    rows = page.locator("table.privacy-history tbody tr")
    assert "网页" in rows.first.inner_text()  # the newest record: by the web page
    page.click("#toggle-automated_ranking")  # and back, for the other browser tests
    page.wait_for_load_state("networkidle")
    assert page.locator("#state-automated_ranking").inner_text() == before

    page.click("#delete-link")
    page.wait_for_load_state("networkidle")
    assert "/account/privacy/delete" in page.url
    assert page.locator("#confirm_username").count() == 1
    assert_fits(page, "privacy-delete")
    page.screenshot(path=str(screenshot_path(f"{device}-privacy-delete")), full_page=True)
    assert errors == []
    context.close()
