"""Web fixtures for the privacy tests: an app over the migrated test store and a client."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from signin import PASSWORD
from talentbridge.accounts.passwords import hash_password
from talentbridge.config import Settings
from talentbridge.matching.index import clear_index_cache
from talentbridge.web.app import create_app


@pytest.fixture(scope="session")
def password_hash() -> str:
    """Hashed once: argon2 is deliberately slow."""
    return hash_password(PASSWORD)


@pytest.fixture()
def app(settings: Settings, engine: Engine) -> Iterator[FastAPI]:
    clear_index_cache()
    yield create_app(settings, engine=engine)
    clear_index_cache()


@pytest.fixture()
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client
