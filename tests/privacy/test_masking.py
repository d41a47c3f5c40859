"""Masking by role (``privacy.masking``): who sees which class of a person's record."""

from __future__ import annotations

import pytest

from talentbridge.accounts.principal import Principal
from talentbridge.accounts.roles import Role
from talentbridge.privacy.classification import PersonalClass as C
from talentbridge.privacy.masking import (
    ALL_CLASSES,
    ViewerFacts,
    facts_for,
    mask_email,
    mask_identifier,
    mask_name,
    mask_person,
    mask_phone,
    visible_classes,
)

COLLEGE, EMPLOYER, ASSOCIATION = 1, 2, 3


def who(role: Role, org: int | None, user_id: int = 7) -> Principal:
    return Principal(user_id=user_id, role=role, organization_id=org)


def test_masked_forms() -> None:
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("123456") == "****56"
    assert mask_email("zhang.wei@example.com") == "z***@example.com"
    assert mask_name("张伟") == "张*"
    assert mask_name("欧阳明明") == "欧***"
    assert mask_identifier("2023010001") == "2023****01"
    assert mask_phone(None) is None and mask_email("") == ""


def test_the_owner_and_the_platform_admin_see_everything() -> None:
    student = who(Role.STUDENT, COLLEGE, user_id=5)
    assert (
        visible_classes(student, facts_for(student, profile_org_id=COLLEGE, profile_user_id=5))
        == ALL_CLASSES
    )
    admin = who(Role.PLATFORM_ADMIN, None)
    assert visible_classes(admin, ViewerFacts()) == ALL_CLASSES
    # another student of the same college sees nothing of this one
    other = who(Role.STUDENT, COLLEGE, user_id=6)
    assert (
        visible_classes(other, facts_for(other, profile_org_id=COLLEGE, profile_user_id=5))
        == frozenset()
    )


def test_college_staff_see_their_students_teachers_without_contact() -> None:
    mine = ViewerFacts(same_college=True)
    assert C.CONTACT in visible_classes(who(Role.COLLEGE_ADMIN, COLLEGE), mine)
    assert C.SENSITIVE not in visible_classes(who(Role.COLLEGE_ADMIN, COLLEGE), mine)
    teacher = visible_classes(who(Role.TEACHER, COLLEGE), mine)
    assert C.NAME in teacher and C.CONTACT not in teacher
    assert visible_classes(who(Role.COLLEGE_ADMIN, 99), ViewerFacts()) == frozenset()


def test_a_recruiter_sees_contact_only_after_an_application_or_accepted_invitation() -> None:
    recruiter = who(Role.RECRUITER, EMPLOYER)
    before = mask_person(recruiter, ViewerFacts(), name="张伟", phone="13812345678",
                         email="zw@example.com", student_no="2023010001")  # fmt: skip
    assert (before.name, before.phone, before.email) == ("张伟", "138****5678", "z***@example.com")
    assert before.student_no == "2023****01" and before.contact_hidden
    after = mask_person(recruiter, ViewerFacts(reachable=True), name="张伟",
                        phone="13812345678", email="zw@example.com")  # fmt: skip
    assert (after.phone, after.email, after.contact_hidden) == (
        "13812345678",
        "zw@example.com",
        False,
    )


@pytest.mark.parametrize("facts", [ViewerFacts(), ViewerFacts(reachable=True, same_college=True)])
def test_analysts_never_see_a_name_or_contact(facts: ViewerFacts) -> None:
    analyst = who(Role.ANALYST, ASSOCIATION)
    assert visible_classes(analyst, facts) == frozenset()
    seen = mask_person(analyst, facts, name="张伟", phone="13812345678", email="zw@example.com")
    assert seen.name == "张*" and seen.phone == "138****5678" and seen.name_hidden
