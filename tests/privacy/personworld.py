"""One person with a record in every personal table, inside the indicator world
(``indicatorworld``: 30 graduates with placements), for the export and erasure tests
(importable as ``personworld``)."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from demandtools import add_posting, add_taxonomy
from indicatorworld import World, build_world
from talentbridge.accounts.audit import record_event, record_reads
from talentbridge.accounts.principal import Principal
from talentbridge.accounts.roles import Role
from talentbridge.privacy.consent import set_purpose
from talentbridge.store.library_tables import LibraryEvent
from talentbridge.store.matching_tables import (
    Application,
    ApplicationEvent,
    FairAssignment,
    FairInterview,
    FairOpening,
    FairPreference,
    FairRegistration,
    JobFair,
    MatchFeedback,
    ProfileConcept,
    ProfileCourse,
    ProfileExperience,
    ProfileProtected,
    ProfileSuggestion,
    ProfileWish,
    ResumeFile,
)
from talentbridge.store.tables import ApiToken, ImportRun, Profile, RejectedRow, User, utcnow
from talentbridge.store.trust_tables import LoginAttempt, UserSession

NAME = "欧阳娜娜"
PHONE = "13912345678"
EMAIL = "ouyang.nana@example.cn"
STUDENT_NO = "XN2023-7781"
USERNAME = "ouyangnana"
RESUME_TEXT = "欧阳娜娜 在蓉欧物流实习半年，熟练使用订舱系统 QX9TRACE 完成报关单据。"
EXPERIENCE = "在蓉欧物流仓储部实习 QX9EXPERIENCE"
SUMMARY = "我是欧阳娜娜，希望在成都从事物流工作 QX9SUMMARY"
PERSONAL_VALUES = (NAME, PHONE, EMAIL, STUDENT_NO, RESUME_TEXT, "QX9TRACE", "QX9EXPERIENCE",
                   "QX9SUMMARY")  # fmt: skip


@dataclass
class Person:
    world: World
    user_id: int
    profile_id: int
    recruiter_id: int
    admin_id: int
    resume_path: Path
    posting_id: int


def _user(session: Session, username: str, role: str, org_id: int | None, **kw: object) -> User:
    user = User(username=username, display_name=kw.pop("display_name", username), role=role,
                organization_id=org_id, password_hash="x", locale="zh", **kw)  # fmt: skip
    session.add(user)
    session.flush()
    return user


def build_person(session: Session, data_dir: Path) -> Person:
    world = build_world(session)
    ids = world.ids
    user = _user(session, USERNAME, "student", ids["C1"], display_name=NAME, email=EMAIL)
    recruiter = _user(session, "recruiter_e1", "recruiter", ids["E1"])
    admin = _user(session, "admin_c1", "college_admin", ids["C1"])
    profile = session.get(Profile, ids["g1"])
    assert profile is not None
    profile.user_id, profile.name, profile.phone = user.id, NAME, PHONE
    profile.email, profile.student_no = EMAIL, STUDENT_NO
    concepts = add_taxonomy(session, ["报关", "英语"], code="privacy")
    session.add_all([
        ProfileConcept(profile_id=profile.id, concept_id=concepts["报关"], source="resume",
                       evidence=RESUME_TEXT[:40]),
        ProfileConcept(profile_id=profile.id, concept_id=concepts["英语"], source="self"),
        ProfileCourse(profile_id=profile.id, name="报关实务", term="2023-1", grade="优", score=92),
        ProfileExperience(profile_id=profile.id, kind="internship", organization_name="蓉欧物流",
                          title="仓储实习生", description=EXPERIENCE),
        ProfileWish(profile_id=profile.id, city_codes=["510100"], salary_min=5000, summary=SUMMARY),
        ProfileProtected(profile_id=profile.id, gender="female", birth_year=2003),
    ])  # fmt: skip
    resume_bytes = RESUME_TEXT.encode()
    digest = hashlib.sha256(resume_bytes).hexdigest()
    resume_path = data_dir / "resumes" / f"{digest}.txt"
    resume_path.parent.mkdir(parents=True, exist_ok=True)
    resume_path.write_bytes(resume_bytes)
    resume = ResumeFile(profile_id=profile.id, file_name=f"{NAME}简历.txt", media_type="text/plain",
                        sha256=digest, size=len(resume_bytes), stored_path=str(resume_path),
                        text=RESUME_TEXT, language="zh", uploaded_by=user.id)  # fmt: skip
    session.add(resume)
    session.flush()
    session.add(ProfileSuggestion(profile_id=profile.id, resume_file_id=resume.id, kind="skill",
                                  text=RESUME_TEXT[:30], status="accepted"))  # fmt: skip
    posting_id = add_posting(session, title="跨境物流专员")
    application = Application(profile_id=profile.id, posting_id=posting_id,
                              organization_id=ids["E1"], stage="interview")  # fmt: skip
    session.add(application)
    session.flush()
    session.add_all([
        ApplicationEvent(application_id=application.id, stage="applied", user_id=user.id),
        ApplicationEvent(application_id=application.id, stage="interview", user_id=recruiter.id,
                         note=f"已电话联系 {PHONE}"),
        MatchFeedback(profile_id=profile.id, posting_id=posting_id, event="invite",
                      side="employer", user_id=recruiter.id),
        MatchFeedback(profile_id=profile.id, posting_id=posting_id, event="click",
                      side="student", user_id=user.id, position=1, score=0.8),
    ])  # fmt: skip
    fair = JobFair(organization_id=ids["C1"], name_zh="春季双选会", held_on=dt.date(2024, 4, 1))
    session.add(fair)
    session.flush()
    opening = FairOpening(fair_id=fair.id, posting_id=posting_id, seats=1)
    session.add(opening)
    session.flush()
    session.add_all([
        FairRegistration(fair_id=fair.id, profile_id=profile.id),
        FairPreference(fair_id=fair.id, fair_opening_id=opening.id, profile_id=profile.id,
                       side="student", rank=1),
        FairAssignment(fair_id=fair.id, fair_opening_id=opening.id, profile_id=profile.id,
                       student_rank=1),
        FairInterview(fair_id=fair.id, fair_opening_id=opening.id, profile_id=profile.id,
                      starts_at=dt.datetime(2024, 4, 1, 9), ends_at=dt.datetime(2024, 4, 1, 9, 20)),
        LibraryEvent(kind="search", user_id=user.id, role="student", query="报关"),
        ApiToken(user_id=user.id, name="我的脚本", token_hash="a" * 64),
        UserSession(token_hash="b" * 64, user_id=user.id, ip="10.0.0.7", user_agent="Firefox",
                    expires_at=utcnow() + dt.timedelta(days=1)),
        LoginAttempt(username=USERNAME, ip="10.0.0.7", succeeded=True),
    ])  # fmt: skip
    run = ImportRun(kind="profiles", file_name="students.csv", status="finished", user_id=admin.id)
    session.add(run)
    session.flush()
    session.add_all([
        RejectedRow(import_run_id=run.id, row_number=7, field="phone", reason="bad phone",
                    raw={"学号": STUDENT_NO, "姓名": NAME, "手机": PHONE + "x"}),
        RejectedRow(import_run_id=run.id, row_number=8, field="phone", reason="bad phone",
                    raw={"学号": "OTHER-1", "姓名": "别人", "手机": "1"}),
    ])  # fmt: skip
    set_purpose(session, profile, "employer_visibility", True, actor_user_id=user.id,
                channel="web")  # fmt: skip
    record_event(session, user_id=recruiter.id, action="profile.read", target_type="profile",
                 target_id=profile.id, organization_id=ids["C1"], detail="detail",
                 purpose="screening for 跨境物流专员")  # fmt: skip
    reader = Principal(user_id=recruiter.id, role=Role.RECRUITER, organization_id=ids["E1"])
    record_reads(session, reader, action="profile.list",
                 records=[(profile.id, ids["C1"]), (ids["g2"], ids["C1"])])  # fmt: skip
    record_reads(session, reader, action="profile.list", records=[(ids["g3"], ids["C1"])])
    record_event(session, user_id=recruiter.id, action="application.read",
                 target_type="application", target_id=application.id,
                 organization_id=ids["C1"])  # fmt: skip
    session.commit()
    return Person(world, user.id, profile.id, recruiter.id, admin.id, resume_path, posting_id)
