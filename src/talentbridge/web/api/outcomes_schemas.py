"""Response models of the outcomes API (``/api/v1/outcomes/…``). Every name starts with
``Outcome`` so no OpenAPI component clashes with another area's schemas."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class _From(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class OutcomeErrorBody(BaseModel):
    code: str = Field(examples=["forbidden"])
    message: str


class OutcomeErrorOut(BaseModel):
    """Every error answer of the outcomes API."""

    error: OutcomeErrorBody


OUTCOME_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": OutcomeErrorOut, "description": "invalid input (the message says why)"},
    401: {"model": OutcomeErrorOut, "description": "not signed in and no valid bearer token"},
    403: {"model": OutcomeErrorOut, "description": "your role may not see these figures"},
    404: {"model": OutcomeErrorOut, "description": "no such college or employer (or not yours)"},
    422: {"model": OutcomeErrorOut, "description": "a parameter has the wrong form"},
}


def outcome_errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    return {code: OUTCOME_ERRORS[code] for code in (401, *codes)}


# --- indicators ---------------------------------------------------------------------------


class OutcomeGroupValueOut(_From):
    dim: str
    key: int | str | None
    zh: str
    en: str


class OutcomeRateCellOut(_From):
    """A rate (0–1) with its counts; every figure is null when ``suppressed``."""

    numerator: int | None
    denominator: int | None
    value: float | None
    n: int | None
    suppressed: bool
    extras: dict[str, int | None]
    lower_bound: float | None


class OutcomeRateRowOut(_From):
    group: list[OutcomeGroupValueOut]
    cell: OutcomeRateCellOut


class OutcomeIndicatorOut(BaseModel):
    key: str
    name_zh: str
    name_en: str
    numerator: str
    denominator: str
    excluded: str
    total: OutcomeRateCellOut
    rows: list[OutcomeRateRowOut]


class OutcomeSalaryCellOut(_From):
    """Monthly starting pay (yuan) quartiles of ``n`` graduates; null when suppressed."""

    n: int | None
    p25: float | None
    median: float | None
    p75: float | None
    suppressed: bool


class OutcomeSalaryRowOut(_From):
    group: list[OutcomeGroupValueOut]
    cell: OutcomeSalaryCellOut


class OutcomeSalaryOut(BaseModel):
    total: OutcomeSalaryCellOut
    rows: list[OutcomeSalaryRowOut]


class OutcomeScopeOut(BaseModel):
    college: str | None = Field(description="college code; null: every college (the alliance)")
    years: list[int] | None
    by: list[str]
    min_cell: int = Field(description="cells from fewer graduates are suppressed")


class OutcomeIndicatorsOut(BaseModel):
    scope: OutcomeScopeOut
    indicators: list[OutcomeIndicatorOut]
    starting_salary: OutcomeSalaryOut
    synthetic: bool = Field(description="the store holds the demo's generated sample data")


# --- recruiting ---------------------------------------------------------------------------


class OutcomeDistributionOut(_From):
    n: int
    median: float | None
    q1: float | None
    q3: float | None


class OutcomeRecruitingSummaryOut(_From):
    employer_code: str | None
    employer_name_zh: str | None
    employer_name_en: str | None
    month: str | None
    postings: int
    applications: int
    screened: int
    hires: int
    offers_decided: int
    offers_accepted: int
    offer_acceptance_rate: float | None
    applications_per_hire_pooled: float | None
    measures: dict[str, OutcomeDistributionOut]


class OutcomeRecruitingOut(BaseModel):
    employer: str | None = Field(description="the one employer asked for (or a recruiter's own)")
    overall: OutcomeRecruitingSummaryOut
    by_employer: list[OutcomeRecruitingSummaryOut]
    by_month: list[OutcomeRecruitingSummaryOut]
    synthetic: bool


class OutcomeSideOut(BaseModel):
    first: dt.date | None
    last: dt.date | None
    n: int
    median: float | None
    q1: float | None
    q3: float | None


class OutcomeComparisonOut(BaseModel):
    """Before vs on/after the switch date for one measure (lower is better)."""

    measure: str
    switch_date: dt.date
    employer: str | None
    window_days: int | None
    status: str = Field(description="ok or insufficient_data")
    min_n: int
    before: OutcomeSideOut
    after: OutcomeSideOut
    change_abs: float | None
    change_rel: float | None = Field(description="median after ÷ median before − 1")
    ci_low: float | None = Field(description="95 % bootstrap interval of change_rel")
    ci_high: float | None
    p_value: float | None = Field(description="two-sided Mann–Whitney U")
    efficiency_change: float | None = Field(description="−change_rel: +0.4 is 40 % faster")
    resamples: int
    synthetic: bool
