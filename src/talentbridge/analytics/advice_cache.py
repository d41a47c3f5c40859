"""Advice cached in the process per state of the store (``cached_advise``).

A report is computed once per (store URL, demand-cube state, registry state,
parameters) and kept in a small LRU: the first view after a cube refresh or an import
computes, later views of the same region, college and settings are a look-up.

* The **cube state** is ``DemandState``'s version and refresh times: every
  ``cube.refresh`` changes them (as for the skill graph's cache).
* The **registry state** covers what supply is read from and what no cube refresh
  sees: the counts, largest ids and graduate sums of organisations, college majors,
  directions, cohorts, training plans, courses and their concepts, the 对口 relation,
  the concepts, and the newest import run. One statement of scalar sub-queries.

A cube never refreshed (filled by hand, as some tests do) has no state to key on and
is not cached. Cached reports hold only plain values (``CollegeRef``, ``ConceptInfo``),
never ORM objects, and callers must not change them.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from talentbridge.analytics.advice import AdviceReport, advise
from talentbridge.analytics.regions import CIRCLE, parse_region
from talentbridge.config import AdviceSettings
from talentbridge.store.demand_tables import DemandState
from talentbridge.store.tables import (
    Cohort,
    CollegeMajor,
    Concept,
    Direction,
    ImportRun,
    MajorOccupation,
    Organization,
)
from talentbridge.store.teaching_tables import Course, CourseConcept, TrainingPlan

CACHE_SIZE = 32  # reports kept per process (each some hundred kB at most)

_CACHE: OrderedDict[tuple[Any, ...], AdviceReport] = OrderedDict()
_LOCK = threading.Lock()


def store_stamp(session: Session) -> tuple[Any, ...] | None:
    """What identifies the data the advice reads; ``None`` before the cube's first
    refresh."""
    cube = session.execute(
        select(DemandState.version, DemandState.refreshed_at, DemandState.rebuilt_at).where(
            DemandState.id == 1
        )
    ).first()
    if cube is None or cube[1] is None:
        return None
    parts: list[Any] = []
    for table in (Organization, CollegeMajor, Direction, Cohort, TrainingPlan, Course, Concept):
        id_column = table.__table__.c.id
        parts += [
            select(func.count()).select_from(table).scalar_subquery(),
            select(func.max(id_column)).scalar_subquery(),
        ]
    parts += [
        select(func.sum(Cohort.graduated)).scalar_subquery(),
        select(func.count()).select_from(CourseConcept).scalar_subquery(),
        select(func.count()).select_from(MajorOccupation).scalar_subquery(),
        select(func.max(ImportRun.id)).scalar_subquery(),
    ]
    registry = tuple(session.execute(select(*parts)).one())
    url = session.get_bind().engine.url.render_as_string(hide_password=True)
    return (url, int(cube[0] or 0), str(cube[1]), str(cube[2]), registry)


def cached_advise(
    session: Session,
    *,
    region: str = CIRCLE,
    college_id: int | None = None,
    settings: AdviceSettings | None = None,
    with_forecast: bool = True,
    with_clusters: bool = True,
) -> AdviceReport:
    """``advise`` with the same arguments, from the cache when the store is unchanged."""
    settings = settings or AdviceSettings()
    region = parse_region(region).key
    stamp = store_stamp(session)
    params = (region, college_id, settings, with_forecast, with_clusters)
    key = (stamp, params)
    if stamp is not None:
        with _LOCK:
            found = _CACHE.get(key)
            if found is not None:
                _CACHE.move_to_end(key)
                return found
    report = advise(
        session,
        region=region,
        college_id=college_id,
        settings=settings,
        with_forecast=with_forecast,
        with_clusters=with_clusters,
    )
    if stamp is not None:
        with _LOCK:
            _CACHE[key] = report
            while len(_CACHE) > CACHE_SIZE:
                _CACHE.popitem(last=False)
    return report


def clear_cache() -> None:
    """Forget every cached report (benchmarks time the uncached path with it)."""
    with _LOCK:
        _CACHE.clear()
