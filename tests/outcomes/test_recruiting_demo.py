"""The demo's synthetic recruiting history: legal stage paths, the generated switch
effect, sample notes, the switch date the store records, and what the comparison makes
of it."""

from __future__ import annotations

import datetime as dt
import random
import statistics

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from talentbridge.accounts.roles import Role
from talentbridge.config import Settings
from talentbridge.demo.recruiting_history import (
    RECRUITER_ORG_CODE,
    SAMPLE_NOTE,
    application_path,
    demo_switch_date,
    seed_recruiting_history,
)
from talentbridge.matching.applications import TRANSITIONS
from talentbridge.outcomes.recruiting_compare import compare_before_after, configured_switch_date
from talentbridge.store.matching_tables import Application, ApplicationEvent
from talentbridge.store.tables import Posting, Profile
from trackingtools import add_job, add_org, add_principal, add_profile

TODAY = dt.date(2026, 11, 29)
NOW = dt.datetime(2026, 11, 29, 12)


def test_switch_date_is_twelve_months_back() -> None:
    assert demo_switch_date(TODAY) == dt.date(2025, 11, 1)
    assert demo_switch_date(dt.date(2026, 1, 31)) == dt.date(2025, 1, 1)


def test_paths_follow_the_state_machine_and_stop_at_now() -> None:
    rng = random.Random(1)
    for i in range(2000):
        created = NOW - dt.timedelta(days=i % 90)
        steps = application_path(rng, created, after=bool(i % 2), now=NOW)
        stage, at = "applied", created
        for following, when in steps:
            assert following in TRANSITIONS[stage] and at < when <= NOW
            stage, at = following, when


def test_screening_is_generated_faster_after_the_switch() -> None:
    """The built-in, stated effect: mean wait to screening 9 days before, 3 after."""

    def waits(after: bool) -> list[float]:
        rng, out = random.Random(5), []
        created = dt.datetime(2020, 1, 1)
        for _ in range(3000):
            steps = application_path(rng, created, after=after, now=NOW)
            if steps and steps[0][0] == "screened":
                out.append((steps[0][1] - created).total_seconds() / 86400)
        return out

    before, after = statistics.mean(waits(False)), statistics.mean(waits(True))
    assert 8.0 < before < 10.0 and 2.5 < after < 3.5


def test_history_on_a_small_store(factory: sessionmaker[Session], settings: Settings) -> None:
    with factory.begin() as session:
        college = add_org(session, "college")
        own = add_org(session, "enterprise", RECRUITER_ORG_CODE)
        other = add_org(session, "enterprise")
        for _ in range(40):
            session.get_one(Profile, add_profile(session, college)).is_sample = True
        for month in range(24):  # two postings a month for each employer
            posted = dt.date(2024 + (11 + month) // 12, (11 + month) % 12 + 1, 3)
            for employer in (own, other, own, other):
                session.get_one(Posting, add_job(session, employer)).posted_on = posted
    history = seed_recruiting_history(factory, TODAY, seed=3)
    assert history.switch_date == dt.date(2025, 11, 1)
    assert history.postings == 96 and history.applications > 500 and history.hires > 20
    with factory() as session:
        events = session.execute(select(ApplicationEvent.note, ApplicationEvent.at)).all()
        assert len(events) == history.events
        assert all(note == SAMPLE_NOTE and at <= NOW for note, at in events)
        # an application's stage is its last event's
        last = (
            select(ApplicationEvent.stage)
            .where(ApplicationEvent.application_id == Application.id)
            .order_by(ApplicationEvent.at.desc(), ApplicationEvent.id.desc())
            .limit(1)
            .scalar_subquery()
        )
        assert session.scalar(select(func.count()).where(Application.stage != last)) == 0
        declined = session.execute(
            select(Application.declined_by).where(Application.stage == "declined")
        ).scalars()
        assert set(declined) == {"student", "employer"}
        assert configured_switch_date(session, settings) == dt.date(2025, 11, 1)
        admin = add_principal(session, Role.PLATFORM_ADMIN, None)
        c = compare_before_after(session, principal=admin, switch_date=history.switch_date)
        assert c.status == "ok" and c.synthetic is False  # the store flag is the build's
        assert c.efficiency_change is not None and c.efficiency_change > 0.15
        recruiter = add_principal(session, Role.RECRUITER, own)
        mine = compare_before_after(session, principal=recruiter, switch_date=history.switch_date)
        assert mine.employer_id == own and mine.before.n + mine.after.n > 0
