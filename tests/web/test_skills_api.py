"""``POST /api/v1/extract`` and the taxonomy read API."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker
from webtools import World, csrf_from, login

from talentbridge.accounts.tokens import issue_token
from talentbridge.pipeline.postings import ingest_records
from talentbridge.taxonomy.candidates import discover
from talentbridge.taxonomy.concepts import load_bundled_taxonomy
from talentbridge.taxonomy.majors import load_bundled_majors
from talentbridge.taxonomy.occupations import load_bundled_occupations

DECLARATION = "tb.customs.declaration.customs_declaration"
HS = "tb.customs.classification.hs_classification"


@pytest.fixture()
def store(world: World, factory: sessionmaker[Session]) -> World:
    load_bundled_majors(factory)
    load_bundled_occupations(factory)
    load_bundled_taxonomy(factory)
    return world


def bearer(session: Session, world: World, username: str) -> dict[str, str]:
    token = issue_token(session, user_id=world.users[username].id, name="t")
    session.commit()
    return {"Authorization": f"Bearer {token}"}


def test_extract_returns_spans_concepts_and_occupation(
    client: TestClient, store: World, session: Session
) -> None:
    text = "负责进出口报关，熟悉HS归类；有叉车证者优先。"
    response = client.post(
        "/api/v1/extract",
        json={"text": text, "title": "报关员"},
        headers=bearer(session, store, "student_a"),
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["version"] == "talentbridge@2026.11" and body["reason"] is None
    by_key = {h["concept"]["key"]: h for h in body["hits"]}
    hs = by_key[HS]
    assert text[hs["start"] : hs["end"]] == "HS归类" == hs["surface"]
    assert hs["concept"]["label_en"] == "HS classification" and hs["concept"]["kind"] == "skill"
    assert by_key[DECLARATION]["concept"]["label_zh"] == "报关"
    assert by_key["tb.cert.licences.forklift_licence"]["strength"] == "preferred"
    assert body["occupation"]["code"] == "2-06-07-05"
    assert 0 < body["occupation"]["confidence"] <= 1


def test_extract_from_a_browser_session_needs_the_csrf_header(
    client: TestClient, store: World
) -> None:
    login(client, "teacher_a")
    refused = client.post("/api/v1/extract", json={"text": "报关"})
    assert refused.status_code == 403
    token = csrf_from(client.get("/skills/try").text)
    ok = client.post("/api/v1/extract", json={"text": "报关"}, headers={"x-csrf-token": token})
    assert ok.status_code == 200 and ok.json()["hits"][0]["concept"]["key"] == DECLARATION


def test_extract_refuses_text_over_one_megabyte_with_413(
    client: TestClient, store: World, session: Session
) -> None:
    response = client.post(
        "/api/v1/extract",
        json={"text": "报关" * 200_000},  # 1.2 MB of UTF-8
        headers=bearer(session, store, "analyst"),
    )
    assert response.status_code == 413  # the request-size limit answers first
    assert "1 MiB" in response.json()["error"]["message"]


def test_empty_text_gives_no_hits_and_a_reason(
    client: TestClient, store: World, session: Session
) -> None:
    response = client.post(
        "/api/v1/extract", json={"text": "   "}, headers=bearer(session, store, "recruiter")
    )
    assert response.status_code == 200
    assert response.json() == {
        "version": "talentbridge@2026.11", "reason": "empty", "hits": [], "occupation": None,
    }  # fmt: skip


def test_extract_without_login_is_401(client: TestClient, store: World) -> None:
    response = client.post("/api/v1/extract", json={"text": "报关"})
    assert response.status_code == 401
    assert client.get("/api/v1/taxonomy/concepts?q=报关").status_code == 401


@pytest.mark.parametrize(
    ("q", "key"),
    [("报关", DECLARATION), ("customs clearance", DECLARATION), ("hs", HS), ("HS归类", HS)],
)
def test_concepts_are_searched_by_labels_in_both_languages(
    client: TestClient, store: World, session: Session, q: str, key: str
) -> None:
    response = client.get(
        "/api/v1/taxonomy/concepts", params={"q": q}, headers=bearer(session, store, "student_a")
    )
    assert response.status_code == 200
    body = response.json()
    assert body["total"] >= 1 and key in [c["key"] for c in body["items"]]


def test_concept_search_filters_by_kind_and_pages(
    client: TestClient, store: World, session: Session
) -> None:
    headers = bearer(session, store, "analyst")
    first = client.get(
        "/api/v1/taxonomy/concepts", params={"kind": "certificate", "page_size": 5}, headers=headers
    ).json()
    second = client.get(
        "/api/v1/taxonomy/concepts",
        params={"kind": "certificate", "page_size": 5, "page": 2},
        headers=headers,
    ).json()
    assert first["total"] > 5 and len(first["items"]) == 5
    assert {c["kind"] for c in first["items"] + second["items"]} == {"certificate"}
    assert not {c["key"] for c in first["items"]} & {c["key"] for c in second["items"]}
    bad = client.get("/api/v1/taxonomy/concepts", params={"kind": "food"}, headers=headers)
    assert bad.status_code == 422


def test_one_concept_has_labels_parent_children_links_and_postings(
    client: TestClient, store: World, session: Session
) -> None:
    headers = bearer(session, store, "recruiter")
    body = client.get(f"/api/v1/taxonomy/concepts/{DECLARATION}", headers=headers).json()
    assert body["label_zh"] == "报关" and body["parent"]["key"] == "tb.customs.declaration"
    assert [p["key"] for p in body["path"]] == ["tb.customs", "tb.customs.declaration"]
    assert {"lang": "en", "text": "customs clearance", "label_type": "alias"} in body["labels"]
    assert "2-06-07-05" in {o["code"] for o in body["occupations"]}
    assert body["majors"] and body["postings"] == 0
    group = client.get("/api/v1/taxonomy/concepts/tb.customs.declaration", headers=headers).json()
    assert DECLARATION in {c["key"] for c in group["children"]}
    missing = client.get("/api/v1/taxonomy/concepts/tb.nothing", headers=headers)
    assert missing.status_code == 404


def test_versions_are_listed(client: TestClient, store: World, session: Session) -> None:
    body = client.get(
        "/api/v1/taxonomy/versions", headers=bearer(session, store, "student_a")
    ).json()
    assert [(v["code"], v["version"], v["is_active"]) for v in body] == [
        ("talentbridge", "2026.11", True)
    ]
    assert body[0]["concepts"] > 500


@pytest.mark.parametrize(("username", "status"), [("analyst", 200), ("platform", 200),
                                                  ("teacher_a", 403), ("recruiter", 403),
                                                  ("admin_a", 403), ("student_a", 403)])  # fmt: skip
def test_candidates_are_for_analysts_and_platform_admins(
    client: TestClient, store: World, session: Session, username: str, status: int
) -> None:
    response = client.get("/api/v1/taxonomy/candidates", headers=bearer(session, store, username))
    assert response.status_code == status


def test_the_openapi_schema_describes_the_skill_endpoints(client: TestClient) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/extract" in schema["paths"]
    assert "/api/v1/taxonomy/concepts/{key}" in schema["paths"]
    assert {"ExtractOut", "HitOut", "ConceptDetailOut"} <= set(schema["components"]["schemas"])


def test_candidates_list_discovered_phrases(
    client: TestClient, store: World, session: Session, factory: sessionmaker[Session]
) -> None:
    records = [
        {"title": f"运营{i}", "company": f"示例·丙{i}", "description": "熟悉数字人直播方法。",
         "posted": f"2026-{m:02d}-10"}
        for i, m in enumerate([8, 9, 10, 11])
    ]  # fmt: skip
    ingest_records(factory, records, channel="api", source="t", reference=dt.date(2026, 11, 29))
    discover(factory, min_postings=3)
    body = client.get(
        "/api/v1/taxonomy/candidates", headers=bearer(session, store, "analyst")
    ).json()
    (found,) = [c for c in body if c["phrase"] == "数字人直播"]
    assert (found["postings"], found["status"], found["first_month"]) == (4, "new", "2026-08")
    assert "数字人直播" in found["example"]
