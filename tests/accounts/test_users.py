from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from talentbridge.accounts.passwords import TOO_SHORT
from talentbridge.accounts.policy import Principal
from talentbridge.accounts.roles import Role
from talentbridge.accounts.users import (
    PasswordRejected,
    authenticate,
    create_user,
    get_user,
    list_users,
    set_password,
)
from talentbridge.errors import Conflict, NotFound, TalentBridgeError
from talentbridge.store.tables import Organization

PW = "good-password-1"


@pytest.mark.parametrize(
    ("role", "kind"),
    [
        ("student", "college"),
        ("teacher", "college"),
        ("college_admin", "college"),
        ("recruiter", "enterprise"),
        ("analyst", "association"),
        ("analyst", "authority"),
        ("platform_admin", "enterprise"),
    ],
)
def test_role_fits_organization_kind(
    session: Session, orgs: dict[str, Organization], role: str, kind: str
) -> None:
    user = create_user(
        session,
        username=f"u-{role}",
        password=PW,
        role=role,
        organization_id=orgs[kind].id,
        display_name="某人",
    )
    assert user.id is not None
    assert user.role == role


@pytest.mark.parametrize(
    ("role", "kind"),
    [
        ("student", "enterprise"),
        ("teacher", "association"),
        ("college_admin", "authority"),
        ("recruiter", "college"),
        ("analyst", "college"),
    ],
)
def test_role_that_does_not_fit_the_organization_is_a_conflict(
    session: Session, orgs: dict[str, Organization], role: str, kind: str
) -> None:
    with pytest.raises(Conflict, match=f"a {role} must belong to"):
        create_user(
            session,
            username="mismatch",
            password=PW,
            role=role,
            organization_id=orgs[kind].id,
            display_name="x",
        )


def test_only_platform_admin_may_have_no_organization(session: Session) -> None:
    admin = create_user(
        session,
        username="root",
        password=PW,
        role=Role.PLATFORM_ADMIN,
        organization_id=None,
        display_name="平台",
    )
    assert admin.organization_id is None
    with pytest.raises(TalentBridgeError, match="must belong to an organization"):
        create_user(
            session,
            username="lost",
            password=PW,
            role="student",
            organization_id=None,
            display_name="x",
        )


def test_bad_inputs_are_refused_with_clear_errors(
    session: Session, orgs: dict[str, Organization]
) -> None:
    college = orgs["college"].id
    with pytest.raises(TalentBridgeError, match="unknown role 'dean'"):
        create_user(
            session,
            username="abc",
            password=PW,
            role="dean",
            organization_id=college,
            display_name="x",
        )
    with pytest.raises(TalentBridgeError, match="username"):
        create_user(
            session,
            username="a b",
            password=PW,
            role="student",
            organization_id=college,
            display_name="x",
        )
    with pytest.raises(PasswordRejected) as rejected:
        create_user(
            session,
            username="abc",
            password="Short-1",
            role="student",
            organization_id=college,
            display_name="x",
        )
    assert rejected.value.problems == [TOO_SHORT]
    with pytest.raises(NotFound):
        create_user(
            session,
            username="abc",
            password=PW,
            role="student",
            organization_id=999999,
            display_name="x",
        )


def test_duplicate_username_is_a_conflict(session: Session, orgs: dict[str, Organization]) -> None:
    create_user(
        session,
        username="wang",
        password=PW,
        role="student",
        organization_id=orgs["college"].id,
        display_name="王",
    )
    with pytest.raises(Conflict, match="already taken"):
        create_user(
            session,
            username="wang",
            password=PW,
            role="teacher",
            organization_id=orgs["college"].id,
            display_name="王二",
        )


def test_authenticate(session: Session, orgs: dict[str, Organization]) -> None:
    user = create_user(
        session,
        username="li",
        password=PW,
        role="student",
        organization_id=orgs["college"].id,
        display_name="李",
    )
    session.commit()
    assert user.last_login_at is None
    assert authenticate(session, "li", PW) is user
    assert user.last_login_at is not None
    assert authenticate(session, "li", "wrong-password") is None
    assert authenticate(session, "nobody", PW) is None
    user.is_active = False
    assert authenticate(session, "li", PW) is None


def test_set_password_replaces_the_old_one(session: Session, orgs: dict[str, Organization]) -> None:
    user = create_user(
        session,
        username="zhao",
        password=PW,
        role="student",
        organization_id=orgs["college"].id,
        display_name="赵",
    )
    set_password(session, user_id=user.id, password="brand-new-pass")
    assert authenticate(session, "zhao", PW) is None
    assert authenticate(session, "zhao", "brand-new-pass") is user
    with pytest.raises(PasswordRejected):
        set_password(session, user_id=user.id, password="zhao")
    with pytest.raises(NotFound):
        set_password(session, user_id=424242, password="brand-new-pass")
    assert get_user(session, user.id) is user


def test_list_users_follows_the_viewers_scope(
    session: Session, orgs: dict[str, Organization]
) -> None:
    def add(name: str, role: str, org: str | None) -> Principal:
        user = create_user(
            session,
            username=name,
            password=PW,
            role=role,
            organization_id=orgs[org].id if org else None,
            display_name=name,
        )
        return Principal.of(user)

    root = add("root", "platform_admin", None)
    admin = add("admin1", "college_admin", "college")
    student = add("stu1", "student", "college")
    add("admin2", "college_admin", "college2")
    recruiter = add("rec1", "recruiter", "enterprise")
    names = lambda viewer: {u.username for u in list_users(session, viewer=viewer)}  # noqa: E731
    assert names(root) == {"root", "admin1", "stu1", "admin2", "rec1"}
    assert names(admin) == {"admin1", "stu1"}
    assert names(student) == {"stu1"}
    assert names(recruiter) == {"rec1"}
