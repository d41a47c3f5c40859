"""The demand cube: postings, skills and occupations pre-aggregated by region, month,
occupation, education and industry, so that dashboards never scan raw postings.

``refresh`` adds the postings stored since the last refresh (ids above the state's
watermark) to the cube tables of ``store.demand_tables`` in one transaction; it runs
after every posting import. ``rebuild`` empties the cube and counts every posting again;
``refresh`` does that by itself when the cube was marked stale (``mark_stale``, after a
re-extraction or a taxonomy edit) or when the count of postings at or below the
watermark no longer matches what was counted (postings deleted, or a concurrent import
that committed out of id order).

What is counted (decisions, see ``docs/demand.md``):

* a posting's month is ``posted_month``, else the month it was stored;
* openings are ``openings`` when stated, else 1 (a posting offers at least one job);
* pay is the midpoint of the monthly range (``analytics.bins.pay_of``); postings
  without a salary count in postings and openings but not in pay figures;
* a concept counts once per posting when it has at least one hit that is not negated;
  it is "preferred" when every such hit is preferred (优先);
* skill salary bins, occupation × skill counts and skill pairs are kept without the
  district level; skill pairs only for ``all`` and ``circle`` and per year.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import Table, delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from talentbridge.analytics.bins import bin_of, pay_of
from talentbridge.analytics.grouping import group_sums as _group
from talentbridge.analytics.regions import ALL, CIRCLE, region_keys
from talentbridge.store.demand_tables import (
    DemandCell,
    DemandOccupationSkill,
    DemandSalaryBin,
    DemandSkill,
    DemandSkillPair,
    DemandSkillSalaryBin,
    DemandState,
    DemandYear,
)
from talentbridge.store.engine import write_lock
from talentbridge.store.tables import Posting, PostingConcept, table_of, utcnow

CHUNK = 20_000  # postings read per step
WRITE_BATCH = 5_000  # rows per upsert statement batch
INDUSTRY_CHARS = 100

Counts = list[tuple[Any, ...]]  # key columns, then measures; each key once


@dataclass(frozen=True)
class RefreshReport:
    postings: int  # postings newly counted
    rebuilt: bool
    seconds: float
    version: int
    reason: str | None = None  # why it rebuilt


@dataclass
class _Batch:
    """Increments of one step, per cube table."""

    cells: Counts
    salary_bins: Counts
    skills: Counts
    skill_bins: Counts
    occupation_skills: Counts
    pairs: Counts
    years: Counts
    postings: int = 0
    sample: int = 0
    last_id: int = 0

    @classmethod
    def empty(cls) -> _Batch:
        return cls([], [], [], [], [], [], [])


# --- state ---------------------------------------------------------------------------


def get_state(session: Session) -> DemandState:
    state = session.get(DemandState, 1)
    if state is None:
        state = DemandState(id=1, posting_watermark=0, postings=0, sample_postings=0, version=0)
        session.add(state)
        session.flush()
    return state


def mark_stale(session: Session) -> None:
    """Have the next ``refresh`` rebuild the cube (postings' concepts changed)."""
    get_state(session).stale = True


# --- refresh -------------------------------------------------------------------------


def refresh(factory: sessionmaker[Session]) -> RefreshReport:
    """Count the postings stored since the last refresh (or rebuild when needed)."""
    started = time.perf_counter()
    with factory.begin() as session:
        write_lock(session, "demand_refresh")  # one refresh at a time: no double counts
        state = get_state(session)
        reason = _rebuild_reason(session, state)
        if reason:
            _clear(session)
            state.posting_watermark = state.postings = state.sample_postings = 0
        counted = _count_from(session, state)
        now = utcnow()
        if reason:
            state.stale = False
            state.rebuilt_at = now
        state.refreshed_at = now
        state.version = (state.version or 0) + 1
        version = state.version
    return RefreshReport(counted, bool(reason), time.perf_counter() - started, version, reason)


def rebuild(factory: sessionmaker[Session]) -> RefreshReport:
    """Empty the cube and count every posting again."""
    with factory.begin() as session:
        mark_stale(session)
    return refresh(factory)


def recount_after_reextraction(
    factory: sessionmaker[Session], changed: int
) -> RefreshReport | None:
    """After ``changed`` postings were re-extracted: rebuild the cube (their concepts
    changed under counts already made); nothing when none changed."""
    if not changed:
        return None
    return rebuild(factory)


def _rebuild_reason(session: Session, state: DemandState) -> str | None:
    if state.stale:
        return "marked stale"
    if state.posting_watermark:
        present = session.scalar(
            select(func.count()).select_from(Posting).where(Posting.id <= state.posting_watermark)
        )
        if present != state.postings:
            return f"{state.postings} postings were counted but {present} are stored"
    return None


def _clear(session: Session) -> None:
    for model in (
        DemandCell,
        DemandSalaryBin,
        DemandSkill,
        DemandSkillSalaryBin,
        DemandOccupationSkill,
        DemandSkillPair,
        DemandYear,
    ):
        session.execute(delete(model))


def _count_from(session: Session, state: DemandState) -> int:
    counted = 0
    while True:
        batch = _aggregate(session, after=state.posting_watermark, limit=CHUNK)
        if not batch.postings:
            return counted
        _write(session, batch)
        state.posting_watermark = batch.last_id
        state.postings = (state.postings or 0) + batch.postings
        state.sample_postings = (state.sample_postings or 0) + batch.sample
        counted += batch.postings


# --- one step: read and aggregate ------------------------------------------------------


_POSTING_COLUMNS = (
    Posting.id,
    Posting.posted_month,
    Posting.created_at,
    Posting.province_code,
    Posting.city_code,
    Posting.district_code,
    Posting.in_circle,
    Posting.occupation_id,
    Posting.education_level,
    Posting.industry,
    Posting.openings,
    Posting.salary_min,
    Posting.salary_max,
    Posting.is_sample,
)


class _Codes:
    """Strings (regions, months, industries) as small integers for numpy, and back."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.names: list[str] = []

    def __call__(self, name: str) -> int:
        found = self.ids.get(name)
        if found is None:
            found = self.ids[name] = len(self.names)
            self.names.append(name)
        return found


def _aggregate(session: Session, *, after: int, limit: int) -> _Batch:
    rows = session.execute(
        select(*_POSTING_COLUMNS).where(Posting.id > after).order_by(Posting.id).limit(limit)
    ).all()
    batch = _Batch.empty()
    if not rows:
        return batch
    last = rows[-1][0]
    _fill(batch, rows, _concepts_of(session, after, last))
    batch.postings = len(rows)
    batch.last_id = last
    return batch


def _concepts_of(session: Session, after: int, last: int) -> list[tuple[int, int, str]]:
    """(posting id, concept id, strength) of the not-negated hits, by posting."""
    return [
        (p, c, s)
        for p, c, s in session.execute(
            select(PostingConcept.posting_id, PostingConcept.concept_id, PostingConcept.strength)
            .where(
                PostingConcept.posting_id > after,
                PostingConcept.posting_id <= last,
                PostingConcept.negated.is_(False),
            )
            .order_by(PostingConcept.posting_id)
        )
    ]


def month_of(posted_month: str | None, created_at: dt.datetime | None) -> str:
    if posted_month:
        return posted_month
    return (created_at or utcnow()).strftime("%Y-%m")


def _fill(batch: _Batch, rows: Sequence[Any], hits: Sequence[tuple[int, int, str]]) -> None:
    """Aggregate one step's postings with numpy: every cube table is a group-by-sum over
    (posting × region) or (posting × concept × region) rows."""
    regions, months, industries = _Codes(), _Codes(), _Codes()
    size = len(rows)
    index = {row[0]: i for i, row in enumerate(rows)}
    month = np.empty(size, np.int64)
    occupation = np.empty(size, np.int64)
    education = np.empty(size, np.int64)
    industry = np.empty(size, np.int64)
    jobs = np.empty(size, np.int64)
    pay = np.zeros(size, np.int64)
    paid = np.zeros(size, np.int64)
    pay_bin = np.full(size, -1, np.int64)
    circle = np.zeros(size, bool)
    owners: list[int] = []  # (posting × region) rows: posting index …
    owned: list[int] = []  # … region code
    district: list[bool] = []  # … whether the region is a district
    for i, row in enumerate(rows):
        (_id, posted, created, province, city, dist, in_circle, occ, edu, ind, openings,
         salary_min, salary_max, is_sample) = row  # fmt: skip
        month[i] = months(month_of(posted, created))
        occupation[i] = occ or 0
        education[i] = -1 if edu is None else edu
        industry[i] = industries((ind or "").strip()[:INDUSTRY_CHARS])
        jobs[i] = openings if openings and openings > 0 else 1
        value = pay_of(salary_min, salary_max)
        if value is not None:
            pay[i], paid[i], pay_bin[i] = value, 1, bin_of(value)
        circle[i] = bool(in_circle)
        batch.sample += 1 if is_sample else 0
        for key in region_keys(province, city, dist, bool(in_circle)):
            owners.append(i)
            owned.append(regions(key))
            district.append(key.startswith("d:"))
    years = _Codes()
    year_of_month = np.array([years(m[:4]) for m in months.names], np.int64)
    year = year_of_month[month]
    sample = np.array([1 if row[13] else 0 for row in rows], np.int64)

    p = np.array(owners, np.int64)
    r = np.array(owned, np.int64)
    broad = ~np.array(district, bool)
    ones = np.ones(len(p), np.int64)
    batch.cells = _group(
        [r, month[p], occupation[p], education[p], industry[p]],
        [ones, jobs[p], paid[p], pay[p], sample[p]],
        [regions.names, months.names, None, None, industries.names],
    )
    has_pay = pay_bin[p] >= 0
    batch.salary_bins = _group(
        [r[has_pay], occupation[p][has_pay], month[p][has_pay], pay_bin[p][has_pay]],
        [ones[has_pay]],
        [regions.names, None, months.names, None],
    )
    batch.years = _group([r[broad], year[p][broad]], [ones[broad]], [regions.names, years.names])
    if not hits:
        return

    # one row per (posting, concept): preferred only when every hit is preferred
    pairs_pc: dict[tuple[int, int], bool] = {}
    for posting_id, concept_id, strength in hits:
        pc = (index[posting_id], concept_id)
        pairs_pc[pc] = pairs_pc.get(pc, True) and strength == "preferred"
    hp = np.fromiter((k[0] for k in pairs_pc), np.int64, len(pairs_pc))
    hc = np.fromiter((k[1] for k in pairs_pc), np.int64, len(pairs_pc))
    hpref = np.fromiter(pairs_pc.values(), np.int64, len(pairs_pc))

    # expand each (posting, concept) row over its posting's regions
    starts = np.searchsorted(p, np.arange(size))
    counts = np.bincount(p, minlength=size)
    reps = counts[hp]
    row = np.repeat(np.arange(len(hp)), reps)
    offset = np.arange(len(row)) - np.repeat(np.cumsum(reps) - reps, reps)
    slot = starts[hp][row] + offset
    sp, sc, sr, sb = hp[row], hc[row], r[slot], broad[slot]
    one = np.ones(len(sp), np.int64)
    batch.skills = _group(
        [sr, sc, month[sp]],
        [one, jobs[sp], hpref[row], paid[sp], pay[sp]],
        [regions.names, None, months.names],
    )
    bp, bc, br = sp[sb], sc[sb], sr[sb]
    batch.occupation_skills = _group(
        [br, occupation[bp], bc, month[bp]],
        [one[sb], paid[bp], pay[bp]],
        [regions.names, None, None, months.names],
    )
    with_pay = pay_bin[bp] >= 0
    batch.skill_bins = _group(
        [br[with_pay], bc[with_pay], month[bp][with_pay], pay_bin[bp][with_pay]],
        [one[sb][with_pay]],
        [regions.names, None, months.names, None],
    )
    batch.pairs = _pairs(hp, hc, year, circle, regions, years)


def _pairs(
    hp: np.ndarray, hc: np.ndarray, year: np.ndarray, circle: np.ndarray,
    regions: _Codes, years: _Codes,
) -> Counts:  # fmt: skip
    """Postings naming both concepts, for ``all`` and ``circle``, per year."""
    order = np.lexsort((hc, hp))
    hp, hc = hp[order], hc[order]
    # each row pairs with the rows after it in its posting's run: a row at position t of
    # a run of k rows makes k - t - 1 pairs
    size = len(hp)
    run_start = np.flatnonzero(np.r_[True, hp[1:] != hp[:-1]])
    run_length = np.diff(np.r_[run_start, size])
    position = np.arange(size) - np.repeat(run_start, run_length)
    later = np.repeat(run_length, run_length) - position - 1
    total = int(later.sum())
    if not total:
        return []
    first = np.repeat(np.arange(size), later)
    second = first + 1 + (np.arange(total) - np.repeat(np.cumsum(later) - later, later))
    a, b, owner = hc[first], hc[second], hp[first]
    everywhere = np.full(len(a), regions(ALL), np.int64)
    inside = circle[owner]
    keys = [
        np.concatenate([everywhere, np.full(int(inside.sum()), regions(CIRCLE), np.int64)]),
        np.concatenate([year[owner], year[owner][inside]]),
        np.concatenate([a, a[inside]]),
        np.concatenate([b, b[inside]]),
    ]
    ones = np.ones(len(keys[0]), np.int64)
    return _group(keys, [ones], [regions.names, years.names, None, None])


# --- one step: write ------------------------------------------------------------------


def _write(session: Session, batch: _Batch) -> None:
    _add(
        session,
        table_of(DemandCell),
        ("region", "month", "occupation_id", "education_level", "industry"),
        ("postings", "openings", "salary_n", "salary_sum", "sample"),
        batch.cells,
    )
    _add(
        session,
        table_of(DemandSalaryBin),
        ("region", "occupation_id", "month", "bin"),
        ("n",),
        batch.salary_bins,
    )
    _add(
        session,
        table_of(DemandSkill),
        ("region", "concept_id", "month"),
        ("postings", "openings", "preferred", "salary_n", "salary_sum"),
        batch.skills,
    )
    _add(
        session,
        table_of(DemandSkillSalaryBin),
        ("region", "concept_id", "month", "bin"),
        ("n",),
        batch.skill_bins,
    )
    _add(
        session,
        table_of(DemandOccupationSkill),
        ("region", "occupation_id", "concept_id", "month"),
        ("postings", "salary_n", "salary_sum"),
        batch.occupation_skills,
    )
    _add(
        session,
        table_of(DemandSkillPair),
        ("region", "year", "concept_a", "concept_b"),
        ("n",),
        batch.pairs,
    )
    _add(session, table_of(DemandYear), ("region", "year"), ("postings",), batch.years)


def _add(
    session: Session,
    table: Table,
    keys: Sequence[str],
    measures: Sequence[str],
    counts: Counts,
) -> None:
    """Add ``counts`` to ``table``: insert new keys, add to the measures of known ones."""
    if not counts:
        return
    dialect = session.get_bind().dialect
    marks = ", ".join(
        ["?" if dialect.paramstyle == "qmark" else "%s"] * (len(keys) + len(measures))
    )
    name = table.name
    sql = (
        f"INSERT INTO {name} ({', '.join([*keys, *measures])}) VALUES ({marks}) "
        f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET "
        + ", ".join(f"{m} = {name}.{m} + excluded.{m}" for m in measures)
    )  # the same statement in SQLite and PostgreSQL; table and column names are ours
    connection = session.connection()
    for start in range(0, len(counts), WRITE_BATCH):
        connection.exec_driver_sql(sql, counts[start : start + WRITE_BATCH])
