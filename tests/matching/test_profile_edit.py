"""Profile editing services: access, concepts, courses, experiences, wish, consent, audit,
and the profile page's read model."""

from __future__ import annotations

import datetime as dt

import pytest
from profiletools import World, build_world, concept_id
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from talentbridge.errors import Forbidden, NotFound
from talentbridge.matching import profile_edit as edit
from talentbridge.matching.profile_edit import (
    CourseInput,
    ExperienceInput,
    ProfileInputError,
    WishInput,
)
from talentbridge.store.matching_tables import (
    Application,
    ProfileConcept,
    ProfileCourse,
    ProfileWish,
)
from talentbridge.store.tables import AuditEvent, Occupation, Organization, Posting, Profile


@pytest.fixture()
def world(factory: sessionmaker[Session]) -> World:
    return build_world(factory)


def _audits(session: Session, action: str) -> list[AuditEvent]:
    return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def _held(session: Session, profile_id: int) -> set[tuple[str, int]]:
    rows = session.scalars(select(ProfileConcept).where(ProfileConcept.profile_id == profile_id))
    return {(r.source, r.concept_id) for r in rows}


def test_who_may_edit(session: Session, world: World) -> None:
    kwargs = {"profile_id": world.profile_id, "visible_to_employers": True}
    edit.set_consent(session, world.student, **kwargs)  # type: ignore[arg-type]
    edit.set_consent(session, world.college_admin, **kwargs)  # type: ignore[arg-type]
    edit.set_consent(session, world.platform_admin, **kwargs)  # type: ignore[arg-type]
    with pytest.raises(Forbidden):  # sees the college's students, changes none
        edit.set_consent(session, world.teacher, **kwargs)  # type: ignore[arg-type]
    with pytest.raises(Forbidden):  # consented, so visible to recruiters, but not theirs
        edit.set_consent(session, world.recruiter, **kwargs)  # type: ignore[arg-type]
    with pytest.raises(NotFound):  # another college's student: not even visible
        edit.set_consent(session, world.other_admin, **kwargs)  # type: ignore[arg-type]
    with pytest.raises(NotFound):
        edit.set_consent(session, world.student, profile_id=world.other_profile_id,
                         visible_to_employers=True)  # fmt: skip
    with pytest.raises(NotFound):
        edit.set_consent(session, world.platform_admin, profile_id=999_999,
                         visible_to_employers=True)  # fmt: skip


def test_concepts_by_label_id_and_key_with_kind_checks(session: Session, world: World) -> None:
    cet4 = concept_id(session, "tb.lang.exams.cet4")
    fcl = concept_id(session, "tb.freight.sea.fcl")
    booking = concept_id(session, "tb.freight.general.booking")
    added = edit.add_concepts(session, world.student, profile_id=world.profile_id,
                              group="skills", refs=["ＦＣＬ", "订舱操作", str(fcl)])  # fmt: skip
    assert added == [fcl, booking]  # full-width abbreviation, alias; the id repeats fcl
    assert edit.add_concepts(session, world.student, profile_id=world.profile_id,
                             group="certificates", refs=["cet4"]) == [cet4]  # fmt: skip
    english = concept_id(session, "tb.lang.languages.english")
    assert edit.add_concepts(session, world.student, profile_id=world.profile_id,
                             group="languages", refs=["tb.lang.languages.english"]) == [english]  # fmt: skip
    with pytest.raises(ProfileInputError, match="not a certificate"):
        edit.add_concepts(session, world.student, profile_id=world.profile_id,
                          group="certificates", refs=["订舱"])  # fmt: skip
    with pytest.raises(ProfileInputError, match="unknown skill"):
        edit.add_concepts(session, world.student, profile_id=world.profile_id,
                          group="skills", refs=["量子烹饪"])  # fmt: skip
    assert _held(session, world.profile_id) == {
        ("self", fcl), ("self", booking), ("self", cet4), ("self", english)}  # fmt: skip
    added, removed = edit.set_concepts(session, world.student, profile_id=world.profile_id,
                                       group="skills", refs=["订舱"])  # fmt: skip
    assert (added, removed) == ([], [fcl])
    # set_concepts of skills leaves certificates and languages alone
    assert _held(session, world.profile_id) == {
        ("self", booking),
        ("self", cet4),
        ("self", english),
    }
    assert edit.remove_concepts(session, world.student, profile_id=world.profile_id,
                                concept_ids=[cet4]) == 1  # fmt: skip
    assert not _audits(session, "profile.concepts.add")  # the owner's edits are not audited


def test_edits_by_the_college_are_audited(session: Session, world: World) -> None:
    edit.add_concepts(session, world.college_admin, profile_id=world.profile_id,
                      group="skills", refs=["订舱"])  # fmt: skip
    edit.set_ranking_opt_out(session, world.college_admin, profile_id=world.profile_id,
                             opt_out=True)  # fmt: skip
    (added,) = _audits(session, "profile.concepts.add")
    assert added.user_id == world.college_admin.user_id and added.target_id == world.profile_id
    (opt_out,) = _audits(session, "profile.ranking_opt_out")
    assert "True" in (opt_out.detail or "")
    profile = session.get(Profile, world.profile_id)
    assert profile is not None and profile.ranking_opt_out is True


def test_courses_link_to_the_plan_and_bring_taught_concepts(session: Session, world: World) -> None:
    row_id = edit.upsert_course(session, world.student, profile_id=world.profile_id,
                                course=CourseInput("报关实务(一)", "2024-1", "良好"))  # fmt: skip
    row = session.get(ProfileCourse, row_id)
    assert row is not None and row.course_id == world.course_id  # brackets and width ignored
    assert row.score == 85.0 and row.passed is True
    assert ("course", world.fcl_concept_id) in _held(session, world.profile_id)
    edit.upsert_course(session, world.student, profile_id=world.profile_id,
                       course=CourseInput("报关实务(一)", "2024-1", "45"))  # fmt: skip
    assert row.passed is False  # failed: the course no longer vouches for the skill
    assert ("course", world.fcl_concept_id) not in _held(session, world.profile_id)
    ids = edit.set_courses(session, world.student, profile_id=world.profile_id, courses=[
        CourseInput("报关实务（一）", "2024-1", "A"), CourseInput("大学英语", "2023-1", "优")])  # fmt: skip
    assert len(ids) == 2
    courses = {c.name: c for c in session.scalars(select(ProfileCourse))}
    assert set(courses) == {"报关实务（一）", "大学英语"}  # the old spelling was replaced
    assert courses["大学英语"].course_id is None and courses["大学英语"].score == 95.0
    assert ("course", world.fcl_concept_id) in _held(session, world.profile_id)
    with pytest.raises(ProfileInputError):
        edit.set_courses(session, world.student, profile_id=world.profile_id,
                         courses=[CourseInput("A", "1"), CourseInput("A", "1")])  # fmt: skip


@pytest.mark.parametrize(
    ("grade", "score"),
    [("85", 85.0), ("85.5", 85.5), ("优", 95.0), ("B+", 88.0), ("c-", 72.0), ("x", None),
     ("120", None), (None, None), ("不及格", 40.0)],
)  # fmt: skip
def test_parse_grade(grade: str | None, score: float | None) -> None:
    assert edit.parse_grade(grade) == score


def test_experiences(session: Session, world: World) -> None:
    exp = ExperienceInput("internship", "示例·物流公司", "单证员", dt.date(2025, 7, 1),
                          dt.date(2025, 9, 30), "负责海运出口单证")  # fmt: skip
    exp_id = edit.add_experience(session, world.student, profile_id=world.profile_id,
                                 experience=exp)  # fmt: skip
    with pytest.raises(ProfileInputError, match="ends before"):
        edit.add_experience(session, world.student, profile_id=world.profile_id,
                            experience=ExperienceInput("work", "X", end_on=dt.date(2020, 1, 1),
                                                       start_on=dt.date(2021, 1, 1)))  # fmt: skip
    with pytest.raises(ProfileInputError, match="kind"):
        edit.add_experience(session, world.student, profile_id=world.profile_id,
                            experience=ExperienceInput("hobby", "X"))  # fmt: skip
    edit.update_experience(session, world.student, profile_id=world.profile_id,
                           experience_id=exp_id,
                           experience=ExperienceInput("work", "示例·物流公司", "操作员"))  # fmt: skip
    detail = edit.profile_detail(session, world.student, world.profile_id)
    assert [(e.kind, e.title) for e in detail.experiences] == [("work", "操作员")]
    with pytest.raises(NotFound):  # another profile's experience id is not found here
        edit.remove_experience(session, world.platform_admin, profile_id=world.other_profile_id,
                               experience_id=exp_id)  # fmt: skip
    edit.remove_experience(session, world.student, profile_id=world.profile_id,
                           experience_id=exp_id)  # fmt: skip
    assert edit.profile_detail(session, world.student, world.profile_id).experiences == ()


def test_wish_cities_salary_occupations(session: Session, world: World) -> None:
    occupation = session.scalars(select(Occupation)).first()
    assert occupation is not None
    edit.set_wish(session, world.student, profile_id=world.profile_id, wish=WishInput(
        city_codes=["成都", "500112", "双流区", "重庆市"], salary_min=5000,
        occupation_ids=[occupation.id], willing_to_go_abroad=True, summary=" 吃苦耐劳 "))  # fmt: skip
    wish = session.get(ProfileWish, world.profile_id)
    assert wish is not None
    # 渝北区 → 重庆市 (a municipality is its own city), 双流区 → 成都市 (already listed)
    assert wish.city_codes == ["510100", "500000"]
    assert (wish.salary_min, wish.occupation_ids, wish.summary) == (
        5000,
        [occupation.id],
        "吃苦耐劳",
    )
    for bad, field in ((WishInput(city_codes=["四川省"]), "city_codes"),
                       (WishInput(city_codes=["Atlantis"]), "city_codes"),
                       (WishInput(salary_min=0), "salary_min"),
                       (WishInput(occupation_ids=[987654]), "occupation_ids")):  # fmt: skip
        with pytest.raises(ProfileInputError) as caught:
            edit.set_wish(session, world.student, profile_id=world.profile_id, wish=bad)
        assert caught.value.field == field
    view = edit.profile_detail(session, world.student, world.profile_id).wish
    assert view is not None and [c.name_zh for c in view.cities] == ["成都市", "重庆市"]
    assert view.occupations[0].code == occupation.code


def test_detail_masks_contact_data_and_hides_editor_parts(session: Session, world: World) -> None:
    edit.add_concepts(session, world.student, profile_id=world.profile_id,
                      group="certificates", refs=["英语四级"])  # fmt: skip
    own = edit.profile_detail(session, world.student, world.profile_id)
    assert own.phone == "19900001234" and own.can_edit and not own.contact_hidden
    assert [c.key for c in own.certificates] == ["tb.lang.exams.cet4"] and own.skills == ()
    assert own.major_code == "530802" and own.direction_name_zh == "跨境电商"
    teacher = edit.profile_detail(session, world.teacher, world.profile_id)
    assert teacher.phone == "199****1234" and teacher.contact_hidden  # masked
    assert not teacher.can_edit
    with pytest.raises(NotFound):  # no consent, no application
        edit.profile_detail(session, world.recruiter, world.profile_id)
    edit.set_consent(session, world.student, profile_id=world.profile_id,
                     visible_to_employers=True)  # fmt: skip
    seen = edit.profile_detail(session, world.recruiter, world.profile_id)
    assert seen.certificates[0].label_zh == "大学英语四级" and seen.resumes == ()
    assert seen.contact_hidden and seen.phone == "199****1234"  # consent: findable, not reachable
    reads = _audits(session, "profile.read")
    assert {e.user_id for e in reads} == {world.teacher.user_id, world.recruiter.user_id}


def test_recruiter_sees_a_candidate_who_applied_without_consent(
    session: Session, world: World
) -> None:
    org = session.get(Organization, world.enterprise_id)
    assert org is not None
    posting = Posting(title="单证员", employer_name=org.name_zh, organization_id=org.id,
                      content_hash="h" * 64, block_key="k", fingerprint=0)  # fmt: skip
    session.add(posting)
    session.flush()
    with pytest.raises(NotFound):
        edit.profile_detail(session, world.recruiter, world.other_profile_id)
    session.add(Application(profile_id=world.other_profile_id, posting_id=posting.id,
                            organization_id=org.id))  # fmt: skip
    session.flush()
    detail = edit.profile_detail(session, world.recruiter, world.other_profile_id)
    assert detail.name == "李娜" and detail.phone == "19900004321"


def test_an_edit_in_place_changes_the_match_index_version(session: Session, world: World) -> None:
    # Rewriting an experience adds no row: the edit service announces it, so the cached
    # match index (matching.index.index_for) rebuilds its profile side.
    from talentbridge.matching.version import store_version

    exp_id = edit.add_experience(session, world.student, profile_id=world.profile_id,
                                 experience=ExperienceInput("internship", "示例·仓储公司"))  # fmt: skip
    before = store_version(session)
    edit.update_experience(session, world.student, profile_id=world.profile_id,
                           experience_id=exp_id,
                           experience=ExperienceInput("internship", "示例·仓储公司", "拣货员"))  # fmt: skip
    after = store_version(session)
    assert after.profiles != before.profiles
    assert after.postings == before.postings
