"""A recruiter's profile scope in SQL: consenting candidates and candidates who applied to
the recruiter's organization (not those who applied elsewhere); contact data of an
applicant follows the application until it is withdrawn."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from talentbridge.accounts.profiles_query import (
    count_visible_profiles,
    get_visible_profile,
    visible_profiles,
)
from talentbridge.accounts.roles import Role
from talentbridge.errors import NotFound
from talentbridge.matching import applications as apps
from trackingtools import add_job, add_org, add_principal, add_profile, add_student

MATCHING = Path(__file__).resolve().parents[2] / "src" / "talentbridge" / "matching"


def test_recruiter_scope_includes_applicants_to_their_organization(session: Session) -> None:
    college, employer, rival = (
        add_org(session, k) for k in ("college", "enterprise", "enterprise")
    )
    recruiter = add_principal(session, Role.RECRUITER, employer)
    consenting = add_profile(session, college, visible=True)
    hidden = add_profile(session, college)
    student, applicant = add_student(session, college)
    other_student, elsewhere = add_student(session, college)
    mine, theirs = add_job(session, employer), add_job(session, rival)
    assert {v.id for v in visible_profiles(session, recruiter)} == {consenting}
    application = apps.apply(session, student, profile_id=applicant, posting_id=mine)
    apps.apply(session, other_student, profile_id=elsewhere, posting_id=theirs)
    seen = {v.id: v for v in visible_profiles(session, recruiter)}
    assert set(seen) == {consenting, applicant}
    assert hidden not in seen and elsewhere not in seen
    assert count_visible_profiles(session, recruiter) == 2
    assert seen[applicant].phone is not None and not seen[applicant].contact_hidden
    assert get_visible_profile(session, recruiter, applicant).email is not None
    with pytest.raises(NotFound):
        get_visible_profile(session, recruiter, elsewhere)
    # a withdrawn application keeps the candidate in view but hides the contact again
    apps.withdraw(session, student, application_id=application.id)
    again = get_visible_profile(session, recruiter, applicant)
    assert again.contact_hidden and again.phone != seen[applicant].phone
    assert again.phone is None or "****" in again.phone  # masked (privacy.masking)
    assert again.email is None or "***@" in again.email
    assert applicant in {v.id for v in visible_profiles(session, recruiter)}


def test_has_applied_to_is_defined_once() -> None:
    defined = [
        path.name
        for path in sorted(MATCHING.rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.FunctionDef)
        and node.name in ("has_applied_to", "may_view_profile", "may_view")
    ]
    assert defined == ["profile_access.py", "profile_access.py"]
