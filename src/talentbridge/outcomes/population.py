"""The graduates an outcome figure is computed over, and the SQL conditions the
indicator definitions (``outcomes.indicators``) are made of.

Graduates of a scope are the profiles of its college (or of every college) whose
``graduation_year`` is one of the scope's years (by default every year in which some
graduate of the scope has a placement record). Each graduate is one row of
profile ⟕ placement ⟕ college major ⟕ major_occupation: a profile has at most one
placement, and the major → occupation relation has one row per (major, occupation).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Integer, Join, and_, case, func, not_, or_, select
from sqlalchemy.orm import Session

from talentbridge.outcomes.groups import (
    COLLEGE_MAJOR,
    PLACEMENT,
    PROFILE,
    OutcomesScope,
    dimension_column,
)
from talentbridge.store.tables import MajorOccupation, table_of

MAJOR_OCCUPATION = table_of(MajorOccupation)
_P = PLACEMENT.c

# Every MOE destination but "not yet employed" is a destination (毕业去向落实).
PLACED: tuple[str, ...] = ("employed", "further_study", "enlisted", "self_employed", "flexible")
# Employment (就业) as the MOE counts it: contract and other employment, enlistment
# (应征义务兵), self-employment (自主创业) and flexible employment (灵活就业); not
# further study (升学), not "not yet employed".
EMPLOYMENT: tuple[str, ...] = ("employed", "enlisted", "self_employed", "flexible")
# In civilian work, with an occupation and a pay: employment without enlistment.
IN_WORK: tuple[str, ...] = ("employed", "self_employed", "flexible")

HAS_RECORD = _P.id.is_not(None)
NO_RECORD = _P.id.is_(None)
IS_PLACED = _P.destination.in_(PLACED)
IS_EMPLOYED = _P.destination.in_(EMPLOYMENT)
IS_IN_WORK = _P.destination.in_(IN_WORK)
IS_FURTHER_STUDY = _P.destination == "further_study"
IS_ABROAD = _P.abroad.is_(True)
# In work with a resolved occupation and a known major: 对口 can be decided.
IS_CLASSIFIABLE = and_(
    IS_IN_WORK, _P.occupation_id.is_not(None), COLLEGE_MAJOR.c.major_id.is_not(None)
)
IS_RELATED = and_(IS_CLASSIFIABLE, MAJOR_OCCUPATION.c.major_id.is_not(None))
IS_UNCLASSIFIED = and_(IS_IN_WORK, not_(IS_CLASSIFIABLE))
# Employed with a known place of work (abroad is a known place, outside the circle).
IS_PLACE_KNOWN = and_(IS_EMPLOYED, or_(IS_ABROAD, _P.in_circle.is_not(None)))
IS_PLACE_UNKNOWN = and_(IS_EMPLOYED, not_(IS_PLACE_KNOWN))
STAYS_IN_REGION = and_(IS_EMPLOYED, _P.in_circle.is_(True), not_(IS_ABROAD))
HAS_SALARY = and_(IS_IN_WORK, _P.salary_monthly > 0)
SALARY = _P.salary_monthly


def count(condition: ColumnElement[bool]) -> ColumnElement[int]:
    """``SUM(CASE WHEN condition THEN 1 ELSE 0 END)``, 0 over no rows."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0).cast(Integer)


def graduates_from() -> Join:
    """profile ⟕ placement ⟕ college major ⟕ major_occupation (one row per graduate)."""
    return (
        PROFILE.outerjoin(PLACEMENT, PLACEMENT.c.profile_id == PROFILE.c.id)
        .outerjoin(COLLEGE_MAJOR, COLLEGE_MAJOR.c.id == PROFILE.c.college_major_id)
        .outerjoin(
            MAJOR_OCCUPATION,
            and_(
                MAJOR_OCCUPATION.c.major_id == COLLEGE_MAJOR.c.major_id,
                MAJOR_OCCUPATION.c.occupation_id == PLACEMENT.c.occupation_id,
            ),
        )
    )


def scope_filters(session: Session, scope: OutcomesScope) -> list[ColumnElement[bool]]:
    """WHERE conditions selecting the graduates of ``scope``."""
    where: list[ColumnElement[bool]] = []
    if scope.college_id is not None:
        where.append(PROFILE.c.organization_id == scope.college_id)
    if scope.major_id is not None:
        where.append(COLLEGE_MAJOR.c.major_id == scope.major_id)
    if scope.direction_id is not None:
        where.append(PROFILE.c.direction_id == scope.direction_id)
    if scope.zone is not None:
        where.append(dimension_column("zone") == scope.zone)
    years = scope.years if scope.years is not None else reporting_years(session, scope)
    where.append(PROFILE.c.graduation_year.in_(years))
    return where


def reporting_years(session: Session, scope: OutcomesScope) -> tuple[int, ...]:
    """Graduation years in which some graduate of the scope's college (or of any college)
    has a placement record."""
    stmt = (
        select(PROFILE.c.graduation_year)
        .select_from(PROFILE.join(PLACEMENT, PLACEMENT.c.profile_id == PROFILE.c.id))
        .distinct()
    )
    if scope.college_id is not None:
        stmt = stmt.where(PROFILE.c.organization_id == scope.college_id)
    return tuple(sorted(int(y) for y in session.scalars(stmt)))
