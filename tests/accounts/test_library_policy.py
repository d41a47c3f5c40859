"""Who may submit, review and read library resources."""

from __future__ import annotations

from talentbridge.accounts.policy import (
    Principal,
    can_review_resource,
    can_submit_resource,
    can_update_resource,
    can_view_resource,
    is_library_editor,
)
from talentbridge.accounts.roles import Role

OWN, OTHER = 10, 20
platform = Principal(1, Role.PLATFORM_ADMIN, None)
admin = Principal(2, Role.COLLEGE_ADMIN, OWN)
teacher = Principal(3, Role.TEACHER, OWN)
student = Principal(4, Role.STUDENT, OWN)
analyst = Principal(5, Role.ANALYST, None)


def test_editors_and_submitters() -> None:
    assert is_library_editor(platform) and is_library_editor(admin)
    assert not is_library_editor(teacher) and not is_library_editor(student)
    assert can_submit_resource(teacher) and can_submit_resource(admin)
    assert not can_submit_resource(student) and not can_submit_resource(analyst)


def test_review_is_limited_to_own_college_for_college_admins() -> None:
    assert can_review_resource(platform, OTHER)
    assert can_review_resource(admin, OWN) and can_review_resource(admin, None)
    assert not can_review_resource(admin, OTHER)
    assert not can_review_resource(teacher, OWN)


def test_students_see_published_only() -> None:
    for status in ("draft", "review", "withdrawn"):
        assert not can_view_resource(student, status=status, submitted_by=3, resource_org_id=OWN)
        assert can_view_resource(teacher, status=status, submitted_by=3, resource_org_id=OWN)
        assert can_view_resource(admin, status=status, submitted_by=3, resource_org_id=OWN)
        assert not can_view_resource(admin, status=status, submitted_by=3, resource_org_id=OTHER)
    assert can_view_resource(student, status="published", submitted_by=3, resource_org_id=OTHER)


def test_updates_by_submitter_or_editor() -> None:
    assert can_update_resource(teacher, submitted_by=3, resource_org_id=OWN)
    assert not can_update_resource(
        Principal(6, Role.TEACHER, OWN), submitted_by=3, resource_org_id=OWN
    )
    assert can_update_resource(admin, submitted_by=3, resource_org_id=OWN)
    assert not can_update_resource(student, submitted_by=4, resource_org_id=OWN)
