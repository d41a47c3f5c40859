from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from talentbridge.domain.dates import parse_posting_date

REF = dt.date(2026, 11, 29)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019-09-13", dt.date(2019, 9, 13)),
        ("['2019-09-13']", dt.date(2019, 9, 13)),
        ("2026/3/5", dt.date(2026, 3, 5)),
        ("2026年3月5日", dt.date(2026, 3, 5)),
        ("2026.03.05", dt.date(2026, 3, 5)),
        ("05-11发布", dt.date(2026, 5, 11)),
        ("12-20发布", dt.date(2025, 12, 20)),  # a December day after the reference: last year
        ("11月3日", dt.date(2026, 11, 3)),
        ("今天", REF),
        ("刚刚", REF),
        ("3小时前", REF),
        ("昨天", dt.date(2026, 11, 28)),
        ("前天", dt.date(2026, 11, 27)),
        ("3天前", dt.date(2026, 11, 26)),
        ("2周前", dt.date(2026, 11, 15)),
        ("1个月前", dt.date(2026, 10, 28)),
        ("5 days ago", dt.date(2026, 11, 24)),
        ("46000", dt.date(2025, 12, 9)),  # an Excel serial date
        ("2026-05", dt.date(2026, 5, 1)),
    ],
)
def test_posting_dates_resolve_against_the_import_date(text: str, expected: dt.date) -> None:
    assert parse_posting_date(text, reference=REF) == expected


@pytest.mark.parametrize(
    "text", [None, "", "2027-01-01", "2026-02-30", "13-45发布", "近期", "1800-01-01"]
)
def test_impossible_or_future_dates_give_none(text: str | None) -> None:
    assert parse_posting_date(text, reference=REF) is None


@given(st.text(max_size=30))
def test_date_parser_never_raises_and_never_returns_the_future(text: str) -> None:
    result = parse_posting_date(text, reference=REF)
    assert result is None or result <= REF
