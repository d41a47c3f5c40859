"""The bilingual libraries in a real browser on the demo data: the demo teacher uploads
a DOCX that speaks English ("bill of lading"), the teacher's college admin publishes it
from the review queue, a student searches in Chinese (提单) and finds it, then reads it
on a phone where tapping the term shows its Chinese equivalent. No page errors (a CSP
violation would show as one), nothing overflowing sideways; screenshots under
test-output/."""

from __future__ import annotations

import re
from typing import Any

import pytest
from browsertools import PHONE, assert_fits, demo_session, screenshot_path

from talentbridge.demo.build import DemoSummary
from talentbridge.library.samples import docx_bytes

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

MARKER = "Zephyrport"  # a word only our document has
DOCX = docx_bytes(
    f"{MARKER} shipping paperwork",
    [
        f"At {MARKER} the carrier issues a clean bill of lading once the container is loaded.",
        "The shipper endorses the bill of lading to the bank under the letter of credit.",
    ],
)


def test_upload_publish_search_in_chinese_and_read_on_a_phone(
    chromium: Any, demo: tuple[str, DemoSummary]
) -> None:
    base, _ = demo
    # 1. The teacher uploads an English DOCX with bilingual metadata.
    context, page, errors = demo_session(chromium, demo, "teacher")
    page.goto(f"{base}/library")
    assert page.locator("ul.library-tiles li").count() == 18
    page.click("a[href='/library/upload']")
    page.select_option("#library", "freight-forwarding")
    page.fill("#title_zh", "海运单证实务")
    page.fill("#title_en", f"{MARKER} shipping paperwork")
    page.select_option("#kind", "case")
    page.select_option("#level", "associate")
    page.check("input[name=languages][value=en]")
    page.set_input_files(
        "#file",
        files=[
            {
                "name": "paperwork.docx",
                "mimeType": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "buffer": DOCX,
            }
        ],
    )
    page.click("form.upload-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    match = re.search(r"/library/resources/(\d+)", page.url)
    assert match, page.url
    resource_id = int(match.group(1))
    assert page.locator("p.notice").count() == 1  # uploaded, waiting for review
    assert "bill of lading" in page.locator("ul.term-chips").inner_text()
    page.screenshot(path=str(screenshot_path("library-uploaded")), full_page=True)
    assert errors == [], errors
    context.close()

    # 2. The teacher's college admin publishes it from the review queue.
    context, page, errors = demo_session(chromium, demo, "college_admin")
    page.goto(f"{base}/library/review")
    card = page.locator(
        "li.resource-card", has=page.locator(f"a[href='/library/resources/{resource_id}']")
    )
    assert card.count() == 1
    card.locator("form:has(input[value=publish]) button").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/library/review")
    assert page.locator(f"a[href='/library/resources/{resource_id}']").count() == 0
    assert errors == [], errors
    context.close()

    # 3. A student searches in Chinese and finds the English document.
    context, page, errors = demo_session(chromium, demo, "student", phone=True)
    page.goto(f"{base}/library")
    page.fill("#library-q", "提单")
    page.click("form.search-box button[type=submit]")
    page.wait_for_selector("#resource-hits")
    assert "/library/search" in page.url
    terms = page.locator("#term-hits").inner_text()
    assert "提单" in terms and "bill of lading" in terms
    found = page.locator(f"#resource-hits a[href='/library/resources/{resource_id}']")
    assert found.count() == 1, page.locator("#resource-hits").inner_text()
    assert_fits(page, "search")
    page.screenshot(path=str(screenshot_path("library-search-phone")), full_page=True)
    found.click()
    page.wait_for_load_state("networkidle")
    assert f"/library/resources/{resource_id}" in page.url
    assert_fits(page, "resource")

    for path in ("/library", "/library/freight-forwarding", "/library/terms?letter=B"):
        page.goto(f"{base}{path}")
        assert_fits(page, path)
    page.goto(f"{base}/library/resources/{resource_id}")

    # 4. The reading view on the phone: tapping the term shows the Chinese equivalent.
    page.click(f"a[href='/library/resources/{resource_id}/read']")
    page.wait_for_selector("article.reading span.term")
    term = page.locator("article.reading span.term", has_text="bill of lading").first
    tip = term.locator(".term-tip")
    assert not tip.is_visible()
    term.tap()
    tip.wait_for(state="visible")
    assert "提单" in tip.inner_text()
    box = tip.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 1
    assert_fits(page, "reading")
    page.screenshot(path=str(screenshot_path("library-reading-phone")), full_page=True)
    # keyboard users get the same through focus
    first = page.locator("article.reading span.term").first
    first.focus()
    first.locator(".term-tip").wait_for(state="visible")
    assert errors == [], errors
    context.close()
