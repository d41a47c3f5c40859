"""Fairness audit: exposure in the top k by protected group (issue 6, item 6).

With ``matching.protected`` (the student import writes the table; a profile page reads
it for the platform admin and the student's college admin) the only module of
``matching`` that touches ``profile_protected``. Protected attributes (gender, age,
ethnicity, marital status, hukou, health) are never features of the engine; this report checks that the rankings do not disadvantage a group anyway (skills,
majors and wishes can stand in for one).

For a population of profiles (e.g. one college's students) and a set of postings, it
ranks the population for each posting with ``candidates_for`` and credits each listed
profile with the position-discounted exposure ``1 / log2(1 + rank)`` (rank 1 → 1.0,
rank 3 → 0.5). Per group of the chosen attribute: profiles, their share of the
population, their share of all exposure, and the ratio of the two (1.0: exposure in
proportion; below 1: under-exposed). Profiles with no recorded value form the group
``None``. Consent is not applied by default: the audit is of the ranking, not of who
chose to be visible. Opted-out profiles are never ranked, so they get no exposure.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from talentbridge.matching.engine import candidates_for
from talentbridge.matching.index import MatchIndex, index_for
from talentbridge.store.matching_tables import ProfileProtected

ATTRIBUTES = ("gender", "age", "ethnicity", "marital_status", "hukou_province", "health")
AGE_BAND_YEARS = 5
DEFAULT_POSTINGS = 500  # postings audited when none are given (evenly spread by id)


@dataclass(frozen=True)
class GroupExposure:
    group: str | None  # None: not recorded
    profiles: int
    population_share: float
    exposure: float
    exposure_share: float
    ratio: float | None  # exposure share ÷ population share


@dataclass(frozen=True)
class ExposureReport:
    attribute: str
    k: int
    postings: int  # candidate lists audited
    profiles: int  # population
    groups: list[GroupExposure]


def _group_of(attribute: str, row: ProfileProtected | None) -> str | None:
    if row is None:
        return None
    if attribute == "age":
        if row.birth_year is None:
            return None
        start = row.birth_year // AGE_BAND_YEARS * AGE_BAND_YEARS
        return f"{start}-{start + AGE_BAND_YEARS - 1}"
    if attribute == "health":
        return None if row.health_note is None else "noted"
    value = getattr(row, attribute)
    return None if value is None or value == "" else str(value)


def protected_groups(
    session: Session, profile_ids: Collection[int], attribute: str
) -> dict[int, str | None]:
    """The group of each profile for ``attribute`` (None where nothing is recorded)."""
    if attribute not in ATTRIBUTES:
        raise ValueError(f"unknown protected attribute {attribute!r}; one of {ATTRIBUTES}")
    wanted = sorted(set(profile_ids))
    rows: dict[int, ProfileProtected] = {}
    for start in range(0, len(wanted), 1000):
        chunk = wanted[start : start + 1000]
        for row in session.scalars(
            select(ProfileProtected).where(ProfileProtected.profile_id.in_(chunk))
        ):
            rows[row.profile_id] = row
    return {pid: _group_of(attribute, rows.get(pid)) for pid in wanted}


def _spread(ids: Sequence[int], limit: int) -> list[int]:
    if len(ids) <= limit:
        return list(ids)
    step = len(ids) / limit
    return [ids[int(i * step)] for i in range(limit)]


def exposure_report(
    source: Session | sessionmaker[Session],
    profiles: Collection[int] | None = None,
    *,
    k: int = 10,
    attribute: str = "gender",
    postings: Collection[int] | None = None,
    index: MatchIndex | None = None,
    require_consent: bool = False,
) -> ExposureReport:
    """Top-``k`` exposure of each ``attribute`` group of ``profiles`` (default: every
    profile) over the candidate lists of ``postings`` (default: up to
    ``DEFAULT_POSTINGS`` spread evenly by id)."""
    if isinstance(source, Session):
        return _report(source, profiles, k, attribute, postings, index, require_consent)
    with source() as session:
        return _report(session, profiles, k, attribute, postings, index, require_consent)


def _report(
    session: Session,
    profiles: Collection[int] | None,
    k: int,
    attribute: str,
    postings: Collection[int] | None,
    index: MatchIndex | None,
    require_consent: bool,
) -> ExposureReport:
    index = index or index_for(session)
    known = set(index.profiles.ids.tolist())
    population = sorted(known if profiles is None else set(profiles) & known)
    groups = protected_groups(session, population, attribute)
    chosen = (
        sorted(set(postings))
        if postings is not None
        else _spread(index.postings.ids.tolist(), DEFAULT_POSTINGS)
    )
    visible = frozenset(population)
    exposure: dict[str | None, float] = {}
    for posting_id in chosen:
        for match in candidates_for(
            index, posting_id, k=k, visible=visible, require_consent=require_consent
        ):
            if match.scored:
                group = groups[match.profile_id]
                exposure[group] = exposure.get(group, 0.0) + 1.0 / math.log2(1 + match.rank)
    counts = Counter(groups.values())
    total_exposure = sum(exposure.values())
    out = []
    for group in sorted(counts, key=lambda g: (g is None, g or "")):
        share = counts[group] / len(population)
        exposure_share = exposure.get(group, 0.0) / total_exposure if total_exposure else 0.0
        out.append(
            GroupExposure(
                group=group,
                profiles=counts[group],
                population_share=share,
                exposure=float(np.round(exposure.get(group, 0.0), 9)),
                exposure_share=exposure_share,
                ratio=exposure_share / share if share and total_exposure else None,
            )
        )
    return ExposureReport(attribute, k, len(chosen), len(population), out)
