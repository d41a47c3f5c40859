"""Consent records: grant and withdrawal are recorded with purpose, notice version, actor
and channel, and take effect at once (the matching index, the profile edits, the import)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from matchworld import World
from talentbridge.accounts.principal import Principal
from talentbridge.accounts.roles import Role
from talentbridge.errors import NotFound
from talentbridge.matching import profile_edit
from talentbridge.matching.engine import candidates_for, jobs_for
from talentbridge.matching.index import clear_index_cache, index_for
from talentbridge.matching.profiles import import_profiles
from talentbridge.privacy import consent
from talentbridge.registry.offerings import import_college_majors
from talentbridge.registry.organizations import import_organizations
from talentbridge.store.tables import AuditEvent, Profile
from talentbridge.store.trust_tables import ConsentRecord
from talentbridge.taxonomy.majors import load_bundled_majors


@pytest.fixture()
def world(session: Session) -> World:
    clear_index_cache()
    return World(session)


def _admin(world: World) -> Principal:
    return Principal(user_id=900, role=Role.COLLEGE_ADMIN, organization_id=world.college_id)


def _records(session: Session, profile_id: int) -> list[ConsentRecord]:
    return list(session.scalars(select(ConsentRecord).where(
        ConsentRecord.profile_id == profile_id).order_by(ConsentRecord.id)))  # fmt: skip


def test_the_notice_has_a_version_and_both_languages() -> None:
    notice = consent.notice()
    assert notice.version == "2026-11"
    for lang in ("zh", "en"):
        title, body = notice.text(lang)
        assert title and len(body) > 100
        assert set(notice.purposes[lang]) == set(consent.PURPOSES)
    assert notice.text("fr") == notice.text("zh")


def test_withdrawal_leaves_the_candidate_list_at_once(
    world: World, session: Session, factory: sessionmaker[Session]
) -> None:
    posting = world.posting("报关", ["报关"])
    me = world.profile(["报关"], visible=True)
    other = world.profile(["报关"], visible=True)
    session.commit()
    assert {m.profile_id for m in candidates_for(index_for(factory), posting)} == {me, other}
    with factory() as s:
        consent.withdraw(s, _admin(world), profile_id=me, purpose="employer_visibility")
        s.commit()
    # the version fingerprint saw the change: the next call uses a rebuilt index
    assert [m.profile_id for m in candidates_for(index_for(factory), posting)] == [other]
    (record,) = _records(session, me)
    assert (record.purpose, record.granted, record.channel) == ("employer_visibility", False, "web")
    assert record.notice_version == "2026-11" and record.actor_user_id == 900
    session.expire_all()
    profile = session.get(Profile, me)
    assert profile is not None and profile.visible_to_employers is False
    # granted again: back in the list, a second record
    with factory() as s:
        consent.grant(s, _admin(world), profile_id=me, purpose="employer_visibility",
                      channel="api")  # fmt: skip
        s.commit()
    assert {m.profile_id for m in candidates_for(index_for(factory), posting)} == {me, other}
    assert [(r.granted, r.channel) for r in _records(session, me)] == [
        (False, "web"),
        (True, "api"),
    ]


def test_withdrawing_automated_ranking_stops_scoring(
    world: World, session: Session, factory: sessionmaker[Session]
) -> None:
    posting = world.posting("报关", ["报关"])
    me = world.profile(["报关"], visible=True)
    session.commit()
    assert [m.profile_id for m in candidates_for(index_for(factory), posting)] == [me]
    with factory() as s:
        profile_edit.set_ranking_opt_out(s, _admin(world), profile_id=me, opt_out=True,
                                         channel="cli")  # fmt: skip
        s.commit()
    index = index_for(factory)
    assert candidates_for(index, posting) == []
    assert all(not m.scored for m in jobs_for(index, me))
    (record,) = _records(session, me)
    assert (record.purpose, record.granted, record.channel) == ("automated_ranking", False, "cli")
    # the college changed it, not the owner: audited under the action it always had
    assert session.scalar(select(AuditEvent.detail).where(
        AuditEvent.action == "profile.ranking_opt_out")) is not None  # fmt: skip


def test_set_consent_records_and_refuses_strangers(world: World, session: Session) -> None:
    me = world.profile(["报关"], visible=False)
    profile_edit.set_consent(session, _admin(world), profile_id=me, visible_to_employers=True)
    assert [(r.purpose, r.granted) for r in _records(session, me)] == [
        ("employer_visibility", True)
    ]
    stranger = Principal(user_id=901, role=Role.COLLEGE_ADMIN, organization_id=world.enterprise_id)
    with pytest.raises(NotFound):
        consent.withdraw(session, stranger, profile_id=me, purpose="employer_visibility")
    with pytest.raises(consent.ConsentError):
        consent.grant(session, _admin(world), profile_id=me, purpose="marketing")
    assert len(_records(session, me)) == 1


HEADERS = "college_code,student_no,name,major_level,major_code,graduation_year,visible_to_employers"


def test_the_import_records_the_files_consent_with_the_importer(
    factory: sessionmaker[Session], session: Session, tmp_path: Path
) -> None:
    load_bundled_majors(factory)
    orgs = tmp_path / "orgs.csv"
    orgs.write_text("code,kind,name_zh,city,district\nC1,college,示例·一号学院,成都市,双流区\n")
    import_organizations(factory, orgs)
    offers = tmp_path / "offers.csv"
    offers.write_text("college_code,major_level,major_code,direction_zh,direction_en,start_year\n"
                      "C1,associate,530802,,,2010\n")  # fmt: skip
    import_college_majors(factory, offers)
    students = tmp_path / "students.csv"
    students.write_text(f"{HEADERS}\nC1,S1,张伟,associate,530802,2026,true\n"
                        "C1,S2,李娜,associate,530802,2026,false\n")  # fmt: skip
    import_profiles(factory, students, user_id=77)
    rows = list(session.scalars(select(ConsentRecord).order_by(ConsentRecord.id)))
    assert [(r.granted, r.channel, r.actor_user_id, r.purpose) for r in rows] == [
        (True, "import", 77, "employer_visibility"),
        (False, "import", 77, "employer_visibility"),
    ]
    import_profiles(factory, students, user_id=77)  # unchanged: no new evidence
    assert len(list(session.scalars(select(ConsentRecord)))) == 2
    students.write_text(f"{HEADERS}\nC1,S1,张伟,associate,530802,2026,false\n"
                        "C1,S2,李娜,associate,530802,2026,false\n")  # fmt: skip
    import_profiles(factory, students, user_id=78, consent_channel="demo")
    session.expire_all()
    last = session.scalars(select(ConsentRecord).order_by(ConsentRecord.id.desc())).first()
    assert last is not None and (last.granted, last.channel, last.actor_user_id) == (
        False,
        "demo",
        78,
    )
    assert len(list(session.scalars(select(ConsentRecord)))) == 3
