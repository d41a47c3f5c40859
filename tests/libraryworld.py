"""People for the library tests (importable as ``libraryworld``): a college (or none,
for the platform admin) and users of the given roles, as principals."""

from __future__ import annotations

from sqlalchemy.orm import Session

from talentbridge.accounts.policy import Principal
from talentbridge.accounts.roles import Role
from talentbridge.accounts.users import create_user
from talentbridge.registry.organizations import create_organization


def people(session: Session, roles: dict[str, Role]) -> dict[str, Principal]:
    """Users named as the keys of ``roles``; all but platform admins belong to one
    college, C001 (made on first use)."""
    college_id: int | None = None
    made: dict[str, Principal] = {}
    for name, role in roles.items():
        org_id = None
        if role is not Role.PLATFORM_ADMIN:
            if college_id is None:
                college = create_organization(
                    session, code="C001", kind="college", name_zh="示例职业学院"
                )
                session.flush()
                college_id = college.id
            org_id = college_id
        user = create_user(
            session,
            username=name,
            password="Correct-horse-42",
            role=role,
            organization_id=org_id,
            display_name=name,
            check_password=False,
        )
        made[name] = Principal.of(user)
    return made
