"""Per-role access rules: every forbidden request gets 403 or 404 and leaks nothing."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from webtools import World, login

from talentbridge.store.tables import AuditEvent

ALL_NAMES = {
    "student_a": "张小明",
    "private_a": "李秘密",
    "consent_b": "王公开",
    "private_b": "赵隐私",
}

# Who may see which profile (by world key), in the API list and on the matching page.
VISIBLE = {
    "platform": {"student_a", "private_a", "consent_b", "private_b"},
    "admin_a": {"student_a", "private_a"},
    "teacher_a": {"student_a", "private_a"},
    "student_a": {"student_a"},
    "admin_b": {"consent_b", "private_b"},
    "recruiter": {"consent_b"},
}


@pytest.mark.parametrize("username", sorted(VISIBLE))
def test_profile_list_shows_exactly_the_profiles_the_role_may_see(
    client: TestClient, world: World, username: str
) -> None:
    login(client, username)
    response = client.get("/api/v1/profiles")
    assert response.status_code == 200
    names = {p["name"] for p in response.json()}
    assert names == {ALL_NAMES[k] for k in VISIBLE[username]}
    hidden = set(ALL_NAMES) - VISIBLE[username]
    for key in hidden:
        assert ALL_NAMES[key] not in response.text


@pytest.mark.parametrize("username", sorted(VISIBLE))
def test_matching_page_lists_no_one_outside_the_roles_scope(
    client: TestClient, world: World, username: str
) -> None:
    login(client, username)
    page = client.get("/matching")
    assert page.status_code == 200
    for key in VISIBLE[username]:
        assert ALL_NAMES[key] in page.text
    for key in set(ALL_NAMES) - VISIBLE[username]:
        assert ALL_NAMES[key] not in page.text


@pytest.mark.parametrize(
    ("username", "target"),
    [
        ("admin_a", "private_b"),  # another college's student
        ("teacher_a", "consent_b"),  # consent is for employers, not other colleges
        ("student_a", "private_a"),  # a classmate
        ("recruiter", "private_b"),  # did not consent
        ("recruiter", "private_a"),
        ("admin_b", "student_a"),
        ("analyst", "consent_b"),  # analysts never see a person
    ],
)
def test_a_profile_the_viewer_may_not_see_is_404_and_leaks_nothing(
    client: TestClient, world: World, username: str, target: str
) -> None:
    login(client, username)
    profile = world.profiles[target]
    response = client.get(f"/api/v1/profiles/{profile.id}")
    assert response.status_code == 404
    assert ALL_NAMES[target] not in response.text
    assert profile.student_no not in response.text
    assert (profile.phone or "-") not in response.text
    # ... and the answer is the same as for a profile that does not exist.
    missing = client.get("/api/v1/profiles/999999")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == response.json()["error"]["code"]


def test_analyst_gets_403_on_the_profile_list_and_only_counts_on_the_page(
    client: TestClient, world: World
) -> None:
    login(client, "analyst")
    response = client.get("/api/v1/profiles")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    page = client.get("/matching")
    assert page.status_code == 200
    for name in ALL_NAMES.values():
        assert name not in page.text
    for profile in world.profiles.values():
        assert profile.student_no not in page.text
    assert "2024" in page.text and "2025" in page.text  # the graduation-year counts


def test_recruiter_sees_consenting_candidate_with_contact_masked(
    client: TestClient, world: World
) -> None:
    """Consent makes a candidate findable, not reachable: contact only after applying
    (issue 9; ``privacy.masking``)."""
    login(client, "recruiter")
    profile = world.profiles["consent_b"]
    body = client.get(f"/api/v1/profiles/{profile.id}").json()
    assert body["name"] == "王公开"
    assert body["phone"] == "139****0003"
    assert body["contact_hidden"] is True


def test_teacher_sees_own_students_without_contact_data(client: TestClient, world: World) -> None:
    login(client, "teacher_a")
    response = client.get("/api/v1/profiles")
    assert {p["name"] for p in response.json()} == {"张小明", "李秘密"}
    assert all(p["contact_hidden"] for p in response.json())
    assert all(p["phone"] is None or "****" in p["phone"] for p in response.json())
    assert "13800000002" not in response.text
    assert "13800000002" not in client.get("/matching").text


def test_college_admin_sees_contact_data_of_own_students(client: TestClient, world: World) -> None:
    login(client, "admin_a")
    body = client.get(f"/api/v1/profiles/{world.profiles['private_a'].id}").json()
    assert body["phone"] == "13800000002"


def test_student_reads_own_profile(client: TestClient, world: World) -> None:
    login(client, "student_a")
    body = client.get(f"/api/v1/profiles/{world.profiles['student_a'].id}").json()
    assert body["name"] == "张小明"
    assert body["email"] == "zxm@example.cn"


def test_reads_of_someone_elses_profile_are_audited_but_own_reads_are_not(
    client: TestClient, world: World, session: Session
) -> None:
    login(client, "platform")
    target = world.profiles["private_b"]
    assert client.get(f"/api/v1/profiles/{target.id}").status_code == 200
    login(client, "student_a")
    assert client.get(f"/api/v1/profiles/{world.profiles['student_a'].id}").status_code == 200
    events = session.scalars(select(AuditEvent).where(AuditEvent.action == "profile.read")).all()
    assert [(e.user_id, e.target_id) for e in events] == [(world.users["platform"].id, target.id)]


@pytest.mark.parametrize(
    ("username", "path"),
    [
        ("student_a", "/admin"),
        ("teacher_a", "/admin"),
        ("recruiter", "/admin"),
        ("analyst", "/admin"),
        ("recruiter", "/outcomes"),
        ("student_a", "/outcomes"),
        ("recruiter", "/advice"),
    ],
)
def test_areas_outside_the_role_are_403_pages(
    client: TestClient, world: World, username: str, path: str
) -> None:
    login(client, username)
    response = client.get(path)
    assert response.status_code == 403
    assert "无权访问" in response.text
    assert world.users["platform"].display_name not in response.text.replace(
        world.users[username].display_name, ""
    )


@pytest.mark.parametrize("username", ["student_a", "teacher_a", "recruiter", "analyst"])
def test_import_runs_are_for_admin_roles_only(
    client: TestClient, world: World, username: str
) -> None:
    login(client, username)
    assert client.get("/api/v1/import-runs").status_code == 403


def test_college_admin_sees_only_own_colleges_users_in_admin(
    client: TestClient, world: World
) -> None:
    login(client, "admin_a")
    page = client.get("/admin")
    assert page.status_code == 200
    assert "teacher_a" in page.text and "student_a" in page.text
    assert "admin_b" not in page.text
    assert "recruiter" not in page.text


def test_platform_admin_sees_every_user_in_admin(client: TestClient, world: World) -> None:
    login(client, "platform")
    page = client.get("/admin")
    for username in world.users:
        assert username in page.text


@pytest.mark.parametrize("path", ["/", "/matching", "/admin", "/demand"])
def test_pages_redirect_anonymous_visitors_to_login(client: TestClient, path: str) -> None:
    response = client.get(path, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=")


@pytest.mark.parametrize(
    "path", ["/api/v1/me", "/api/v1/profiles", "/api/v1/organizations", "/api/v1/import-runs"]
)
def test_api_answers_401_without_credentials(client: TestClient, world: World, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    assert "王公开" not in response.text
