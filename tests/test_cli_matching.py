"""`talentbridge match jobs / candidates / explain` and `fair allocate`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchworld import World
from support import run_cli as run
from talentbridge.accounts.policy import Principal
from talentbridge.accounts.roles import Role
from talentbridge.config import Settings
from talentbridge.matching import fairs
from talentbridge.matching.index import clear_index_cache
from talentbridge.store.matching_tables import FairAssignment, FairInterview


@pytest.fixture(autouse=True)
def _fresh_index() -> Iterator[None]:
    clear_index_cache()
    yield
    clear_index_cache()


@pytest.fixture()
def world(session: Session) -> World:
    w = World(session)
    w.posting("报关员（示例）", ["报关", "英语"], occupation="报关员", flags=1)
    w.posting("仓储员（示例）", ["仓储管理", "叉车"], occupation="仓储员")
    w.profile(["报关", "英语"], cities=["510100"])
    w.profile(["仓储管理"], visible=False)
    session.commit()
    return w


def _ids(session: Session) -> tuple[list[int], list[int]]:
    from talentbridge.store.tables import Posting, Profile

    return (
        list(session.scalars(select(Posting.id).order_by(Posting.id))),
        list(session.scalars(select(Profile.id).order_by(Profile.id))),
    )


def test_match_jobs_ranks_and_marks_flags(
    settings: Settings, world: World, session: Session
) -> None:
    postings, profiles = _ids(session)
    code, out = run(settings, "match", "jobs", "--profile", str(profiles[0]))
    assert code == 0, out
    assert out.index("报关员（示例）") < out.index("仓储员（示例）")  # the fit first
    assert "⚑" in out  # the flagged posting is marked
    again = run(settings, "match", "jobs", "--profile", str(profiles[0]))[1]
    assert again == out  # deterministic
    code, out = run(
        settings, "match", "explain", "--profile", str(profiles[0]), "--posting", str(postings[0])
    )
    assert code == 0 and "matched" in out and "报关" in out and "primary" in out


def test_match_candidates_lists_only_consenting_profiles(
    settings: Settings, world: World, session: Session
) -> None:
    postings, profiles = _ids(session)
    code, out = run(settings, "match", "candidates", "--posting", str(postings[1]))
    assert code == 0, out
    from talentbridge.store.tables import Profile

    consenting, private = (session.get(Profile, pid) for pid in profiles)
    assert consenting is not None and private is not None
    assert consenting.name in out
    assert private.name not in out  # no consent: never listed


def test_acting_as_a_user_applies_their_rights(
    settings: Settings, world: World, session: Session
) -> None:
    from talentbridge.accounts.users import create_user

    create_user(session, username="ent-r", password="a-long-password-1", role="recruiter",
                organization_id=world.enterprise_id, display_name="r")  # fmt: skip
    session.commit()
    postings, profiles = _ids(session)
    code, out = run(settings, "match", "candidates", "--posting", str(postings[0]), "--as", "ent-r")
    assert code == 0, out
    code, out = run(settings, "match", "jobs", "--profile", str(profiles[0]), "--as", "ent-r")
    assert code == 1 and "not found" in out  # a recruiter never sees a student's jobs


def test_fair_allocate_runs_the_fair(settings: Settings, world: World, session: Session) -> None:
    postings, profiles = _ids(session)
    operator = Principal(0, Role.PLATFORM_ADMIN, None)
    fair = fairs.create_fair(session, operator, name_zh="示例·双选会", held_on=dt.date(2026, 12, 5),
                             organization_id=world.college_id, ends_at="10:00")  # fmt: skip
    for posting in postings:
        fairs.add_opening(session, operator, fair_id=fair.id, posting_id=posting, seats=1)
    for profile in profiles:
        fairs.register(session, operator, fair_id=fair.id, profile_id=profile)
    session.commit()
    code, out = run(settings, "fair", "allocate", str(fair.id))
    assert code == 0, out
    assert "blocking pairs" in out and "0 (0: stable)" in out
    session.expire_all()
    assigned = session.scalars(
        select(FairAssignment.profile_id).where(FairAssignment.fair_id == fair.id)
    ).all()
    assert sorted(assigned) == sorted(profiles)
    assert session.scalars(select(FairInterview.id)).all()
    code, out = run(settings, "fair", "allocate", "999999")
    assert code == 1 and "not found" in out


def test_ranker_train_list_activate_and_deactivate(settings: Settings, session: Session) -> None:
    from talentbridge.matching import feedback
    from talentbridge.store.matching_tables import RankerModel

    w = World(session)
    postings = [
        w.posting(
            f"岗位{n}（示例）",
            ["报关"] if n % 2 else ["仓储管理"],
            salary=(3000 + 900 * n, 4000 + 900 * n),
        )
        for n in range(10)
    ]
    profiles = [w.profile(["报关", "仓储管理"][: 1 + n % 2]) for n in range(8)]
    events = ("view", "save", "apply", "hire")
    for q in profiles:
        for n, p in enumerate(postings):
            feedback.record(session, profile_id=q, posting_id=p, event=events[min(3, n // 3)],
                            side="student", user_id=None)  # fmt: skip
    session.commit()
    code, out = run(settings, "ranker", "train", "--folds", "2", "--name", "test-model")
    assert code == 0, out
    assert "trained on 80 pairs" in out and "hand-set weights" in out
    model = session.scalars(select(RankerModel)).one()
    assert not model.active
    code, out = run(settings, "ranker", "list")
    assert code == 0 and "test-model" in out
    code, out = run(settings, "ranker", "evaluate", "--folds", "2")
    assert code == 0 and "NDCG@10" in out
    code, out = run(settings, "ranker", "activate", str(model.id))
    session.expire_all()
    if code == 0:  # better offline: switched on
        assert session.get(RankerModel, model.id).active  # type: ignore[union-attr]
    else:  # refused, with both figures
        assert "not better" in out and not session.get(RankerModel, model.id).active  # type: ignore[union-attr]
    code, out = run(settings, "ranker", "deactivate")
    assert code == 0
    session.expire_all()
    assert not any(m.active for m in session.scalars(select(RankerModel)))
    assert run(settings, "ranker", "activate", "9999")[0] == 1
