"""The 18 bundled libraries: complete bilingual records, created once."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from talentbridge.accounts.policy import Principal
from talentbridge.accounts.roles import Role
from talentbridge.library.seed import LIBRARIES, seed_libraries
from talentbridge.store.library_tables import Library


def test_libraries_are_complete_and_seeded_once(session: Session) -> None:
    assert len(LIBRARIES) == 18 and len({lib.code for lib in LIBRARIES}) == 18
    for lib in LIBRARIES:
        assert lib.name_zh and lib.name_en and lib.description_zh and lib.description_en
        assert len(lib.topics) >= 3
    admin = Principal(1, Role.PLATFORM_ADMIN, None)
    assert seed_libraries(session, principal=admin) == 18
    assert seed_libraries(session, principal=admin) == 0
    assert session.scalar(select(func.count()).select_from(Library)) == 18
