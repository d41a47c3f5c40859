"""Salary text → monthly minimum and maximum in CNY plus months paid.

Pure functions, no I/O. Handles the forms job boards use::

    8-12K  8千-1.2万  1-1.5万/月  10-20万/年  150元/天  25元/小时  8-12K·13薪
    1.5万以上  3000元以下  面议  RMB 8,000–12,000/month  ¥6000  6k+

Yearly amounts are divided by 12 (the months paid only count bonuses: ``·13薪``).
Daily pay is multiplied by 21.75 paid days a month, hourly by 8 × 21.75 (the legal
monthly averages of the Ministry of Human Resources and Social Security).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

DAYS_PER_MONTH = 21.75
HOURS_PER_DAY = 8

_UNIT = {"": 1, "元": 1, "块": 1, "k": 1000, "千": 1000, "w": 10000, "万": 10000}
_PERIOD_WORDS = {
    "year": ("年", "/年", "每年", "年薪", "year", "annum", "annual", "yearly", "pa", "p.a"),
    "month": ("月", "month", "monthly", "mo"),
    "day": ("天", "日", "day", "daily"),
    "hour": ("小时", "时", "hour", "hr", "hourly"),
}
_NEGOTIABLE = ("面议", "面谈", "negotiable", "薪资面议", "待遇面议", "competitive")

_NUMBER = r"(\d+(?:\.\d+)?)\s*(k|w|千|万|元|块)?"
_RANGE = re.compile(_NUMBER + r"\s*(?:-|~|至|到|—|–)\s*" + _NUMBER)
_SINGLE = re.compile(_NUMBER)
_MONTHS = re.compile(r"(\d{2})\s*(?:薪|个月|months?|-month)")


@dataclass(frozen=True)
class Salary:
    """Monthly pay in yuan. ``min_monthly``/``max_monthly`` are None when not stated."""

    min_monthly: int | None
    max_monthly: int | None
    months: int = 12
    period: str = "month"
    negotiable: bool = False

    @property
    def is_known(self) -> bool:
        return self.min_monthly is not None or self.max_monthly is not None


def _normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    text = text.replace(",", "").replace("，", "")
    text = re.sub(r"(rmb|cny|人民币|¥|￥)", "", text)
    return text.strip()


def _period_of(text: str) -> str:
    tail = text
    for period in ("year", "day", "hour", "month"):
        for word in _PERIOD_WORDS[period]:
            if word.isascii():
                if re.search(rf"(?<![a-z]){re.escape(word)}(?![a-z])", tail):
                    return period
            elif word in tail:
                if period == "hour" and word == "时" and "小时" not in tail and "时薪" not in tail:
                    continue
                return period
    return "month"


def _to_monthly(amount: float, period: str) -> int:
    if period == "year":
        return round(amount / 12)
    if period == "day":
        return round(amount * DAYS_PER_MONTH)
    if period == "hour":
        return round(amount * HOURS_PER_DAY * DAYS_PER_MONTH)
    return round(amount)


def _scale(value: str, unit: str | None, fallback_unit: str | None) -> float:
    return float(value) * _UNIT[unit or fallback_unit or ""]


def parse_salary(text: str | None) -> Salary | None:
    """Parse a salary text; None when it holds no salary at all.

    A negotiable salary (``面议``) gives a ``Salary`` with no amounts and
    ``negotiable=True``, so callers can tell "not stated" from "unparseable".
    """
    if text is None:
        return None
    raw = _normalize(text)
    if not raw:
        return None
    if any(word in raw for word in _NEGOTIABLE):
        return Salary(None, None, negotiable=True)
    months = 12
    if m := _MONTHS.search(raw):
        months = max(12, min(int(m.group(1)), 24))
        raw = raw[: m.start()] + raw[m.end() :]
    period = _period_of(raw)
    if m := _RANGE.search(raw):
        lo_v, lo_u, hi_v, hi_u = m.groups()
        lo = _scale(lo_v, lo_u, hi_u)  # "8-12k": the unit of the upper bound applies to both
        hi = _scale(hi_v, hi_u, None)
        if lo_u is None and hi_u in ("元", "块"):
            lo = float(lo_v)
        lo_m, hi_m = _to_monthly(lo, period), _to_monthly(hi, period)
        if lo_m > hi_m:
            lo_m, hi_m = hi_m, lo_m
        return _checked(Salary(lo_m, hi_m, months, period))
    if m := _SINGLE.search(raw):
        value, unit = m.groups()
        amount = _to_monthly(_scale(value, unit, None), period)
        rest = raw[m.end() :]
        before = raw[: m.start()]
        if any(w in rest for w in ("以上", "+", "起", "above", "or more")) or "from" in before:
            return _checked(Salary(amount, None, months, period))
        if any(w in rest for w in ("以下", "以内", "below", "up to")) or "up to" in before:
            return _checked(Salary(None, amount, months, period))
        return _checked(Salary(amount, amount, months, period))
    return None


def _checked(salary: Salary) -> Salary | None:
    """Refuse amounts no job pays per month (typos, phone numbers, yuan-vs-万 slips)."""
    for amount in (salary.min_monthly, salary.max_monthly):
        if amount is not None and not (300 <= amount <= 500_000):
            return None
    return salary
