"""Employment outcomes in the JSON API:

* ``GET /api/v1/outcomes/indicators``: every rate indicator (placement, employment,
  major-related, staying in the region, abroad) and starting pay quartiles, grouped
  ``by`` any of college, major, direction, year, province, city, zone, for a college or
  the alliance, with suppressed cells (``suppressed: true``, figures null);
* ``GET /api/v1/outcomes/recruiting``: recruiting efficiency overall, per employer and
  per month;
* ``GET /api/v1/outcomes/recruiting/compare``: before/after the switch date for one
  measure with n, medians, change, its 95 % bootstrap interval and the Mann–Whitney p.

Who sees what is ``accounts.outcomes_policy`` (applied by the services): aggregates for
the platform admin, analysts and college staff (their own college or the alliance, not a
breakdown by college); recruiting per employer for the platform admin, analysts and a
recruiter's own organization. No answer names a person.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query
from sqlalchemy.orm import Session

from talentbridge.accounts.directory import holds_sample_data
from talentbridge.accounts.outcomes_policy import can_view_recruiting
from talentbridge.outcomes.indicators import indicator_tables
from talentbridge.outcomes.recruiting import MEASURES, RecruitingSummary, recruiting_table
from talentbridge.outcomes.recruiting_compare import (
    HEADLINE_MEASURE,
    Side,
    compare_before_after,
    configured_switch_date,
)
from talentbridge.outcomes.recruiting_view import employer_by_code
from talentbridge.outcomes.salary import salary_table
from talentbridge.outcomes.views import (
    REGIONS,
    college_by_code,
    college_code_of,
    major_id_by_code,
    require_outcomes,
)
from talentbridge.web.api.outcomes_schemas import (
    OutcomeComparisonOut,
    OutcomeIndicatorOut,
    OutcomeIndicatorsOut,
    OutcomeRateCellOut,
    OutcomeRateRowOut,
    OutcomeRecruitingOut,
    OutcomeRecruitingSummaryOut,
    OutcomeSalaryCellOut,
    OutcomeSalaryOut,
    OutcomeSalaryRowOut,
    OutcomeScopeOut,
    OutcomeSideOut,
    outcome_errors,
)
from talentbridge.web.deps import PrincipalDep, SessionDep, SettingsDep

router = APIRouter(prefix="/outcomes", tags=["outcomes"])


def _employer_id(session: Session, code: str | None) -> int | None:
    return employer_by_code(session, code).id if code else None


@router.get(
    "/indicators",
    response_model=OutcomeIndicatorsOut,
    responses=outcome_errors(400, 403, 404, 422),
)
def indicators(
    session: SessionDep,
    principal: PrincipalDep,
    settings: SettingsDep,
    by: Annotated[
        str, Query(max_length=80, description="dimensions, e.g. major,year (empty: totals)")
    ] = "",
    college: Annotated[str | None, Query(max_length=64, description="college code")] = None,
    alliance: Annotated[
        bool, Query(description="every college (college staff: the total)")
    ] = False,
    year: Annotated[list[int] | None, Query(description="graduation years (repeat)")] = None,
    major: Annotated[str | None, Query(max_length=12, description="catalog major code")] = None,
    direction: Annotated[int | None, Query(ge=1, description="direction id")] = None,
    region: Annotated[str | None, Query(description=f"one of {', '.join(REGIONS)}")] = None,
) -> OutcomeIndicatorsOut:
    """Every indicator of the scope, grouped ``by``; cells from fewer than ``min_cell``
    graduates (and their complements) are suppressed."""
    require_outcomes(principal)
    college_id = college_by_code(session, college).id if college else None
    options = {
        "by": by,
        "min_cell": settings.small_cell_threshold,
        "college_id": college_id,
        "alliance": alliance,
        "years": year,
        "major_id": major_id_by_code(session, major),
        "direction_id": direction,
        "zone": region or None,
    }
    try:
        rates = indicator_tables(session, principal, **options)  # type: ignore[arg-type]
        salaries = salary_table(session, principal, **options)  # type: ignore[arg-type]
    except ValueError as exc:
        raise HTTPException(400, str(exc)) from None
    first = next(iter(rates.values()))
    scope = first.scope
    college_code = college
    if college_code is None and scope.college_id is not None:
        college_code = college_code_of(session, scope.college_id)
    return OutcomeIndicatorsOut(
        scope=OutcomeScopeOut(
            college=college_code,
            years=list(scope.years) if scope.years is not None else None,
            by=list(first.by),
            min_cell=settings.small_cell_threshold,
        ),
        indicators=[
            OutcomeIndicatorOut(
                key=key,
                name_zh=table.indicator.name_zh,
                name_en=table.indicator.name_en,
                numerator=table.indicator.numerator,
                denominator=table.indicator.denominator,
                excluded=table.indicator.excluded,
                total=OutcomeRateCellOut.model_validate(table.total),
                rows=[OutcomeRateRowOut.model_validate(r) for r in table.rows],
            )
            for key, table in rates.items()
        ],
        starting_salary=OutcomeSalaryOut(
            total=OutcomeSalaryCellOut.model_validate(salaries.total),
            rows=[OutcomeSalaryRowOut.model_validate(r) for r in salaries.rows],
        ),
        synthetic=holds_sample_data(session),
    )


def _side(s: Side) -> OutcomeSideOut:
    v = s.values
    return OutcomeSideOut(first=s.first, last=s.last, n=v.n, median=v.median, q1=v.q1, q3=v.q3)


def _summary(s: RecruitingSummary) -> OutcomeRecruitingSummaryOut:
    return OutcomeRecruitingSummaryOut.model_validate(s)


@router.get(
    "/recruiting", response_model=OutcomeRecruitingOut, responses=outcome_errors(403, 404, 422)
)
def recruiting(
    session: SessionDep,
    principal: PrincipalDep,
    employer: Annotated[str | None, Query(max_length=64, description="employer code")] = None,
    since: Annotated[dt.date | None, Query(description="first posting date")] = None,
    until: Annotated[dt.date | None, Query(description="last posting date")] = None,
) -> OutcomeRecruitingOut:
    """Days to the first qualified application, interview and hire, applications per
    hire and offer acceptance: overall, per employer (where single employers may be
    seen) and per month of the posting date."""
    table = recruiting_table(
        session, principal=principal, employer_id=_employer_id(session, employer), since=since,
        until=until,
    )  # fmt: skip
    singles = [s for s in table.by_employer if can_view_recruiting(principal, s.employer_id)]
    return OutcomeRecruitingOut(
        employer=table.overall.employer_code,
        overall=_summary(table.overall),
        by_employer=[_summary(s) for s in singles],
        by_month=[_summary(s) for s in table.by_month],
        synthetic=table.synthetic,
    )


@router.get(
    "/recruiting/compare",
    response_model=OutcomeComparisonOut,
    responses=outcome_errors(400, 403, 404, 422),
)
def recruiting_compare(
    session: SessionDep,
    principal: PrincipalDep,
    settings: SettingsDep,
    cutoff: Annotated[
        dt.date | None, Query(description="switch date (default: the configured one)")
    ] = None,
    employer: Annotated[str | None, Query(max_length=64, description="employer code")] = None,
    measure: Annotated[str, Query(description=f"one of {', '.join(MEASURES)}")] = HEADLINE_MEASURE,
    window_days: Annotated[int | None, Query(ge=1, le=3660)] = None,
) -> OutcomeComparisonOut:
    """Postings before vs on/after the switch date: n, medians, the change, its 95 %
    interval (bootstrap) and the p-value; ``status`` ``insufficient_data`` when a side
    has too few postings."""
    switch = cutoff or configured_switch_date(session, settings)
    if switch is None:
        raise HTTPException(400, "no switch date is configured: pass cutoff=YYYY-MM-DD")
    if measure not in MEASURES:
        raise HTTPException(400, f"unknown measure {measure!r}; use one of {', '.join(MEASURES)}")
    c = compare_before_after(
        session,
        principal=principal,
        switch_date=switch,
        employer_id=_employer_id(session, employer),
        measure=measure,
        window_days=window_days,
    )

    return OutcomeComparisonOut(
        measure=c.measure,
        switch_date=c.switch_date,
        employer=employer,
        window_days=c.window_days,
        status=c.status,
        min_n=c.min_n,
        before=_side(c.before),
        after=_side(c.after),
        change_abs=c.change_abs,
        change_rel=c.change_rel,
        ci_low=c.ci_low,
        ci_high=c.ci_high,
        p_value=c.p_value,
        efficiency_change=c.efficiency_change,
        resamples=c.resamples,
        synthetic=c.synthetic,
    )
