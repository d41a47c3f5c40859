"""Skill taxonomy pages: the browser and search, concept pages, the try page, and
the analyst edits (each a new validated version)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from webtools import World, csrf_from, login

from talentbridge.store.tables import Taxonomy
from talentbridge.taxonomy.concepts import load_bundled_taxonomy
from talentbridge.taxonomy.majors import load_bundled_majors
from talentbridge.taxonomy.occupations import load_bundled_occupations

DECLARATION = "tb.customs.declaration.customs_declaration"
WMS = "tb.warehouse.smart_wh.wms"


@pytest.fixture()
def store(world: World, factory: sessionmaker[Session]) -> World:
    load_bundled_majors(factory)
    load_bundled_occupations(factory)
    load_bundled_taxonomy(factory)
    return world


def versions(session: Session) -> list[tuple[str, bool]]:
    session.expire_all()
    return [
        (t.version, t.is_active) for t in session.scalars(select(Taxonomy).order_by(Taxonomy.id))
    ]


def post_form(
    client: TestClient, page: str, action: str, data: dict[str, str]
) -> Any:  # the TestClient's response
    token = csrf_from(client.get(page).text)
    return client.post(action, data={**data, "csrf_token": token}, follow_redirects=False)


def test_the_browser_shows_the_tree_and_searches_in_both_languages(
    client: TestClient, store: World
) -> None:
    login(client, "student_a")
    page = client.get("/skills")
    assert page.status_code == 200
    assert "<details" in page.text and "报关与通关" in page.text and "<script>" not in page.text
    assert f'href="/skills/{DECLARATION}"' in page.text
    for q in ("报关", "customs clearance"):
        found = client.get("/skills", params={"q": q})
        assert f'href="/skills/{DECLARATION}"' in found.text.split("分类树")[0]
    english = client.get("/skills", params={"q": "customs clearance", "lang": "en"})
    assert "customs declaration" in english.text and "Skills taxonomy" in english.text


def test_the_demand_page_links_to_the_taxonomy(client: TestClient, store: World) -> None:
    login(client, "recruiter")
    assert 'href="/skills"' in client.get("/demand").text


def test_a_concept_page_shows_labels_path_and_links_but_no_edit_forms_to_readers(
    client: TestClient, store: World
) -> None:
    login(client, "teacher_a")
    page = client.get(f"/skills/{DECLARATION}")
    assert page.status_code == 200
    text = page.text
    assert "报关单申报" in text and "customs clearance" in text
    assert 'href="/skills/tb.customs.declaration"' in text and "2-06-07-05" in text
    assert "/skills/edit/" not in text
    assert client.get("/skills/tb.no.such").status_code == 404


def test_the_try_page_highlights_hits_and_escapes_the_text(
    client: TestClient, store: World
) -> None:
    login(client, "student_a")
    text = "<script>alert('x')</script>负责报关，熟悉HS归类；有叉车证者优先；无需英语。"
    response = post_form(client, "/skills/try", "/skills/try", {"text": text, "title": "报关员"})
    assert response.status_code == 200
    html: str = response.text
    assert "<script>alert" not in html and "&lt;script&gt;alert(" in html
    assert '<mark title="报关 / customs declaration (' + DECLARATION + ')">报关</mark>' in html
    assert 'class="preferred"' in html and "叉车证</mark>" in html
    assert '<s><mark class="negated"' in html
    assert "2-06-07-05" in html


def test_an_analyst_adds_an_alias_as_a_new_version_that_extraction_finds(
    client: TestClient, store: World, session: Session
) -> None:
    login(client, "analyst")
    page = client.get(f"/skills/{DECLARATION}")
    assert 'action="/skills/edit/alias-add"' in page.text
    response = post_form(
        client, f"/skills/{DECLARATION}", "/skills/edit/alias-add",
        {"key": DECLARATION, "text": "海关申报代理", "lang": "zh"},
    )  # fmt: skip
    assert response.status_code == 303
    location = response.headers["location"]
    assert "edited=talentbridge%402026.11-local.1" in location
    assert versions(session) == [("2026.11", False), ("2026.11-local.1", True)]
    shown = client.get(location)
    assert "talentbridge@2026.11-local.1" in shown.text and "海关申报代理" in shown.text
    tried = post_form(client, "/skills/try", "/skills/try", {"text": "负责海关申报代理"})
    assert f"({DECLARATION})" in tried.text


def test_an_edit_creating_a_shared_label_is_refused_with_the_rows(
    client: TestClient, store: World, session: Session
) -> None:
    login(client, "analyst")
    response = post_form(
        client, f"/skills/{DECLARATION}", "/skills/edit/alias-add",
        {"key": DECLARATION, "text": "WMS", "lang": "any"},
    )  # fmt: skip
    assert response.status_code == 400
    html: str = response.text
    assert "label &#39;WMS&#39; also belongs to &#39;" + DECLARATION + "&#39; (row 72)" in html
    assert "row 185" in html
    assert versions(session) == [("2026.11", True)]


def test_rename_move_remove_and_add_child_each_make_a_version(
    client: TestClient, store: World, session: Session
) -> None:
    login(client, "platform")
    page = f"/skills/{DECLARATION}"
    steps = [
        ("/skills/edit/rename", {"key": DECLARATION, "label_zh": "报关申报", "label_en": "customs declaration", "keep_old": "1"}),
        ("/skills/edit/alias-remove", {"key": DECLARATION, "text": "清关"}),
        ("/skills/edit/move", {"key": DECLARATION, "parent": "tb.customs.classification"}),
        ("/skills/edit/child", {"key": "tb.customs.declaration", "child_key": "tb.customs.declaration.drone",
                                "kind": "skill", "label_zh": "无人机报关", "label_en": "drone customs"}),
    ]  # fmt: skip
    for action, data in steps:
        response = post_form(client, page, action, data)
        assert response.status_code == 303, (action, response.text)
    assert versions(session)[-1] == ("2026.11-local.4", True)
    shown = client.get(page).text
    assert "报关申报" in shown and 'href="/skills/tb.customs.classification"' in shown
    child = client.get("/skills/tb.customs.declaration.drone")
    assert child.status_code == 200 and "无人机报关" in child.text
    cycle = post_form(
        client, page, "/skills/edit/move", {"key": "tb.customs", "parent": DECLARATION}
    )
    assert cycle.status_code == 400


EDIT_POSTS = [
    ("/skills/edit/alias-add", {"key": DECLARATION, "text": "海关申报代理", "lang": "zh"}),
    ("/skills/edit/alias-remove", {"key": DECLARATION, "text": "清关"}),
    ("/skills/edit/rename", {"key": DECLARATION, "label_zh": "报关申报"}),
    ("/skills/edit/move", {"key": DECLARATION, "parent": "tb.customs.classification"}),
    ("/skills/edit/child", {"key": "tb.customs.declaration", "child_key": "tb.x", "kind": "skill",
                            "label_zh": "新技能"}),
]  # fmt: skip


@pytest.mark.parametrize("username", ["teacher_a", "student_a", "recruiter", "admin_a"])
def test_other_roles_may_not_edit_or_review_candidates(
    client: TestClient, store: World, session: Session, username: str
) -> None:
    login(client, username)
    for action, data in EDIT_POSTS:
        response = post_form(client, "/skills/try", action, data)
        assert response.status_code == 403, action
    assert client.get("/skills/candidates").status_code == 403
    token = csrf_from(client.get("/skills/try").text)
    for action in ("/skills/candidates/discover", "/skills/candidates/reextract"):
        assert client.post(action, data={"csrf_token": token}).status_code == 403
    assert versions(session) == [("2026.11", True)]


@pytest.mark.parametrize(
    "action",
    [a for a, _ in EDIT_POSTS]
    + ["/skills/try", "/skills/candidates/discover", "/skills/candidates/reextract",
       "/skills/candidates/1/alias", "/skills/candidates/1/concept", "/skills/candidates/1/dismiss"],
)  # fmt: skip
def test_every_skills_form_needs_the_csrf_token(
    client: TestClient, store: World, session: Session, action: str
) -> None:
    login(client, "analyst")
    data = dict(next((d for a, d in EDIT_POSTS if a == action), {"text": "报关"}))
    response = client.post(action, data=data, follow_redirects=False)
    assert response.status_code == 403
    assert "csrf" in response.text.lower() or "表单" in response.text
    assert versions(session) == [("2026.11", True)]
