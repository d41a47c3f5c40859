"""Who may do what in person–job matching (issue 6): match lists and explanations,
candidates and their contact data, job fairs, fairness audits, rankers. Part of the
access policy (``accounts.policy`` re-exports every rule)."""

from __future__ import annotations

from talentbridge.accounts.principal import Principal, same_org
from talentbridge.accounts.roles import COLLEGE_ROLES, Role

# --- person–job matching (issue 6) ---------------------------------------------------

FAIR_MANAGER_ROLES: frozenset[Role] = COLLEGE_ROLES


def can_view_matches_for_profile(
    principal: Principal, *, profile_org_id: int, profile_user_id: int | None
) -> bool:
    """The "jobs for me" list of a profile and its explanations: the profile's owner, staff of
    the profile's college (admin, teacher) and the platform admin; never a recruiter or
    an analyst (they see no person's list of jobs)."""
    role = principal.role
    if role is Role.PLATFORM_ADMIN:
        return True
    if role is Role.STUDENT:
        return profile_user_id is not None and profile_user_id == principal.user_id
    if role in COLLEGE_ROLES:
        return same_org(principal, profile_org_id)
    return False


def can_act_for_profile(principal: Principal, *, profile_user_id: int | None) -> bool:
    """Save or apply to a job, answer an invitation: only the profile's own student."""
    return (
        principal.role is Role.STUDENT
        and profile_user_id is not None
        and profile_user_id == principal.user_id
    )


def can_view_candidates(principal: Principal, *, posting_org_id: int | None) -> bool:
    """The "candidates for this opening" list, the posting's pipeline, invitations and stage
    changes: recruiters of the posting's organization and the platform admin."""
    if principal.role is Role.PLATFORM_ADMIN:
        return True
    return principal.role is Role.RECRUITER and same_org(principal, posting_org_id)


def can_see_candidate_contact(principal: Principal, *, applied_or_accepted: bool) -> bool:
    """Contact data of a candidate in a recruiter's candidate list or pipeline: only once
    the candidate applied to (or accepted an invitation of) the recruiter's organization.
    Consent makes a profile findable, not reachable."""
    if principal.role is Role.PLATFORM_ADMIN:
        return True
    return principal.role is Role.RECRUITER and applied_or_accepted


def can_create_fair(principal: Principal) -> bool:
    """Job fairs (双选会) are organised by a college's staff (or the platform admin)."""
    if principal.role is Role.PLATFORM_ADMIN:
        return True
    return principal.role in FAIR_MANAGER_ROLES and principal.organization_id is not None


def can_manage_fair(principal: Principal, *, fair_org_id: int | None) -> bool:
    """See a fair's registrations, run its allocation and schedule: staff of the college
    that holds it, and the platform admin."""
    if principal.role is Role.PLATFORM_ADMIN:
        return True
    return principal.role in FAIR_MANAGER_ROLES and same_org(principal, fair_org_id)


def can_state_fair_lists(
    principal: Principal, *, fair_org_id: int | None, fair_status: str
) -> bool:
    """Students (for themselves) and recruiters (for their openings) register and state
    their ranked lists while the fair is open; once it is allocated only its organisers
    change it (which reopens it), and a closed fair changes no more."""
    if fair_status == "closed":
        return False
    return fair_status == "open" or can_manage_fair(principal, fair_org_id=fair_org_id)


def can_rank_fair_candidate(
    principal: Principal,
    *,
    posting_org_id: int | None,
    visible_to_employers: bool,
    chose_opening: bool,
    has_applied_to_principal_org: bool,
) -> bool:
    """Whether a registered student appears in an opening's ranking form (name, college,
    major, year; never contact data): for the posting's recruiters, students who
    consented, who applied to the organization, or who listed this opening themselves at
    the fair (choosing an opening shows oneself to its employer, as applying does); the
    platform admin sees every registered student."""
    if not can_view_candidates(principal, posting_org_id=posting_org_id):
        return False
    if principal.role is Role.PLATFORM_ADMIN:
        return True
    return visible_to_employers or chose_opening or has_applied_to_principal_org


def can_view_fairness_audit(principal: Principal, *, college_id: int | None) -> bool:
    """Exposure in the top k by protected group (aggregates only): analysts and the
    platform admin for any college or all; a college admin for their own college."""
    if principal.role in (Role.PLATFORM_ADMIN, Role.ANALYST):
        return True
    return principal.role is Role.COLLEGE_ADMIN and same_org(principal, college_id)


def fairness_audit_college(principal: Principal) -> int | None:
    """The college a principal's audit is restricted to (``None``: any or all)."""
    if principal.role is Role.COLLEGE_ADMIN:
        return principal.organization_id
    return None


def can_see_protected_attributes(principal: Principal, *, profile_org_id: int) -> bool:
    """A student's protected attributes (gender, birth year, ethnicity, marital status,
    hukou, health), recorded by the college for the fairness audit: shown on a profile
    page only to the platform admin and to the college admin of the student's college;
    never to the student's teachers, recruiters, analysts (they see the audit's
    aggregates) or in any match list."""
    if principal.role is Role.PLATFORM_ADMIN:
        return True
    return principal.role is Role.COLLEGE_ADMIN and same_org(principal, profile_org_id)


def can_manage_rankers(principal: Principal) -> bool:
    """Train, evaluate and switch learning-to-rank models: the platform admin."""
    return principal.role is Role.PLATFORM_ADMIN


def can_view_explanation(
    principal: Principal,
    *,
    profile_org_id: int,
    profile_user_id: int | None,
    posting_org_id: int | None,
    recruiter_may_see_profile: bool,
) -> bool:
    """Why a profile and a posting match: whoever may see the profile's jobs, and the
    posting's own recruiters for a candidate they may see (consent or an application)."""
    if can_view_matches_for_profile(
        principal, profile_org_id=profile_org_id, profile_user_id=profile_user_id
    ):
        return True
    return recruiter_may_see_profile and can_view_candidates(
        principal, posting_org_id=posting_org_id
    )


def can_see_flag_rules_in_matches(principal: Principal) -> bool:
    """Every match list marks a flagged posting with the rule it was flagged for (issue
    6): every role sees the rule's name. The phrase found and the law cited stay with
    ``can_view_posting_flags``."""
    return True
