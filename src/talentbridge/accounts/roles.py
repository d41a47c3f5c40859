"""Roles of users and kinds of organizations (names from ``shared/design/domain.md``)."""

from __future__ import annotations

from enum import StrEnum


class OrgKind(StrEnum):
    COLLEGE = "college"
    ENTERPRISE = "enterprise"
    ASSOCIATION = "association"
    AUTHORITY = "authority"


class Role(StrEnum):
    PLATFORM_ADMIN = "platform_admin"
    COLLEGE_ADMIN = "college_admin"
    TEACHER = "teacher"
    STUDENT = "student"
    RECRUITER = "recruiter"
    ANALYST = "analyst"


# Which organization kinds a role may belong to. ``None`` means "any kind, or none".
ROLE_ORG_KINDS: dict[Role, frozenset[OrgKind] | None] = {
    Role.PLATFORM_ADMIN: None,
    Role.COLLEGE_ADMIN: frozenset({OrgKind.COLLEGE}),
    Role.TEACHER: frozenset({OrgKind.COLLEGE}),
    Role.STUDENT: frozenset({OrgKind.COLLEGE}),
    Role.RECRUITER: frozenset({OrgKind.ENTERPRISE}),
    Role.ANALYST: frozenset({OrgKind.ASSOCIATION, OrgKind.AUTHORITY}),
}

# Roles that administer user accounts and see import runs.
ADMIN_ROLES: frozenset[Role] = frozenset({Role.PLATFORM_ADMIN, Role.COLLEGE_ADMIN})
COLLEGE_ROLES: frozenset[Role] = frozenset({Role.COLLEGE_ADMIN, Role.TEACHER})  # a college's staff


def parse_role(value: str) -> Role:
    """The ``Role`` named by ``value``; ``ValueError`` listing the valid names otherwise."""
    try:
        return Role(value)
    except ValueError:
        valid = ", ".join(r.value for r in Role)
        raise ValueError(f"unknown role {value!r}; use one of: {valid}") from None
