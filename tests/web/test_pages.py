"""Pages: both languages, areas, the sample-data banner, the chart, error pages."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from webtools import World, login

from talentbridge.store.tables import Setting
from talentbridge.web.app import PLOTLY_JS

AREA_TITLES_ZH = {
    "/demand": "需求图谱",
    "/advice": "专业建议",
    "/matching": "人岗匹配",
    "/outcomes": "就业质量",
    "/library": "双语资源库",
    "/admin": "管理",
}


def test_login_page_in_chinese_by_default_and_english_on_request(client: TestClient) -> None:
    zh = client.get("/login")
    assert '<html lang="zh-CN">' in zh.text
    assert "用户名" in zh.text and "Username" not in zh.text
    en = client.get("/login?lang=en")
    assert '<html lang="en">' in en.text
    assert "Username" in en.text and "用户名" not in en.text
    # the choice is remembered
    assert "Username" in client.get("/login").text


def test_browser_language_is_used_when_nothing_was_chosen(client: TestClient) -> None:
    page = client.get("/login", headers={"Accept-Language": "en-US,en;q=0.9,zh;q=0.5"})
    assert "Username" in page.text


def test_home_in_both_languages(client: TestClient, world: World) -> None:
    login(client, "admin_a")
    zh = client.get("/")
    assert "欢迎" in zh.text and "院校管理员" in zh.text
    en = client.get("/?lang=en")
    assert "Welcome" in en.text and "College admin" in en.text
    assert "Chengdu A Vocational College" in en.text


def test_every_page_has_a_language_switch(client: TestClient, world: World) -> None:
    login(client, "platform")
    for path in ["/", *AREA_TITLES_ZH]:
        page = client.get(path)
        assert 'class="lang-switch" href="' + path + '?lang=en"' in page.text, path


# areas whose pages are the real capability
BUILT = {"/demand", "/advice", "/matching", "/outcomes", "/library"}


@pytest.mark.parametrize(("path", "title"), sorted(AREA_TITLES_ZH.items()))
def test_platform_admin_opens_every_area(
    client: TestClient, world: World, path: str, title: str
) -> None:
    login(client, "platform")
    page = client.get(path)
    assert page.status_code == 200
    assert f"<h1>{title}</h1>" in page.text
    if path not in BUILT:
        assert "后续版本" in page.text  # the honest note of an area not built yet


def test_navigation_shows_only_the_roles_areas(client: TestClient, world: World) -> None:
    login(client, "recruiter")
    home = client.get("/").text
    assert 'href="/matching"' in home and 'href="/demand"' in home
    assert 'href="/admin"' not in home and 'href="/outcomes"' not in home


@pytest.mark.parametrize(
    ("username", "audit", "privacy"),
    [("admin_a", True, False), ("platform", True, False), ("student_a", False, True),
     ("recruiter", False, False), ("analyst", False, False)],
)  # fmt: skip
def test_navigation_links_account_privacy_and_audit_by_role(
    client: TestClient, world: World, username: str, audit: bool, privacy: bool
) -> None:
    login(client, username)
    home = client.get("/").text
    assert 'href="/account"' in home and "账户与安全" in home
    assert ('href="/audit"' in home) is audit
    assert ('href="/account/privacy"' in home) is privacy
    for target, shown in (("/audit", audit), ("/account/privacy", privacy), ("/account", True)):
        if shown:
            assert client.get(target).status_code == 200, target


def test_outcomes_shows_enrollment_per_major(client: TestClient, world: World) -> None:
    login(client, "admin_a")
    page = client.get("/outcomes").text
    assert "现代物流管理" in page
    assert re.search(r">\s*150\s*<", page)  # own college 2023 enrolled
    assert re.search(r">\s*120\s*<", page)  # own college 2022 enrolled


def test_admin_page_has_a_plotly_chart_from_cohorts(client: TestClient, world: World) -> None:
    login(client, "platform")
    page = client.get("/admin").text
    assert 'data-plotly-figure="' in page
    assert "/static/vendor/plotly.min.js" in page
    assert "/static/charts.js" in page
    assert "<script>" not in page  # no inline script


def test_plotly_js_is_served_from_the_installed_package(client: TestClient) -> None:
    response = client.get("/static/vendor/plotly.min.js")
    assert response.status_code == 200
    assert "javascript" in response.headers["content-type"]
    assert len(response.content) == PLOTLY_JS.stat().st_size


def test_static_css_and_scripts_are_served(client: TestClient) -> None:
    for path in ("/static/app.css", "/static/nav.js", "/static/charts.js"):
        assert client.get(path).status_code == 200


def test_pages_send_a_content_security_policy(client: TestClient) -> None:
    csp = client.get("/login").headers["content-security-policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]


def test_sample_data_banner_only_when_the_store_says_so(
    client: TestClient, world: World, session: Session
) -> None:
    login(client, "admin_a")
    assert "示例数据" not in client.get("/").text
    session.add(Setting(key="sample_data", value="true"))
    session.commit()
    assert "示例数据" in client.get("/").text
    assert "Sample data" in client.get("/?lang=en").text


def test_unknown_page_is_a_translated_404_page(client: TestClient) -> None:
    page = client.get("/no-such-page")
    assert page.status_code == 404
    assert "未找到" in page.text
    assert "Not found" in client.get("/no-such-page?lang=en").text


def test_server_error_shows_a_page_without_traceback(app: FastAPI, world: World) -> None:
    def explode() -> None:
        raise RuntimeError("secret internal detail")

    app.add_api_route("/explode", explode)
    app.add_api_route("/api/v1/explode", explode)
    with TestClient(app, raise_server_exceptions=False) as client:
        page = client.get("/explode")
        assert page.status_code == 500
        assert "服务器内部错误" in page.text
        api = client.get("/api/v1/explode")
        assert api.status_code == 500
        assert api.json()["error"]["code"] == "server_error"
        for response in (page, api):
            assert "Traceback" not in response.text
            assert "secret internal detail" not in response.text
            assert "RuntimeError" not in response.text
