"""Placement records behind the outcome figures (drill-down): a filtered, paged list and
one record's detail.

Who may see records is ``accounts.outcomes_policy.can_view_placement_records``: the
platform admin (every college) and a college admin (their own college). Everyone else —
teachers, analysts, recruiters, students — gets ``Forbidden`` for the list and
``NotFound`` for a single record (nothing leaks); they see aggregates only. Every read
of records is audited (``accounts.audit``), as reads of a person's record are.

``related`` classifies the occupation of a graduate in work (employed, self-employed,
flexible: the population of the 对口 indicator, ``outcomes.population.IN_WORK``) against
their major through the major → occupation relation: ``related``, ``unrelated``, or
``unclassified`` when no occupation code resolved or the graduate has no major.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from talentbridge.accounts.audit import read_purpose, record_event, record_reads
from talentbridge.accounts.outcomes_policy import can_view_placement_records
from talentbridge.accounts.principal import Principal
from talentbridge.accounts.roles import Role
from talentbridge.errors import Forbidden, NotFound
from talentbridge.outcomes.population import IN_WORK
from talentbridge.store.outcomes_tables import DESTINATIONS, Placement
from talentbridge.store.tables import (
    CollegeMajor,
    Direction,
    ImportRun,
    Major,
    MajorOccupation,
    Occupation,
    Organization,
    Profile,
)

MAX_LIMIT = 500
RELATED = ("related", "unrelated", "unclassified")


@dataclass(frozen=True)
class PlacementFilters:
    """What the drill-down narrows to (``None``: any)."""

    college_id: int | None = None
    graduation_year: int | None = None
    major_id: int | None = None
    direction_id: int | None = None
    destination: str | None = None
    related: str | None = None  # related | unrelated | unclassified
    in_circle: bool | None = None
    abroad: bool | None = None
    division_prefix: str | None = None  # e.g. "51" Sichuan, "5101" Chengdu
    source: str | None = None  # import | matching


@dataclass(frozen=True)
class PlacementRow:
    id: int
    profile_id: int
    organization_id: int
    college_code: str
    college_name: str
    student_no: str | None  # None for readers who may not see names
    graduate_name: str | None
    major_id: int | None
    major_code: str | None
    major_name: str | None
    direction_name: str | None
    graduation_year: int
    destination: str
    employer_name: str | None
    job_title: str | None
    occupation_code: str | None
    occupation_name: str | None
    related: str  # related | unrelated | unclassified
    place_text: str | None
    division_code: str | None
    in_circle: bool | None
    abroad: bool
    salary_monthly: int | None
    start_date: dt.date | None
    contract_signed: bool | None
    source: str
    is_sample: bool


@dataclass(frozen=True)
class PlacementPage:
    rows: list[PlacementRow]
    total: int
    limit: int
    offset: int


@dataclass(frozen=True)
class PlacementDetail:
    row: PlacementRow
    import_file: str | None  # the file it came from (source import)
    source_row: int | None
    application_id: int | None  # the hire it came from (source matching)
    updated_at: dt.datetime


def _records_college(principal: Principal, college_id: int | None) -> int | None:
    """The college the list is restricted to; ``Forbidden`` when records are not allowed."""
    if principal.role is Role.COLLEGE_ADMIN and college_id is None:
        college_id = principal.organization_id
    if not can_view_placement_records(principal, college_id):
        raise Forbidden("placement records are shown to the college's admin only")
    return college_id


def _related_expr() -> ColumnElement[str]:
    """SQL CASE: related / unrelated / unclassified for the joined placement and major."""
    linked = exists().where(
        and_(
            MajorOccupation.major_id == CollegeMajor.major_id,
            MajorOccupation.occupation_id == Placement.occupation_id,
        )
    )
    return case(
        (or_(Placement.occupation_id.is_(None), CollegeMajor.major_id.is_(None)), "unclassified"),
        (linked, "related"),
        else_="unrelated",
    )


def _base(related_col: ColumnElement[str]) -> Select[*tuple[Any, ...]]:
    college = aliased(Organization)
    return (
        select(
            Placement,
            Profile.student_no,
            Profile.name,
            Profile.graduation_year,
            college.code,
            college.name_zh,
            Major.id,
            Major.code,
            Major.name_zh,
            Direction.name_zh,
            Occupation.name_zh,
            related_col,
        )
        .join(Profile, Profile.id == Placement.profile_id)
        .join(college, college.id == Placement.organization_id)
        .outerjoin(CollegeMajor, CollegeMajor.id == Profile.college_major_id)
        .outerjoin(Major, Major.id == CollegeMajor.major_id)
        .outerjoin(Direction, Direction.id == Profile.direction_id)
        .outerjoin(Occupation, Occupation.id == Placement.occupation_id)
    )


def _filtered(
    stmt: Select[*tuple[Any, ...]], f: PlacementFilters, related_col: ColumnElement[str]
) -> Select[*tuple[Any, ...]]:
    if f.college_id is not None:
        stmt = stmt.where(Placement.organization_id == f.college_id)
    if f.graduation_year is not None:
        stmt = stmt.where(Profile.graduation_year == f.graduation_year)
    if f.major_id is not None:
        stmt = stmt.where(CollegeMajor.major_id == f.major_id)
    if f.direction_id is not None:
        stmt = stmt.where(Profile.direction_id == f.direction_id)
    if f.destination is not None:
        if f.destination not in DESTINATIONS:
            raise ValueError(f"unknown destination {f.destination!r}")
        stmt = stmt.where(Placement.destination == f.destination)
    if f.related is not None:
        if f.related not in RELATED:
            raise ValueError(f"unknown relatedness {f.related!r}")
        stmt = stmt.where(Placement.destination.in_(IN_WORK), related_col == f.related)
    if f.in_circle is not None:
        stmt = stmt.where(Placement.in_circle.is_(f.in_circle))
    if f.abroad is not None:
        stmt = stmt.where(Placement.abroad.is_(f.abroad))
    if f.division_prefix:
        stmt = stmt.where(Placement.division_code.startswith(f.division_prefix))
    if f.source is not None:
        stmt = stmt.where(Placement.source == f.source)
    return stmt


def _row(principal: Principal, values: tuple[Any, ...]) -> PlacementRow:
    (p, student_no, name, year, college_code, college_name, major_id, major_code, major_name,
     direction, occupation_name, related) = values  # fmt: skip
    named = can_view_placement_records(principal, p.organization_id)
    return PlacementRow(
        id=p.id,
        profile_id=p.profile_id,
        organization_id=p.organization_id,
        college_code=college_code,
        college_name=college_name,
        student_no=student_no if named else None,
        graduate_name=name if named else None,
        major_id=major_id,
        major_code=major_code,
        major_name=major_name,
        direction_name=direction,
        graduation_year=year,
        destination=p.destination,
        employer_name=p.employer_name,
        job_title=p.job_title,
        occupation_code=p.occupation_code,
        occupation_name=occupation_name,
        related=related,
        place_text=p.place_text,
        division_code=p.division_code,
        in_circle=p.in_circle,
        abroad=p.abroad,
        salary_monthly=p.salary_monthly,
        start_date=p.start_date,
        contract_signed=p.contract_signed,
        source=p.source,
        is_sample=p.is_sample,
    )


def list_placements(
    session: Session,
    *,
    principal: Principal,
    filters: PlacementFilters | None = None,
    limit: int = 50,
    offset: int = 0,
) -> PlacementPage:
    """Placement records matching ``filters`` (by college, year, major, graduate name),
    for the platform admin or the admin of the college; ``Forbidden`` for anyone else.
    ``ValueError`` for an unknown destination or relatedness."""
    f = filters or PlacementFilters()
    college_id = _records_college(principal, f.college_id)
    f = PlacementFilters(**{**f.__dict__, "college_id": college_id})
    limit = max(1, min(limit, MAX_LIMIT))
    offset = max(0, offset)
    related_col = _related_expr()
    stmt = _filtered(_base(related_col), f, related_col)
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    rows = session.execute(
        stmt.order_by(Profile.graduation_year.desc(), Placement.organization_id, Profile.student_no)
        .limit(limit)
        .offset(offset)
    ).all()
    page = [_row(principal, tuple(r)) for r in rows]
    record_reads(
        session,
        principal,
        action="placement.list",
        target_type="placement",
        records=[(r.id, r.organization_id) for r in page],
        purpose=read_purpose(principal, placement=True),
    )
    return PlacementPage(rows=page, total=total, limit=limit, offset=offset)


def placement_detail(
    session: Session, *, principal: Principal, placement_id: int
) -> PlacementDetail:
    """One placement record; ``NotFound`` when it does not exist or the principal may not
    see it (nothing leaks)."""
    related_col = _related_expr()
    found = session.execute(_base(related_col).where(Placement.id == placement_id)).first()
    if found is None or not can_view_placement_records(principal, found[0].organization_id):
        raise NotFound(f"placement {placement_id} not found")
    placement: Placement = found[0]
    import_file = None
    if placement.import_run_id is not None:
        import_file = session.scalar(
            select(ImportRun.file_name).where(ImportRun.id == placement.import_run_id)
        )
    record_event(
        session,
        user_id=principal.user_id,
        action="placement.read",
        target_type="placement",
        target_id=placement.id,
        organization_id=placement.organization_id,
        detail="detail",
        purpose=read_purpose(principal, placement=True),
    )
    return PlacementDetail(
        row=_row(principal, tuple(found)),
        import_file=import_file,
        source_row=placement.source_row,
        application_id=placement.application_id,
        updated_at=placement.updated_at,
    )
