"""The matching pages' pure decisions, role by role (the web tests check them end to end)."""

from __future__ import annotations

from talentbridge.accounts.policy import (
    Principal,
    can_act_for_profile,
    can_create_fair,
    can_manage_fair,
    can_manage_rankers,
    can_see_candidate_contact,
    can_view_candidates,
    can_view_fairness_audit,
    can_view_matches_for_profile,
    fairness_audit_college,
)
from talentbridge.accounts.roles import Role

OWN, OTHER, ENTERPRISE = 1, 2, 9
STUDENT_USER = 50

P = {
    "platform": Principal(1, Role.PLATFORM_ADMIN, None),
    "college_admin": Principal(2, Role.COLLEGE_ADMIN, OWN),
    "teacher": Principal(3, Role.TEACHER, OWN),
    "student": Principal(STUDENT_USER, Role.STUDENT, OWN),
    "recruiter": Principal(5, Role.RECRUITER, ENTERPRISE),
    "analyst": Principal(6, Role.ANALYST, 8),
}


def matches(who: str, *, org: int = OWN, owner: int | None = None) -> bool:
    return can_view_matches_for_profile(P[who], profile_org_id=org, profile_user_id=owner)


def test_jobs_for_a_profile_are_seen_by_its_owner_and_its_college_only() -> None:
    assert matches("student", owner=STUDENT_USER)
    assert not matches("student", owner=STUDENT_USER + 1)
    assert not matches("student")  # a profile without an owner is not theirs
    assert matches("college_admin") and not matches("college_admin", org=OTHER)
    assert matches("teacher") and not matches("teacher", org=OTHER)
    assert matches("platform", org=OTHER)
    # Recruiters and analysts never see a person's list of jobs, whatever the profile.
    assert not matches("recruiter", owner=5) and not matches("recruiter", org=ENTERPRISE)
    assert not matches("analyst", org=8)


def test_only_the_student_acts_for_their_profile() -> None:
    assert can_act_for_profile(P["student"], profile_user_id=STUDENT_USER)
    assert not can_act_for_profile(P["student"], profile_user_id=STUDENT_USER + 1)
    assert not can_act_for_profile(P["student"], profile_user_id=None)
    for who in ("platform", "college_admin", "teacher", "recruiter", "analyst"):
        assert not can_act_for_profile(P[who], profile_user_id=P[who].user_id), who


def test_candidates_are_for_the_postings_own_recruiters() -> None:
    assert can_view_candidates(P["recruiter"], posting_org_id=ENTERPRISE)
    assert not can_view_candidates(P["recruiter"], posting_org_id=ENTERPRISE + 1)
    assert not can_view_candidates(P["recruiter"], posting_org_id=None)
    assert can_view_candidates(P["platform"], posting_org_id=None)
    for who in ("college_admin", "teacher", "student", "analyst"):
        assert not can_view_candidates(P[who], posting_org_id=P[who].organization_id), who


def test_contact_data_waits_for_an_application() -> None:
    assert not can_see_candidate_contact(P["recruiter"], applied_or_accepted=False)
    assert can_see_candidate_contact(P["recruiter"], applied_or_accepted=True)
    assert can_see_candidate_contact(P["platform"], applied_or_accepted=False)
    assert not can_see_candidate_contact(P["analyst"], applied_or_accepted=True)


def test_fairs_belong_to_a_colleges_staff() -> None:
    assert can_create_fair(P["college_admin"]) and can_create_fair(P["teacher"])
    assert can_create_fair(P["platform"])
    assert not can_create_fair(Principal(7, Role.COLLEGE_ADMIN, None))
    for who in ("student", "recruiter", "analyst"):
        assert not can_create_fair(P[who]), who
    assert can_manage_fair(P["college_admin"], fair_org_id=OWN)
    assert can_manage_fair(P["teacher"], fair_org_id=OWN)
    assert not can_manage_fair(P["college_admin"], fair_org_id=OTHER)
    assert not can_manage_fair(P["college_admin"], fair_org_id=None)
    assert can_manage_fair(P["platform"], fair_org_id=OTHER)
    assert not can_manage_fair(P["student"], fair_org_id=OWN)
    assert not can_manage_fair(P["recruiter"], fair_org_id=OWN)


def test_fairness_audit_is_aggregate_and_scoped_for_college_admins() -> None:
    assert can_view_fairness_audit(P["analyst"], college_id=None)
    assert can_view_fairness_audit(P["analyst"], college_id=OTHER)
    assert can_view_fairness_audit(P["platform"], college_id=None)
    assert can_view_fairness_audit(P["college_admin"], college_id=OWN)
    assert not can_view_fairness_audit(P["college_admin"], college_id=OTHER)
    assert not can_view_fairness_audit(P["college_admin"], college_id=None)
    for who in ("teacher", "student", "recruiter"):
        assert not can_view_fairness_audit(P[who], college_id=OWN), who
    assert fairness_audit_college(P["college_admin"]) == OWN
    assert fairness_audit_college(P["analyst"]) is None


def test_rankers_are_switched_by_the_platform_admin_only() -> None:
    assert can_manage_rankers(P["platform"])
    assert not any(can_manage_rankers(P[w]) for w in P if w != "platform")


def test_explanations_follow_the_jobs_or_the_candidates_rule() -> None:
    from talentbridge.accounts.policy import can_view_explanation

    def explain(who: str, *, owner: int | None = None, may_see: bool = False) -> bool:
        return can_view_explanation(
            P[who],
            profile_org_id=OWN,
            profile_user_id=owner,
            posting_org_id=ENTERPRISE,
            recruiter_may_see_profile=may_see,
        )

    assert explain("student", owner=STUDENT_USER)
    assert not explain("student", owner=STUDENT_USER + 1, may_see=True)
    assert explain("teacher") and explain("college_admin") and explain("platform")
    assert explain("recruiter", may_see=True) and not explain("recruiter")
    other_recruiter = Principal(9, Role.RECRUITER, ENTERPRISE + 1)
    assert not can_view_explanation(
        other_recruiter,
        profile_org_id=OWN,
        profile_user_id=None,
        posting_org_id=ENTERPRISE,
        recruiter_may_see_profile=True,
    )
    assert not explain("analyst", may_see=True)
