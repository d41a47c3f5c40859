"""Accounts fixtures: one organization of each kind."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from talentbridge.store.tables import Organization


@pytest.fixture()
def orgs(session: Session) -> dict[str, Organization]:
    made = {
        kind: Organization(code=f"ORG-{kind}", kind=kind, name_zh=f"示例{kind}")
        for kind in ("college", "enterprise", "association", "authority")
    }
    made["college2"] = Organization(code="ORG-college2", kind="college", name_zh="示例院校二")
    session.add_all(made.values())
    session.commit()
    return made
