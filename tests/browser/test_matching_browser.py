"""Person–job matching in a real browser on the demo data: the demo student sees ranked,
explained jobs and opens an explanation; the demo recruiter sees candidates and the
pipeline; at the demo fair the student registers and ranks openings, the recruiter ranks
students, the college admin runs the allocation, and both sides see the result.
Phone-sized screens, no page errors, nothing overflowing sideways; screenshots under
test-output/."""

from __future__ import annotations

from typing import Any

import pytest
from browsertools import login_page, screenshot_path

from talentbridge.demo.build import DemoSummary

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PHONE = {"width": 390, "height": 844}


def _login(
    chromium: Any, demo: tuple[str, DemoSummary], role: str, lang: str = "zh"
) -> tuple[Any, Any, list[str]]:
    base, summary = demo
    user = next(login for login in summary.logins if login.role == role)
    context = chromium.new_context(viewport=PHONE)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: _console(msg, errors))
    login_page(page, base, user.username, user.password, lang)
    assert "/login" not in page.url
    return context, page, errors


def _console(msg: Any, errors: list[str]) -> None:
    """Console errors (a CSP violation shows here), but not the browser's own favicon try."""
    url = (msg.location or {}).get("url", "")
    if msg.type == "error" and not url.endswith("/favicon.ico"):
        errors.append(f"{msg.text} {url}")


def _fits_the_phone(page: Any, name: str) -> None:
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 1, (name, overflow)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_student_sees_ranked_explained_jobs_and_opens_an_explanation(
    chromium: Any, demo: tuple[str, DemoSummary], lang: str
) -> None:
    base, _ = demo
    context, page, errors = _login(chromium, demo, "student", lang)
    page.goto(f"{base}/matching")
    page.click("a.tile[href='/matching/jobs']")
    page.wait_for_selector("ol.ranked li.match-card")
    cards = page.locator("ol.ranked li.match-card")
    assert cards.count() >= 5
    first = cards.first.inner_text()
    assert ("匹配度" if lang == "zh" else "Match") in first
    assert cards.first.locator("ul.why li").count() >= 1  # a short why on every card
    assert "示例数据" in page.inner_text("body") or "Sample data" in page.inner_text("body")
    _fits_the_phone(page, "jobs")
    page.screenshot(path=str(screenshot_path(f"phone-{lang}-matching-jobs")), full_page=True)
    cards.first.locator(
        "a.button", has_text="为什么推荐" if lang == "zh" else "Why this job"
    ).click()
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=15_000)  # the parts chart drew
    text = page.inner_text("body")
    assert ("第二十四条" if lang == "zh" else "art. 24") in text
    assert ("尚欠缺" if lang == "zh" else "Still missing") in text
    _fits_the_phone(page, "explain")
    page.screenshot(path=str(screenshot_path(f"phone-{lang}-matching-explain")), full_page=True)
    page.goto(f"{base}/matching/profile")
    assert page.locator("#consent-toggle").count() == 1
    _fits_the_phone(page, "profile")
    page.screenshot(path=str(screenshot_path(f"phone-{lang}-matching-profile")), full_page=True)
    page.goto(f"{base}/matching/applications")
    assert page.locator("li.match-card").count() >= 3  # the demo student's applications
    _fits_the_phone(page, "applications")
    page.screenshot(
        path=str(screenshot_path(f"phone-{lang}-matching-applications")), full_page=True
    )
    assert not errors, errors
    context.close()


def test_student_saves_a_job_from_the_list(chromium: Any, demo: tuple[str, DemoSummary]) -> None:
    base, _ = demo
    context, page, errors = _login(chromium, demo, "student")
    page.goto(f"{base}/matching/jobs")
    page.locator("ol.ranked li.match-card").nth(1).locator("button", has_text="收藏").click()
    page.wait_for_load_state("networkidle")
    assert "已收藏该岗位" in page.inner_text("body")
    assert not errors, errors
    context.close()


def test_recruiter_sees_candidates_and_the_pipeline(
    chromium: Any, demo: tuple[str, DemoSummary]
) -> None:
    base, _ = demo
    context, page, errors = _login(chromium, demo, "recruiter")
    page.goto(f"{base}/matching")
    links = page.locator("a.button", has_text="候选人")
    assert links.count() >= 1
    # the posting the demo student applied to is the recruiter's first unflagged one:
    # find the candidates page that lists an application
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    shown = None
    for href in reversed(hrefs):  # the hub lists the newest first; the demo's is the oldest
        page.goto(f"{base}{href}")
        if page.locator("ol.ranked li.match-card").count() and "已投递" in page.inner_text("main"):
            shown = href
            break
    assert shown is not None, "no candidates page lists the demo student's application"
    cards = page.locator("ol.ranked li.match-card")
    assert cards.count() >= 2
    text = page.inner_text("main")
    assert "投递或接受邀请后可见" in text  # consenting candidates' contact data stays hidden
    assert "19900" in text  # ... the applicant's is shown (fake phones 1990000xxxx)
    _fits_the_phone(page, "candidates")
    page.screenshot(path=str(screenshot_path("phone-zh-matching-candidates")), full_page=True)
    page.goto(f"{base}{shown.replace('/candidates', '/pipeline')}")
    assert "已筛选" in page.inner_text("main")
    _fits_the_phone(page, "pipeline")
    page.screenshot(path=str(screenshot_path("phone-zh-matching-pipeline")), full_page=True)
    assert not errors, errors
    context.close()


def test_the_demo_fair_from_both_sides_to_the_schedule(
    chromium: Any, demo: tuple[str, DemoSummary]
) -> None:
    """The student registers and ranks two openings on a phone, the recruiter ranks the
    students for their opening, the college admin runs the allocation; then the student
    sees the assignment and interview times in My applications and the recruiter the
    fair interview in the pipeline. (Runs last: the demo fair is allocated after it.)"""
    base, _ = demo
    # the recruiter's opening at the demo fair
    context, page, errors = _login(chromium, demo, "recruiter")
    page.goto(f"{base}/matching/fairs")
    page.click("text=示例·冬季双选会")
    fair_url = page.url.split("?")[0]
    rank_link = page.locator("a.button", has_text="为本岗位排序学生").first
    rank_href = rank_link.get_attribute("href")
    assert rank_href is not None
    recruiter_opening = rank_href.rsplit("/", 1)[1]
    context.close()
    assert not errors, errors

    # the student registers and ranks: another opening first, the recruiter's second
    context, page, errors = _login(chromium, demo, "student")
    page.goto(fair_url)
    page.click("text=报名参加")
    page.wait_for_selector("#my-choices")
    cards = page.locator("#my-choices li.match-card")
    assert cards.count() >= 2
    others = [
        cards.nth(i).get_attribute("data-opening")
        for i in range(cards.count())
        if cards.nth(i).get_attribute("data-opening") != recruiter_opening
    ]
    page.select_option(f"li[data-opening='{others[0]}'] select", "1")
    page.select_option(f"li[data-opening='{recruiter_opening}'] select", "2")
    _fits_the_phone(page, "fair-choices")
    page.screenshot(path=str(screenshot_path("phone-zh-matching-fair-choices")), full_page=True)
    page.click("#save-choices")
    page.wait_for_load_state("networkidle")
    assert "志愿已保存" in page.inner_text("main")
    assert page.locator(f"li[data-opening='{recruiter_opening}'] select").input_value() == "2"
    context.close()
    assert not errors, errors

    # the recruiter ranks the students for their opening: the demo student first
    context, page, errors = _login(chromium, demo, "recruiter")
    page.goto(f"{base}{rank_href}")
    chose = page.locator("li.match-card", has_text="该生志愿第 2")
    assert chose.count() == 1
    assert "19900" not in page.inner_text("main")  # no contact data on the form
    chose.locator("select").select_option("1")
    _fits_the_phone(page, "fair-ranking")
    page.screenshot(path=str(screenshot_path("phone-zh-matching-fair-ranking")), full_page=True)
    page.click("#save-ranking")
    page.wait_for_load_state("networkidle")
    assert "排序已保存" in page.inner_text("main")
    pipeline_href = page.locator("#pipeline-link").get_attribute("href")
    context.close()
    assert not errors, errors

    # the college admin runs the allocation
    context, page, errors = _login(chromium, demo, "college_admin")
    page.goto(f"{base}/matching")
    page.click("a.tile[href='/matching/fairs']")
    page.click("text=示例·冬季双选会")
    page.wait_for_selector("#run-allocation")
    page.screenshot(path=str(screenshot_path("phone-zh-matching-fair-before")), full_page=True)
    page.click("#run-allocation")
    page.wait_for_load_state("networkidle")
    text = page.inner_text("main")
    assert "分配已完成" in text and "分配名单" in text and "面试安排" in text
    assert page.locator("table.schedule tbody tr").count() >= 2
    assert "阻塞对" in text
    _fits_the_phone(page, "fair")
    page.screenshot(path=str(screenshot_path("phone-zh-matching-fair-allocated")), full_page=True)
    page.goto(f"{base}/matching/fairness")
    assert "曝光比" in page.inner_text("main")
    assert page.locator("table tbody tr").count() >= 2  # gender groups (small ones: no figures)
    page.screenshot(path=str(screenshot_path("phone-zh-matching-fairness")), full_page=True)
    context.close()
    assert not errors, errors

    # the student: assignment and interview times in My applications; the form is closed
    context, page, errors = _login(chromium, demo, "student")
    page.goto(f"{base}/matching/applications")
    plan = page.locator("#my-fairs li.fair-plan")
    assert plan.count() == 1
    assert "分配到：" in plan.inner_text()
    assert plan.locator("li.fair-slot").count() >= 1
    _fits_the_phone(page, "applications-fair")
    page.screenshot(
        path=str(screenshot_path("phone-zh-matching-applications-fair")), full_page=True
    )
    page.goto(fair_url)
    assert "不能再修改" in page.inner_text("main")
    context.close()
    assert not errors, errors

    # the recruiter: the fair interview beside the candidate in the pipeline
    context, page, errors = _login(chromium, demo, "recruiter")
    page.goto(f"{base}{pipeline_href}")
    assert "双选会面试" in page.inner_text("main")
    _fits_the_phone(page, "pipeline-fair")
    page.screenshot(path=str(screenshot_path("phone-zh-matching-pipeline-fair")), full_page=True)
    assert not errors, errors
    context.close()
