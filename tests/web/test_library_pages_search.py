"""The library search page: a Chinese query finds an English resource through the term
base, term cards show both languages, deprecated synonyms are noted, filters and
visibility hold, and searches are recorded for the usage statistics."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from librarytools import Shelf, build_shelf
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from webtools import World, login

from talentbridge.config import Settings
from talentbridge.store.library_tables import LibraryEvent


@pytest.fixture()
def shelf(
    factory: sessionmaker[Session], session: Session, world: World, settings: Settings
) -> Shelf:
    return build_shelf(factory, session, world, settings.data_dir)


def _resource_ids(html: str) -> list[int]:
    section = html.split('id="resource-hits"', 1)[-1]
    return [int(x) for x in re.findall(r'<h3><a href="/library/resources/(\d+)"', section)]


def test_chinese_query_finds_the_english_resource_and_shows_the_term_card(
    client: TestClient, shelf: Shelf, session: Session
) -> None:
    login(client, "student_a")
    page = client.get("/library/search", params={"q": "提单"})
    assert page.status_code == 200
    ids = _resource_ids(page.text)
    assert shelf.resources["lesson"].id in ids  # English DOCX found by a Chinese query
    assert shelf.resources["pending"].id not in ids  # not published: not for students
    assert shelf.resources["draft"].id not in ids
    cards = page.text.split('id="term-hits"', 1)[1].split('id="resource-hits"', 1)[0]
    assert "提单" in cards and "bill of lading" in cards
    events = session.scalars(select(LibraryEvent).where(LibraryEvent.kind == "search")).all()
    assert [(e.query, e.hits) for e in events] == [("提单", len(ids))]


def test_english_query_finds_the_chinese_note_and_sample_is_labelled(
    client: TestClient, shelf: Shelf
) -> None:
    login(client, "student_a")
    page = client.get("/library/search", params={"q": "customs declaration", "lang": "en"})
    assert shelf.resources["notes"].id in _resource_ids(page.text)
    assert "Sample" in page.text.split('id="resource-hits"', 1)[1]


def test_deprecated_synonym_is_noted(client: TestClient, shelf: Shelf) -> None:
    login(client, "student_a")
    page = client.get("/library/search", params={"q": "报关公司"})
    assert page.status_code == 200
    note = re.search(r'<p class="term-note" role="note">([^<]*)</p>', page.text)
    assert note, "no note for a deprecated query term"
    assert "报关公司" in note.group(1) and "不推荐" in note.group(1)


def test_filters_narrow_and_teacher_sees_own_pending(client: TestClient, shelf: Shelf) -> None:
    login(client, "teacher_a")
    everything = _resource_ids(client.get("/library/search", params={"q": "bill of lading"}).text)
    assert shelf.resources["pending"].id in everything  # the submitter sees their own
    only_customs = client.get(
        "/library/search", params={"q": "bill of lading", "library": "customs"}
    ).text
    assert shelf.resources["lesson"].id not in _resource_ids(only_customs)
    exercises = client.get("/library/search", params={"q": "bill of lading", "kind": "exercise"})
    assert _resource_ids(exercises.text) == [shelf.resources["pending"].id]
    english = client.get("/library/search", params={"q": "提单", "language": "en"})
    assert shelf.resources["notes"].id not in _resource_ids(english.text)


def test_no_hits_says_so_and_empty_query_records_nothing(
    client: TestClient, shelf: Shelf, session: Session
) -> None:
    login(client, "student_a")
    empty = client.get("/library/search")
    assert empty.status_code == 200 and 'id="resource-hits"' not in empty.text
    none = client.get("/library/search", params={"q": "zzqqxx"})
    assert "没有找到匹配的资源" in none.text
    hits = session.scalars(select(LibraryEvent.hits).where(LibraryEvent.kind == "search")).all()
    assert hits == [0]


def test_search_box_on_the_index_and_pages_escape_the_query(
    client: TestClient, shelf: Shelf
) -> None:
    login(client, "student_a")
    assert 'action="/library/search"' in client.get("/library").text
    page = client.get("/library/search", params={"q": '"><script>x</script>'})
    assert "<script>x</script>" not in page.text
