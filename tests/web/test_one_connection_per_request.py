"""A page takes one pooled store connection, not two (found by the load test: with
every server thread holding one connection and waiting for a second for the layout's
sample-data flag, a busy server stalled until the pool timed out, then answered 500)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import Session
from webtools import World, login

from talentbridge.config import Settings
from talentbridge.store.tables import Setting
from talentbridge.web.app import create_app


@pytest.fixture()
def one_connection(settings: Settings, engine: Engine) -> Iterator[Engine]:
    """The test store behind a pool of exactly one connection that gives up in 2 s."""
    small = create_engine(settings.database_url, pool_size=1, max_overflow=0, pool_timeout=2)
    yield small
    small.dispose()


@pytest.mark.parametrize("path", ["/", "/demand", "/library"])
def test_a_page_renders_with_a_single_pooled_connection(
    settings: Settings, one_connection: Engine, world: World, session: Session, path: str
) -> None:
    session.add(Setting(key="sample_data", value="true"))
    session.commit()
    app = create_app(settings, engine=one_connection)
    with TestClient(app) as client:
        login(client, world.users["admin_a"].username)
        response = client.get(path)
    assert response.status_code == 200, response.text[:500]
    # the layout still read the flag (through the request's own session)
    assert 'class="sample-banner"' in response.text or "示例数据" in response.text
