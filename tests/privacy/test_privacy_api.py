"""/api/v1/me/privacy/…: export, consents (GET/PUT), account deletion, error statuses."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from personworld import NAME, USERNAME, Person, build_person
from sqlalchemy import select
from sqlalchemy.orm import Session

from talentbridge.accounts.tokens import issue_token
from talentbridge.config import Settings
from talentbridge.store.tables import Organization, User
from talentbridge.store.trust_tables import ConsentRecord

BASE = "/api/v1/me/privacy"


@pytest.fixture()
def person(session: Session, settings: Settings) -> Person:
    return build_person(session, settings.data_dir)


def _bearer(session: Session, user_id: int) -> dict[str, str]:
    token = issue_token(session, user_id=user_id, name="test")
    session.commit()
    return {"Authorization": f"Bearer {token}"}


def test_export_and_consents(client: TestClient, person: Person, session: Session) -> None:
    auth = _bearer(session, person.user_id)
    assert client.get(f"{BASE}/export").status_code == 401
    data = client.get(f"{BASE}/export", headers=auth).json()
    assert data["format"] == "talentbridge.personal-data/1" and data["profile"]["name"] == NAME
    pdf = client.get(f"{BASE}/export.pdf?lang=en", headers=auth)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client.get(f"{BASE}/export.pdf?lang=fr", headers=auth).status_code == 422
    got = client.get(f"{BASE}/consents", headers=auth).json()
    assert got["notice_version"] == "2026-11"
    assert got["consents"] == {"employer_visibility": True, "automated_ranking": True}
    assert [h["channel"] for h in got["history"]] == ["web"]
    put = client.put(f"{BASE}/consents", json={"automated_ranking": False}, headers=auth)
    assert put.status_code == 200, put.text
    body = put.json()
    assert body["consents"] == {"employer_visibility": True, "automated_ranking": False}
    assert body["history"][0] == body["history"][0] | {
        "purpose": "automated_ranking", "granted": False, "channel": "api", "by_self": True}  # fmt: skip
    assert client.put(f"{BASE}/consents", json={"automated_ranking": "maybe"},
                      headers=auth).status_code == 422  # fmt: skip
    session.expire_all()
    assert session.scalar(select(ConsentRecord).where(ConsentRecord.channel == "api"))
    admin = _bearer(session, person.admin_id)  # no student profile: 404 with a message
    missing = client.get(f"{BASE}/consents", headers=admin)
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


def test_delete_my_account(client: TestClient, person: Person, session: Session) -> None:
    auth = _bearer(session, person.user_id)
    wrong = client.delete(f"{BASE}/account?confirm=someone", headers=auth)
    assert wrong.status_code == 400 and "username" in wrong.json()["error"]["message"]
    assert client.delete(f"{BASE}/account", headers=auth).status_code == 422
    gone = client.delete(f"{BASE}/account?confirm={USERNAME}", headers=auth)
    assert gone.status_code == 204
    assert client.get(f"{BASE}/export", headers=auth).status_code == 401  # token revoked
    session.expire_all()
    user = session.get(User, person.user_id)
    assert user is not None and user.deleted_at is not None


def test_the_schema_documents_the_routes(client: TestClient) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert set(paths[f"{BASE}/consents"]) == {"get", "put"}
    assert {"401", "404"} <= set(paths[f"{BASE}/consents"]["get"]["responses"])
    assert {"204", "400", "401"} <= set(paths[f"{BASE}/account"]["delete"]["responses"])
    assert "503" in paths[f"{BASE}/export.pdf"]["get"]["responses"]


def test_withdrawal_removes_the_profile_from_employer_lists_at_once(
    client: TestClient, person: Person, session: Session
) -> None:
    other = Organization(code="E2", kind="enterprise", name_zh="示例·另一家公司")
    session.add(other)
    session.flush()
    recruiter = User(username="recruiter_e2", display_name="r2", role="recruiter",
                     organization_id=other.id, password_hash="x", locale="zh")  # fmt: skip
    session.add(recruiter)
    session.commit()
    employer = _bearer(session, recruiter.id)
    me = _bearer(session, person.user_id)
    listed = {p["id"] for p in client.get("/api/v1/profiles", headers=employer).json()}
    assert person.profile_id in listed
    assert client.get(f"/api/v1/profiles/{person.profile_id}", headers=employer).status_code == 200
    put = client.put(f"{BASE}/consents", json={"employer_visibility": False}, headers=me)
    assert put.status_code == 200
    listed = {p["id"] for p in client.get("/api/v1/profiles", headers=employer).json()}
    assert person.profile_id not in listed
    assert client.get(f"/api/v1/profiles/{person.profile_id}", headers=employer).status_code == 404
