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
import itertools
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, delete, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, sessionmaker

from talentbridge.analytics.bins import bin_of, pay_of
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
from talentbridge.store.tables import Posting, PostingConcept, table_of, utcnow

CHUNK = 20_000  # postings read per step
WRITE_BATCH = 5_000  # rows per upsert statement batch
INDUSTRY_CHARS = 100

Counts = dict[tuple[Any, ...], list[int]]


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
    pairs: dict[tuple[Any, ...], int]
    years: Counts
    postings: int = 0
    sample: int = 0
    last_id: int = 0

    @classmethod
    def empty(cls) -> _Batch:
        return cls({}, {}, {}, {}, {}, {}, {})


def _bump(counts: Counts, key: tuple[Any, ...], values: Sequence[int]) -> None:
    found = counts.get(key)
    if found is None:
        counts[key] = list(values)
    else:
        for i, v in enumerate(values):
            found[i] += v


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


def _aggregate(session: Session, *, after: int, limit: int) -> _Batch:
    rows = session.execute(
        select(*_POSTING_COLUMNS).where(Posting.id > after).order_by(Posting.id).limit(limit)
    ).all()
    batch = _Batch.empty()
    if not rows:
        return batch
    last = rows[-1][0]
    concepts = _concepts_of(session, after, last)
    for row in rows:
        _add_posting(batch, row, concepts.get(row[0], {}))
    batch.postings = len(rows)
    batch.last_id = last
    return batch


def _concepts_of(session: Session, after: int, last: int) -> dict[int, dict[int, bool]]:
    """posting id → {concept id: preferred only} over the not-negated hits."""
    out: dict[int, dict[int, bool]] = {}
    rows = session.execute(
        select(PostingConcept.posting_id, PostingConcept.concept_id, PostingConcept.strength).where(
            PostingConcept.posting_id > after,
            PostingConcept.posting_id <= last,
            PostingConcept.negated.is_(False),
        )
    )
    for posting_id, concept_id, strength in rows:
        found = out.setdefault(posting_id, {})
        preferred = strength == "preferred"
        found[concept_id] = found.get(concept_id, True) and preferred
    return out


def month_of(posted_month: str | None, created_at: dt.datetime | None) -> str:
    if posted_month:
        return posted_month
    return (created_at or utcnow()).strftime("%Y-%m")


def _add_posting(batch: _Batch, row: Any, concepts: dict[int, bool]) -> None:
    (
        _id,
        posted_month,
        created_at,
        province,
        city,
        district,
        in_circle,
        occupation,
        education,
        industry,
        openings,
        salary_min,
        salary_max,
        is_sample,
    ) = row
    month = month_of(posted_month, created_at)
    year = month[:4]
    occupation = occupation or 0
    education = -1 if education is None else education
    industry = (industry or "").strip()[:INDUSTRY_CHARS]
    jobs = openings if openings and openings > 0 else 1
    pay = pay_of(salary_min, salary_max)
    paid, pay_sum = (1, pay) if pay is not None else (0, 0)
    pay_bin = bin_of(pay) if pay is not None else None
    sample = 1 if is_sample else 0
    batch.sample += sample
    keys = region_keys(province, city, district, bool(in_circle))
    broad = [k for k in keys if not k.startswith("d:")]
    cell_values = (1, jobs, paid, pay_sum, sample)
    for region in keys:
        _bump(batch.cells, (region, month, occupation, education, industry), cell_values)
        if pay_bin is not None:
            _bump(batch.salary_bins, (region, occupation, month, pay_bin), (1,))
    for region in broad:
        _bump(batch.years, (region, year), (1,))
    if not concepts:
        return
    for concept, preferred in concepts.items():
        skill_values = (1, jobs, 1 if preferred else 0, paid, pay_sum)
        for region in keys:
            _bump(batch.skills, (region, concept, month), skill_values)
        for region in broad:
            _bump(batch.occupation_skills, (region, occupation, concept, month), (1, paid, pay_sum))
            if pay_bin is not None:
                _bump(batch.skill_bins, (region, concept, month, pay_bin), (1,))
    ordered = sorted(concepts)
    for region in (ALL, CIRCLE) if in_circle else (ALL,):
        pairs = batch.pairs
        for a, b in itertools.combinations(ordered, 2):
            key = (region, year, a, b)
            pairs[key] = pairs.get(key, 0) + 1


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
    pairs = {key: [n] for key, n in batch.pairs.items()}
    _add(
        session,
        table_of(DemandSkillPair),
        ("region", "year", "concept_a", "concept_b"),
        ("n",),
        pairs,
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
    insert = sqlite_insert if session.get_bind().dialect.name == "sqlite" else pg_insert
    base = insert(table)
    statement = base.on_conflict_do_update(
        index_elements=list(keys),
        set_={m: table.c[m] + base.excluded[m] for m in measures},
    )
    rows = (
        dict(zip(keys, key, strict=True)) | dict(zip(measures, values, strict=True))
        for key, values in counts.items()
    )
    for chunk in _batched(rows, WRITE_BATCH):
        session.execute(statement, chunk)


def _batched(rows: Iterable[dict[str, Any]], size: int) -> Iterable[list[dict[str, Any]]]:
    iterator = iter(rows)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk
