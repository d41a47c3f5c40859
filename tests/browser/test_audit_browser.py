"""/audit in a real browser on the demo (issue 9): the demo college admin reads their
students' records, then finds those reads in the audit log with who, what and why,
filters it and gets the CSV link; on a phone nothing overflows sideways; no page errors
(a CSP violation would be one); screenshots under test-output/."""

from __future__ import annotations

from typing import Any

import pytest
from browsertools import assert_fits, demo_session, screenshot_path

from talentbridge.demo.build import DemoSummary

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_college_admin_reads_the_audit_log(
    chromium: Any, demo: tuple[str, DemoSummary], phone: bool
) -> None:
    base, _ = demo
    device = "phone" if phone else "desktop"
    context, page, errors = demo_session(chromium, demo, "college_admin", phone=phone)
    assert page.goto(f"{base}/matching") is not None  # lists the college's students (audited)
    response = page.goto(f"{base}/audit")
    assert response is not None and response.status == 200
    body = page.inner_text("main")
    assert "审计日志" in body and "profile.list" in body and "college.student_records" in body
    assert page.locator("table[data-table=audit] tbody tr").count() >= 1
    assert_fits(page, "audit")
    page.screenshot(path=str(screenshot_path(f"{device}-audit-college-admin")), full_page=True)
    page.select_option("select[name=action]", "profile.list")
    page.click("form.audit-filters button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "action=profile.list" in page.url
    actions = page.locator("table[data-table=audit] tbody td:nth-child(3)").all_inner_texts()
    assert actions and set(actions) == {"profile.list"}
    href = page.locator("a[href^='/audit/events.csv']").get_attribute("href")
    assert href is not None and "action=profile.list" in href
    assert errors == []
    context.close()


def test_a_teacher_may_not_open_the_audit_log(chromium: Any, demo: tuple[str, DemoSummary]) -> None:
    base, _ = demo
    context, page, _errors = demo_session(chromium, demo, "teacher")
    response = page.goto(f"{base}/audit")
    assert response is not None and response.status == 403
    context.close()
