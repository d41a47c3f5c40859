"""Demo step: synthetic library usage so the statistics dashboard has something to show.

The demo users (platform admin, college admin, teacher, student, recruiter, analyst) view,
download and search the published sample resources over the ~18 months up to ``today``,
through the same ``library.usage.record_*`` calls the web pages make. Activity grows over
time, is lower at weekends and in the winter and summer breaks, and differs by role. The
zero-hit searches are topics the sample resources do not cover. Everything is
deterministic (seeded) and the store is flagged as sample data, so the dashboard labels
these events synthetic.
"""

from __future__ import annotations

import datetime as dt
import math
import random

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from talentbridge.accounts.policy import Principal
from talentbridge.library.seed import LIBRARIES
from talentbridge.library.usage import record_download, record_search, record_view
from talentbridge.store.engine import transaction
from talentbridge.store.library_tables import Library, Resource
from talentbridge.store.tables import User

DAYS = 548  # about 18 months
# Mean events a day at full adoption, by demo user.
RATES: dict[str, float] = {
    "demo-student": 3.0,
    "demo-teacher": 2.0,
    "demo-college": 0.8,
    "demo-analyst": 0.5,
    "demo-admin": 0.3,
    "demo-recruiter": 0.1,
}
# Topics the sample resources do not cover: searches that find nothing.
MISSING = (
    "危险品包装",
    "RCEP原产地累积规则",
    "electronic bill of lading",
    "冷链温度记录仪",
    "海外仓退货",
    "dangerous goods declaration",
    "中欧班列运单",
)


def _principals(session: Session) -> dict[str, Principal]:
    users = session.scalars(select(User).where(User.username.in_(RATES)))
    return {user.username: Principal.of(user) for user in users}


def _season(day: dt.date) -> float:
    if day.month in (1, 2, 7, 8):  # winter and summer breaks
        return 0.45
    return 0.5 if day.weekday() >= 5 else 1.0


def _count(rng: random.Random, mean: float) -> int:
    """A Poisson draw (Knuth; means here are small)."""
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def seed_usage_demo(factory: sessionmaker[Session], today: dt.date, *, seed: int = 2026) -> str:
    """Record synthetic usage events for the demo users; a one-line summary."""
    rng = random.Random(seed)
    counts = {"view": 0, "download": 0, "search": 0}
    with transaction(factory) as session:
        people = _principals(session)
        resources = list(
            session.scalars(
                select(Resource).where(Resource.status == "published").order_by(Resource.id)
            )
        )
        if not people or not resources:
            return "no demo users or published resources: no usage events"
        libraries = {lib.code: lib.id for lib in session.scalars(select(Library))}
        topics = [
            (libraries.get(seed_.code), phrase)
            for seed_ in LIBRARIES
            for pair in seed_.topics
            for phrase in pair
        ]
        popular = [1.0 / (rank + 1) ** 0.7 for rank in range(len(resources))]
        rng.shuffle(popular)
        for offset in range(DAYS - 1, -1, -1):
            day = today - dt.timedelta(days=offset)
            growth = 0.3 + 0.7 * (DAYS - offset) / DAYS
            for username, rate in RATES.items():
                principal = people.get(username)
                if principal is None:
                    continue
                for _ in range(_count(rng, rate * growth * _season(day))):
                    at = dt.datetime.combine(day, dt.time(rng.randrange(8, 23), rng.randrange(60)))
                    roll = rng.random()
                    if roll < 0.3:
                        if rng.random() < 0.2:
                            library_id, query, hits = None, rng.choice(MISSING), 0
                            if rng.random() < 0.5:
                                library_id = rng.choice(list(libraries.values()))
                        else:
                            library_id, query = rng.choice(topics)
                            hits = rng.randint(1, 6)
                        record_search(session, principal=principal, query=query, hits=hits,
                                      library_id=library_id, at=at)  # fmt: skip
                        counts["search"] += 1
                        continue
                    resource = rng.choices(resources, weights=popular)[0]
                    record_view(session, principal=principal, resource=resource, at=at)
                    counts["view"] += 1
                    if roll > 0.8:
                        record_download(session, principal=principal, resource=resource, at=at)
                        counts["download"] += 1
    return (
        f"synthetic library usage: {counts['view']} views, {counts['download']} downloads, "
        f"{counts['search']} searches by the demo users over {DAYS} days"
    )
