"""Applications: a state machine from applying to hiring, every step timestamped.

Stages (``domain.md``): ``applied`` → ``screened`` → ``interview`` → ``offer`` →
``hired``, and ``declined`` from any open stage, by the student (``withdraw``) or by the
employer (``reject``); ``Application.declined_by`` records which side. Only the moves in
``TRANSITIONS`` are legal (no skipping, nothing after ``hired`` or ``declined``); any
other raises ``IllegalTransition`` (a ``Conflict``). Every step appends an
``ApplicationEvent`` with its time and user.

Who may do what (``accounts.policy``):

* a student applies, withdraws and answers invitations for their own profile only
  (``can_act_for_profile``); flagged postings can be applied to (they are marked in
  every list, not hidden);
* recruiters of the posting's organization (and the platform admin) invite candidates
  they may see, and move and reject applications (``can_view_candidates``);
* an invitation (``matching.invitations``) is a ``MatchFeedback`` row (``invite``,
  employer side); it becomes an application with origin ``invitation`` only when the
  student accepts it.

Each step also records feedback for learning to rank (``matching.feedback``): apply,
invite, interview, hire, and dismiss on a decline or a declined invitation.
A hire also records the graduate's placement (``outcomes.hires.record_hire``).

Reads (pipelines, a student's applications, timings) are in
``matching.application_queries``. Every service flushes and never commits.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from talentbridge.accounts.policy import Principal, can_act_for_profile, can_view_candidates
from talentbridge.errors import Conflict, Forbidden, NotFound
from talentbridge.matching import feedback
from talentbridge.matching.profile_access import may_view_profile
from talentbridge.outcomes.hires import record_hire
from talentbridge.store.matching_tables import Application, ApplicationEvent, MatchFeedback
from talentbridge.store.tables import Posting, Profile, utcnow

STAGES: tuple[str, ...] = ("applied", "screened", "interview", "offer", "hired", "declined")
OPEN_STAGES: tuple[str, ...] = ("applied", "screened", "interview", "offer")
# The one forward move from each open stage; ``declined`` is allowed from every open one.
NEXT_STAGE: dict[str, str] = {
    "applied": "screened",
    "screened": "interview",
    "interview": "offer",
    "offer": "hired",
}
TRANSITIONS: dict[str, frozenset[str]] = {
    **{stage: frozenset({NEXT_STAGE[stage], "declined"}) for stage in OPEN_STAGES},
    "hired": frozenset(),
    "declined": frozenset(),
}
# ``fair``: a job-fair assignment (``matching.fair_applications``).
ORIGINS: tuple[str, ...] = ("student", "invitation", "fair")
# Feedback an employer's move records (the furthest step reached, for learning to rank).
_MOVE_FEEDBACK: dict[str, str] = {"interview": "interview", "hired": "hire", "declined": "dismiss"}


class IllegalTransition(Conflict):
    """A move the state machine does not allow (e.g. ``applied`` → ``offer``)."""

    def __init__(self, from_stage: str, to_stage: str) -> None:
        allowed = ", ".join(sorted(TRANSITIONS.get(from_stage, ()))) or "none"
        super().__init__(
            f"an application cannot move from {from_stage!r} to {to_stage!r} "
            f"(allowed from {from_stage!r}: {allowed})"
        )
        self.from_stage = from_stage
        self.to_stage = to_stage


# --- loading with access --------------------------------------------------------------


def load_profile(session: Session, profile_id: int) -> Profile:
    profile = session.get(Profile, profile_id)
    if profile is None:
        raise NotFound(f"profile {profile_id} not found")
    return profile


def load_posting(session: Session, posting_id: int) -> Posting:
    posting = session.get(Posting, posting_id)
    if posting is None:
        raise NotFound(f"posting {posting_id} not found")
    return posting


def own_profile(session: Session, principal: Principal, profile_id: int) -> Profile:
    """The profile if the principal acts for it: ``Forbidden`` when they may only see it,
    ``NotFound`` when they may not even see it."""
    profile = load_profile(session, profile_id)
    if can_act_for_profile(principal, profile_user_id=profile.user_id):
        return profile
    if may_view_profile(session, principal, profile):
        raise Forbidden("only the student may apply or answer for their own profile")
    raise NotFound(f"profile {profile_id} not found")


def load_application(session: Session, application_id: int) -> Application:
    application = session.get(Application, application_id)
    if application is None:
        raise NotFound(f"application {application_id} not found")
    return application


def existing_application(session: Session, profile_id: int, posting_id: int) -> Application | None:
    return session.scalar(
        select(Application).where(
            Application.profile_id == profile_id, Application.posting_id == posting_id
        )
    )


# --- the state machine ----------------------------------------------------------------


def step(
    session: Session,
    application: Application,
    *,
    to_stage: str,
    user_id: int | None,
    note: str | None,
    at: dt.datetime | None,
) -> dt.datetime:
    """Move an application along ``TRANSITIONS`` and append its event (no access check:
    the services above and ``matching.fair_applications`` decide who may)."""
    if to_stage not in STAGES:
        raise IllegalTransition(application.stage, to_stage)
    if to_stage not in TRANSITIONS.get(application.stage, frozenset()):
        raise IllegalTransition(application.stage, to_stage)
    when = at or utcnow()
    if when < application.updated_at:
        raise Conflict("a step cannot be dated before the application's previous step")
    application.stage = to_stage
    application.updated_at = when
    session.add(
        ApplicationEvent(
            application_id=application.id, stage=to_stage, at=when, user_id=user_id, note=note
        )
    )
    session.flush()
    return when


def create_application(
    session: Session,
    *,
    profile: Profile,
    posting: Posting,
    origin: str,
    user_id: int | None,
    note: str | None,
    at: dt.datetime | None,
) -> Application:
    if existing_application(session, profile.id, posting.id) is not None:
        raise Conflict("this profile has already applied to this posting")
    when = at or utcnow()
    application = Application(
        profile_id=profile.id,
        posting_id=posting.id,
        organization_id=posting.organization_id,
        stage="applied",
        origin=origin,
        created_at=when,
        updated_at=when,
    )
    session.add(application)
    session.flush()
    session.add(
        ApplicationEvent(
            application_id=application.id, stage="applied", at=when, user_id=user_id, note=note
        )
    )
    session.flush()
    return application


def apply(
    session: Session,
    principal: Principal,
    *,
    profile_id: int,
    posting_id: int,
    note: str | None = None,
    position: int | None = None,
    score: float | None = None,
    ranker: str | None = None,
    at: dt.datetime | None = None,
) -> Application:
    """The student applies to a posting for their own profile (``position``, ``score`` and
    ``ranker``: where the match list showed it, for feedback). Applying while invited to
    the same posting accepts the invitation (origin ``invitation``).

    Raises ``NotFound`` (no such profile or posting, or a profile the caller may not see),
    ``Forbidden`` (not the profile's student) or ``Conflict`` (already applied).
    """
    profile = own_profile(session, principal, profile_id)
    posting = load_posting(session, posting_id)
    invited = pending_invitation(session, profile.id, posting.id) is not None
    application = create_application(
        session,
        profile=profile,
        posting=posting,
        origin="invitation" if invited else "student",
        user_id=principal.user_id,
        note=note,
        at=at,
    )
    feedback.record(
        session,
        profile_id=profile.id,
        posting_id=posting.id,
        event="apply",
        side="student",
        user_id=principal.user_id,
        position=position,
        score=score,
        ranker=ranker,
        at=application.created_at,
        is_sample=profile.is_sample,
    )
    return application


def _employer_application(
    session: Session, principal: Principal, application_id: int
) -> Application:
    """The application if the principal acts for its employer (``Forbidden`` for its own
    student, ``NotFound`` for anyone else)."""
    application = load_application(session, application_id)
    if can_view_candidates(principal, posting_org_id=application.organization_id):
        return application
    profile = load_profile(session, application.profile_id)
    if can_act_for_profile(principal, profile_user_id=profile.user_id):
        raise Forbidden("a student can only withdraw their application")
    raise NotFound(f"application {application_id} not found")


def move(
    session: Session,
    principal: Principal,
    *,
    application_id: int,
    to_stage: str,
    note: str | None = None,
    at: dt.datetime | None = None,
) -> Application:
    """The employer moves an application one stage on (``screened``, ``interview``,
    ``offer``, ``hired``) or rejects it (``declined``, declined by the employer).

    Raises ``NotFound``, ``Forbidden`` or ``IllegalTransition``.
    """
    application = _employer_application(session, principal, application_id)
    when = step(
        session, application, to_stage=to_stage, user_id=principal.user_id, note=note, at=at
    )
    if to_stage == "declined":
        application.declined_by = "employer"
    elif to_stage == "hired":
        record_hire(session, application)  # the graduate's placement (outcomes)
    event = _MOVE_FEEDBACK.get(to_stage)
    if event is not None:
        profile = load_profile(session, application.profile_id)
        feedback.record(
            session,
            profile_id=application.profile_id,
            posting_id=application.posting_id,
            event=event,
            side="employer",
            user_id=principal.user_id,
            at=when,
            is_sample=profile.is_sample,
        )
    session.flush()
    return application


def reject(
    session: Session,
    principal: Principal,
    *,
    application_id: int,
    note: str | None = None,
    at: dt.datetime | None = None,
) -> Application:
    """The employer declines an open application (``move`` to ``declined``)."""
    return move(
        session, principal, application_id=application_id, to_stage="declined", note=note, at=at
    )


def withdraw(
    session: Session,
    principal: Principal,
    *,
    application_id: int,
    note: str | None = None,
    at: dt.datetime | None = None,
) -> Application:
    """The student withdraws an open application of their own profile (declined by the
    student). Raises ``NotFound``, ``Forbidden`` (e.g. the recruiter) or
    ``IllegalTransition`` (already hired or declined)."""
    application = load_application(session, application_id)
    profile = load_profile(session, application.profile_id)
    if not can_act_for_profile(principal, profile_user_id=profile.user_id):
        if can_view_candidates(principal, posting_org_id=application.organization_id):
            raise Forbidden("only the student can withdraw an application; reject it instead")
        if not may_view_profile(session, principal, profile):
            raise NotFound(f"application {application_id} not found")
        raise Forbidden("only the student can withdraw an application")
    when = step(
        session, application, to_stage="declined", user_id=principal.user_id, note=note, at=at
    )
    application.declined_by = "student"
    feedback.record(
        session,
        profile_id=profile.id,
        posting_id=application.posting_id,
        event="dismiss",
        side="student",
        user_id=principal.user_id,
        at=when,
        is_sample=profile.is_sample,
    )
    session.flush()
    return application


# --- invitation state (the services are in ``matching.invitations``) ----------------


def invitation_status(session: Session, invite: MatchFeedback) -> str:
    """``accepted`` once there is an application for the pair, ``declined`` once the
    student dismissed the posting after the invitation, else ``pending``."""
    if existing_application(session, invite.profile_id, invite.posting_id) is not None:
        return "accepted"
    dismissed = session.scalar(
        select(
            exists().where(
                MatchFeedback.profile_id == invite.profile_id,
                MatchFeedback.posting_id == invite.posting_id,
                MatchFeedback.event == "dismiss",
                MatchFeedback.side == "student",
                MatchFeedback.id > invite.id,
            )
        )
    )
    return "declined" if dismissed else "pending"


def pending_invitation(session: Session, profile_id: int, posting_id: int) -> MatchFeedback | None:
    invites = session.scalars(
        select(MatchFeedback)
        .where(
            MatchFeedback.profile_id == profile_id,
            MatchFeedback.posting_id == posting_id,
            MatchFeedback.event == "invite",
        )
        .order_by(MatchFeedback.id.desc())
    ).all()
    for invite in invites:
        if invitation_status(session, invite) == "pending":
            return invite
    return None
