"""Library pages: the index, a library's filtered list, a resource, the reading view,
downloads, and who sees what (students published only, teachers their own drafts,
editors the review queue)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from librarytools import LESSON, Shelf, build_shelf
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from webtools import World, csrf_from, login

from talentbridge.config import Settings
from talentbridge.store.library_tables import LibraryEvent


@pytest.fixture()
def shelf(
    factory: sessionmaker[Session], session: Session, world: World, settings: Settings
) -> Shelf:
    return build_shelf(factory, session, world, settings.data_dir)


def test_index_lists_libraries_bilingually_with_published_counts(
    client: TestClient, shelf: Shelf
) -> None:
    login(client, "student_a")
    zh = client.get("/library")
    assert zh.status_code == 200
    assert "<h1>双语资源库</h1>" in zh.text
    assert "国际贸易单证" in zh.text and "International trade documents" in zh.text
    docs = re.search(r'href="/library/trade-documents">(.*?)</a>', zh.text, re.S)
    assert docs and "1 个资源" in docs.group(1)  # the draft and the pending one are not counted
    assert "示例" in zh.text  # the sample library is labelled
    en = client.get("/library?lang=en")
    assert "Sample" in en.text and "1 resources" in en.text
    # the old area address leads here
    assert client.get("/libraries").url.path == "/library"


def test_student_sees_published_only_and_cannot_open_a_draft(
    client: TestClient, shelf: Shelf
) -> None:
    login(client, "student_a")
    page = client.get("/library/trade-documents")
    assert page.status_code == 200
    assert "Bills of lading" in page.text or "提单实务" in page.text
    assert "待审资源" not in page.text and "草稿" not in page.text
    for name in ("pending", "draft"):
        rid = shelf.resources[name].id
        assert client.get(f"/library/resources/{rid}").status_code == 404
        assert client.get(f"/library/resources/{rid}/read").status_code == 404
        assert client.get(f"/library/resources/{rid}/download").status_code == 404
    assert client.get("/library/upload").status_code == 403
    assert client.get("/library/review").status_code == 403
    assert client.get("/library/no-such-library").status_code == 404


def test_teacher_sees_own_draft_marked(client: TestClient, shelf: Shelf) -> None:
    login(client, "teacher_a")
    page = client.get("/library/trade-documents")
    assert "草稿" in page.text and "待审核" in page.text
    detail = client.get(f"/library/resources/{shelf.resources['draft'].id}")
    assert detail.status_code == 200
    assert 'value="submit"' in detail.text and 'value="publish"' not in detail.text


def test_filters_and_pagination(client: TestClient, shelf: Shelf) -> None:
    login(client, "platform")
    all_docs = client.get("/library/trade-documents?lang=en")
    assert "3 resources" in all_docs.text
    exercises = client.get("/library/trade-documents?kind=exercise&lang=en")
    assert "1 resources" in exercises.text and "Pending" in exercises.text
    english = client.get("/library/customs?language=en&lang=en")
    assert "0 resources" in english.text
    chinese = client.get("/library/customs?language=zh&lang=en")
    assert "1 resources" in chinese.text
    bad = client.get("/library/customs?kind=movie&lang=en")
    assert bad.status_code == 200 and "unknown resource type" in bad.text


def test_resource_detail_shows_bilingual_metadata_terms_and_links(
    client: TestClient, shelf: Shelf
) -> None:
    login(client, "student_a")
    rid = shelf.resources["lesson"].id
    page = client.get(f"/library/resources/{rid}?lang=en")
    assert page.status_code == 200
    assert "提单实务" in page.text and "Bills of lading" in page.text
    assert f'href="/library/resources/{rid}/download"' in page.text
    assert f'href="/api/v1/library/resources/{rid}/metadata"' in page.text
    assert 'href="/library/terms/' in page.text  # terms mentioned link to their concepts
    assert "bill of lading" in page.text
    assert 'value="publish"' not in page.text and 'value="withdraw"' not in page.text


def test_reading_view_wraps_terms_and_escapes_text(client: TestClient, shelf: Shelf) -> None:
    login(client, "admin_a")
    page = client.get(f"/library/resources/{shelf.resources['pending'].id}/read")
    assert page.status_code == 200
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "&lt;b&gt;invoice&lt;/b&gt;" in page.text
    term = re.search(
        r'<span class="term" tabindex="0" data-entry="([^"]+)"[^>]*>bill of lading'
        r'<span class="term-tip" role="tooltip"[^>]*><strong lang="zh">([^<]+)</strong>',
        page.text,
    )
    assert term, "the English term is not wrapped with its Chinese equivalent"
    assert term.group(2) == "提单"
    assert ' style="' not in page.text and "<script>" not in page.text.split("<body>")[1].replace(
        '<script src="/static/nav.js" defer></script>', ""
    )
    assert "/static/library.css" in page.text


def test_chinese_reading_view_shows_english_equivalents(client: TestClient, shelf: Shelf) -> None:
    login(client, "student_a")
    page = client.get(f"/library/resources/{shelf.resources['notes'].id}/read")
    tips = re.findall(
        r'>(报关单|提单)<span class="term-tip"[^>]*><strong lang="en">([^<]+)<', page.text
    )
    assert ("提单", "bill of lading") in tips, tips


def test_download_has_type_disposition_and_bytes(
    client: TestClient, shelf: Shelf, session: Session
) -> None:
    login(client, "recruiter")  # an enterprise user reads published resources too
    rid = shelf.resources["lesson"].id
    assert client.get(f"/library/resources/{rid}").status_code == 200
    response = client.get(f"/library/resources/{rid}/download")
    assert response.status_code == 200
    assert response.headers["content-type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert response.headers["content-disposition"].startswith("attachment;")
    assert "ocean.docx" in response.headers["content-disposition"]
    assert response.content == LESSON
    events = session.execute(select(LibraryEvent.kind, LibraryEvent.resource_id, LibraryEvent.role))
    assert sorted(events) == [("download", rid, "recruiter"), ("view", rid, "recruiter")]


def test_recruiter_cannot_upload_or_see_drafts(client: TestClient, shelf: Shelf) -> None:
    login(client, "recruiter")
    assert client.get("/library/upload").status_code == 403
    assert client.get(f"/library/resources/{shelf.resources['pending'].id}").status_code == 404
    home = client.get("/")
    assert 'href="/library"' in home.text


def test_editor_reviews_and_publishes_with_csrf(client: TestClient, shelf: Shelf) -> None:
    rid = shelf.resources["pending"].id
    login(client, "admin_b")  # another college's admin may not review college A's resource
    queue_b = client.get("/library/review")
    assert queue_b.status_code == 200 and f"/library/resources/{rid}" not in queue_b.text
    client.cookies.clear()
    login(client, "admin_a")
    queue = client.get("/library/review")
    assert f"/library/resources/{rid}" in queue.text
    no_token = client.post(f"/library/resources/{rid}/status", data={"action": "publish"})
    assert no_token.status_code == 403
    done = client.post(
        f"/library/resources/{rid}/status",
        data={"action": "publish", "back": "review", "csrf_token": csrf_from(queue.text)},
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"] == "/library/review"
    assert f"/library/resources/{rid}" not in client.get("/library/review").text
    client.cookies.clear()
    login(client, "student_a")
    assert client.get(f"/library/resources/{rid}").status_code == 200
    client.cookies.clear()
    login(client, "admin_a")
    page = client.get(f"/library/resources/{rid}")
    withdrawn = client.post(
        f"/library/resources/{rid}/status",
        data={"action": "withdraw", "csrf_token": csrf_from(page.text)},
    )
    assert withdrawn.status_code == 200 and "已撤回" in withdrawn.text
    client.cookies.clear()
    login(client, "student_a")
    assert client.get(f"/library/resources/{rid}").status_code == 404


def test_fixed_pages_are_not_taken_for_library_codes(client: TestClient, shelf: Shelf) -> None:
    login(client, "platform")
    stats = client.get("/library/stats")
    assert stats.status_code == 200 and "no library stats" not in stats.text
    assert client.get("/library/search").status_code == 200
    assert client.get("/library/Customs").status_code == 404  # codes are exact
