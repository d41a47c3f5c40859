"""Profile pages: a student sees and edits their own profile (skills, certificates,
courses, experiences, wishes, consent, the ranking opt-out); others see it only as the
policy allows, and consent withdrawal hides it from recruiters at once."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from matchingtools import add_concepts, form_token
from sqlalchemy import select
from sqlalchemy.orm import Session
from webtools import World, login

from talentbridge.store.matching_tables import ProfileConcept, ProfileWish
from talentbridge.store.tables import AuditEvent, Profile


def test_student_sees_own_profile_with_the_pipl_text(client: TestClient, world: World) -> None:
    login(client, "student_a")
    page = client.get("/matching/profile")
    assert page.status_code == 200
    assert "我的档案" in page.text and "张小明" in page.text
    assert "第二十四条" in page.text  # the right to refuse automated decisions
    assert "13800000001" in page.text  # their own contact data
    english = client.get("/matching/profile?lang=en")
    assert "My profile" in english.text and "art. 24" in english.text


@pytest.mark.parametrize("username", ["recruiter", "analyst", "admin_a", "platform"])
def test_my_profile_is_for_students_only(client: TestClient, world: World, username: str) -> None:
    login(client, username)
    assert client.get("/matching/profile").status_code == 404


def test_student_adds_and_removes_skills_certificates_and_languages(
    client: TestClient, world: World, session: Session
) -> None:
    ids = add_concepts(session)
    profile_id = world.profiles["student_a"].id
    login(client, "student_a")
    token = form_token(client, "/matching/profile")
    url = f"/matching/profiles/{profile_id}"
    for group, refs in (
        ("skills", "HS归类，WMS"),
        ("certificates", "物流管理职业技能等级证书"),
        ("languages", "English"),
    ):
        response = client.post(
            f"{url}/concepts", data={"group": group, "refs": refs, "csrf_token": token}
        )
        assert response.status_code == 200 and f"saved={group}" in str(response.url)
    held = set(
        session.scalars(select(ProfileConcept.concept_id).where(
            ProfileConcept.profile_id == profile_id))
    )  # fmt: skip
    assert held == {
        ids["tb.customs.hs"],
        ids["tb.wms"],
        ids["tb.cert.logistics"],
        ids["tb.lang.en"],
    }
    page = client.get(url)
    assert "HS归类" in page.text and "物流管理职业技能等级证书" in page.text
    # an unknown skill is refused with the reason, nothing changes
    bad = client.post(
        f"{url}/concepts", data={"group": "skills", "refs": "飞行驾驶", "csrf_token": token}
    )
    assert bad.status_code == 400 and "飞行驾驶" in bad.text
    # a certificate given as a skill is refused too
    wrong = client.post(
        f"{url}/concepts", data={"group": "skills", "refs": "英语", "csrf_token": token}
    )
    assert wrong.status_code == 400
    removed = client.post(f"{url}/concepts/{ids['tb.wms']}/remove", data={"csrf_token": token})
    assert removed.status_code == 200
    session.expire_all()
    held = set(
        session.scalars(select(ProfileConcept.concept_id).where(
            ProfileConcept.profile_id == profile_id))
    )  # fmt: skip
    assert ids["tb.wms"] not in held and ids["tb.customs.hs"] in held


def test_student_sets_wishes_courses_and_experiences(
    client: TestClient, world: World, session: Session
) -> None:
    profile_id = world.profiles["student_a"].id
    login(client, "student_a")
    token = form_token(client, "/matching/profile")
    url = f"/matching/profiles/{profile_id}"
    occupation = world_occupation_id(session)
    response = client.post(
        f"{url}/wish",
        data={
            "cities": "成都市, 重庆",
            "salary_min": "6000",
            "occupation_ids": [str(occupation)],
            "willing_to_relocate": "1",
            "summary": "喜欢报关工作",
            "csrf_token": token,
        },
    )
    assert response.status_code == 200
    wish = session.get(ProfileWish, profile_id)
    assert wish is not None
    assert wish.city_codes == ["510100", "500000"]
    assert wish.salary_min == 6000 and wish.occupation_ids == [occupation]
    assert wish.willing_to_relocate and not wish.willing_to_go_abroad
    page = client.get(url).text
    assert "成都市" in page and "6,000" in page and "物流服务师" in page
    assert (
        client.post(
            f"{url}/courses",
            data={"name": "国际货运代理", "term": "2024-1", "grade": "优", "csrf_token": token},
        ).status_code
        == 200
    )
    assert client.post(
        f"{url}/experiences",
        data={"kind": "internship", "organization_name": "示例物流", "title": "报关助理",
              "start_on": "2025-07", "end_on": "2025-09", "csrf_token": token},
    ).status_code == 200  # fmt: skip
    page = client.get(url).text
    assert "国际货运代理" in page and "报关助理" in page and "2025-07" in page
    bad = client.post(f"{url}/wish", data={"cities": "火星", "csrf_token": token})
    assert bad.status_code == 400 and "火星" in bad.text


def world_occupation_id(session: Session) -> int:
    from talentbridge.store.tables import Occupation

    found = session.scalar(select(Occupation.id).where(Occupation.code == "4-02-06-03"))
    assert found is not None
    return found


def test_consent_withdrawal_hides_the_profile_from_recruiters_at_once(
    client: TestClient, app: object, world: World, session: Session
) -> None:
    # The consenting student of college B is visible to the recruiter...
    consent_b = world.profiles["consent_b"]
    login(client, "recruiter")
    assert client.get(f"/matching/profiles/{consent_b.id}").status_code == 200
    assert "王公开" in client.get("/matching").text
    # ...until their college admin (on the student's behalf) withdraws the consent.
    other = TestClient(client.app)
    login(other, "admin_b")
    token = form_token(other, f"/matching/profiles/{consent_b.id}")
    response = other.post(
        f"/matching/profiles/{consent_b.id}/consent", data={"visible": "0", "csrf_token": token}
    )
    assert response.status_code == 200
    hidden = client.get(f"/matching/profiles/{consent_b.id}")
    assert hidden.status_code == 404 and "王公开" not in hidden.text
    assert "王公开" not in client.get("/matching").text
    # the change by someone other than the owner is audited
    actions = set(session.scalars(select(AuditEvent.action)))
    assert "profile.consent" in actions


def test_student_withdraws_own_consent_and_opts_out_of_ranking(
    client: TestClient, world: World, session: Session
) -> None:
    profile = world.profiles["student_a"]
    session.execute(
        Profile.__table__.update().where(Profile.id == profile.id).values(visible_to_employers=True)
    )
    session.commit()
    login(client, "student_a")
    token = form_token(client, "/matching/profile")
    url = f"/matching/profiles/{profile.id}"
    assert (
        client.post(f"{url}/consent", data={"visible": "0", "csrf_token": token}).status_code == 200
    )
    assert (
        client.post(f"{url}/ranking", data={"opt_out": "1", "csrf_token": token}).status_code == 200
    )
    session.expire_all()
    stored = session.get(Profile, profile.id)
    assert stored is not None and not stored.visible_to_employers and stored.ranking_opt_out
    page = client.get(url).text
    assert "您已拒绝自动排序" in page and "恢复自动排序" in page


@pytest.mark.parametrize(
    ("username", "target", "status"),
    [
        ("student_a", "private_a", 404),  # a classmate
        ("recruiter", "private_b", 404),  # did not consent
        ("analyst", "consent_b", 404),  # analysts never see a person
        ("admin_a", "consent_b", 404),  # another college's student
        ("teacher_a", "student_a", 200),  # own college: may see, not change
    ],
)
def test_others_profiles_follow_the_policy(
    client: TestClient, world: World, username: str, target: str, status: int
) -> None:
    login(client, username)
    page = client.get(f"/matching/profiles/{world.profiles[target].id}")
    assert page.status_code == status
    if status == 404:
        assert world.profiles[target].name not in page.text
    else:
        assert "consent-toggle" not in page.text  # no edit forms for a teacher
        assert world.profiles[target].phone not in page.text  # teachers see no contact data


def test_changes_by_those_who_may_only_see_are_refused(
    client: TestClient, world: World, session: Session
) -> None:
    login(client, "teacher_a")
    target = world.profiles["student_a"]
    token = form_token(client, f"/matching/profiles/{target.id}")
    response = client.post(
        f"/matching/profiles/{target.id}/consent", data={"visible": "1", "csrf_token": token}
    )
    assert response.status_code == 403
    login(client, "recruiter")
    token = form_token(client, "/matching")
    response = client.post(
        f"/matching/profiles/{world.profiles['private_b'].id}/ranking",
        data={"opt_out": "1", "csrf_token": token},
    )
    assert response.status_code == 404
    session.expire_all()
    assert not session.get(Profile, target.id).visible_to_employers  # type: ignore[union-attr]


def test_forms_without_the_csrf_token_are_refused(client: TestClient, world: World) -> None:
    login(client, "student_a")
    target = world.profiles["student_a"]
    response = client.post(f"/matching/profiles/{target.id}/consent", data={"visible": "1"})
    assert response.status_code == 403


RESUME = """张小明
教育经历
2022.09-2025.06 成都甲职业技术学院 现代物流管理 大专
实习经历
2024.07-2024.09 示例国际物流有限公司 报关助理
技能：熟悉HS归类，会用Excel
"""


def test_resume_upload_lists_suggestions_the_student_confirms(
    client: TestClient, world: World, session: Session
) -> None:
    ids = add_concepts(session)
    profile_id = world.profiles["student_a"].id
    login(client, "student_a")
    token = form_token(client, "/matching/profile")
    url = f"/matching/profiles/{profile_id}"
    response = client.post(
        f"{url}/resume",
        data={"csrf_token": token},
        files={"file": ("简历.txt", RESUME.encode("utf-8"), "text/plain")},
    )
    assert response.status_code == 200, response.text
    assert "待确认的建议" in response.text
    from talentbridge.store.matching_tables import ProfileSuggestion

    suggestions = list(
        session.scalars(select(ProfileSuggestion).where(ProfileSuggestion.profile_id == profile_id))
    )
    skill = next(s for s in suggestions if s.kind == "skill" and "HS" in s.text)
    assert (
        client.post(
            f"{url}/suggestions/{skill.id}", data={"accept": "1", "csrf_token": token}
        ).status_code
        == 200
    )
    other = next(s for s in suggestions if s.id != skill.id)
    assert (
        client.post(
            f"{url}/suggestions/{other.id}", data={"accept": "0", "csrf_token": token}
        ).status_code
        == 200
    )
    session.expire_all()
    held = session.scalars(
        select(ProfileConcept.source).where(
            ProfileConcept.profile_id == profile_id,
            ProfileConcept.concept_id == ids["tb.customs.hs"],
        )
    ).all()
    assert held == ["resume"]
    statuses = {s.id: s.status for s in session.scalars(select(ProfileSuggestion))}
    assert statuses[skill.id] == "accepted" and statuses[other.id] == "rejected"


def test_a_file_that_is_not_a_resume_is_refused_with_the_reason(
    client: TestClient, world: World
) -> None:
    profile_id = world.profiles["student_a"].id
    login(client, "student_a")
    token = form_token(client, "/matching/profile")
    response = client.post(
        f"/matching/profiles/{profile_id}/resume",
        data={"csrf_token": token},
        files={
            "file": (
                "old.doc",
                b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
                "application/msword",
            )
        },
    )
    assert response.status_code == 400 and "DOCX" in response.text
