"""Read-only lookups the web shell and CLI need: organizations, majors, occupations,
import runs, cohort totals and store facts. Writes belong to the registry package."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from talentbridge.errors import NotFound
from talentbridge.store.tables import (
    Cohort,
    CollegeMajor,
    ImportRun,
    Major,
    Occupation,
    Organization,
    Setting,
)

SAMPLE_DATA_KEY = "sample_data"


def list_organizations(session: Session, *, kind: str | None = None) -> list[Organization]:
    stmt = select(Organization).order_by(Organization.kind, Organization.code)
    if kind is not None:
        stmt = stmt.where(Organization.kind == kind)
    return list(session.scalars(stmt))


def get_organization(session: Session, organization_id: int) -> Organization | None:
    return session.get(Organization, organization_id)


def get_organization_by_code(session: Session, code: str) -> Organization:
    org = session.scalars(select(Organization).where(Organization.code == code)).one_or_none()
    if org is None:
        raise NotFound(f"no organization with code {code!r}; list them with the web admin page")
    return org


def list_majors(
    session: Session,
    *,
    level: str | None = None,
    q: str | None = None,
    item_level: str | None = None,
    limit: int = 500,
) -> list[Major]:
    """Catalog rows, filtered by level (secondary/associate/bachelor), item level and a
    substring of the code or either name."""
    stmt = select(Major).order_by(Major.level, Major.code).limit(limit)
    if level:
        stmt = stmt.where(Major.level == level)
    if item_level:
        stmt = stmt.where(Major.item_level == item_level)
    if q:
        pattern = f"%{q.strip()}%"
        stmt = stmt.where(
            or_(Major.code.like(pattern), Major.name_zh.like(pattern), Major.name_en.like(pattern))
        )
    return list(session.scalars(stmt))


def count_majors_by_level(session: Session) -> dict[str, int]:
    """Number of majors (item level ``major``) per catalog level."""
    stmt = (
        select(Major.level, func.count())
        .where(Major.item_level == "major")
        .group_by(Major.level)
        .order_by(Major.level)
    )
    return {level: n for level, n in session.execute(stmt)}


def list_occupations(session: Session, *, limit: int = 1000) -> list[Occupation]:
    return list(session.scalars(select(Occupation).order_by(Occupation.code).limit(limit)))


def count_occupations(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Occupation)) or 0


def list_import_runs(session: Session, *, limit: int = 50) -> list[ImportRun]:
    stmt = select(ImportRun).order_by(ImportRun.started_at.desc(), ImportRun.id.desc())
    return list(session.scalars(stmt.limit(limit)))


def holds_sample_data(session: Session) -> bool:
    """Whether the store says it holds generated sample data (示例数据)."""
    value = session.scalar(select(Setting.value).where(Setting.key == SAMPLE_DATA_KEY))
    return value is not None and value.strip().lower() == "true"


@dataclass(frozen=True)
class CohortTotal:
    major_id: int
    major_code: str
    major_name_zh: str
    major_name_en: str | None
    year: int
    enrolled: int
    graduated: int


def _cohort_cells(
    session: Session, organization_id: int | None
) -> dict[tuple[int, int, int], tuple[int, int]]:
    """(college_major, major, year) -> (enrolled, graduated): the whole-major row where
    there is one, else the sum over its directions (so nothing is counted twice)."""
    stmt = select(
        Cohort.college_major_id,
        CollegeMajor.major_id,
        Cohort.year,
        Cohort.direction_key,
        Cohort.enrolled,
        Cohort.graduated,
    ).join(CollegeMajor, CollegeMajor.id == Cohort.college_major_id)
    if organization_id is not None:
        stmt = stmt.where(CollegeMajor.organization_id == organization_id)
    whole: dict[tuple[int, int, int], tuple[int, int]] = {}
    parts: dict[tuple[int, int, int], list[int]] = defaultdict(lambda: [0, 0])
    for cm_id, major_id, year, direction_key, enrolled, graduated in session.execute(stmt):
        key = (cm_id, major_id, year)
        if direction_key == 0:
            whole[key] = (enrolled or 0, graduated or 0)
        else:
            parts[key][0] += enrolled or 0
            parts[key][1] += graduated or 0
    cells = {key: (e, g) for key, (e, g) in parts.items()}
    cells.update(whole)
    return cells


def enrollment_by_year(
    session: Session, *, organization_id: int | None = None
) -> list[tuple[int, int, int]]:
    """(year, enrolled, graduated) summed over all majors (of one college if given)."""
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for (_, _, year), (enrolled, graduated) in _cohort_cells(session, organization_id).items():
        totals[year][0] += enrolled
        totals[year][1] += graduated
    return [(year, e, g) for year, (e, g) in sorted(totals.items())]


def cohort_totals_by_major(
    session: Session, *, organization_id: int | None = None
) -> list[CohortTotal]:
    """Enrolled and graduated per catalog major and year (of one college if given)."""
    totals: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0])
    for (_, major_id, year), (enrolled, graduated) in _cohort_cells(
        session, organization_id
    ).items():
        totals[(major_id, year)][0] += enrolled
        totals[(major_id, year)][1] += graduated
    if not totals:
        return []
    majors = {
        m.id: m for m in session.scalars(select(Major).where(Major.id.in_({k[0] for k in totals})))
    }
    rows = [
        CohortTotal(
            major_id=major_id,
            major_code=majors[major_id].code,
            major_name_zh=majors[major_id].name_zh,
            major_name_en=majors[major_id].name_en,
            year=year,
            enrolled=e,
            graduated=g,
        )
        for (major_id, year), (e, g) in totals.items()
    ]
    return sorted(rows, key=lambda r: (r.major_code, r.year))
