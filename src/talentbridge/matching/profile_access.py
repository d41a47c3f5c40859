"""Access and audit shared by the services that change a profile.

``editable_profile`` loads a profile for a change: ``NotFound`` when it does not exist
or the caller may not even see it (nothing leaks), ``Forbidden`` when the caller may see
it but not change it (a teacher, a recruiter). ``audit_change`` writes an
``AuditEvent`` when someone other than the profile's owner changes it (a college admin
or the platform admin); a student's own edits are not audited.
"""

from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from talentbridge.accounts.audit import read_purpose, record_event
from talentbridge.accounts.policy import Principal, can_edit_profile, can_view_profile
from talentbridge.errors import Forbidden, NotFound, TalentBridgeError
from talentbridge.store.matching_tables import Application
from talentbridge.store.tables import Profile


class ProfileInputError(TalentBridgeError):
    """A value given for a profile is not acceptable; ``field`` names it."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


def has_applied_to(session: Session, profile_id: int, organization_id: int | None) -> bool:
    """Whether the profile has an application to a posting of ``organization_id`` (the one
    definition: the application services, the profile page and the fair services use it)."""
    if organization_id is None:
        return False
    return bool(
        session.scalar(
            select(
                exists().where(
                    Application.profile_id == profile_id,
                    Application.organization_id == organization_id,
                )
            )
        )
    )


def may_view_profile(session: Session, principal: Principal, profile: Profile) -> bool:
    """``policy.can_view_profile`` with the application fact filled in."""
    return can_view_profile(
        principal,
        profile_org_id=profile.organization_id,
        profile_user_id=profile.user_id,
        visible_to_employers=profile.visible_to_employers,
        has_applied_to_principal_org=has_applied_to(session, profile.id, principal.organization_id),
    )


def editable_profile(session: Session, principal: Principal, profile_id: int) -> Profile:
    """The profile, if the principal may change it (see the module docstring)."""
    profile = session.get(Profile, profile_id)
    if profile is None:
        raise NotFound(f"profile {profile_id} not found")
    allowed = can_edit_profile(
        principal, profile_org_id=profile.organization_id, profile_user_id=profile.user_id
    )
    if allowed:
        return profile
    if may_view_profile(session, principal, profile):
        raise Forbidden("you may not change this profile")
    raise NotFound(f"profile {profile_id} not found")


def is_owner(principal: Principal, profile: Profile) -> bool:
    return profile.user_id is not None and profile.user_id == principal.user_id


def audit_change(
    session: Session, principal: Principal, profile: Profile, action: str, detail: str
) -> None:
    """Record a change made by someone other than the profile's owner."""
    if is_owner(principal, profile):
        return
    record_event(
        session,
        user_id=principal.user_id,
        action=action[:40],
        target_type="profile",
        target_id=profile.id,
        organization_id=profile.organization_id,
        detail=detail[:2000],
        purpose=read_purpose(principal),
    )
