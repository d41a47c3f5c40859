"""Feedback events: validation, view dedup, graded labels and the "enough feedback" counts."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from talentbridge.errors import NotFound
from talentbridge.matching import feedback
from talentbridge.matching.feedback import FeedbackError, feedback_counts, feedback_pairs
from talentbridge.store.matching_tables import Application, ApplicationEvent, MatchFeedback
from trackingtools import add_job, add_org, add_profile

T0 = dt.datetime(2026, 3, 1, 9, 0)


@pytest.fixture()
def world(session: Session) -> tuple[list[int], list[int]]:
    college = add_org(session, "college")
    employer = add_org(session, "enterprise")
    profiles = [add_profile(session, college) for _ in range(3)]
    postings = [add_job(session, employer) for _ in range(3)]
    return profiles, postings


def _rec(session: Session, profile: int, posting: int, event: str, **kw: object) -> bool:
    args: dict[str, object] = {"side": "student", "user_id": None, "at": T0}
    args.update(kw)
    result = feedback.record(
        session,
        profile_id=profile,
        posting_id=posting,
        event=event,
        **args,  # type: ignore[arg-type]
    )
    return result.created


def test_unknown_event_side_or_records_are_refused(
    session: Session, world: tuple[list[int], list[int]]
) -> None:
    (p, *_), (j, *_) = world
    with pytest.raises(FeedbackError):
        _rec(session, p, j, "like")
    with pytest.raises(FeedbackError):
        _rec(session, p, j, "view", side="college")
    with pytest.raises(FeedbackError):
        _rec(session, p, j, "view", position=0)
    with pytest.raises(NotFound):
        _rec(session, p + 999, j, "view")
    with pytest.raises(NotFound):
        _rec(session, p, j + 999, "view")
    assert session.scalar(select(func.count()).select_from(MatchFeedback)) == 0


def test_repeated_views_within_the_window_are_one_view(
    session: Session, world: tuple[list[int], list[int]]
) -> None:
    (p, q, _), (j, *_) = world
    assert _rec(session, p, j, "view", position=3, score=0.7, ranker="weights")
    assert not _rec(session, p, j, "view", at=T0 + dt.timedelta(minutes=10))
    assert not _rec(session, p, j, "view", at=T0 + feedback.VIEW_WINDOW - dt.timedelta(seconds=1))
    # Another side, another user, another profile, or after the window: new views.
    assert _rec(session, p, j, "view", side="employer")
    assert _rec(session, p, j, "view", user_id=None, side="employer", at=T0 + dt.timedelta(1))
    assert _rec(session, q, j, "view")
    assert _rec(session, p, j, "view", at=T0 + feedback.VIEW_WINDOW + dt.timedelta(minutes=1))
    # Saves are never folded together.
    assert _rec(session, p, j, "save") and _rec(session, p, j, "save")
    rows = session.scalars(select(MatchFeedback).order_by(MatchFeedback.id)).all()
    assert len(rows) == 7
    assert (rows[0].position, rows[0].score, rows[0].ranker) == (3, 0.7, "weights")


def test_labels_are_the_furthest_step_of_each_pair(
    session: Session, world: tuple[list[int], list[int]]
) -> None:
    (p, q, r), (j, k, m) = world
    _rec(session, p, j, "view", position=5)
    _rec(session, p, j, "save", position=2, ranker="weights")
    _rec(session, p, k, "view")
    _rec(session, p, k, "dismiss")
    _rec(session, q, j, "invite", side="employer")
    _rec(session, q, j, "dismiss")  # dismissing does not lower a label
    _rec(session, r, m, "view")
    # Applications count by the furthest stage reached, also when declined afterwards.
    offer = Application(profile_id=q, posting_id=k, stage="offer", created_at=T0, updated_at=T0)
    hired = Application(profile_id=r, posting_id=j, stage="hired", created_at=T0, updated_at=T0)
    gone = Application(profile_id=r, posting_id=k, stage="declined", created_at=T0, updated_at=T0)
    fresh = Application(profile_id=p, posting_id=m, stage="declined", created_at=T0, updated_at=T0)
    session.add_all([offer, hired, gone, fresh])
    session.flush()
    for stage in ("applied", "screened", "interview", "declined"):
        session.add(ApplicationEvent(application_id=gone.id, stage=stage, at=T0))
    session.flush()
    labels = {(x.profile_id, x.posting_id): x.label for x in feedback_pairs(session)}
    assert labels == {
        (p, j): 1,
        (p, k): 0,
        (p, m): 2,  # withdrawn straight after applying
        (q, j): 2,
        (q, k): 3,
        (r, j): 4,
        (r, k): 3,  # interviewed, then declined
        (r, m): 0,
    }
    first = feedback_pairs(session)[0]
    assert (first.profile_id, first.posting_id) == (p, j)
    assert first.events == ("save", "view") and first.best_position == 2
    assert first.ranker == "weights" and first.stage is None


def test_counts_say_when_there_is_enough_to_train(
    session: Session, world: tuple[list[int], list[int]]
) -> None:
    (p, q, r), (j, k, m) = world
    empty = feedback_counts(session)
    assert empty.pairs == 0 and not empty.enough(min_positive_pairs=1, min_queries=1)
    _rec(session, p, j, "apply")
    _rec(session, p, k, "view")
    _rec(session, q, j, "view")
    _rec(session, r, m, "hire", side="employer")
    counts = feedback_counts(session)
    assert counts.events["apply"] == 1 and counts.events["view"] == 2
    assert counts.events["interview"] == 0
    assert (counts.pairs, counts.positive_pairs) == (4, 2)
    assert counts.profiles_with_contrast == 1  # p: labels 2 and 0
    assert counts.postings_with_contrast == 1  # j: labels 2 and 0
    assert counts.enough(min_positive_pairs=2, min_queries=1)
    assert not counts.enough(min_positive_pairs=3, min_queries=1)
    assert not counts.enough(min_positive_pairs=2, min_queries=2)


def test_sample_feedback_can_be_left_out(
    session: Session, world: tuple[list[int], list[int]]
) -> None:
    (p, q, _), (j, *_) = world
    _rec(session, p, j, "apply", is_sample=True)
    _rec(session, q, j, "save")
    assert [x.profile_id for x in feedback_pairs(session, include_sample=False)] == [q]
    assert len(feedback_pairs(session)) == 2
