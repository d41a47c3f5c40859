"""Schemathesis over every operation of our OpenAPI schema (/api/v1/openapi.json).

On a small seeded store (two colleges, an enterprise, an association, users of every
role, profiles, postings with concepts, library resources in every state), each
operation gets requests generated from its schema, sent with the bearer token of a
platform admin, a college admin, a recruiter and a student in turn. Every answer must
be no server error, a status the schema documents (``web.api.responses`` documents
the errors of every operation), with the documented content type and body.

Deterministic (``derandomize``) and bounded (``MAX_EXAMPLES`` per operation), so that
it runs the same in CI on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from librarytools import LESSON, upload
from matchingtools import build_market
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.schemas import APIOperation
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy.orm import Session
from webtools import World

from talentbridge.accounts.policy import Principal
from talentbridge.accounts.tokens import issue_token
from talentbridge.config import Settings
from talentbridge.library.resources import create_library
from talentbridge.matching.index import clear_index_cache

MAX_EXAMPLES = 8
ROLES = ("platform", "admin_a", "recruiter", "student_a")  # users of the web ``world``
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture()
def tokens(world: World, session: Session, settings: Settings) -> dict[str, str]:
    """The seeded store; a bearer token for each of ``ROLES``."""
    clear_index_cache()
    build_market(session, world)
    admin = Principal.of(world.users["admin_a"])
    library = create_library(
        session, principal=admin, code="docs", name_zh="单证", name_en="Documents"
    )
    for title, for_review in (("提单实务", True), ("草稿", False)):
        upload(session, world, Path(settings.data_dir), library, LESSON, "ocean.docx",
               title_zh=title, for_review=for_review)  # fmt: skip
    made = {name: issue_token(session, user_id=world.users[name].id, name="fuzz") for name in ROLES}
    session.commit()
    return made


def fuzzer(
    operation: APIOperation, tokens: dict[str, str], failures: list[str], statuses: set[int]
) -> Callable[[], None]:
    """A hypothesis test of one operation: each case sent as each of ``ROLES``; what the
    checks find goes to ``failures``, the statuses answered to ``statuses``."""

    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate],
    )
    @given(
        case=operation.as_strategy(GenerationMode.POSITIVE)
        | operation.as_strategy(GenerationMode.NEGATIVE)
    )
    def fuzz(case: schemathesis.Case) -> None:
        for name in ROLES:
            response = case.call(headers={"Authorization": f"Bearer {tokens[name]}"})
            statuses.add(response.status_code)
            try:
                case.validate_response(response, checks=CHECKS)
            except (Failure, FailureGroup) as exc:
                failures.append(f"{operation.label} as {name}: {str(exc)[:900]}")
            if response.status_code >= 400 and not _clear_error(response.content):
                failures.append(f"{operation.label} as {name}: {response.status_code} "
                                f"without a code and message: {response.content[:200]!r}")  # fmt: skip

    return fuzz


def _clear_error(content: bytes) -> bool:
    """Whether an error body names its code and says what went wrong."""
    try:
        error = json.loads(content)["error"]
    except (ValueError, KeyError, TypeError):
        return False
    return bool(error.get("code")) and len(error.get("message") or "") >= 5


def test_every_operation_answers_a_documented_status_and_never_500(
    app: FastAPI, tokens: dict[str, str]
) -> None:
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    failures: list[str] = []
    # deleting one's own account (DELETE /me/privacy/account) ends the token: last
    operations = sorted(
        (result.ok() for result in schema.get_all_operations()),
        key=lambda op: op.method.upper() == "DELETE",
    )
    answered: dict[str, set[int]] = {}
    for operation in operations:
        answered[operation.label] = set()
        fuzzer(operation, tokens, failures, answered[operation.label])()
    assert len(operations) > 40
    # every operation but the deletions was reached signed in (not only 401s)
    signed_out = [
        label for label, got in answered.items() if got <= {401} and not label.startswith("DELETE")
    ]
    assert not signed_out, f"only 401 for {signed_out}"
    assert not failures, f"{len(failures)} failures:\n" + "\n\n".join(failures[:20])


def test_the_schema_documents_every_error_status_with_the_error_body(app: FastAPI) -> None:
    schema = app.openapi()
    assert "HTTPValidationError" not in schema["components"]["schemas"]
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            for status in ("401", "403", "404", "422"):
                documented = operation["responses"].get(status)
                assert documented is not None, (method, path, status)
                body = documented["content"]["application/json"]["schema"]
                assert "$ref" in body, (method, path, status)


def test_a_number_beyond_64_bits_is_refused_with_a_clear_error_not_a_500(
    client: TestClient, world: World, session: Session
) -> None:
    """Found by schemathesis: /api/v1/profiles?graduation_year=<a huge number> crashed
    the SQLite driver (OverflowError, a 500)."""
    token = issue_token(session, user_id=world.users["platform"].id, name="t")
    session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    huge = 10**30
    for url in (f"/api/v1/profiles?graduation_year={huge}", f"/api/v1/profiles/{huge}"):
        response = client.get(url, headers=headers)
        assert response.status_code in (404, 422), (url, response.status_code)
        error = response.json()["error"]
        assert error["code"] in ("invalid_request", "not_found")
        assert error["message"]


def test_a_nul_character_in_a_search_is_not_a_server_error(
    client: TestClient, world: World, session: Session
) -> None:
    """PostgreSQL refuses NUL in text (a DataError): answered as the caller's input."""
    token = issue_token(session, user_id=world.users["platform"].id, name="t")
    session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    for url in ("/api/v1/postings?q=a%00b", "/api/v1/majors?q=a%00b", "/api/v1/postings?city=%00"):
        response = client.get(url, headers=headers)
        assert response.status_code in (200, 422), (url, response.status_code)
        if response.status_code == 422:
            assert response.json()["error"]["message"]
