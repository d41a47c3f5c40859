"""A person's export holds every record about them, and no secret; every table with a
``profile_id`` or ``user_id`` column is covered by the export or excluded with a reason."""

from __future__ import annotations

import json

from personworld import EMAIL, NAME, PHONE, RESUME_TEXT, STUDENT_NO, SUMMARY, build_person
from sqlalchemy.orm import Session

from talentbridge.config import Settings
from talentbridge.privacy.export import COVERED, EXCLUDED, SECTIONS, export_person
from talentbridge.store.tables import Base

PERSON_COLUMNS = ("profile_id", "user_id", "actor_user_id", "uploaded_by")


def test_every_table_about_a_person_is_exported_or_excluded_with_a_reason() -> None:
    personal = {
        name
        for name, table in Base.metadata.tables.items()
        if any(c.name in PERSON_COLUMNS for c in table.columns)
    } | {"user_account", "profile", "login_attempt"}
    missing = sorted(personal - set(COVERED) - set(EXCLUDED))
    assert not missing, f"tables about a person that the export does not cover: {missing}"
    assert all(reason.strip() for reason in EXCLUDED.values())
    assert not set(COVERED) & set(EXCLUDED)
    assert set(COVERED) <= set(Base.metadata.tables), "COVERED names a table that is gone"


def test_export_holds_every_section_and_the_persons_records(
    session: Session, settings: Settings
) -> None:
    person = build_person(session, settings.data_dir)
    data = export_person(session, person.user_id)
    assert tuple(data) == SECTIONS
    json.dumps(data, ensure_ascii=False)  # JSON-ready as it is
    assert data["user"]["username"] == "ouyangnana" and data["user"]["email"] == EMAIL
    assert "password_hash" not in data["user"]
    profile = data["profile"]
    assert (profile["name"], profile["phone"], profile["student_no"]) == (NAME, PHONE, STUDENT_NO)
    assert profile["consent_state"] == {"employer_visibility": True, "automated_ranking": True}
    assert {c["label_zh"] for c in data["concepts"]} == {"报关", "英语"}
    assert data["courses"][0]["name"] == "报关实务"
    assert data["experiences"][0]["organization_name"] == "蓉欧物流"
    assert data["wish"]["summary"] == SUMMARY
    assert data["protected"]["gender"] == "female"
    (resume,) = data["resumes"]
    assert resume["text"] == RESUME_TEXT and "stored_path" not in resume
    assert len(data["suggestions"]) == 1
    (application,) = data["applications"]
    assert application["stage"] == "interview"
    assert application["posting"]["title"] == "跨境物流专员"
    events = application["events"]
    assert [e["stage"] for e in events] == ["applied", "interview"]
    assert events[0]["actor"] == {"self": True}
    # another person's action is shown by role and organization, never their name
    assert events[1]["actor"] == {
        "self": False,
        "role": "recruiter",
        "organization": "示例·物流公司",
    }
    assert "recruiter_e1" not in json.dumps(data, ensure_ascii=False)
    assert [i["event"] for i in data["invitations"]] == ["invite"]
    assert [f["event"] for f in data["match_feedback"]] == ["click"]
    fairs = data["fairs"]
    assert {k: len(v) for k, v in fairs.items()} == {
        "registrations": 1, "preferences": 1, "assignments": 1, "interviews": 1}  # fmt: skip
    assert fairs["registrations"][0]["fair"] == "春季双选会"
    (placement,) = data["placements"]
    assert placement["destination"] == "employed" and placement["salary_monthly"] == 5000
    (consent,) = data["consents"]
    assert consent["purpose"] == "employer_visibility" and consent["granted"] is True
    assert consent["notice_version"] == data["notice_version"] == "2026-11"
    assert data["library_events"][0]["query"] == "报关"
    (token,) = data["api_tokens"]
    assert token["name"] == "我的脚本" and "token_hash" not in token
    (signed_in,) = data["sessions"]
    assert signed_in["ip"] == "10.0.0.7" and "token_hash" not in signed_in
    assert len(data["login_attempts"]) == 1
    # reads of the profile alone, in a list that held it (not the list without it), and
    # of the application
    read, listed, application_read = data["audit"]["reads_by_others"]
    assert read["action"] == "profile.read" and read["purpose"] == "screening for 跨境物流专员"
    assert read["actor"]["role"] == "recruiter"
    assert listed["action"] == "profile.list" and listed["in_list"] is True
    assert listed["detail"] is None and listed["purpose"]  # other people's ids are not shown
    assert application_read["action"] == "application.read"
    assert data["import_runs"] == []


def test_export_of_a_user_without_a_profile_has_empty_sections(
    session: Session, settings: Settings
) -> None:
    person = build_person(session, settings.data_dir)
    data = export_person(session, person.admin_id)
    assert data["profile"] is None and data["applications"] == []
    (run,) = data["import_runs"]
    assert run["file_name"] == "students.csv" and "rejects_path" not in run
    assert NAME not in json.dumps(data, ensure_ascii=False)
