"""Demo step: a synthetic recruiting history, so that recruiting efficiency and its
before/after comparison have something to show.

Over the 24 months up to ``today``, a sample of the enterprises' postings (about 16 a
month, and up to 3 more of the demo recruiter's organization) receive applications
(about 3,000 in all) from the demo's sample profiles (not the demo student's, whose
applications stay the few the matching step made), and each application moves through
the real stages (``applied`` → ``screened`` → ``interview`` → ``offer`` → ``hired``,
or ``declined`` on the way) with timestamped events, checked against the application
state machine (``matching.applications``).

**The effect is generated, not measured.** The demo's "matching switched on" date is
the first day of the month twelve months before ``today``'s month
(``demo_switch_date``; recorded in ``store_setting`` as ``matching_switch_date``).
For postings on or after that date the generator draws shorter waits for screening
(mean 3 days instead of 9) and for scheduling the interview (3 instead of 7); every
other probability and wait is the same on both sides. Any before/after difference the
demo shows comes from these two numbers and chance.

Rows are inserted directly (``Application``, ``ApplicationEvent``; a few thousand
through the services' one-flush-per-step would slow the demo build) and every event
carries the note ``SAMPLE_NOTE``; profiles and postings are sample records and the
store is flagged as sample data. Deterministic for a seed. Steps dated after the
build's ``now`` have not happened yet, so recent applications are still open.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from talentbridge.matching.applications import TRANSITIONS
from talentbridge.outcomes.recruiting_compare import SWITCH_DATE_KEY
from talentbridge.store.engine import transaction
from talentbridge.store.matching_tables import Application, ApplicationEvent
from talentbridge.store.tables import Organization, Posting, Profile, Setting

HISTORY_MONTHS = 24
SWITCH_MONTHS_AGO = 12
POSTINGS_PER_MONTH = 16
# The demo recruiter's organization gets a few more, so that its own before/after
# comparison (what a recruiter sees) has enough postings on each side.
RECRUITER_ORG_CODE = "DEMO-E001"
RECRUITER_POSTINGS_PER_MONTH = 3
MEAN_APPLICANTS = 8.0  # per posting (1 + a Poisson draw of mean 7)
SAMPLE_NOTE = "示例数据 synthetic recruiting history (generated, not measured)"

# Mean waits in days (exponential draws) before and after the switch. Only screening
# and interview scheduling differ: that is the demo's built-in effect.
WAIT_BEFORE: dict[str, float] = {"apply": 5.0, "screened": 9.0, "interview": 7.0,
                                 "offer": 4.0, "hired": 3.0, "declined": 6.0}  # fmt: skip
WAIT_AFTER: dict[str, float] = WAIT_BEFORE | {"screened": 3.0, "interview": 3.0}
# Chance to move on from each stage (the same on both sides).
P_NEXT: dict[str, float] = {"applied": 0.5, "screened": 0.55, "interview": 0.45, "offer": 0.8}
P_REJECT = 0.7  # otherwise declined by the employer (else it stays open)


@dataclass(frozen=True)
class RecruitingHistory:
    switch_date: dt.date
    postings: int
    applications: int
    events: int
    hires: int

    def summary(self) -> str:
        return (
            f"示例招聘记录 synthetic recruiting history: {self.applications} applications to "
            f"{self.postings} postings, {self.hires} hires, {self.events} steps; demo "
            f"'matching switched on' date {self.switch_date.isoformat()} (faster screening "
            "after it is generated, not measured)"
        )


def demo_switch_date(today: dt.date) -> dt.date:
    """The first day of the month ``SWITCH_MONTHS_AGO`` months before ``today``'s."""
    index = today.year * 12 + today.month - 1 - SWITCH_MONTHS_AGO
    return dt.date(index // 12, index % 12 + 1, 1)


def _history_start(today: dt.date) -> dt.date:
    index = today.year * 12 + today.month - 1 - (HISTORY_MONTHS - 1)
    return dt.date(index // 12, index % 12 + 1, 1)


def _poisson(rng: random.Random, mean: float) -> int:
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _wait(rng: random.Random, mean_days: float) -> dt.timedelta:
    """An exponential wait in whole minutes, at least an hour."""
    return dt.timedelta(minutes=max(60, round(rng.expovariate(1.0 / mean_days) * 1440)))


def application_path(
    rng: random.Random, created: dt.datetime, *, after: bool, now: dt.datetime
) -> list[tuple[str, dt.datetime]]:
    """The steps after ``applied`` of one synthetic application, up to ``now``."""
    waits = WAIT_AFTER if after else WAIT_BEFORE
    steps: list[tuple[str, dt.datetime]] = []
    stage, at = "applied", created
    while stage in P_NEXT:
        if rng.random() < P_NEXT[stage]:
            following = {"applied": "screened", "screened": "interview",
                         "interview": "offer", "offer": "hired"}[stage]  # fmt: skip
        elif stage == "offer" or rng.random() < P_REJECT:
            following = "declined"  # an offer not taken, or the employer says no
        else:
            break  # left open
        at = at + _wait(rng, waits[following])
        if at > now:
            break  # not happened yet
        assert following in TRANSITIONS[stage]  # the real state machine's moves only
        steps.append((following, at))
        stage = following
    return steps


def _chosen_postings(
    session: Session, rng: random.Random, start: dt.date, today: dt.date
) -> list[tuple[int, int, dt.date]]:
    """About ``POSTINGS_PER_MONTH`` enterprise postings a month, plus up to
    ``RECRUITER_POSTINGS_PER_MONTH`` more of the demo recruiter's organization."""
    recruiter_org = session.scalar(
        select(Organization.id).where(Organization.code == RECRUITER_ORG_CODE)
    )
    rows = session.execute(
        select(Posting.id, Posting.organization_id, Posting.posted_on)
        .where(
            Posting.organization_id.is_not(None),
            Posting.posted_on >= start,
            Posting.posted_on <= today,
            Posting.flag_count == 0,
        )
        .order_by(Posting.id)
    ).all()
    by_month: dict[str, list[tuple[int, int, dt.date]]] = {}
    for pid, org, posted in rows:
        assert org is not None and posted is not None
        by_month.setdefault(posted.strftime("%Y-%m"), []).append((pid, org, posted))
    chosen: list[tuple[int, int, dt.date]] = []
    for month in sorted(by_month):
        pool = by_month[month]
        picked = rng.sample(pool, min(POSTINGS_PER_MONTH, len(pool)))
        own = [p for p in pool if p[1] == recruiter_org and p not in picked]
        picked += rng.sample(own, min(RECRUITER_POSTINGS_PER_MONTH, len(own)))
        chosen += sorted(picked)
    return chosen


def seed_recruiting_history(
    factory: sessionmaker[Session], today: dt.date, *, seed: int = 2026
) -> RecruitingHistory:
    """Insert the synthetic recruiting history (see the module docstring)."""
    rng = random.Random(seed)
    switch = demo_switch_date(today)
    now = dt.datetime.combine(today, dt.time(12))
    with transaction(factory) as session:
        profiles = list(
            session.scalars(
                select(Profile.id)
                .where(Profile.is_sample, Profile.user_id.is_(None))  # not the demo student's
                .order_by(Profile.id)
            )
        )
        taken = set(session.execute(select(Application.profile_id, Application.posting_id)))
        postings = _chosen_postings(session, rng, _history_start(today), today)
        plans: list[tuple[Application, list[tuple[str, dt.datetime]]]] = []
        for posting_id, org_id, posted_on in postings:
            start = dt.datetime.combine(posted_on, dt.time(9))
            count = min(len(profiles), 1 + _poisson(rng, MEAN_APPLICANTS - 1))
            for profile_id in rng.sample(profiles, count):
                if (profile_id, posting_id) in taken:
                    continue
                created = start + _wait(rng, WAIT_BEFORE["apply"])
                if created > now:
                    continue
                steps = application_path(rng, created, after=posted_on >= switch, now=now)
                last_stage, last_at = steps[-1] if steps else ("applied", created)
                application = Application(
                    profile_id=profile_id,
                    posting_id=posting_id,
                    organization_id=org_id,
                    stage=last_stage,
                    origin="student",
                    declined_by=_declined_by(steps),
                    created_at=created,
                    updated_at=last_at,
                )
                plans.append((application, steps))
        session.add_all([application for application, _ in plans])
        session.flush()
        events = [
            ApplicationEvent(application_id=application.id, stage=stage, at=at, note=SAMPLE_NOTE)
            for application, steps in plans
            for stage, at in [("applied", application.created_at), *steps]
        ]
        session.add_all(events)
        session.merge(Setting(key=SWITCH_DATE_KEY, value=switch.isoformat(), updated_on=today))
        session.flush()
        hires = sum(1 for application, _ in plans if application.stage == "hired")
        return RecruitingHistory(
            switch, len({a.posting_id for a, _ in plans}), len(plans), len(events), hires
        )


def _declined_by(steps: list[tuple[str, dt.datetime]]) -> str | None:
    """An offer not taken is the student's decline; any other, the employer's."""
    if not steps or steps[-1][0] != "declined":
        return None
    return "student" if len(steps) > 1 and steps[-2][0] == "offer" else "employer"
