"""Every route that shows a person's record: masking by role (a recruiter sees a
consenting candidate's contact only after the candidate applied; analysts never) and
an audit event with its purpose for every read by someone other than the owner, none
for the owner's own reads."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from matchingtools import Market, build_market
from sqlalchemy import select
from sqlalchemy.orm import Session
from webtools import World, login

from talentbridge.accounts.tokens import issue_token
from talentbridge.matching.index import clear_index_cache
from talentbridge.store.outcomes_tables import Placement
from talentbridge.store.tables import AuditEvent, User

PHONE, MASKED = "13900000003", "139****0003"
EMAIL = "wgk@example.cn"


@pytest.fixture(autouse=True)
def _fresh_index() -> Iterator[None]:
    clear_index_cache()
    yield
    clear_index_cache()


@dataclass
class Scene:
    market: Market
    profile_id: int  # consent_b: shown to employers, linked to the student ``student_b``
    college_id: int
    headers: dict[str, dict[str, str]]


@pytest.fixture()
def scene(session: Session, world: World) -> Scene:
    market = build_market(session, world)
    profile = world.profiles["consent_b"]
    student = User(username="student_b", display_name="王公开", password_hash="x",
                   role="student", organization_id=profile.organization_id)  # fmt: skip
    session.add(student)
    session.flush()
    profile.user_id = student.id
    world.users["student_b"] = student
    session.add(Placement(profile_id=profile.id, organization_id=profile.organization_id,
                          destination="employed", employer_name="示例公司"))  # fmt: skip
    session.commit()
    headers = {}
    for name in ("recruiter", "analyst", "admin_b", "teacher_a", "platform", "student_b"):
        token = issue_token(session, user_id=world.users[name].id, name="routes")
        headers[name] = {"Authorization": f"Bearer {token}"}
    session.commit()
    return Scene(market, profile.id, profile.organization_id, headers)


def _events(session: Session, user: User) -> list[AuditEvent]:
    session.expire_all()
    return list(session.scalars(select(AuditEvent).where(AuditEvent.user_id == user.id)))


def _apply(client: TestClient, scene: Scene) -> None:
    applied = client.post("/api/v1/match/applications", json={"posting_id": scene.market.fit.id},
                          headers=scene.headers["student_b"])  # fmt: skip
    assert applied.status_code == 200, applied.text


def test_api_profile_routes_mask_contact_until_the_candidate_applies(
    client: TestClient, scene: Scene
) -> None:
    h = scene.headers["recruiter"]
    one = client.get(f"/api/v1/profiles/{scene.profile_id}", headers=h).json()
    assert (one["phone"], one["email"], one["contact_hidden"]) == (MASKED, "w***@example.cn", True)
    listed = {p["id"]: p for p in client.get("/api/v1/profiles", headers=h).json()}
    assert listed[scene.profile_id]["phone"] == MASKED
    candidates = client.get(f"/api/v1/match/candidates?posting_id={scene.market.fit.id}", headers=h)
    assert PHONE not in candidates.text and EMAIL not in candidates.text
    _apply(client, scene)
    one = client.get(f"/api/v1/profiles/{scene.profile_id}", headers=h).json()
    assert (one["phone"], one["email"], one["contact_hidden"]) == (PHONE, EMAIL, False)
    listed = {p["id"]: p for p in client.get("/api/v1/profiles", headers=h).json()}
    assert listed[scene.profile_id]["phone"] == PHONE
    pipeline = client.get(f"/api/v1/match/pipeline?posting_id={scene.market.fit.id}", headers=h)
    assert pipeline.json()["applications"][0]["phone"] == PHONE
    candidates = client.get(f"/api/v1/match/candidates?posting_id={scene.market.fit.id}", headers=h)
    assert PHONE in candidates.text


def test_the_profile_page_masks_contact_until_the_candidate_applies(
    client: TestClient, scene: Scene
) -> None:
    login(client, "recruiter")
    page = client.get(f"/matching/profiles/{scene.profile_id}")
    assert page.status_code == 200 and "王公开" in page.text
    assert PHONE not in page.text and EMAIL not in page.text
    candidates = client.get(f"/matching/postings/{scene.market.fit.id}/candidates")
    assert candidates.status_code == 200 and PHONE not in candidates.text
    _apply(client, scene)
    assert PHONE in client.get(f"/matching/profiles/{scene.profile_id}").text
    assert PHONE in client.get(f"/matching/postings/{scene.market.fit.id}/pipeline").text


def test_analysts_never_see_a_name_or_contact(client: TestClient, scene: Scene) -> None:
    _apply(client, scene)
    h = scene.headers["analyst"]
    for path in (
        "/api/v1/profiles",
        f"/api/v1/profiles/{scene.profile_id}",
        f"/api/v1/match/candidates?posting_id={scene.market.fit.id}",
        f"/api/v1/match/pipeline?posting_id={scene.market.fit.id}",
        f"/api/v1/match/applications?profile_id={scene.profile_id}",
    ):
        response = client.get(path, headers=h)
        assert response.status_code in (403, 404), path
        assert PHONE not in response.text and "王公开" not in response.text, path
    login(client, "analyst")
    for path in (f"/matching/profiles/{scene.profile_id}", "/outcomes/records"):
        response = client.get(path)
        assert response.status_code in (403, 404), path
        assert PHONE not in response.text and "王公开" not in response.text, path


# (reader, path, purpose): each read of the candidate's record by someone else is audited
READS = [
    ("recruiter", "/api/v1/profiles/{p}", "recruiting.candidate_review"),
    ("recruiter", "/api/v1/profiles", "recruiting.candidate_review"),
    ("recruiter", "/api/v1/match/candidates?posting_id={fit}", "recruiting.candidate_review"),
    ("recruiter", "/api/v1/match/pipeline?posting_id={fit}", "recruiting.candidate_review"),
    ("recruiter", "/api/v1/match/applications?profile_id={p}", "recruiting.candidate_review"),
    ("admin_b", "/api/v1/profiles/{p}", "college.student_records"),
    ("admin_b", "/api/v1/profiles", "college.student_records"),
    ("admin_b", "/api/v1/match/applications?profile_id={p}", "college.student_records"),
    ("platform", "/api/v1/profiles/{p}", "platform.administration"),
]


@pytest.mark.parametrize(("reader", "path", "purpose"), READS)
def test_reads_by_others_are_audited_with_their_purpose(
    client: TestClient, session: Session, world: World, scene: Scene,
    reader: str, path: str, purpose: str,
) -> None:  # fmt: skip
    _apply(client, scene)
    before = {e.id for e in _events(session, world.users[reader])}
    url = path.format(p=scene.profile_id, fit=scene.market.fit.id)
    response = client.get(url, headers=scene.headers[reader])
    assert response.status_code == 200, (url, response.text)
    new = [e for e in _events(session, world.users[reader]) if e.id not in before]
    about = [e for e in new if e.organization_id == scene.college_id]
    assert about, f"{reader} {url} wrote no audit event on the candidate's college"
    assert all(e.purpose == purpose for e in about)


@pytest.mark.parametrize(
    ("reader", "path", "purpose"),
    [
        ("recruiter", "/matching/profiles/{p}", "recruiting.candidate_review"),
        ("recruiter", "/matching/postings/{fit}/pipeline", "recruiting.candidate_review"),
        ("admin_b", "/matching/profiles/{p}", "college.student_records"),
        ("admin_b", "/outcomes/records?college=COL-B", "college.placement_records"),
    ],
)
def test_page_reads_by_others_are_audited_with_their_purpose(
    client: TestClient, session: Session, world: World, scene: Scene,
    reader: str, path: str, purpose: str,
) -> None:  # fmt: skip
    _apply(client, scene)
    login(client, reader)
    before = {e.id for e in _events(session, world.users[reader])}
    url = path.format(p=scene.profile_id, fit=scene.market.fit.id)
    response = client.get(url)
    assert response.status_code == 200, (url, response.text[:500])
    new = [e for e in _events(session, world.users[reader]) if e.id not in before]
    about = [e for e in new if e.organization_id == scene.college_id and e.purpose]
    assert about and {e.purpose for e in about} == {purpose}


def test_the_owner_reading_their_own_record_writes_no_audit_event(
    client: TestClient, session: Session, world: World, scene: Scene
) -> None:
    _apply(client, scene)
    student = world.users["student_b"]
    before = len(_events(session, student))
    h = scene.headers["student_b"]
    for path in (
        f"/api/v1/profiles/{scene.profile_id}",
        "/api/v1/profiles",
        f"/api/v1/match/applications?profile_id={scene.profile_id}",
    ):
        response = client.get(path, headers=h)
        assert response.status_code == 200, path
        assert PHONE in response.text, path  # the owner sees everything
    assert len(_events(session, student)) == before
