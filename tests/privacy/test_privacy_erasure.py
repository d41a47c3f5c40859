"""Account deletion: no personal value is left anywhere in the store, the outcomes
indicators do not change, the account cannot sign in, and the audit trail records it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from personworld import PERSONAL_VALUES, USERNAME, Person, build_person
from sqlalchemy import JSON, String, Text, select
from sqlalchemy.orm import Session, sessionmaker

from matchworld import World
from talentbridge.accounts.passwords import verify_password
from talentbridge.accounts.principal import Principal
from talentbridge.accounts.roles import Role
from talentbridge.config import Settings
from talentbridge.errors import Forbidden, NotFound
from talentbridge.matching.engine import candidates_for
from talentbridge.matching.index import clear_index_cache, index_for
from talentbridge.outcomes.indicators import indicator_tables
from talentbridge.privacy.erasure import UNUSABLE_PASSWORD, erase_account
from talentbridge.store.matching_tables import Application, ResumeFile
from talentbridge.store.outcomes_tables import Placement
from talentbridge.store.tables import ApiToken, AuditEvent, Base, Profile, User
from talentbridge.store.trust_tables import ConsentRecord, UserSession


def _texts(session: Session) -> list[tuple[str, str, str]]:
    """(table, column, text) of every text or JSON value in the store."""
    found = []
    for name, table in Base.metadata.tables.items():
        columns = [c for c in table.columns if isinstance(c.type, String | Text | JSON)]
        if not columns:
            continue
        for row in session.execute(select(*columns)):
            for column, value in zip(columns, row, strict=True):
                if value is None:
                    continue
                text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
                found.append((name, column.name, text))
    return found


def _leaks(session: Session, values: tuple[str, ...]) -> list[tuple[str, str, str]]:
    return [(t, c, v) for t, c, text in _texts(session) for v in values if v in text]


def _indicators(session: Session) -> dict[str, Any]:
    admin = Principal(user_id=1, role=Role.PLATFORM_ADMIN, organization_id=None)
    return {
        by: indicator_tables(session, admin, by=by, min_cell=1)
        for by in ("", "college", "major", "year")
    }


@pytest.fixture()
def person(session: Session, settings: Settings) -> Person:
    return build_person(session, settings.data_dir)


def test_erasure_leaves_no_personal_value_and_keeps_the_aggregates(
    session: Session, person: Person
) -> None:
    assert _leaks(session, PERSONAL_VALUES)  # the scan does find them before
    before = _indicators(session)
    placements_before = session.scalars(select(Placement.destination).order_by(Placement.id)).all()
    me = Principal(user_id=person.user_id, role=Role.STUDENT,
                   organization_id=person.world.ids["C1"])  # fmt: skip
    report = erase_account(session, me, user_id=person.user_id)
    session.commit()
    session.expire_all()
    assert _leaks(session, PERSONAL_VALUES) == []
    # the username survives only in the append-only audit log (a failed login, if any)
    assert [(t, c) for t, c, _ in _leaks(session, (USERNAME,)) if t != "audit_event"] == []
    assert not person.resume_path.exists() and report.files_removed == [str(person.resume_path)]
    assert _indicators(session) == before
    assert session.scalars(select(Placement.destination).order_by(Placement.id)).all() == (
        placements_before
    )
    application = session.scalar(select(Application))
    assert application is not None and application.stage == "interview"  # recruiting figures
    user = session.get(User, person.user_id)
    assert user is not None and user.username == f"erased-{person.user_id}"
    assert user.is_active is False and user.deleted_at is not None
    assert user.email is None and user.display_name == ""
    assert user.password_hash == UNUSABLE_PASSWORD and not verify_password(user.password_hash, "x")
    profile = session.get(Profile, person.profile_id)
    assert profile is not None and profile.deleted_at is not None and profile.user_id is None
    assert profile.visible_to_employers is False and profile.ranking_opt_out is True
    assert session.scalar(select(ResumeFile)) is None
    assert all(t.revoked_at is not None for t in session.scalars(select(ApiToken)))
    assert all(s.revoked_at is not None for s in session.scalars(select(UserSession)))
    withdrawn = session.scalars(select(ConsentRecord).where(ConsentRecord.granted.is_(False)))
    assert {r.purpose for r in withdrawn} == {"employer_visibility", "automated_ranking"}
    (event,) = session.scalars(select(AuditEvent).where(AuditEvent.action == "account.erased"))
    assert event.target_id == person.user_id and event.user_id == person.user_id
    assert "student" in (event.detail or "")
    assert report.tokens_revoked == 1 and report.sessions_revoked == 1
    assert report.deleted["rejected_row.raw"] == 1  # the other student's rejected row stays


def test_who_may_erase(session: Session, person: Person) -> None:
    c1, e1 = person.world.ids["C1"], person.world.ids["E1"]
    recruiter = Principal(user_id=person.recruiter_id, role=Role.RECRUITER, organization_id=e1)
    with pytest.raises(NotFound):
        erase_account(session, recruiter, user_id=person.user_id)
    teacher = Principal(user_id=999, role=Role.TEACHER, organization_id=c1)
    with pytest.raises(Forbidden):
        erase_account(session, teacher, user_id=person.user_id)
    other_college = Principal(user_id=998, role=Role.COLLEGE_ADMIN,
                              organization_id=person.world.ids["C2"])  # fmt: skip
    with pytest.raises(NotFound):
        erase_account(session, other_college, user_id=person.user_id)
    admin = Principal(user_id=person.admin_id, role=Role.COLLEGE_ADMIN, organization_id=c1)
    erase_account(session, admin, user_id=person.user_id, channel="cli")
    with pytest.raises(NotFound):  # once erased, it is gone
        erase_account(session, admin, user_id=person.user_id)
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "account.erased"))
    assert event is not None and event.user_id == person.admin_id
    assert "college_admin" in (event.detail or "") and "cli" in (event.detail or "")


def test_a_shared_resume_file_stays_for_the_other_profile(session: Session, person: Person) -> None:
    mine = session.scalar(select(ResumeFile))
    assert mine is not None
    other = session.get(Profile, person.world.ids["g2"])
    assert other is not None
    session.add(ResumeFile(profile_id=other.id, file_name="b.txt", media_type="text/plain",
                           sha256=mine.sha256, size=mine.size, stored_path=mine.stored_path,
                           text="另一份"))  # fmt: skip
    session.flush()
    platform = Principal(user_id=1, role=Role.PLATFORM_ADMIN, organization_id=None)
    report = erase_account(session, platform, user_id=person.user_id)
    assert report.files_removed == [] and person.resume_path.exists()


def test_an_erased_person_leaves_matching_even_where_they_applied(
    session: Session, factory: sessionmaker[Session]
) -> None:
    clear_index_cache()
    world = World(session)
    posting = world.posting("报关", ["报关"])
    me = world.profile(["报关"], visible=True)
    user = User(username="s1", display_name="学生", role="student", password_hash="x",
                organization_id=world.college_id, locale="zh")  # fmt: skip
    session.add(user)
    session.flush()
    profile = session.get(Profile, me)
    assert profile is not None
    profile.user_id = user.id
    session.commit()
    assert [m.profile_id for m in candidates_for(index_for(factory), posting, applied={me})] == [me]
    platform = Principal(user_id=1, role=Role.PLATFORM_ADMIN, organization_id=None)
    erase_account(session, platform, user_id=user.id)
    session.commit()
    index = index_for(factory)
    assert candidates_for(index, posting, applied={me}) == []
    assert me not in set(index.profiles.ids.tolist())
