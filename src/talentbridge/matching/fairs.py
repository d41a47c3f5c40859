"""Job fairs (双选会): the fair, its openings with seats and its registered students.
Both sides' ranked lists are in ``matching.fair_preferences``; allocation and
interviews in ``matching.fair_allocation``.

Who may do what (``accounts.policy``):

* a college's staff (admin, teacher) and the platform admin create a fair
  (``can_create_fair``) and manage it (``can_manage_fair``): openings, registrations,
  preference filling, allocation;
* recruiters add their own organization's postings as openings and rank students for
  them (``can_view_candidates``);
* a student registers and ranks openings for their own profile (``can_act_for_profile``);
  the fair's staff may do both for students they may see (paper forms).

Students and recruiters register and state their lists while the fair is open
(``can_state_fair_lists``); once it is allocated, only its organisers change it. Any
change reopens an allocated fair (the allocation is stale until it is run again).
Every service flushes and never commits.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from talentbridge.accounts.policy import (
    Principal,
    can_act_for_profile,
    can_create_fair,
    can_manage_fair,
    can_state_fair_lists,
    can_view_candidates,
)
from talentbridge.errors import Conflict, Forbidden, NotFound, TalentBridgeError
from talentbridge.matching.profile_access import may_view_profile
from talentbridge.store.matching_tables import (
    FairOpening,
    FairRegistration,
    JobFair,
)
from talentbridge.store.tables import Posting, Profile

SLOT_MINUTES_RANGE = (5, 240)


class FairInputError(TalentBridgeError):
    """A value given for a fair is not acceptable; ``field`` names it."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


def parse_clock(text: str, field: str = "time") -> dt.time:
    """``HH:MM`` as a time of day."""
    try:
        hours, minutes = text.strip().split(":")
        return dt.time(int(hours), int(minutes))
    except ValueError:
        raise FairInputError(field, f"{text!r} is not a time of day (HH:MM)") from None


def slot_count(fair: JobFair) -> int:
    """How many interview slots of ``slot_minutes`` fit between the fair's start and end."""
    start, end = parse_clock(fair.starts_at), parse_clock(fair.ends_at)
    minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
    return max(0, minutes // fair.slot_minutes)


def slot_start(fair: JobFair, slot: int) -> dt.datetime:
    begin = dt.datetime.combine(fair.held_on, parse_clock(fair.starts_at))
    return begin + dt.timedelta(minutes=slot * fair.slot_minutes)


# --- the fair -----------------------------------------------------------------------------


def create_fair(
    session: Session,
    principal: Principal,
    *,
    name_zh: str,
    held_on: dt.date,
    name_en: str | None = None,
    venue: str | None = None,
    starts_at: str = "09:00",
    ends_at: str = "17:00",
    slot_minutes: int = 20,
    organization_id: int | None = None,
    is_sample: bool = False,
) -> JobFair:
    """A new fair held by the principal's college (the platform admin names one with
    ``organization_id``). Raises ``Forbidden`` or ``FairInputError``."""
    if not can_create_fair(principal):
        raise Forbidden("only a college's staff may hold a job fair")
    org_id = principal.organization_id if organization_id is None else organization_id
    if not can_manage_fair(principal, fair_org_id=org_id):
        raise Forbidden("a job fair is held by your own college")
    if not name_zh.strip():
        raise FairInputError("name_zh", "a fair needs a name")
    low, high = SLOT_MINUTES_RANGE
    if not low <= slot_minutes <= high:
        raise FairInputError("slot_minutes", f"must be between {low} and {high}")
    start, end = parse_clock(starts_at, "starts_at"), parse_clock(ends_at, "ends_at")
    if end <= start:
        raise FairInputError("ends_at", "the fair must end after it starts")
    fair = JobFair(
        organization_id=org_id,
        name_zh=name_zh.strip(),
        name_en=(name_en or "").strip() or None,
        held_on=held_on,
        venue=venue,
        starts_at=start.strftime("%H:%M"),
        ends_at=end.strftime("%H:%M"),
        slot_minutes=slot_minutes,
        status="open",
        is_sample=is_sample,
    )
    if slot_count(fair) == 0:
        raise FairInputError("slot_minutes", "no interview slot fits between start and end")
    session.add(fair)
    session.flush()
    return fair


def get_fair(session: Session, *, fair_id: int) -> JobFair:
    """A fair (fairs are public events: every signed-in role may read one)."""
    fair = session.get(JobFair, fair_id)
    if fair is None:
        raise NotFound(f"job fair {fair_id} not found")
    return fair


def list_fairs(session: Session, *, organization_id: int | None = None) -> list[JobFair]:
    """Fairs, the latest first (of one college when ``organization_id`` is given)."""
    stmt = select(JobFair).order_by(JobFair.held_on.desc(), JobFair.id.desc())
    if organization_id is not None:
        stmt = stmt.where(JobFair.organization_id == organization_id)
    return list(session.scalars(stmt))


def changeable(session: Session, fair_id: int) -> JobFair:
    fair = get_fair(session, fair_id=fair_id)
    if fair.status == "closed":
        raise Conflict("this job fair is closed")
    fair.status = "open"  # any change makes an allocation stale
    return fair


def managed(session: Session, principal: Principal, fair_id: int) -> JobFair:
    fair = get_fair(session, fair_id=fair_id)
    if not can_manage_fair(principal, fair_org_id=fair.organization_id):
        raise Forbidden("only the fair's organisers may do this")
    return fair


def require_open(principal: Principal, fair: JobFair) -> None:
    """``Conflict`` unless the principal may still change lists and registrations."""
    if not can_state_fair_lists(
        principal, fair_org_id=fair.organization_id, fair_status=fair.status
    ):
        raise Conflict(
            "this job fair is closed"
            if fair.status == "closed"
            else "this job fair has been allocated: ask its organisers for changes"
        )


def close_fair(session: Session, principal: Principal, *, fair_id: int) -> JobFair:
    """Close the fair: nothing changes any more (the allocation stays as it is)."""
    fair = managed(session, principal, fair_id)
    fair.status = "closed"
    session.flush()
    return fair


# --- openings and registrations ---------------------------------------------------------


def add_opening(
    session: Session,
    principal: Principal,
    *,
    fair_id: int,
    posting_id: int,
    seats: int = 1,
    booth: str | None = None,
) -> FairOpening:
    """Offer a posting at the fair with ``seats`` (1 or more); adding it again updates
    seats and booth. By the fair's organisers or the posting's own recruiters."""
    fair = get_fair(session, fair_id=fair_id)
    posting = session.get(Posting, posting_id)
    if posting is None:
        raise NotFound(f"posting {posting_id} not found")
    organiser = can_manage_fair(principal, fair_org_id=fair.organization_id)
    if not organiser and not can_view_candidates(principal, posting_org_id=posting.organization_id):
        raise Forbidden("only the fair's organisers or the posting's recruiters may add it")
    if seats < 1:
        raise FairInputError("seats", "an opening has at least one seat")
    changeable(session, fair_id)
    opening = session.scalar(
        select(FairOpening).where(
            FairOpening.fair_id == fair_id, FairOpening.posting_id == posting_id
        )
    )
    if opening is None:
        opening = FairOpening(fair_id=fair_id, posting_id=posting_id)
        session.add(opening)
    opening.seats = seats
    opening.booth = booth
    session.flush()
    return opening


def profile_for(session: Session, principal: Principal, fair: JobFair, profile_id: int) -> Profile:
    """The profile if the principal acts for it at this fair: its student, or the fair's
    organisers for students they may see."""
    profile = session.get(Profile, profile_id)
    if profile is None:
        raise NotFound(f"profile {profile_id} not found")
    if can_act_for_profile(principal, profile_user_id=profile.user_id):
        return profile
    visible = may_view_profile(session, principal, profile)
    if visible and can_manage_fair(principal, fair_org_id=fair.organization_id):
        return profile
    if visible:
        raise Forbidden("only the student or the fair's organisers may do this")
    raise NotFound(f"profile {profile_id} not found")


def register(
    session: Session, principal: Principal, *, fair_id: int, profile_id: int
) -> FairRegistration:
    """Register a profile for the fair (again: the existing registration). The student
    registers while the fair is open; its organisers also after the allocation."""
    fair = get_fair(session, fair_id=fair_id)
    profile_for(session, principal, fair, profile_id)
    found = registration_of(session, fair_id, profile_id)
    if found is not None:
        return found
    require_open(principal, fair)
    changeable(session, fair_id)
    registration = FairRegistration(fair_id=fair_id, profile_id=profile_id)
    session.add(registration)
    session.flush()
    return registration


def registration_of(session: Session, fair_id: int, profile_id: int) -> FairRegistration | None:
    return session.scalar(
        select(FairRegistration).where(
            FairRegistration.fair_id == fair_id, FairRegistration.profile_id == profile_id
        )
    )
