"""Job-fair preferences: both sides' ranked lists, filling the unstated ones from a
scoring function, and reading them for the allocation (``fair_match.Preferences``).

Lists are best first (rank 1). Setting a list replaces that owner's list: a student's
(by the student, or the fair's organisers for students they may see) or an opening's
(by the posting's recruiters). When a student or an opening has stated none,
``fill_preferences`` fills the list from ``score(profile_id, posting_id) -> float``
(e.g. the matching engine) with ``origin='ranker'``. A student who opted out of
automated ranking is never scored: their list stays empty unless they state one.

Stated lists take precedence over ranker-filled ones: a stated list replaces the ranker's
for its owner, a fill never touches it, and a ranker-filled opening list always includes
the students who listed that opening themselves (after the scored students, by id:
opted-out students, and those the scores left out). Every service flushes and never
commits.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from talentbridge.accounts.policy import (
    Principal,
    can_rank_fair_candidate,
    can_view_candidates,
)
from talentbridge.errors import Conflict, Forbidden, NotFound
from talentbridge.matching.fair_match import Preferences
from talentbridge.matching.fairs import (
    FairInputError,
    changeable,
    get_fair,
    managed,
    profile_for,
    registration_of,
    require_open,
)
from talentbridge.store.matching_tables import (
    Application,
    FairOpening,
    FairPreference,
    FairRegistration,
)
from talentbridge.store.tables import Posting, Profile, utcnow

Score = Callable[[int, int], float]  # (profile_id, posting_id) -> higher is better

STUDENT_LIST_LENGTH = 10


def _unique(field: str, ids: Sequence[int]) -> list[int]:
    if len(set(ids)) != len(ids):
        raise FairInputError(field, "an entry appears twice in the list")
    return list(ids)


def set_student_preferences(
    session: Session,
    principal: Principal,
    *,
    fair_id: int,
    profile_id: int,
    opening_ids: Sequence[int],
) -> list[FairPreference]:
    """The student's ranked openings (best first; an empty list states "none"), replacing
    their earlier list (also one the ranker filled). The profile must be registered and
    the openings of this fair; the student states it while the fair is open."""
    fair = get_fair(session, fair_id=fair_id)
    profile_for(session, principal, fair, profile_id)
    registration = registration_of(session, fair_id, profile_id)
    if registration is None:
        raise Conflict("register for the fair before ranking its openings")
    require_open(principal, fair)
    wanted = _unique("opening_ids", opening_ids)
    known = set(session.scalars(select(FairOpening.id).where(FairOpening.fair_id == fair_id)))
    unknown = [o for o in wanted if o not in known]
    if unknown:
        raise FairInputError("opening_ids", f"not openings of this fair: {unknown}")
    changeable(session, fair_id)
    registration.list_stated_at = utcnow()
    session.execute(
        delete(FairPreference).where(
            FairPreference.fair_id == fair_id,
            FairPreference.profile_id == profile_id,
            FairPreference.side == "student",
        )
    )
    rows = [
        FairPreference(
            fair_id=fair_id,
            fair_opening_id=o,
            profile_id=profile_id,
            side="student",
            rank=i,
            origin="stated",
        )
        for i, o in enumerate(wanted, start=1)
    ]
    session.add_all(rows)
    session.flush()
    return rows


def set_opening_preferences(
    session: Session,
    principal: Principal,
    *,
    fair_id: int,
    opening_id: int,
    profile_ids: Sequence[int],
) -> list[FairPreference]:
    """The opening's ranked students (best first), replacing its earlier list: by the
    posting's recruiters (or the platform admin) while the fair is open. Every student
    must be registered and one the recruiter may rank (``rankable_students``)."""
    opening = session.get(FairOpening, opening_id)
    if opening is None or opening.fair_id != fair_id:
        raise NotFound(f"opening {opening_id} not found at job fair {fair_id}")
    posting = session.get(Posting, opening.posting_id)
    if posting is None or not can_view_candidates(
        principal, posting_org_id=posting.organization_id
    ):
        raise Forbidden("only the posting's recruiters rank students for it")
    require_open(principal, get_fair(session, fair_id=fair_id))
    wanted = _unique("profile_ids", profile_ids)
    rankable = rankable_students(session, principal, opening, posting)
    unknown = [p for p in wanted if p not in rankable]
    if unknown:  # one message whether unregistered or not visible: nothing leaks
        raise FairInputError(
            "profile_ids", f"not registered for this fair or not yours to rank: {unknown}"
        )
    changeable(session, fair_id)
    session.execute(
        delete(FairPreference).where(
            FairPreference.fair_opening_id == opening_id, FairPreference.side == "employer"
        )
    )
    rows = [
        FairPreference(
            fair_id=fair_id,
            fair_opening_id=opening_id,
            profile_id=p,
            side="employer",
            rank=i,
            origin="stated",
        )
        for i, p in enumerate(wanted, start=1)
    ]
    session.add_all(rows)
    session.flush()
    return rows


def rankable_students(
    session: Session, principal: Principal, opening: FairOpening, posting: Posting
) -> dict[int, Profile]:
    """The registered students the principal may rank for ``opening`` (by id):
    ``policy.can_rank_fair_candidate`` with the facts filled in (consent, an application
    to the principal's organization, this opening on the student's own stated list)."""
    rows = session.scalars(
        select(Profile)
        .join(FairRegistration, FairRegistration.profile_id == Profile.id)
        .where(FairRegistration.fair_id == opening.fair_id)
        .order_by(Profile.id)
    ).all()
    chose = set(
        session.scalars(
            select(FairPreference.profile_id).where(
                FairPreference.fair_opening_id == opening.id,
                FairPreference.side == "student",
                FairPreference.origin == "stated",
            )
        )
    )
    applied: set[int] = set()
    if principal.organization_id is not None:
        applied = set(
            session.scalars(
                select(Application.profile_id).where(
                    Application.organization_id == principal.organization_id
                )
            )
        )
    return {
        p.id: p
        for p in rows
        if can_rank_fair_candidate(
            principal,
            posting_org_id=posting.organization_id,
            visible_to_employers=p.visible_to_employers,
            chose_opening=p.id in chose,
            has_applied_to_principal_org=p.id in applied,
        )
    }


@dataclass(frozen=True)
class FillReport:
    """How many lists ``fill_preferences`` wrote from the scoring function."""

    students_filled: int
    openings_filled: int
    students_opted_out: int  # left without a list: never scored


def fill_preferences(
    session: Session,
    principal: Principal,
    *,
    fair_id: int,
    score: Score,
    employer_score: Score | None = None,
    student_list_length: int = STUDENT_LIST_LENGTH,
    opening_list_length: int | None = None,
    min_score: float = 0.0,
) -> FillReport:
    """Fill the lists nobody stated from ``score`` (the student's side) and
    ``employer_score`` (the opening's side; default ``score``): openings or students by
    score, highest first, ties by id; only scores above ``min_score``; at most
    ``student_list_length`` openings per student and ``opening_list_length`` students per
    opening (``None``: all). Earlier ranker lists are replaced; stated lists are kept."""
    fair = managed(session, principal, fair_id)
    changeable(session, fair.id)
    employer_score = employer_score or score
    session.execute(
        delete(FairPreference).where(
            FairPreference.fair_id == fair_id, FairPreference.origin == "ranker"
        )
    )
    stated: dict[str, set[int]] = defaultdict(set)
    for side, profile_id, opening_id in session.execute(
        select(
            FairPreference.side, FairPreference.profile_id, FairPreference.fair_opening_id
        ).where(FairPreference.fair_id == fair_id)
    ):
        stated[side].add(profile_id if side == "student" else opening_id)
    openings = list(
        session.execute(
            select(FairOpening.id, FairOpening.posting_id)
            .where(FairOpening.fair_id == fair_id)
            .order_by(FairOpening.id)
        )
    )
    students = list(
        session.execute(
            select(Profile.id, Profile.ranking_opt_out, FairRegistration.list_stated_at)
            .join(FairRegistration, FairRegistration.profile_id == Profile.id)
            .where(FairRegistration.fair_id == fair_id)
            .order_by(Profile.id)
        )
    )
    opted_out = {p for p, out, _ in students if out}
    stated["student"] |= {p for p, _, at in students if at is not None}  # even an empty list
    rows: list[FairPreference] = []
    filled_students = 0
    for profile_id, _, _ in students:
        if profile_id in stated["student"] or profile_id in opted_out:
            continue
        scored = [(score(profile_id, posting), o) for o, posting in openings]
        best = sorted((-s, o) for s, o in scored if s > min_score)[:student_list_length]
        rows += [_pref(fair_id, o, profile_id, "student", i) for i, (_, o) in enumerate(best, 1)]
        filled_students += 1
    listed_by = _students_listing(session, fair_id)
    filled_openings = 0
    for opening_id, posting_id in openings:
        if opening_id in stated["employer"]:
            continue
        scored = [(employer_score(p, posting_id), p) for p, _, _ in students if p not in opted_out]
        ranked = [p for _, p in sorted((-s, p) for s, p in scored if s > min_score)]
        if opening_list_length is not None:
            ranked = ranked[:opening_list_length]
        # A student's own choice outweighs the ranker: whoever listed this opening
        # themselves and is not on the filled list (opted out, scored below
        # ``min_score`` or past its length) follows, by id.
        on_list = set(ranked)
        ranked += sorted(p for p in listed_by[opening_id] if p not in on_list)
        rows += [_pref(fair_id, opening_id, p, "employer", i) for i, p in enumerate(ranked, 1)]
        filled_openings += 1
    session.add_all(rows)
    session.flush()
    unlisted_opted_out = sum(1 for p in opted_out if p not in stated["student"])
    return FillReport(filled_students, filled_openings, unlisted_opted_out)


def _pref(fair_id: int, opening_id: int, profile_id: int, side: str, rank: int) -> FairPreference:
    return FairPreference(
        fair_id=fair_id,
        fair_opening_id=opening_id,
        profile_id=profile_id,
        side=side,
        rank=rank,
        origin="ranker",
    )


def _students_listing(session: Session, fair_id: int) -> dict[int, set[int]]:
    """Opening → the students who listed it themselves."""
    out: dict[int, set[int]] = defaultdict(set)
    for opening_id, profile_id in session.execute(
        select(FairPreference.fair_opening_id, FairPreference.profile_id).where(
            FairPreference.fair_id == fair_id,
            FairPreference.side == "student",
            FairPreference.origin == "stated",
        )
    ):
        out[opening_id].add(profile_id)
    return out


def preferences_of(session: Session, *, fair_id: int) -> Preferences:
    """The fair's stored lists as ``fair_match.Preferences`` (registered students and
    openings only; equal ranks ordered by id)."""
    registered = set(
        session.scalars(
            select(FairRegistration.profile_id).where(FairRegistration.fair_id == fair_id)
        )
    )
    seats = dict(
        session.execute(
            select(FairOpening.id, FairOpening.seats).where(FairOpening.fair_id == fair_id)
        ).all()
    )
    students: dict[int, list[int]] = {p: [] for p in sorted(registered)}
    openings: dict[int, list[int]] = {o: [] for o in sorted(seats)}
    rows = session.execute(
        select(
            FairPreference.side,
            FairPreference.profile_id,
            FairPreference.fair_opening_id,
        )
        .where(FairPreference.fair_id == fair_id)
        .order_by(
            FairPreference.side,
            FairPreference.rank,
            FairPreference.fair_opening_id,
            FairPreference.profile_id,
        )
    )
    for side, profile_id, opening_id in rows:
        if profile_id not in registered or opening_id not in seats:
            continue
        if side == "student":
            students[profile_id].append(opening_id)
        else:
            openings[opening_id].append(profile_id)
    return Preferences(students=students, openings=openings, seats=seats)
