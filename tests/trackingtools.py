"""Small stores for the application, feedback and job-fair tests: organizations, users as
principals, profiles inserted directly and postings of an employer."""

from __future__ import annotations

import itertools

from sqlalchemy.orm import Session

from demandtools import add_posting
from talentbridge.accounts.policy import Principal
from talentbridge.accounts.roles import Role
from talentbridge.registry.organizations import create_organization
from talentbridge.store.tables import Posting, Profile, User

_serial = itertools.count(1)


def add_org(session: Session, kind: str, code: str | None = None) -> int:
    n = next(_serial)
    org = create_organization(
        session, code=code or f"{kind[0].upper()}{n}", kind=kind, name_zh=f"示例{kind}{n}"
    )
    return org.id


def add_principal(session: Session, role: Role, org_id: int | None) -> Principal:
    n = next(_serial)
    # A row as ``accounts.users.create_user`` writes it, without the (slow) password hash.
    user = User(
        username=f"{role.value}{n}",
        display_name=f"{role.value} {n}",
        password_hash="-",
        role=role.value,
        organization_id=org_id,
    )
    session.add(user)
    session.flush()
    return Principal.of(user)


def add_profile(
    session: Session,
    college_id: int,
    *,
    user_id: int | None = None,
    visible: bool = False,
    phone: str | None = "19900000000",
    email: str | None = "s@example.edu.cn",
) -> int:
    n = next(_serial)
    profile = Profile(
        organization_id=college_id,
        user_id=user_id,
        student_no=f"S{n:06d}",
        name=f"学生{n}",
        phone=phone,
        email=email,
        graduation_year=2026,
        visible_to_employers=visible,
    )
    session.add(profile)
    session.flush()
    return profile.id


def add_student(
    session: Session, college_id: int, *, visible: bool = False
) -> tuple[Principal, int]:
    """A student user and their profile."""
    principal = add_principal(session, Role.STUDENT, college_id)
    return principal, add_profile(session, college_id, user_id=principal.user_id, visible=visible)


def add_job(session: Session, employer_id: int | None, *, title: str = "物流专员") -> int:
    """A posting of ``employer_id`` (an enterprise organization, or none)."""
    posting_id = add_posting(session, title=title)
    posting = session.get(Posting, posting_id)
    assert posting is not None
    posting.organization_id = employer_id
    session.flush()
    return posting_id
