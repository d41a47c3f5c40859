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

from dataclasses import dataclass
from typing import TYPE_CHECKING

from talentbridge.accounts.roles import ADMIN_ROLES, Role

if TYPE_CHECKING:
    from talentbridge.store.tables import User


@dataclass(frozen=True)
class Principal:
    """Who is asking: enough to decide, nothing more."""

    user_id: int
    role: Role
    organization_id: int | None

    @classmethod
    def of(cls, user: User) -> Principal:
        return cls(user_id=user.id, role=Role(user.role), organization_id=user.organization_id)


@dataclass(frozen=True)
class Scope:
    """Which profiles a principal may see, as facts the query layer turns into SQL.

    ``everything`` and ``nothing`` are exclusive shortcuts; otherwise a profile is in
    scope when ANY of the set conditions holds.
    """

    everything: bool = False
    nothing: bool = False
    organization_id: int | None = None  # profiles of this organization
    user_id: int | None = None  # the profile belonging to this user
    consented: bool = False  # profiles with visible_to_employers
    applied_to_organization_id: int | None = None  # candidates who applied here


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


def _same_org(principal: Principal, org_id: int | None) -> bool:
    return principal.organization_id is not None and principal.organization_id == org_id


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
COLLEGE_ROLES: frozenset[Role] = frozenset({Role.COLLEGE_ADMIN, Role.TEACHER})


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
        return _same_org(principal, profile_org_id)
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
    return principal.role is Role.RECRUITER and _same_org(principal, posting_org_id)


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
    return principal.role in FAIR_MANAGER_ROLES and _same_org(principal, fair_org_id)


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
    return principal.role is Role.COLLEGE_ADMIN and _same_org(principal, college_id)


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
    return principal.role is Role.COLLEGE_ADMIN and _same_org(principal, profile_org_id)


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


# --- resource libraries (issue 7) ---------------------------------------------------------

LIBRARY_EDITORS = frozenset({Role.PLATFORM_ADMIN, Role.COLLEGE_ADMIN})
RESOURCE_SUBMITTERS = frozenset({Role.TEACHER}) | LIBRARY_EDITORS


def is_library_editor(principal: Principal) -> bool:
    """Library editors create libraries and review, publish and withdraw resources."""
    return principal.role in LIBRARY_EDITORS


def can_submit_resource(principal: Principal) -> bool:
    """Teachers (and editors) upload resources; students, recruiters, analysts do not."""
    return principal.role in RESOURCE_SUBMITTERS


def can_review_resource(principal: Principal, resource_org_id: int | None) -> bool:
    """The platform admin reviews every resource; a college admin those of their own
    college and those that belong to no college."""
    if principal.role is Role.PLATFORM_ADMIN:
        return True
    if principal.role is Role.COLLEGE_ADMIN:
        return resource_org_id is None or _same_org(principal, resource_org_id)
    return False


def can_view_resource(
    principal: Principal, *, status: str, submitted_by: int | None, resource_org_id: int | None
) -> bool:
    """Everyone signed in reads published resources; drafts, resources under review and
    withdrawn ones only their submitter and the editors who may review them."""
    if status == "published":
        return True
    if submitted_by is not None and submitted_by == principal.user_id:
        return True
    return can_review_resource(principal, resource_org_id)


def can_update_resource(
    principal: Principal, *, submitted_by: int | None, resource_org_id: int | None
) -> bool:
    """A new version is uploaded by the resource's submitter or a reviewing editor."""
    if submitted_by is not None and submitted_by == principal.user_id:
        return principal.role in RESOURCE_SUBMITTERS
    return can_review_resource(principal, resource_org_id)


# --- library usage statistics (issue 7) ---------------------------------------------------

# The platform admin and analysts (associations, the education authority) see every
# college's figures; a college's admins and teachers see their own college's figures and
# alliance-wide aggregates; students and recruiters see nothing of the dashboard. No role
# sees who did what: the statistics hold counts only, never a user id or a name.
LIBRARY_STATS_ROLES: frozenset[Role] = frozenset(
    {Role.PLATFORM_ADMIN, Role.ANALYST, Role.COLLEGE_ADMIN, Role.TEACHER}
)


def can_view_library_stats(principal: Principal) -> bool:
    """The usage dashboard, its API and its exports (403 for other roles)."""
    if principal.role in COLLEGE_ROLES:
        return principal.organization_id is not None
    return principal.role in LIBRARY_STATS_ROLES


def library_stats_college(principal: Principal) -> int | None:
    """The college a principal's detailed usage figures are restricted to (``None``: all
    colleges). Alliance-wide totals are open to everyone who may see the dashboard."""
    if principal.role in COLLEGE_ROLES:
        return principal.organization_id
    return None
