"""The JSON API: identity, reference data, tokens, OpenAPI, health."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from webtools import World, csrf_from, login

from talentbridge.accounts.tokens import issue_token, list_tokens, revoke_token
from talentbridge.store.tables import ImportRun, Major


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_me_with_a_valid_bearer_token(client: TestClient, world: World, session: Session) -> None:
    token = issue_token(session, user_id=world.users["recruiter"].id, name="ats")
    session.commit()
    body = client.get("/api/v1/me", headers=_bearer(token)).json()
    assert body["username"] == "recruiter"
    assert body["role"] == "recruiter"
    assert body["organization"]["code"] == "ENT-1"


def test_revoked_and_unknown_tokens_are_refused(
    client: TestClient, world: World, session: Session
) -> None:
    token = issue_token(session, user_id=world.users["recruiter"].id, name="ats")
    session.commit()
    assert client.get("/api/v1/me", headers=_bearer(token)).status_code == 200
    (row,) = list_tokens(session, user_id=world.users["recruiter"].id)
    revoke_token(session, token_id=row.id)
    session.commit()
    refused = client.get("/api/v1/me", headers=_bearer(token))
    assert refused.status_code == 401
    assert refused.headers["www-authenticate"] == "Bearer"
    assert client.get("/api/v1/me", headers=_bearer("tb_forged")).status_code == 401


def test_token_issued_through_the_api_works_and_is_shown_once(
    client: TestClient, world: World, session: Session
) -> None:
    login(client, "analyst")
    csrf = csrf_from(client.get("/").text)
    issued = client.post("/api/v1/tokens", json={"name": "report"}, headers={"X-CSRF-Token": csrf})
    assert issued.status_code == 201
    token = issued.json()["token"]
    (row,) = list_tokens(session, user_id=world.users["analyst"].id)
    assert token not in row.token_hash
    client.cookies.clear()
    assert client.get("/api/v1/me", headers=_bearer(token)).json()["username"] == "analyst"


def test_token_request_with_empty_name_is_a_json_validation_error(
    client: TestClient, world: World, session: Session
) -> None:
    token = issue_token(session, user_id=world.users["analyst"].id, name="x")
    session.commit()
    response = client.post("/api/v1/tokens", json={"name": ""}, headers=_bearer(token))
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_request"
    assert "name" in response.json()["error"]["message"]


def test_organizations_list_and_kind_filter(client: TestClient, world: World) -> None:
    login(client, "student_a")
    codes = {o["code"] for o in client.get("/api/v1/organizations").json()}
    assert codes == {"COL-A", "COL-B", "ENT-1", "ASSOC-1"}
    colleges = client.get("/api/v1/organizations?kind=college").json()
    assert {o["code"] for o in colleges} == {"COL-A", "COL-B"}


def test_majors_filter_by_level_and_query(
    client: TestClient, world: World, session: Session
) -> None:
    session.add(
        Major(
            level="secondary",
            item_level="major",
            code="730701",
            name_zh="物流服务与管理",
            category_code="73",
            category_name="财经商贸大类",
        )
    )
    session.commit()
    login(client, "teacher_a")
    associate = client.get("/api/v1/majors?level=associate").json()
    assert [m["code"] for m in associate] == ["530802"]
    found = client.get("/api/v1/majors", params={"q": "物流服务"}).json()
    assert [m["code"] for m in found] == ["730701"]
    assert client.get("/api/v1/majors?level=doctor").status_code == 422


def test_occupations_list(client: TestClient, world: World) -> None:
    login(client, "recruiter")
    body = client.get("/api/v1/occupations").json()
    assert [(o["code"], o["name_zh"]) for o in body] == [("4-02-06-03", "物流服务师")]


def test_import_runs_for_admins(client: TestClient, world: World, session: Session) -> None:
    session.add(
        ImportRun(
            kind="majors",
            file_name="majors.csv",
            status="done",
            rows_read=10,
            rows_stored=9,
            rows_rejected=1,
        )
    )
    session.commit()
    login(client, "admin_b")
    (run,) = client.get("/api/v1/import-runs").json()
    assert (run["kind"], run["rows_stored"], run["rows_rejected"]) == ("majors", 9, 1)


def test_openapi_schema_lists_the_api_but_not_the_pages(client: TestClient) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    paths = set(schema["paths"])
    assert {
        "/api/v1/me",
        "/api/v1/profiles",
        "/api/v1/profiles/{profile_id}",
        "/api/v1/tokens",
        "/api/v1/health",
        "/api/v1/import-runs",
    } <= paths
    assert "/login" not in paths and "/admin" not in paths
    assert "HTTPBearer" in schema["components"]["securitySchemes"]


def test_api_docs_page_is_served_without_a_cdn(client: TestClient) -> None:
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    assert "/api/v1/profiles/{profile_id}" in page.text
    assert "cdn" not in page.text.lower()


def test_health_reports_store_and_schema_revision(client: TestClient) -> None:
    for path in ("/ready", "/api/v1/health"):  # /health is liveness only (no store)
        body = client.get(path).json()
        assert body["status"] == "ok"
        assert body["store"] == "ok"
        assert body["schema_revision"] == body["schema_head"]
        assert body["schema_revision"]


def test_unknown_api_path_is_json_404(client: TestClient) -> None:
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json() == {"error": {"code": "not_found", "message": "Not Found"}}
