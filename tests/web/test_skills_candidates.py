"""The candidate-phrase review page: discovery and re-extraction buttons, accepting a
phrase as an alias or a new concept, dismissing it."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from webtools import World, csrf_from, login

from talentbridge.pipeline.postings import ingest_records
from talentbridge.store.tables import CandidatePhrase, Posting, Taxonomy
from talentbridge.taxonomy.candidates import discover
from talentbridge.taxonomy.concepts import load_bundled_taxonomy
from talentbridge.taxonomy.majors import load_bundled_majors
from talentbridge.taxonomy.occupations import load_bundled_occupations

TODAY = dt.date(2026, 11, 29)


@pytest.fixture()
def store(world: World, factory: sessionmaker[Session]) -> World:
    load_bundled_majors(factory)
    load_bundled_occupations(factory)
    load_bundled_taxonomy(factory)
    records = [
        {"title": f"运营专员{i}", "company": f"示例·丙{i}",
         "description": "熟悉数字人直播方法。了解无人机航线规划。", "posted": f"2026-{m:02d}-10"}
        for i, m in enumerate([7, 8, 9, 10, 11])
    ]  # fmt: skip
    ingest_records(factory, records, channel="api", source="t", reference=TODAY)
    return world


def candidate(session: Session, phrase: str) -> CandidatePhrase:
    session.expire_all()
    return session.scalars(select(CandidatePhrase).where(CandidatePhrase.phrase == phrase)).one()


def press(client: TestClient, action: str, data: dict[str, str] | None = None) -> str:
    token = csrf_from(client.get("/skills/candidates").text)
    response = client.post(
        action, data={**(data or {}), "csrf_token": token}, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    location: str = response.headers["location"]
    return location


def test_run_discovery_lists_ranked_phrases_with_growth_and_months(
    client: TestClient, store: World
) -> None:
    login(client, "analyst")
    assert "数字人直播" not in client.get("/skills/candidates").text
    location = press(client, "/skills/candidates/discover")
    page = client.get(location).text
    assert "发现 2 个候选短语" in page
    assert "数字人直播" in page and "无人机航线规划" in page
    assert "2026-07 – 2026-11" in page and "10.00" in page


def test_examples_are_escaped(client: TestClient, store: World, session: Session) -> None:
    session.add(
        CandidatePhrase(lang="en", phrase="xss", postings=3, recent_postings=3,
                        example="<script>alert(1)</script> familiar with xss")
    )  # fmt: skip
    session.commit()
    login(client, "analyst")
    page = client.get("/skills/candidates").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page


def test_accepting_as_alias_makes_a_version_and_reextraction_applies_it(
    client: TestClient, store: World, factory: sessionmaker[Session], session: Session
) -> None:
    discover(factory, min_postings=3)
    login(client, "analyst")
    cand = candidate(session, "数字人直播")
    location = press(
        client, f"/skills/candidates/{cand.id}/alias",
        {"concept": "tb.ecom.live.live_commerce"},
    )  # fmt: skip
    page = client.get(location).text
    assert "talentbridge@2026.11-local.1" in page and "重新抽取" in page
    assert candidate(session, "数字人直播").status == "accepted"
    location = press(client, "/skills/candidates/reextract")
    page = client.get(location).text
    assert "已重新抽取 5 条招聘信息" in page
    session.expire_all()
    versions = {p.extracted_version for p in session.scalars(select(Posting))}
    assert versions == {"talentbridge@2026.11-local.1"}


def test_accepting_as_a_new_concept_and_dismissing(
    client: TestClient, store: World, factory: sessionmaker[Session], session: Session
) -> None:
    discover(factory, min_postings=3)
    login(client, "platform")
    rising = candidate(session, "无人机航线规划")
    location = press(
        client, f"/skills/candidates/{rising.id}/concept",
        {"key": "tb.transport.low_altitude_routes", "kind": "skill",
         "parent": "tb.transport", "label_zh": "无人机航线规划", "label_en": "drone route planning"},
    )  # fmt: skip
    assert "accepted=talentbridge%402026.11-local.1" in location
    assert client.get("/skills/tb.transport.low_altitude_routes").status_code == 200
    other = candidate(session, "数字人直播")
    press(client, f"/skills/candidates/{other.id}/dismiss")
    assert candidate(session, "数字人直播").status == "dismissed"
    page = client.get("/skills/candidates").text
    assert "数字人直播" not in page and "无人机航线规划" not in page


def test_accepting_with_a_bad_concept_shows_the_reason_and_changes_nothing(
    client: TestClient, store: World, factory: sessionmaker[Session], session: Session
) -> None:
    discover(factory, min_postings=3)
    login(client, "analyst")
    cand = candidate(session, "数字人直播")
    token = csrf_from(client.get("/skills/candidates").text)
    response = client.post(
        f"/skills/candidates/{cand.id}/concept",
        data={"csrf_token": token, "key": "tb.x.y", "kind": "skill", "parent": "tb.transport",
              "label_zh": "报关"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "also belongs to" in response.text
    assert len(session.scalars(select(Taxonomy)).all()) == 1
    assert candidate(session, "数字人直播").status == "new"
