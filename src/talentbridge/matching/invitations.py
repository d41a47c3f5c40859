"""Invitations: a recruiter invites a candidate to apply; the student accepts or declines.

An invitation is a ``MatchFeedback`` row (event ``invite``, employer side); it becomes an
application with origin ``invitation`` only when the student accepts it (or applies to
the same posting while invited). Its status (pending, accepted, declined) is derived
from what followed it (``applications.invitation_status``). Who may invite: recruiters
of the posting's organization and the platform admin, and only candidates they may see
(consent, or an application to their organization); who answers: the profile's student.
Every service flushes and never commits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from talentbridge.accounts.policy import Principal, can_view_candidates
from talentbridge.errors import Conflict, Forbidden, NotFound
from talentbridge.matching import feedback
from talentbridge.matching.applications import (
    create_application,
    existing_application,
    invitation_status,
    load_posting,
    load_profile,
    own_profile,
    pending_invitation,
)
from talentbridge.matching.profile_access import may_view_profile
from talentbridge.store.matching_tables import Application, MatchFeedback


@dataclass(frozen=True)
class Invitation:
    """An employer's invitation to apply. ``status``: pending, accepted or declined."""

    id: int
    profile_id: int
    posting_id: int
    posting_title: str
    employer_name: str
    invited_at: dt.datetime
    invited_by: int | None
    status: str


def invitation_of(session: Session, invite: MatchFeedback) -> Invitation:
    """The invitation stored as ``invite`` feedback, with its current status."""
    posting = load_posting(session, invite.posting_id)
    return Invitation(
        id=invite.id,
        profile_id=invite.profile_id,
        posting_id=invite.posting_id,
        posting_title=posting.title,
        employer_name=posting.employer_name,
        invited_at=invite.at,
        invited_by=invite.user_id,
        status=invitation_status(session, invite),
    )


def invite(
    session: Session,
    principal: Principal,
    *,
    profile_id: int,
    posting_id: int,
    position: int | None = None,
    score: float | None = None,
    ranker: str | None = None,
    at: dt.datetime | None = None,
) -> Invitation:
    """A recruiter invites a candidate they may see to apply to their organization's
    posting. Stored as ``invite`` feedback (employer side); no application yet.

    Raises ``NotFound`` (no such posting or a profile the caller may not see),
    ``Forbidden`` (not the posting's organization) or ``Conflict`` (already applied or
    invited and not yet answered).
    """
    posting = load_posting(session, posting_id)
    if not can_view_candidates(principal, posting_org_id=posting.organization_id):
        raise Forbidden("only the posting's own recruiters may invite candidates to it")
    profile = load_profile(session, profile_id)
    if not may_view_profile(session, principal, profile):
        raise NotFound(f"profile {profile_id} not found")
    if existing_application(session, profile.id, posting.id) is not None:
        raise Conflict("this candidate has already applied to this posting")
    if pending_invitation(session, profile.id, posting.id) is not None:
        raise Conflict("this candidate has been invited and has not answered yet")
    recorded = feedback.record(
        session,
        profile_id=profile.id,
        posting_id=posting.id,
        event="invite",
        side="employer",
        user_id=principal.user_id,
        position=position,
        score=score,
        ranker=ranker,
        at=at,
        is_sample=profile.is_sample,
    )
    row = session.get(MatchFeedback, recorded.id)
    assert row is not None
    return invitation_of(session, row)


def _own_invitation(session: Session, principal: Principal, invitation_id: int) -> MatchFeedback:
    row = session.get(MatchFeedback, invitation_id)
    if row is None or row.event != "invite":
        raise NotFound(f"invitation {invitation_id} not found")
    own_profile(session, principal, row.profile_id)
    if invitation_status(session, row) != "pending":
        raise Conflict("this invitation has been answered already")
    return row


def accept_invitation(
    session: Session,
    principal: Principal,
    *,
    invitation_id: int,
    note: str | None = None,
    at: dt.datetime | None = None,
) -> Application:
    """The student accepts an invitation: an application with origin ``invitation``.
    Raises ``NotFound``, ``Forbidden`` or ``Conflict`` (answered already)."""
    row = _own_invitation(session, principal, invitation_id)
    profile = load_profile(session, row.profile_id)
    application = create_application(
        session,
        profile=profile,
        posting=load_posting(session, row.posting_id),
        origin="invitation",
        user_id=principal.user_id,
        note=note,
        at=at,
    )
    feedback.record(
        session,
        profile_id=profile.id,
        posting_id=row.posting_id,
        event="apply",
        side="student",
        user_id=principal.user_id,
        at=application.created_at,
        is_sample=profile.is_sample,
    )
    return application


def decline_invitation(
    session: Session,
    principal: Principal,
    *,
    invitation_id: int,
    at: dt.datetime | None = None,
) -> Invitation:
    """The student declines an invitation (``dismiss`` feedback, student side)."""
    row = _own_invitation(session, principal, invitation_id)
    profile = load_profile(session, row.profile_id)
    feedback.record(
        session,
        profile_id=row.profile_id,
        posting_id=row.posting_id,
        event="dismiss",
        side="student",
        user_id=principal.user_id,
        at=at,
        is_sample=profile.is_sample,
    )
    return invitation_of(session, row)
