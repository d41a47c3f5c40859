"""The one place that decides who may read or change what.

Every decision is a pure function over a ``Principal`` (who asks) and plain facts
about the record (which organization owns it, whose it is, consent flags). No SQL
here: the query layer (``accounts.profiles_query``) turns ``profile_scope`` into a
WHERE clause, and handlers call the ``can_*`` functions.

Rules (from the role table in ``shared/design/domain.md``):

* **platform_admin** sees and changes everything; every read of a person's record by
  anyone but its owner is audited (``AuditEvent``), theirs included.
* **college_admin** sees the records of their own college (students, users) and
  aggregates of all; changes their own college's students and users (not platform
  admins).
* **teacher** sees their own college's students but not their contact data (phone,
  e-mail); changes no profile.
* **student** sees and changes only their own profile.
* **recruiter** sees only candidates who consented (``visible_to_employers``) or who
  applied to the recruiter's own organization; changes no profile.
* **analyst** sees aggregates only, never a person: no profile list, no profile.
* Aggregates (counts per major, year, region) are open to every signed-in role;
  counts below ``small_cell_threshold`` are suppressed where they describe people.
* Organization-internal records (users, import runs of the organization) are visible
  to the platform admin, and to members of that organization with an admin role.
"""

from __future__ import annotations

from talentbridge.accounts.library_policy import (
    LIBRARY_EDITORS,
    LIBRARY_STATS_ROLES,
    RESOURCE_SUBMITTERS,
    can_review_resource,
    can_submit_resource,
    can_update_resource,
    can_view_library_stats,
    can_view_resource,
    is_library_editor,
    library_stats_college,
)
from talentbridge.accounts.matching_policy import (
    FAIR_MANAGER_ROLES,
    can_act_for_profile,
    can_create_fair,
    can_manage_fair,
    can_manage_rankers,
    can_rank_fair_candidate,
    can_see_candidate_contact,
    can_see_flag_rules_in_matches,
    can_see_protected_attributes,
    can_state_fair_lists,
    can_view_candidates,
    can_view_explanation,
    can_view_fairness_audit,
    can_view_matches_for_profile,
    fairness_audit_college,
)
from talentbridge.accounts.outcomes_policy import (
    OUTCOMES_ROLES,
    RECRUITING_ROLES,
    can_break_down_by_college,
    can_import_placements,
    can_view_college_outcomes,
    can_view_outcomes,
    can_view_placement_records,
    can_view_recruiting,
    outcomes_college,
    recruiting_employer,
)
from talentbridge.accounts.principal import Principal, Scope, same_org
from talentbridge.accounts.roles import ADMIN_ROLES, COLLEGE_ROLES, Role

# The rules of matching, the libraries and outcomes live in their own modules; they are
# re-exported here so that ``accounts.policy`` stays the one place to ask.
__all__ = [
    "COLLEGE_ROLES",
    "FAIR_MANAGER_ROLES",
    "LIBRARY_EDITORS",
    "LIBRARY_STATS_ROLES",
    "OUTCOMES_ROLES",
    "RECRUITING_ROLES",
    "RESOURCE_SUBMITTERS",
    "Principal",
    "Scope",
    "can_act_for_profile",
    "can_break_down_by_college",
    "can_create_fair",
    "can_import_placements",
    "can_manage_fair",
    "can_manage_rankers",
    "can_rank_fair_candidate",
    "can_review_resource",
    "can_see_candidate_contact",
    "can_see_flag_rules_in_matches",
    "can_see_protected_attributes",
    "can_state_fair_lists",
    "can_submit_resource",
    "can_update_resource",
    "can_view_candidates",
    "can_view_college_outcomes",
    "can_view_explanation",
    "can_view_fairness_audit",
    "can_view_library_stats",
    "can_view_matches_for_profile",
    "can_view_outcomes",
    "can_view_placement_records",
    "can_view_recruiting",
    "can_view_resource",
    "fairness_audit_college",
    "is_library_editor",
    "library_stats_college",
    "outcomes_college",
    "recruiting_employer",
]


# --- areas of the web shell ----------------------------------------------------------

AREAS: tuple[str, ...] = ("demand", "advice", "matching", "outcomes", "libraries", "admin")

_AREA_ROLES: dict[str, frozenset[Role]] = {
    "demand": frozenset(Role),
    "advice": frozenset({Role.PLATFORM_ADMIN, Role.COLLEGE_ADMIN, Role.TEACHER, Role.ANALYST}),
    "matching": frozenset(Role),
    "outcomes": frozenset({Role.PLATFORM_ADMIN, Role.COLLEGE_ADMIN, Role.TEACHER, Role.ANALYST}),
    "libraries": frozenset(Role),
    "admin": ADMIN_ROLES,
}


def can_use_area(principal: Principal, area: str) -> bool:
    """Whether the area appears in the principal's navigation and may be opened."""
    return principal.role in _AREA_ROLES.get(area, frozenset())


def areas_for(principal: Principal) -> list[str]:
    return [area for area in AREAS if can_use_area(principal, area)]


# --- profiles (a person's record) ----------------------------------------------------


_same_org = same_org


def can_list_profiles(principal: Principal) -> bool:
    """Whether the principal may list persons at all (analysts may not)."""
    return principal.role is not Role.ANALYST


def can_view_profile(
    principal: Principal,
    *,
    profile_org_id: int,
    profile_user_id: int | None,
    visible_to_employers: bool,
    has_applied_to_principal_org: bool = False,
) -> bool:
    role = principal.role
    if role is Role.PLATFORM_ADMIN:
        return True
    if role is Role.STUDENT:
        return profile_user_id is not None and profile_user_id == principal.user_id
    if role in (Role.COLLEGE_ADMIN, Role.TEACHER):
        return _same_org(principal, profile_org_id)
    if role is Role.RECRUITER:
        return visible_to_employers or has_applied_to_principal_org
    return False  # analyst: aggregates only


def can_see_personal_data(
    principal: Principal,
    *,
    profile_org_id: int,
    profile_user_id: int | None,
    visible_to_employers: bool,
    has_applied_to_principal_org: bool = False,
) -> bool:
    """Whether contact data (phone, e-mail) may be shown; teachers see none but their own."""
    if not can_view_profile(
        principal,
        profile_org_id=profile_org_id,
        profile_user_id=profile_user_id,
        visible_to_employers=visible_to_employers,
        has_applied_to_principal_org=has_applied_to_principal_org,
    ):
        return False
    if principal.role is Role.TEACHER:
        return profile_user_id is not None and profile_user_id == principal.user_id
    return True


def can_edit_profile(
    principal: Principal, *, profile_org_id: int, profile_user_id: int | None
) -> bool:
    role = principal.role
    if role is Role.PLATFORM_ADMIN:
        return True
    if role is Role.STUDENT:
        return profile_user_id is not None and profile_user_id == principal.user_id
    if role is Role.COLLEGE_ADMIN:
        return _same_org(principal, profile_org_id)
    return False


def profile_scope(principal: Principal) -> Scope:
    """The set of profiles ``can_view_profile`` admits, for the query layer."""
    role = principal.role
    if role is Role.PLATFORM_ADMIN:
        return Scope(everything=True)
    if role is Role.STUDENT:
        return Scope(user_id=principal.user_id)
    if role in (Role.COLLEGE_ADMIN, Role.TEACHER):
        if principal.organization_id is None:
            return Scope(nothing=True)
        return Scope(organization_id=principal.organization_id)
    if role is Role.RECRUITER:
        return Scope(consented=True, applied_to_organization_id=principal.organization_id)
    return Scope(nothing=True)


def needs_audit(principal: Principal, *, profile_user_id: int | None) -> bool:
    """A read of a person's record by anyone but its owner is audited."""
    return profile_user_id is None or profile_user_id != principal.user_id


# --- users and organizations ---------------------------------------------------------


def can_manage_users(
    principal: Principal, target_org_id: int | None, target_role: Role | None = None
) -> bool:
    """Whether the principal may create or change users of ``target_org_id``."""
    if principal.role is Role.PLATFORM_ADMIN:
        return True
    if principal.role is Role.COLLEGE_ADMIN:
        if target_role is Role.PLATFORM_ADMIN:
            return False
        return _same_org(principal, target_org_id)
    return False


def can_view_organization_records(principal: Principal, org_id: int | None) -> bool:
    """Organization-internal records (its users, its import runs)."""
    if principal.role is Role.PLATFORM_ADMIN:
        return True
    return principal.role in ADMIN_ROLES and _same_org(principal, org_id)


def can_view_import_runs(principal: Principal) -> bool:
    return principal.role in ADMIN_ROLES


def can_view_aggregates(principal: Principal) -> bool:
    """Counts per major, year or region: open to every signed-in role."""
    return True


def suppress_small(count: int, threshold: int) -> int | None:
    """A count of people, or ``None`` when it is below the small-cell threshold (but not 0)."""
    if 0 < count < threshold:
        return None
    return count


# --- postings ------------------------------------------------------------------------

# Staff who may import job-board exports: the platform, colleges and associations.
POSTING_STAFF_ROLES: frozenset[Role] = frozenset(
    {Role.PLATFORM_ADMIN, Role.COLLEGE_ADMIN, Role.ANALYST}
)


def is_posting_staff(principal: Principal) -> bool:
    return principal.role in POSTING_STAFF_ROLES


def can_import_postings(principal: Principal) -> bool:
    """Whether the principal may upload posting files (board exports)."""
    return is_posting_staff(principal)


def can_submit_postings(principal: Principal) -> bool:
    """Whether the principal may send postings (API, form): staff, or a recruiter of an
    organization."""
    if is_posting_staff(principal):
        return True
    return principal.role is Role.RECRUITER and principal.organization_id is not None


def can_use_posting_form(principal: Principal) -> bool:
    """The recruiter form: recruiters of an organization (and the platform admin)."""
    if principal.role is Role.PLATFORM_ADMIN:
        return True
    return principal.role is Role.RECRUITER and principal.organization_id is not None


def posting_employer_scope(principal: Principal) -> int | None:
    """The organization every posting sent by the principal must name as employer, or
    ``None`` when staff may post for any employer."""
    if principal.role is Role.RECRUITER:
        return principal.organization_id
    return None


def can_post_for(principal: Principal, org_id: int | None) -> bool:
    """Whether the principal may publish a posting for employer ``org_id``."""
    if is_posting_staff(principal):
        return True
    return principal.role is Role.RECRUITER and _same_org(principal, org_id)


def can_view_import_run(principal: Principal, *, run_user_id: int | None) -> bool:
    """A single import run: the platform admin sees all, others only runs they started."""
    if principal.role is Role.PLATFORM_ADMIN:
        return True
    return run_user_id is not None and run_user_id == principal.user_id


def can_view_posting_flags(principal: Principal, posting_org_id: int | None) -> bool:
    """Compliance flags are shown to the staff and to the posting's own recruiters."""
    if is_posting_staff(principal):
        return True
    return principal.role is Role.RECRUITER and _same_org(principal, posting_org_id)


def can_view_posting_provenance_files(principal: Principal) -> bool:
    """File names and rows a posting came from are internal: staff only."""
    return is_posting_staff(principal)


# --- skill taxonomy ------------------------------------------------------------------

TAXONOMY_EDITOR_ROLES: frozenset[Role] = frozenset({Role.ANALYST, Role.PLATFORM_ADMIN})


def can_view_taxonomy(principal: Principal) -> bool:
    """The taxonomy browser, concept pages and the try-extraction page: every role."""
    return True


def can_edit_taxonomy(principal: Principal) -> bool:
    """Editing concepts and reviewing candidate phrases: analysts and the platform admin."""
    return principal.role in TAXONOMY_EDITOR_ROLES


# --- major-direction advice ----------------------------------------------------------

# Planners (college admins, teachers), analysts (associations, the education authority)
# and the platform admin; students and recruiters do not see advice.
ADVICE_ROLES: frozenset[Role] = _AREA_ROLES["advice"]


def can_view_advice(principal: Principal) -> bool:
    return principal.role in ADVICE_ROLES


def can_view_college_advice(principal: Principal, college_id: int) -> bool:
    """A college's own advice view: its planners, analysts and the platform admin."""
    if not can_view_advice(principal):
        return False
    if principal.role in COLLEGE_ROLES:
        return _same_org(principal, college_id)
    return True


def default_advice_college(principal: Principal) -> int | None:
    """College admins and teachers see their own college's view by default."""
    if principal.role in COLLEGE_ROLES:
        return principal.organization_id
    return None
