"""Posting dates in the forms boards print, resolved against a reference date (pure)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

_ISO = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_YEAR_MONTH = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?(?!\s*[-/.]?\d)")
_MONTH_DAY = re.compile(r"(?<!\d)(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_AGO = re.compile(
    r"(\d+)\s*(分钟|小时|天|日|周|星期|个月|月|minutes?|hours?|days?|weeks?|months?)\s*(?:前|ago)"
)
_SERIAL_EPOCH = dt.date(1899, 12, 30)  # Excel's day 0


def _safe(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_posting_date(text: str | None, *, reference: dt.date) -> dt.date | None:
    """Resolve ``2019-09-13``, ``2019年9月13日``, ``05-11发布`` (the latest such day not
    after ``reference``), ``今天``/``昨天``/``刚刚``, ``3天前``, ``2 weeks ago`` and Excel
    serial numbers. Dates after ``reference`` are refused (None)."""
    if not text:
        return None
    s = unicodedata.normalize("NFKC", str(text)).strip().lower()
    if not s:
        return None
    result: dt.date | None = None
    if m := _ISO.search(s):
        result = _safe(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    elif s in ("今天", "今日", "刚刚", "today", "just now") or "小时前" in s or "分钟前" in s:
        result = reference
    elif s.startswith(("昨天", "yesterday")):
        result = reference - dt.timedelta(days=1)
    elif s.startswith("前天"):
        result = reference - dt.timedelta(days=2)
    elif m := _AGO.search(s):
        n, unit = int(m.group(1)), m.group(2)
        if unit.startswith(("分钟", "小时", "minute", "hour")):
            result = reference
        elif unit.startswith(("天", "日", "day")):
            result = reference - dt.timedelta(days=n)
        elif unit.startswith(("周", "星期", "week")):
            result = reference - dt.timedelta(weeks=n)
        else:
            month_index = reference.year * 12 + reference.month - 1 - n
            result = _safe(month_index // 12, month_index % 12 + 1, min(reference.day, 28))
    elif re.fullmatch(r"\d{5}(\.0+)?", s):
        result = _SERIAL_EPOCH + dt.timedelta(days=int(float(s)))
    elif m := _MONTH_DAY.search(s):
        month, day = int(m.group(1)), int(m.group(2))
        result = _safe(reference.year, month, day)
        if result is not None and result > reference:
            result = _safe(reference.year - 1, month, day)
    elif m := _YEAR_MONTH.search(s):
        result = _safe(int(m.group(1)), int(m.group(2)), 1)
    if result is None or result > reference or result.year < 1990:
        return None
    return result


# --- calendar months as integers (``YYYY-MM`` ↔ year * 12 + month - 1) ------------------


def month_index(month: str) -> int:
    year, _, mon = month.partition("-")
    if len(year) != 4 or not year.isdigit() or not mon.isdigit() or not 1 <= int(mon) <= 12:
        raise ValueError(f"not a month (YYYY-MM): {month!r}")
    return int(year) * 12 + int(mon) - 1


def month_name(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def months_after(month: str, count: int) -> tuple[str, ...]:
    start = month_index(month)
    return tuple(month_name(start + i) for i in range(1, count + 1))
