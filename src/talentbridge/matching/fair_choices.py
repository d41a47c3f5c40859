"""The two ranking forms of a job fair, as read models: a student's openings with the
ranks they gave (``student_choices``), and an opening's rankable students with the
ranks its recruiters gave (``opening_choices``). The changes are
``fair_preferences.set_student_preferences`` and ``set_opening_preferences``; both
forms are open while the fair is (``policy.can_state_fair_lists``).

A student sees every opening of the fair; their list is ``stated`` once they (or the
organisers for them) saved one, else it is the ranker's suggestion, if any. An
opening's form lists the registered students its recruiters may rank
(``fair_preferences.rankable_students``: consent, an application, or the student chose
this opening), each with the rank the student gave the opening when they chose it;
never contact data. Reading that list is audited (other people's records).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from talentbridge.accounts.audit import FAIR_PURPOSE, record_reads
from talentbridge.accounts.policy import Principal, can_state_fair_lists, can_view_candidates
from talentbridge.errors import Conflict, Forbidden, NotFound
from talentbridge.matching.fair_preferences import rankable_students
from talentbridge.matching.fairs import get_fair, profile_for, registration_of
from talentbridge.store.matching_tables import FairOpening, FairPreference
from talentbridge.store.tables import CollegeMajor, Major, Organization, Posting, Profile


@dataclass(frozen=True)
class ChoiceItem:
    """An opening on a student's form, with the student's current rank of it."""

    opening_id: int
    posting_id: int
    title: str
    employer_name: str
    seats: int
    booth: str | None
    flagged: bool
    rank: int | None


@dataclass(frozen=True)
class StudentChoices:
    fair_id: int
    profile_id: int
    can_change: bool  # the fair is open (or the viewer organises it)
    stated: bool  # the list was stated; otherwise ``items``' ranks are the ranker's
    stated_at: dt.datetime | None
    items: list[ChoiceItem]  # ranked first (by rank), then the others by id


def student_choices(
    session: Session, principal: Principal, *, fair_id: int, profile_id: int
) -> StudentChoices:
    """The student's form for a fair (the student, or its organisers for students they
    may see: ``NotFound`` / ``Forbidden`` otherwise; ``Conflict`` when not registered)."""
    fair = get_fair(session, fair_id=fair_id)
    profile_for(session, principal, fair, profile_id)
    registration = registration_of(session, fair_id, profile_id)
    if registration is None:
        raise Conflict("register for the fair before ranking its openings")
    ranks = dict(
        session.execute(
            select(FairPreference.fair_opening_id, FairPreference.rank).where(
                FairPreference.fair_id == fair_id,
                FairPreference.profile_id == profile_id,
                FairPreference.side == "student",
            )
        ).all()
    )
    items = [
        ChoiceItem(o.id, p.id, p.title, p.employer_name, o.seats, o.booth, p.flag_count > 0,
                   ranks.get(o.id))
        for o, p in session.execute(
            select(FairOpening, Posting)
            .join(Posting, Posting.id == FairOpening.posting_id)
            .where(FairOpening.fair_id == fair_id)
        )
    ]  # fmt: skip
    items.sort(key=lambda i: (i.rank is None, i.rank or 0, i.opening_id))
    return StudentChoices(
        fair_id=fair_id,
        profile_id=profile_id,
        can_change=can_state_fair_lists(
            principal, fair_org_id=fair.organization_id, fair_status=fair.status
        ),
        stated=registration.list_stated_at is not None,
        stated_at=registration.list_stated_at,
        items=items,
    )


@dataclass(frozen=True)
class CandidateItem:
    """A registered student on an opening's form (no contact data)."""

    profile_id: int
    name: str
    college_name_zh: str
    major_name_zh: str | None
    graduation_year: int
    chose_rank: int | None  # the student's own (stated) rank of this opening
    rank: int | None  # the opening's current rank of the student


@dataclass(frozen=True)
class OpeningChoices:
    fair_id: int
    opening_id: int
    posting_id: int
    title: str
    seats: int
    can_change: bool
    stated: bool  # the recruiters saved the list (else the ranks are the ranker's)
    candidates: list[CandidateItem]  # ranked first, then those who chose it, then by id


def opening_choices(
    session: Session, principal: Principal, *, fair_id: int, opening_id: int
) -> OpeningChoices:
    """An opening's form for its recruiters (and the platform admin); ``NotFound`` for an
    opening not at this fair, ``Forbidden`` for anyone else."""
    fair = get_fair(session, fair_id=fair_id)
    opening = session.get(FairOpening, opening_id)
    if opening is None or opening.fair_id != fair_id:
        raise NotFound(f"opening {opening_id} not found at job fair {fair_id}")
    posting = session.get(Posting, opening.posting_id)
    if posting is None or not can_view_candidates(
        principal, posting_org_id=posting.organization_id
    ):
        raise Forbidden("only the posting's recruiters rank students for it")
    rankable = rankable_students(session, principal, opening, posting)
    prefs = session.execute(
        select(
            FairPreference.side, FairPreference.profile_id, FairPreference.rank,
            FairPreference.origin,
        ).where(FairPreference.fair_opening_id == opening_id)
    ).all()  # fmt: skip
    chose = {p: r for side, p, r, origin in prefs if side == "student" and origin == "stated"}
    ranks = {p: r for side, p, r, _ in prefs if side == "employer"}
    stated = any(side == "employer" and origin == "stated" for side, _, _, origin in prefs)
    names: dict[int, tuple[str, str | None]] = {}
    if rankable:
        rows = session.execute(
            select(Profile.id, Organization.name_zh, Major.name_zh)
            .join(Organization, Organization.id == Profile.organization_id)
            .outerjoin(CollegeMajor, CollegeMajor.id == Profile.college_major_id)
            .outerjoin(Major, Major.id == CollegeMajor.major_id)
            .where(Profile.id.in_(sorted(rankable)))
        )
        names = {pid: (college, major) for pid, college, major in rows}
    candidates = [
        CandidateItem(pid, p.name, *names.get(pid, ("", None)), p.graduation_year,
                      chose.get(pid), ranks.get(pid))
        for pid, p in rankable.items()
    ]  # fmt: skip
    candidates.sort(
        key=lambda c: (c.rank is None, c.rank or 0, c.chose_rank is None, c.chose_rank or 0,
                       c.profile_id)
    )  # fmt: skip
    # one event per college whose students the list shows (each college admin sees theirs)
    record_reads(
        session,
        principal,
        action="fair.candidates",
        records=[(pid, p.organization_id) for pid, p in rankable.items()],
        purpose=FAIR_PURPOSE,
    )
    return OpeningChoices(
        fair_id=fair_id,
        opening_id=opening_id,
        posting_id=posting.id,
        title=posting.title,
        seats=opening.seats,
        can_change=can_state_fair_lists(
            principal, fair_org_id=fair.organization_id, fair_status=fair.status
        ),
        stated=stated,
        candidates=candidates,
    )
