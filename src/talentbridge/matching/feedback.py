"""Feedback on match lists: what students and employers did with a match.

Every event is a ``MatchFeedback`` row: ``view``, ``save``, ``apply``, ``invite``,
``interview``, ``hire`` or ``dismiss``, by the ``student`` or the ``employer`` side, with
the position and score the ranker showed (for learning to rank). Repeated views of the
same pair by the same user within ``VIEW_WINDOW`` are one view.

``feedback_pairs`` turns the events (and how far an application got) into one graded
label per (profile, posting) for ``matching.ltr``; ``feedback_counts`` says whether there
is enough feedback to train on.

``record`` checks no access: callers record only what their user was shown or did (the
application services record apply, invite, interview and hire themselves).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from talentbridge.errors import NotFound, TalentBridgeError
from talentbridge.store.matching_tables import Application, ApplicationEvent, MatchFeedback
from talentbridge.store.tables import Posting, Profile, utcnow

EVENTS: tuple[str, ...] = ("view", "save", "apply", "invite", "interview", "hire", "dismiss")
SIDES: tuple[str, ...] = ("student", "employer")
VIEW_WINDOW = dt.timedelta(minutes=30)

# Graded relevance for learning to rank: the furthest a pair got.
EVENT_GRADES: dict[str, int] = {
    "hire": 4,
    "interview": 3,
    "apply": 2,
    "invite": 2,
    "save": 1,
    "view": 0,
    "dismiss": 0,
}
# How far an application got counts too (an offer is never a feedback event).
STAGE_GRADES: dict[str, int] = {
    "hired": 4,
    "offer": 3,
    "interview": 3,
    "screened": 2,
    "applied": 2,
}
MAX_GRADE = 4


class FeedbackError(TalentBridgeError):
    """An unknown event or side."""


@dataclass(frozen=True)
class Recorded:
    """The feedback row written (or the earlier view it repeats: ``created`` False)."""

    id: int
    created: bool


def record(
    session: Session,
    *,
    profile_id: int,
    posting_id: int,
    event: str,
    side: str,
    user_id: int | None,
    position: int | None = None,
    score: float | None = None,
    ranker: str | None = None,
    at: dt.datetime | None = None,
    is_sample: bool = False,
) -> Recorded:
    """Record one event (flushed, not committed).

    ``position`` is the 1-based rank the match was shown at, ``score`` its score and
    ``ranker`` which ranker produced it (e.g. ``weights`` or an LTR model name). A view of
    the same pair by the same user and side within ``VIEW_WINDOW`` of an earlier view is
    not stored again. Raises ``FeedbackError`` (unknown event or side) or ``NotFound``.
    """
    if event not in EVENTS:
        raise FeedbackError(f"unknown feedback event {event!r}; use one of {', '.join(EVENTS)}")
    if side not in SIDES:
        raise FeedbackError(f"unknown side {side!r}; use one of {', '.join(SIDES)}")
    if position is not None and position < 1:
        raise FeedbackError(f"position must be 1 or more, not {position}")
    if session.get(Profile, profile_id) is None:
        raise NotFound(f"profile {profile_id} not found")
    if session.get(Posting, posting_id) is None:
        raise NotFound(f"posting {posting_id} not found")
    when = at or utcnow()
    if event == "view":
        earlier = session.scalar(
            select(MatchFeedback.id)
            .where(
                MatchFeedback.profile_id == profile_id,
                MatchFeedback.posting_id == posting_id,
                MatchFeedback.event == "view",
                MatchFeedback.side == side,
                (
                    MatchFeedback.user_id.is_(None)
                    if user_id is None
                    else MatchFeedback.user_id == user_id
                ),
                MatchFeedback.at > when - VIEW_WINDOW,
                MatchFeedback.at <= when,
            )
            .order_by(MatchFeedback.at.desc())
            .limit(1)
        )
        if earlier is not None:
            return Recorded(id=earlier, created=False)
    row = MatchFeedback(
        profile_id=profile_id,
        posting_id=posting_id,
        event=event,
        side=side,
        user_id=user_id,
        position=position,
        score=score,
        ranker=ranker,
        is_sample=is_sample,
        at=when,
    )
    session.add(row)
    session.flush()
    return Recorded(id=row.id, created=True)


# --- labels for learning to rank ------------------------------------------------------


@dataclass(frozen=True)
class FeedbackPair:
    """One (profile, posting) pair with feedback and its graded label (0–4).

    ``events`` are the distinct events seen (sorted); ``stage`` how far an application
    got (``None`` without one); ``best_position`` the best rank it was shown at and
    ``ranker`` the ranker of the latest event that names one.
    """

    profile_id: int
    posting_id: int
    label: int
    events: tuple[str, ...]
    stage: str | None
    best_position: int | None
    ranker: str | None
    first_at: dt.datetime
    last_at: dt.datetime


@dataclass
class _Acc:
    label: int = 0
    events: set[str] | None = None
    stage: str | None = None
    best_position: int | None = None
    ranker: str | None = None
    first_at: dt.datetime | None = None
    last_at: dt.datetime | None = None

    def seen(self, at: dt.datetime) -> None:
        self.first_at = at if self.first_at is None else min(self.first_at, at)
        self.last_at = at if self.last_at is None else max(self.last_at, at)


def feedback_pairs(session: Session, *, include_sample: bool = True) -> list[FeedbackPair]:
    """Every pair with feedback or an application, labelled by the furthest step reached:
    hire 4; interview or offer 3; apply, invite or an application in screening 2; save 1;
    view or dismiss 0. A dismissal does not lower a label (a rejected candidate who was
    interviewed still got further than one who was not). Sorted by profile, posting."""
    acc: dict[tuple[int, int], _Acc] = defaultdict(_Acc)
    stmt = select(
        MatchFeedback.profile_id,
        MatchFeedback.posting_id,
        MatchFeedback.event,
        MatchFeedback.position,
        MatchFeedback.ranker,
        MatchFeedback.at,
    ).order_by(MatchFeedback.at, MatchFeedback.id)
    if not include_sample:
        stmt = stmt.where(MatchFeedback.is_sample.is_(False))
    for profile_id, posting_id, event, position, ranker, at in session.execute(stmt):
        item = acc[(profile_id, posting_id)]
        item.label = max(item.label, EVENT_GRADES.get(event, 0))
        item.events = (item.events or set()) | {event}
        if position is not None:
            best = item.best_position
            item.best_position = position if best is None else min(best, position)
        if ranker is not None:
            item.ranker = ranker
        item.seen(at)
    reached: dict[int, set[str]] = defaultdict(set)
    for application_id, stage in session.execute(
        select(ApplicationEvent.application_id, ApplicationEvent.stage)
    ):
        reached[application_id].add(stage)
    apps = select(
        Application.id,
        Application.profile_id,
        Application.posting_id,
        Application.stage,
        Application.created_at,
        Application.updated_at,
    )
    if not include_sample:
        apps = apps.join(Profile, Profile.id == Application.profile_id).where(
            Profile.is_sample.is_(False)
        )
    for app_id, profile_id, posting_id, stage, created_at, updated_at in session.execute(apps):
        item = acc[(profile_id, posting_id)]
        item.stage = stage
        # A declined application keeps the grade of the furthest stage it reached.
        grades = [STAGE_GRADES.get(s, 0) for s in reached[app_id] | {stage}]
        item.label = max(item.label, STAGE_GRADES["applied"], *grades)
        item.seen(created_at)
        item.seen(updated_at)
    return [
        FeedbackPair(
            profile_id=profile_id,
            posting_id=posting_id,
            label=item.label,
            events=tuple(sorted(item.events or ())),
            stage=item.stage,
            best_position=item.best_position,
            ranker=item.ranker,
            first_at=item.first_at or utcnow(),
            last_at=item.last_at or utcnow(),
        )
        for (profile_id, posting_id), item in sorted(acc.items())
    ]


@dataclass(frozen=True)
class FeedbackCounts:
    """How much feedback there is, and whether it is enough to train a ranker on.

    A query (a profile's "jobs for me" list, or a posting's candidate list) is useful for
    learning to rank only when its pairs carry at least two different labels.
    """

    events: dict[str, int]
    pairs: int
    positive_pairs: int  # label >= 2: applied, invited or further
    profiles_with_contrast: int
    postings_with_contrast: int

    def enough(self, *, min_positive_pairs: int = 200, min_queries: int = 30) -> bool:
        """Whether a learning-to-rank model may be trained: enough positive pairs and
        enough queries with contrast on the side with the most of them."""
        queries = max(self.profiles_with_contrast, self.postings_with_contrast)
        return self.positive_pairs >= min_positive_pairs and queries >= min_queries


def feedback_counts(session: Session, *, include_sample: bool = True) -> FeedbackCounts:
    """Counts of events by kind, of labelled pairs and of queries with contrast."""
    stmt = select(MatchFeedback.event)
    if not include_sample:
        stmt = stmt.where(MatchFeedback.is_sample.is_(False))
    events = Counter(session.scalars(stmt))
    pairs = feedback_pairs(session, include_sample=include_sample)
    by_profile: dict[int, set[int]] = defaultdict(set)
    by_posting: dict[int, set[int]] = defaultdict(set)
    for pair in pairs:
        by_profile[pair.profile_id].add(pair.label)
        by_posting[pair.posting_id].add(pair.label)
    return FeedbackCounts(
        events={event: events.get(event, 0) for event in EVENTS},
        pairs=len(pairs),
        positive_pairs=sum(1 for p in pairs if p.label >= 2),
        profiles_with_contrast=sum(1 for labels in by_profile.values() if len(labels) > 1),
        postings_with_contrast=sum(1 for labels in by_posting.values() if len(labels) > 1),
    )
