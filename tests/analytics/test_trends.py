"""Rising and falling skills: a change must be more than noise to be listed."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session, sessionmaker

from demandtools import add_posting, add_taxonomy
from talentbridge.analytics.cube import refresh
from talentbridge.analytics.demand import Period
from talentbridge.analytics.trends import changes, movers


def test_a_big_steady_rise_is_significant_and_a_tiny_one_is_not() -> None:
    found = {
        c.concept_id: c
        for c in changes({1: 400, 2: 4, 3: 100}, {1: 200, 2: 1, 3: 100}, 1000, 1000, min_postings=1)
    }
    assert found[1].rate_ratio == pytest.approx(2.0)
    assert found[1].low > 1 and found[1].q_value < 0.001
    assert found[2].rate_ratio == pytest.approx(4.0)
    assert found[2].low < 1  # four times as many, but 1 → 4 postings is noise
    assert found[3].low < 1 < found[3].high


def test_too_few_postings_are_not_tested() -> None:
    assert [c.concept_id for c in changes({1: 30, 2: 3}, {1: 10, 2: 2}, 500, 500)] == [1]


def test_a_change_of_share_not_of_count_is_what_matters() -> None:
    # twice the postings, but the market doubled too: no change of share
    (change,) = changes({1: 200}, {1: 100}, 2000, 1000)
    assert change.rate_ratio == pytest.approx(1.0)


def test_movers_rank_by_the_conservative_end_of_the_interval(
    factory: sessionmaker[Session],
) -> None:
    with factory.begin() as session:
        ids = add_taxonomy(session, ["直播电商", "快递", "小众", "Excel"])
        for month, counts in (("2024-06", {"直播电商": 10, "快递": 60, "小众": 1}),
                              ("2025-06", {"直播电商": 60, "快递": 15, "小众": 5})):  # fmt: skip
            for key, n in counts.items():
                for _ in range(n):
                    add_posting(session, month=month, concepts=[ids[key], ids["Excel"]])
            for _ in range(30):
                add_posting(session, month=month, concepts=[ids["Excel"]])
    refresh(factory)
    with factory() as session:
        found = movers(session, region="all", period=Period("2025-06", "2025-06"), min_postings=5)
    assert [r["label_zh"] for r in found.rising.rows] == ["直播电商"]
    assert [r["label_zh"] for r in found.falling.rows] == ["快递"]
    assert found.previous == Period("2024-06", "2024-06")
    assert found.rising.rows[0]["low"] > 1
