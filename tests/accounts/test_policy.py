"""The policy's pure decisions, role by role (the web tests check the same rules end to end)."""

from __future__ import annotations

import pytest

from talentbridge.accounts.policy import (
    Principal,
    Scope,
    areas_for,
    can_edit_profile,
    can_list_profiles,
    can_manage_users,
    can_see_personal_data,
    can_view_organization_records,
    can_view_profile,
    needs_audit,
    profile_scope,
    suppress_small,
)
from talentbridge.accounts.roles import Role

OWN, OTHER = 1, 2
STUDENT_USER = 50

P = {
    "platform": Principal(1, Role.PLATFORM_ADMIN, None),
    "college_admin": Principal(2, Role.COLLEGE_ADMIN, OWN),
    "teacher": Principal(3, Role.TEACHER, OWN),
    "student": Principal(STUDENT_USER, Role.STUDENT, OWN),
    "recruiter": Principal(5, Role.RECRUITER, 9),
    "analyst": Principal(6, Role.ANALYST, 8),
}


def view(
    who: str,
    *,
    org: int = OWN,
    owner: int | None = None,
    consent: bool = False,
    applied: bool = False,
) -> bool:
    return can_view_profile(
        P[who],
        profile_org_id=org,
        profile_user_id=owner,
        visible_to_employers=consent,
        has_applied_to_principal_org=applied,
    )


def test_view_rules_per_role() -> None:
    assert view("platform", org=OTHER)
    assert view("college_admin") and not view("college_admin", org=OTHER)
    assert view("teacher") and not view("teacher", org=OTHER, consent=True)
    assert view("student", owner=STUDENT_USER) and not view("student", owner=STUDENT_USER + 1)
    assert not view("student")  # a profile without an owner is not theirs
    assert view("recruiter", org=OTHER, consent=True)
    assert view("recruiter", org=OTHER, applied=True)
    assert not view("recruiter", org=OTHER)
    assert not view("analyst", consent=True, applied=True)


def test_teachers_see_no_contact_data() -> None:
    facts = {"profile_org_id": OWN, "profile_user_id": None, "visible_to_employers": False}
    assert not can_see_personal_data(P["teacher"], **facts)
    assert can_see_personal_data(P["college_admin"], **facts)
    assert not can_see_personal_data(P["recruiter"], **facts)
    assert can_see_personal_data(P["recruiter"], **{**facts, "visible_to_employers": True})


def test_edit_rules() -> None:
    assert can_edit_profile(P["college_admin"], profile_org_id=OWN, profile_user_id=None)
    assert not can_edit_profile(P["college_admin"], profile_org_id=OTHER, profile_user_id=None)
    assert not can_edit_profile(P["teacher"], profile_org_id=OWN, profile_user_id=None)
    assert can_edit_profile(P["student"], profile_org_id=OWN, profile_user_id=STUDENT_USER)
    assert not can_edit_profile(P["recruiter"], profile_org_id=OWN, profile_user_id=None)


def test_user_management_rules() -> None:
    assert can_manage_users(P["platform"], OTHER, Role.PLATFORM_ADMIN)
    assert can_manage_users(P["college_admin"], OWN, Role.TEACHER)
    assert not can_manage_users(P["college_admin"], OWN, Role.PLATFORM_ADMIN)
    assert not can_manage_users(P["college_admin"], OTHER)
    for who in ("teacher", "student", "recruiter", "analyst"):
        assert not can_manage_users(P[who], P[who].organization_id)
    assert can_view_organization_records(P["college_admin"], OWN)
    assert not can_view_organization_records(P["college_admin"], OTHER)
    assert not can_view_organization_records(P["teacher"], OWN)


@pytest.mark.parametrize(
    ("who", "scope"),
    [
        ("platform", Scope(everything=True)),
        ("college_admin", Scope(organization_id=OWN)),
        ("teacher", Scope(organization_id=OWN)),
        ("student", Scope(user_id=STUDENT_USER)),
        ("recruiter", Scope(consented=True, applied_to_organization_id=9)),
        ("analyst", Scope(nothing=True)),
    ],
)
def test_profile_scope_per_role(who: str, scope: Scope) -> None:
    assert profile_scope(P[who]) == scope
    assert can_list_profiles(P[who]) is (who != "analyst")


def test_areas_per_role() -> None:
    assert areas_for(P["platform"]) == [
        "demand",
        "advice",
        "matching",
        "outcomes",
        "libraries",
        "admin",
    ]
    assert "admin" not in areas_for(P["teacher"])
    assert areas_for(P["recruiter"]) == ["demand", "matching", "libraries"]


def test_audit_and_small_cells() -> None:
    assert needs_audit(P["platform"], profile_user_id=None)
    assert not needs_audit(P["student"], profile_user_id=STUDENT_USER)
    assert suppress_small(3, 5) is None
    assert suppress_small(0, 5) == 0
    assert suppress_small(5, 5) == 5
