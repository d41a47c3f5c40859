"""Which college offers which major, its named directions (专业方向), and yearly cohorts."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from talentbridge.pipeline.readers import SourceRow
from talentbridge.pipeline.runs import ImportRecorder, ImportReport, Progress, run_import
from talentbridge.store.tables import Cohort, CollegeMajor, Direction, Major, Organization
from talentbridge.taxonomy.majors import CATALOG, parse_level

MIN_YEAR, MAX_YEAR = 1950, 2100
MAX_HEADCOUNT = 100_000
OFFERING_COLUMNS = (
    "college_code",
    "major_level",
    "major_code",
    "direction_zh",
    "direction_en",
    "start_year",
)
COHORT_COLUMNS = (
    "college_code",
    "major_level",
    "major_code",
    "direction_zh",
    "year",
    "enrolled",
    "graduated",
)


class _Reject(Exception):
    def __init__(self, column: str, reason: str) -> None:
        super().__init__(reason)
        self.column = column
        self.reason = reason


def _int(row: SourceRow, column: str, low: int, high: int, *, required: bool) -> int | None:
    text = row.get(column).replace(",", "")
    if not text:
        if required:
            raise _Reject(column, "value is missing")
        return None
    try:
        value = int(text)
    except ValueError:
        raise _Reject(column, f"{text!r} is not a whole number") from None
    if not low <= value <= high:
        raise _Reject(column, f"{value} is outside {low}–{high}")
    return value


@dataclass
class _Lookup:
    """Colleges and majors loaded once per import (no query per row)."""

    colleges: dict[str, Organization]
    majors: dict[tuple[str, str], Major]
    offerings: dict[tuple[int, int], CollegeMajor]
    directions: dict[tuple[int, str], Direction]

    @classmethod
    def load(cls, session: Session) -> _Lookup:
        offerings = {
            (cm.organization_id, cm.major_id): cm for cm in session.scalars(select(CollegeMajor))
        }
        return cls(
            colleges={o.code: o for o in session.scalars(select(Organization))},
            majors={
                (m.level, m.code): m
                for m in session.scalars(select(Major).where(Major.catalog == CATALOG))
            },
            offerings=offerings,
            directions={
                (d.college_major_id, d.name_zh): d for d in session.scalars(select(Direction))
            },
        )

    def college(self, row: SourceRow) -> Organization:
        code = row.get("college_code")
        college = self.colleges.get(code)
        if college is None:
            raise _Reject("college_code", f"unknown organization {code!r}")
        if college.kind != "college":
            raise _Reject("college_code", f"{code} is a {college.kind}, not a college")
        return college

    def major(self, row: SourceRow) -> Major:
        level = parse_level(row.get("major_level"))
        if level is None:
            raise _Reject("major_level", f"unknown level {row.get('major_level')!r}")
        code = row.get("major_code").upper()
        major = self.majors.get((level, code))
        if major is None:
            raise _Reject("major_code", f"unknown major {code!r} at level {level}")
        if major.item_level != "major":
            raise _Reject("major_code", f"{code} is a {major.item_level}, not a major")
        return major


def _process_offerings(session: Session, rows: Iterator[SourceRow], rec: ImportRecorder) -> None:
    lookup = _Lookup.load(session)
    seen: dict[tuple[str, str, str, str], SourceRow] = {}
    for row in rows:
        try:
            college = lookup.college(row)
            major = lookup.major(row)
            start_year = _int(row, "start_year", MIN_YEAR, MAX_YEAR, required=False)
        except _Reject as exc:
            rec.reject(row, exc.column, exc.reason)
            continue
        direction_zh = row.get("direction_zh")
        if len(direction_zh) > 100:
            rec.reject(row, "direction_zh", "direction name is longer than 100 characters")
            continue
        key = (college.code, major.level, major.code, direction_zh)
        if key in seen:
            if seen[key].values == row.values:
                rec.duplicate()
            else:
                rec.reject(row, "major_code", f"repeats row {seen[key].row_number}")
            continue
        seen[key] = row
        changed = False
        offering = lookup.offerings.get((college.id, major.id))
        if offering is None:
            offering = CollegeMajor(
                organization_id=college.id,
                major_id=major.id,
                start_year=None if direction_zh else start_year,
                import_run_id=rec.run_id,
            )
            session.add(offering)
            session.flush()
            lookup.offerings[(college.id, major.id)] = offering
            changed = True
        elif not direction_zh and offering.start_year != start_year:
            offering.start_year = start_year
            offering.import_run_id = rec.run_id
            changed = True
        if direction_zh:
            direction_en = row.get("direction_en") or None
            direction = lookup.directions.get((offering.id, direction_zh))
            if direction is None:
                direction = Direction(
                    college_major_id=offering.id,
                    name_zh=direction_zh,
                    name_en=direction_en,
                    start_year=start_year,
                )
                session.add(direction)
                lookup.directions[(offering.id, direction_zh)] = direction
                changed = True
            elif (direction.name_en, direction.start_year) != (direction_en, start_year):
                direction.name_en = direction_en
                direction.start_year = start_year
                changed = True
        if changed:
            rec.stored()
        else:
            rec.unchanged()


def import_college_majors(
    factory: sessionmaker[Session],
    path: Path,
    *,
    user_id: int | None = None,
    rejects_dir: Path | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import offerings: one row per college major, or per direction inside it."""
    return run_import(
        factory,
        path,
        kind="college_majors",
        required=("college_code", "major_level", "major_code"),
        process=_process_offerings,
        user_id=user_id,
        rejects_dir=rejects_dir,
        progress=progress,
    )


def _process_cohorts(session: Session, rows: Iterator[SourceRow], rec: ImportRecorder) -> None:
    lookup = _Lookup.load(session)
    existing = {
        (c.college_major_id, c.direction_key, c.year): c for c in session.scalars(select(Cohort))
    }
    seen: dict[tuple[int, int, int], SourceRow] = {}
    for row in rows:
        try:
            college = lookup.college(row)
            major = lookup.major(row)
            year = _int(row, "year", MIN_YEAR, MAX_YEAR, required=True)
            enrolled = _int(row, "enrolled", 0, MAX_HEADCOUNT, required=False)
            graduated = _int(row, "graduated", 0, MAX_HEADCOUNT, required=False)
            if enrolled is None and graduated is None:
                raise _Reject("enrolled", "both enrolled and graduated are empty")
            offering = lookup.offerings.get((college.id, major.id))
            if offering is None:
                raise _Reject(
                    "major_code",
                    f"{college.code} does not offer {major.level} major {major.code}; "
                    "import college majors first",
                )
            direction: Direction | None = None
            direction_zh = row.get("direction_zh")
            if direction_zh:
                direction = lookup.directions.get((offering.id, direction_zh))
                if direction is None:
                    raise _Reject(
                        "direction_zh", f"{direction_zh!r} is not a direction of this college major"
                    )
        except _Reject as exc:
            rec.reject(row, exc.column, exc.reason)
            continue
        assert year is not None
        direction_key = direction.id if direction is not None else 0
        key = (offering.id, direction_key, year)
        if key in seen:
            if seen[key].values == row.values:
                rec.duplicate()
            else:
                rec.reject(row, "year", f"repeats row {seen[key].row_number}")
            continue
        seen[key] = row
        cohort = existing.get(key)
        if cohort is None:
            session.add(
                Cohort(
                    college_major_id=offering.id,
                    direction_id=direction.id if direction is not None else None,
                    direction_key=direction_key,
                    year=year,
                    enrolled=enrolled,
                    graduated=graduated,
                    import_run_id=rec.run_id,
                )
            )
            rec.stored()
        elif (cohort.enrolled, cohort.graduated) != (enrolled, graduated):
            cohort.enrolled = enrolled
            cohort.graduated = graduated
            cohort.import_run_id = rec.run_id
            rec.stored()
        else:
            rec.unchanged()


def import_cohorts(
    factory: sessionmaker[Session],
    path: Path,
    *,
    user_id: int | None = None,
    rejects_dir: Path | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import yearly enrollment and graduate counts per college major (or direction)."""
    return run_import(
        factory,
        path,
        kind="cohorts",
        required=("college_code", "major_level", "major_code", "year"),
        process=_process_cohorts,
        user_id=user_id,
        rejects_dir=rejects_dir,
        progress=progress,
    )


def offerings_of(session: Session, organization_id: int) -> list[CollegeMajor]:
    """A college's majors (with their directions loaded), ordered by major level and code."""
    query = (
        select(CollegeMajor)
        .join(Major, Major.id == CollegeMajor.major_id)
        .where(CollegeMajor.organization_id == organization_id)
        .options(selectinload(CollegeMajor.directions))
        .order_by(Major.level, Major.code)
    )
    return list(session.scalars(query))


def colleges_offering(session: Session, major_id: int) -> list[Organization]:
    """The colleges that offer ``major_id``, by code."""
    query = (
        select(Organization)
        .join(CollegeMajor, CollegeMajor.organization_id == Organization.id)
        .where(CollegeMajor.major_id == major_id)
        .order_by(Organization.code)
    )
    return list(session.scalars(query))


def cohorts_of(session: Session, college_major_id: int) -> list[Cohort]:
    query = (
        select(Cohort)
        .where(Cohort.college_major_id == college_major_id)
        .order_by(Cohort.year, Cohort.direction_key)
    )
    return list(session.scalars(query))
