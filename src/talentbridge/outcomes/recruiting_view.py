"""What the recruiting-efficiency page and API show (``/outcomes/recruiting``): the
recruiting table of ``outcomes.recruiting`` with single employers only where the
principal may see them, and the before/after comparison of every measure around the
switch date (``outcomes.recruiting_compare``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from talentbridge.accounts.outcomes_policy import can_view_recruiting, recruiting_employer
from talentbridge.accounts.principal import Principal
from talentbridge.config import Settings
from talentbridge.errors import Forbidden, NotFound
from talentbridge.outcomes.recruiting import (
    MEASURES,
    RecruitingSummary,
    RecruitingTable,
    recruiting_table,
)
from talentbridge.outcomes.recruiting_compare import (
    HEADLINE_MEASURE,
    Comparison,
    compare_before_after,
    configured_switch_date,
)
from talentbridge.outcomes.views import Choice
from talentbridge.store.tables import Organization


@dataclass(frozen=True)
class RecruitingView:
    """The recruiting page: the table (per employer only where the principal may see
    single employers), the before/after comparison of every measure around ``cutoff``
    (``None`` when no switch date is known), and the employers one may pick."""

    table: RecruitingTable
    by_employer: list[RecruitingSummary]
    employers: list[Choice]
    employer_code: str | None
    cutoff: dt.date | None
    window_days: int | None
    comparisons: list[Comparison]

    @property
    def headline(self) -> Comparison | None:
        return next((c for c in self.comparisons if c.measure == HEADLINE_MEASURE), None)


def employer_by_code(session: Session, code: str) -> Organization:
    employer = session.scalar(select(Organization).where(Organization.code == code))
    if employer is None:
        raise NotFound(f"no employer with code {code!r}")
    return employer


def recruiting_view(
    session: Session,
    *,
    principal: Principal,
    settings: Settings,
    employer_code: str | None = None,
    cutoff: dt.date | None = None,
    window_days: int | None = None,
) -> RecruitingView:
    """Recruiting efficiency in the principal's scope (``Forbidden`` outside it; an
    employer the principal may not see is ``NotFound``)."""
    employer_id: int | None = None
    if employer_code:
        employer_id = employer_by_code(session, employer_code).id
        if not can_view_recruiting(principal, employer_id):
            raise NotFound(f"no employer with code {employer_code!r}")
    elif not can_view_recruiting(principal, None) and recruiting_employer(principal) is None:
        raise Forbidden("your role may not see recruiting efficiency")
    table = recruiting_table(session, principal=principal, employer_id=employer_id)
    singles = [s for s in table.by_employer if can_view_recruiting(principal, s.employer_id)]
    employers = [
        Choice(s.employer_code or "", s.employer_name_zh or "", s.employer_name_en)
        for s in singles
        if s.employer_code
    ]
    cutoff = cutoff or configured_switch_date(session, settings)
    comparisons = []
    if cutoff is not None:
        comparisons = [
            compare_before_after(
                session,
                principal=principal,
                switch_date=cutoff,
                employer_id=table.employer_id,
                measure=measure,
                window_days=window_days,
            )
            for measure in MEASURES
        ]
    return RecruitingView(
        table=table,
        by_employer=singles if employer_id is None else [],
        employers=employers if employer_id is None else [],
        employer_code=employer_code,
        cutoff=cutoff,
        window_days=window_days,
        comparisons=comparisons,
    )
