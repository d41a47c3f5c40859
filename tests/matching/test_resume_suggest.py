"""Résumé upload → stored file and pending suggestions → accepted into the profile."""

from __future__ import annotations

import datetime as dt

import pytest
from profiletools import World, build_world, concept_id
from resumefiles import EN_RESUME, ZH_RESUME, docx_bytes, pdf_bytes
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from talentbridge.config import Settings
from talentbridge.errors import Conflict, Forbidden, NotFound
from talentbridge.matching.resume.files import ResumeFileError
from talentbridge.matching.resume.suggest import UploadedResume, decide, parse_resume
from talentbridge.store.matching_tables import (
    ProfileConcept,
    ProfileExperience,
    ProfileSuggestion,
    ResumeFile,
)
from talentbridge.store.tables import AuditEvent


@pytest.fixture()
def world(factory: sessionmaker[Session]) -> World:
    return build_world(factory)


def _suggestions(session: Session, resume_id: int) -> list[ProfileSuggestion]:
    return list(session.scalars(select(ProfileSuggestion).where(
        ProfileSuggestion.resume_file_id == resume_id).order_by(ProfileSuggestion.id)))  # fmt: skip


def _one(found: list[ProfileSuggestion], kind: str, **value: object) -> ProfileSuggestion:
    for s in found:
        if s.kind == kind and all((s.value or {}).get(k) == v for k, v in value.items()):
            return s
    raise AssertionError(f"no {kind} {value} in {[(s.kind, s.value) for s in found]}")


def test_chinese_docx_gives_dated_experience_education_and_concepts(
    session: Session, world: World, settings: Settings
) -> None:
    data = docx_bytes(ZH_RESUME)
    result = parse_resume(session, world.student, world.profile_id,
                          UploadedResume("简历.docx", data), settings=settings)  # fmt: skip
    assert not result.already_parsed and result.language == "zh"
    stored = session.get(ResumeFile, result.resume_file_id)
    assert stored is not None and stored.uploaded_by == world.student.user_id
    assert (settings.data_dir / "resumes" / f"{stored.sha256}.docx").read_bytes() == data
    found = _suggestions(session, result.resume_file_id)
    assert all(s.status == "pending" for s in found)
    work = _one(found, "experience", organization="成都示例国际货运代理有限公司")
    assert (work.value or {})["title"] == "单证员"
    assert ((work.value or {})["start_on"], (work.value or {})["end_on"]) == (
        "2023-07-01",
        "2023-09-01",
    )
    school = _one(found, "education", organization="四川交通职业技术学院")
    assert (school.value or {})["degree"] == "大专" and (school.value or {})["level"] == "associate"
    cet4 = _one(found, "certificate", concept_id=concept_id(session, "tb.lang.exams.cet4"))
    assert stored.text[cet4.span_start or 0 : cet4.span_end or 0] == cet4.text
    _one(found, "skill", concept_id=concept_id(session, "tb.freight.general.booking"))
    major = _one(found, "major")
    assert major.text == "现代物流管理专业" and (major.value or {})["major_id"] is not None


def test_same_file_twice_creates_nothing_new(
    session: Session, world: World, settings: Settings
) -> None:
    upload = UploadedResume("cv.pdf", pdf_bytes(EN_RESUME, chinese=False))
    first = parse_resume(session, world.student, world.profile_id, upload, settings=settings)
    again = parse_resume(session, world.student, world.profile_id, upload, settings=settings)
    assert again.already_parsed and again.resume_file_id == first.resume_file_id
    assert again.suggestion_ids == first.suggestion_ids and first.suggestion_ids
    assert session.scalar(select(func.count()).select_from(ResumeFile)) == 1
    found = _suggestions(session, first.resume_file_id)
    job = _one(found, "experience", organization="Example Freight Forwarding Co., Ltd.")
    assert (job.value or {})["title"] == "Export Documentation Clerk"
    assert (job.value or {})["start_on"] == "2023-09-01"


def test_accepting_applies_through_the_profile_services(
    session: Session, world: World, settings: Settings
) -> None:
    result = parse_resume(session, world.student, world.profile_id,
                          UploadedResume("cv.txt", ZH_RESUME.encode("gb18030")), settings=settings)  # fmt: skip
    found = _suggestions(session, result.resume_file_id)
    cet4 = _one(found, "certificate")
    work = _one(found, "experience")
    school = _one(found, "education", organization="四川交通职业技术学院")
    assert decide(session, world.student, cet4.id, True) == "accepted"
    assert decide(session, world.student, work.id, True) == "accepted"
    assert decide(session, world.student, school.id, False) == "rejected"
    held = session.scalars(select(ProfileConcept).where(
        ProfileConcept.profile_id == world.profile_id)).all()  # fmt: skip
    assert [(h.concept_id, h.source) for h in held] == [
        ((cet4.value or {})["concept_id"], "resume")
    ]
    (experience,) = session.scalars(select(ProfileExperience)).all()
    assert (experience.kind, experience.organization_name, experience.title, experience.source) == (
        "work",
        "成都示例国际货运代理有限公司",
        "单证员",
        "resume",
    )
    assert (experience.start_on, experience.end_on) == (dt.date(2023, 7, 1), dt.date(2023, 9, 1))
    with pytest.raises(Conflict):
        decide(session, world.student, cet4.id, False)
    # suggestions of concepts now held are not made again from a new résumé
    other = parse_resume(session, world.student, world.profile_id,
                         UploadedResume("cv2.txt", (ZH_RESUME + "\n").encode()), settings=settings)  # fmt: skip
    kinds = {
        (s.kind, (s.value or {}).get("concept_id"))
        for s in _suggestions(session, other.resume_file_id)
    }
    assert ("certificate", (cet4.value or {})["concept_id"]) not in kinds


def test_access_and_audit(session: Session, world: World, settings: Settings) -> None:
    upload = UploadedResume("cv.txt", ZH_RESUME.encode())
    with pytest.raises(Forbidden):
        parse_resume(session, world.teacher, world.profile_id, upload, settings=settings)
    with pytest.raises(NotFound):
        parse_resume(session, world.other_admin, world.profile_id, upload, settings=settings)
    result = parse_resume(session, world.college_admin, world.profile_id, upload, settings=settings)
    (audit,) = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "profile.resume.upload")
    )
    assert audit.user_id == world.college_admin.user_id
    with pytest.raises(NotFound):  # a suggestion on a profile the caller cannot see
        decide(session, world.other_admin, result.suggestion_ids[0], True)
    with pytest.raises(ResumeFileError):
        parse_resume(session, world.student, world.profile_id,
                     UploadedResume("cv.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 99),
                     settings=settings)  # fmt: skip
