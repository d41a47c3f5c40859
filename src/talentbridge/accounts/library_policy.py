"""Who may do what in the resource libraries and their usage statistics (issue 7).
Part of the access policy (``accounts.policy`` re-exports every rule)."""

from __future__ import annotations

from talentbridge.accounts.principal import Principal, same_org
from talentbridge.accounts.roles import COLLEGE_ROLES, Role

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
        return resource_org_id is None or same_org(principal, resource_org_id)
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
