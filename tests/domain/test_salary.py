from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from talentbridge.domain.salary import Salary, parse_salary

CASES = [
    ("8-12K", 8000, 12000, 12, "month"),
    ("8-12k", 8000, 12000, 12, "month"),
    ("8千-1.2万", 8000, 12000, 12, "month"),
    ("5千-8千", 5000, 8000, 12, "month"),
    ("1-1.5万/月", 10000, 15000, 12, "month"),
    ("0.8-1.2万/月", 8000, 12000, 12, "month"),
    ("['1-1.5万/月']", 10000, 15000, 12, "month"),
    ("10-20万/年", 8333, 16667, 12, "year"),
    ("20-40万/年", 16667, 33333, 12, "year"),
    ("150元/天", 3262, 3262, 12, "day"),
    ("25元/小时", 4350, 4350, 12, "hour"),
    ("8-12K·13薪", 8000, 12000, 13, "month"),
    ("7-10K·14薪", 7000, 10000, 14, "month"),
    ("RMB 8,000–12,000/month", 8000, 12000, 12, "month"),
    ("RMB 8,000-12,000 per month", 8000, 12000, 12, "month"),
    ("¥6000", 6000, 6000, 12, "month"),
    ("4000-6000元/月", 4000, 6000, 12, "month"),
    ("4000-6000元", 4000, 6000, 12, "month"),
    ("1.5万以上", 15000, None, 12, "month"),
    ("3000元以下", None, 3000, 12, "month"),
    ("6k+", 6000, None, 12, "month"),
    ("１０－１５Ｋ", 10000, 15000, 12, "month"),
    ("4500~6500", 4500, 6500, 12, "month"),
    ("6000-4000", 4000, 6000, 12, "month"),
    ("120,000-180,000/year", 10000, 15000, 12, "year"),
]


@pytest.mark.parametrize(("text", "lo", "hi", "months", "period"), CASES)
def test_salary_forms_parse_to_monthly_yuan(
    text: str, lo: int | None, hi: int | None, months: int, period: str
) -> None:
    salary = parse_salary(text)
    assert salary is not None, text
    assert (salary.min_monthly, salary.max_monthly) == (lo, hi)
    assert salary.months == months
    assert salary.period == period


@pytest.mark.parametrize("text", ["面议", "薪资面议", "Negotiable", "['面议']"])
def test_negotiable_salary_has_no_amount(text: str) -> None:
    assert parse_salary(text) == Salary(None, None, negotiable=True)


@pytest.mark.parametrize("text", [None, "", "   ", "[]", "待遇优厚", "13800138000", "1-2元/月"])
def test_text_without_a_plausible_salary_gives_none(text: str | None) -> None:
    assert parse_salary(text) is None


@given(st.text(max_size=60))
def test_any_text_parses_or_returns_none_without_raising(text: str) -> None:
    salary = parse_salary(text)
    if salary is not None and salary.min_monthly is not None and salary.max_monthly is not None:
        assert salary.min_monthly <= salary.max_monthly
