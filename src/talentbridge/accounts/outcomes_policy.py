"""Who may see employment outcomes and recruiting efficiency (issue 8).
Part of the access policy (``accounts.policy`` re-exports every rule).

* **Aggregates** (indicators: counts and rates per college, major, direction, year,
  region) are open to the platform admin, analysts (associations, the education
  authority) and a college's admins and teachers. College staff see their own college
  in detail and alliance-wide aggregates (never another college's figures on their
  own); the platform admin and analysts see every college. Students and recruiters see
  no outcomes. Small cells are suppressed for every role (``outcomes.cells``).
* **Records** (the placements behind a figure, with the graduate's name) are shown
  only to the platform admin and to the admin of the graduate's college. Teachers and
  analysts never see a graduate's name or record.
* **Recruiting efficiency** (time to hire, applications per hire …): the platform
  admin and analysts see every employer; a recruiter sees only their own
  organization's figures; college staff see alliance-wide figures only (no single
  employer); students see none.
"""

from __future__ import annotations

from talentbridge.accounts.principal import Principal, same_org
from talentbridge.accounts.roles import COLLEGE_ROLES, Role

# Roles that may open the outcomes indicators (aggregates).
OUTCOMES_ROLES: frozenset[Role] = frozenset(
    {Role.PLATFORM_ADMIN, Role.ANALYST, Role.COLLEGE_ADMIN, Role.TEACHER}
)
# Roles that see recruiting efficiency in some form.
RECRUITING_ROLES: frozenset[Role] = OUTCOMES_ROLES | {Role.RECRUITER}


def can_view_outcomes(principal: Principal) -> bool:
    """The outcome indicators, their pages, API and exports (403 for other roles).
    College staff need a college."""
    if principal.role in COLLEGE_ROLES:
        return principal.organization_id is not None
    return principal.role in OUTCOMES_ROLES


def outcomes_college(principal: Principal) -> int | None:
    """The college a principal's detailed figures are restricted to (``None``: every
    college, for those who may see outcomes at all). Alliance-wide totals are open to
    everyone who may see outcomes."""
    if principal.role in COLLEGE_ROLES:
        return principal.organization_id
    return None


def can_view_college_outcomes(principal: Principal, college_id: int | None) -> bool:
    """One college's detailed figures (``college_id`` ``None``: the alliance as a whole,
    or a breakdown by college, which only the platform admin and analysts may see)."""
    if not can_view_outcomes(principal):
        return False
    if principal.role in COLLEGE_ROLES:
        return same_org(principal, college_id)
    return True


def can_break_down_by_college(principal: Principal) -> bool:
    """Whether figures may be grouped by college side by side (not for college staff:
    they see their own college and the alliance total, not the other colleges)."""
    return can_view_outcomes(principal) and principal.role not in COLLEGE_ROLES


def can_view_placement_records(principal: Principal, college_id: int | None) -> bool:
    """The placement records behind a figure (drill-down, with names): the platform
    admin, and the college admin of the graduates' college. Never teachers, analysts,
    recruiters or students."""
    if principal.role is Role.PLATFORM_ADMIN:
        return True
    return principal.role is Role.COLLEGE_ADMIN and same_org(principal, college_id)


def can_view_recruiting(principal: Principal, employer_id: int | None) -> bool:
    """Recruiting efficiency of one employer (``employer_id``) or, with ``None``, over
    all employers. Platform admin and analysts: any. Recruiters: their own
    organization only (not the alliance, not other employers). College staff: the
    alliance-wide figures only. Students: none."""
    role = principal.role
    if role in (Role.PLATFORM_ADMIN, Role.ANALYST):
        return True
    if role is Role.RECRUITER:
        return employer_id is not None and same_org(principal, employer_id)
    if role in COLLEGE_ROLES:
        return employer_id is None and principal.organization_id is not None
    return False


def recruiting_employer(principal: Principal) -> int | None:
    """The employer a principal's recruiting figures are restricted to (``None``: no
    restriction to one employer; whether they may see anything is ``can_view_recruiting``)."""
    if principal.role is Role.RECRUITER:
        return principal.organization_id
    return None


def can_import_placements(principal: Principal) -> bool:
    """The placement-file upload page: the platform admin (any college) and college
    admins (their own college; ``outcomes.placement_import`` enforces which rows)."""
    if principal.role is Role.PLATFORM_ADMIN:
        return True
    return principal.role is Role.COLLEGE_ADMIN and principal.organization_id is not None
