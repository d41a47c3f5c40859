"""Any user text is a safe search query: never a syntax error in FTS5 or tsquery."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session, sessionmaker

import libraryworld
from talentbridge.accounts.roles import Role
from talentbridge.config import Settings
from talentbridge.library.resources import create_library, publish_resource, submit_resource
from talentbridge.library.samples import markdown_bytes
from talentbridge.library.search import search
from talentbridge.library.termbase import import_bundled

SYNTAX = st.sampled_from(
    ['"', "'", "*", "AND", "OR", "NOT", "NEAR", "(", ")", ":", "^", "-", "+", "&", "|", "!",
     "<->", "\\", "{", "}", "提单", "B/L", "bill", " ", "报关", "L/C", "\x00", "\u3000"]
)  # fmt: skip
QUERIES = st.one_of(st.text(max_size=40), st.lists(SYNTAX, max_size=8).map(" ".join))


@pytest.fixture()
def store(factory: sessionmaker[Session], settings: Settings) -> Iterator[Session]:
    import_bundled(factory)
    with factory() as session:
        admin = libraryworld.people(session, {"admin": Role.PLATFORM_ADMIN})["admin"]
        library = create_library(session, principal=admin, code="x", name_zh="单证", name_en="Docs")
        resource = submit_resource(
            session,
            principal=admin,
            library_id=library.id,
            title_zh="提单",
            title_en="Bill of lading",
            kind="document",
            data=markdown_bytes("B/L", [("AND OR", 'A "quoted" bill * NEAR(x) of lading')]),
            file_name="bl.md",
            data_dir=settings.data_dir,
            max_bytes=1 << 20,
        )
        publish_resource(session, principal=admin, resource_id=resource.id)
        yield session
        session.rollback()


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=QUERIES)
def test_any_text_is_a_safe_query(store: Session, query: str) -> None:
    for expand in (True, False):
        results = search(store, principal=None, query=query, expand=expand)
        assert results.total >= len(results.resources)
