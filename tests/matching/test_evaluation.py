"""Ranking metrics against hand-computed tables (matching.evaluation)."""

from __future__ import annotations

import pytest

from talentbridge.matching.evaluation import (
    bootstrap_interval,
    dcg,
    evaluate,
    invert,
    judged_share,
    ndcg_at_k,
    paired_bootstrap,
    qrels_of,
    recall_at_k,
    reciprocal_rank,
)

# One query, worked by hand. Judged: a=3, b=2, c=0, d=1; x is unjudged (counts as 0).
GRADES = {"a": 3, "b": 2, "c": 0, "d": 1}
RANKING = ["c", "a", "d", "x", "b"]
#  rank  doc  grade  gain 2^g-1  discount log2(rank+1)  gain/discount
#  1     c    0      0           1.000000               0
#  2     a    3      7           1.584963               4.416508
#  3     d    1      1           2.000000               0.500000
#  4     x    0      0           2.321928               0
#  5     b    2      3           2.584963               1.160558
#  DCG = 6.077067
#  ideal order a, b, d, c: 7/1 + 3/1.584963 + 1/2 + 0 = 7 + 1.892789 + 0.5 = 9.392789
#  NDCG = 6.077067 / 9.392789 = 0.646993
DCG_5 = 6.077067
IDEAL = 9.392789
NDCG_5 = 0.646993


def test_dcg_matches_the_table() -> None:
    assert dcg([0, 3, 1, 0, 2]) == pytest.approx(DCG_5, abs=1e-6)
    assert dcg([3, 2, 1, 0]) == pytest.approx(IDEAL, abs=1e-6)
    assert dcg([3, 2, 1, 0], k=1) == pytest.approx(7.0)  # only rank 1 counts
    assert dcg([]) == 0.0


def test_ndcg_matches_the_table() -> None:
    assert ndcg_at_k(RANKING, GRADES) == pytest.approx(NDCG_5, abs=1e-6)
    # at k=2 only c and a count: 4.416508 / (7 + 1.892789)
    assert ndcg_at_k(RANKING, GRADES, k=2) == pytest.approx(4.416508 / 8.892789, abs=1e-6)
    assert ndcg_at_k(["a", "b", "d", "c"], GRADES) == pytest.approx(1.0)
    assert ndcg_at_k(["x", "y"], GRADES) == 0.0
    assert ndcg_at_k(RANKING, {"a": 0, "c": 0}) is None  # nothing positive to find


def test_recall_counts_grade_two_and_up() -> None:
    # relevant (grade >= 2): a, b
    assert recall_at_k(RANKING, GRADES, k=2) == pytest.approx(0.5)  # a found, b at 5
    assert recall_at_k(RANKING, GRADES, k=5) == pytest.approx(1.0)
    assert recall_at_k(RANKING, GRADES, k=1) == 0.0
    assert recall_at_k(RANKING, GRADES, k=5, threshold=3) == pytest.approx(1.0)  # only a
    assert recall_at_k(RANKING, {"d": 1}) is None


def test_reciprocal_rank_of_the_first_relevant() -> None:
    assert reciprocal_rank(RANKING, GRADES) == pytest.approx(0.5)  # a at rank 2
    assert reciprocal_rank(["b", "a"], GRADES) == pytest.approx(1.0)
    assert reciprocal_rank(["c", "d", "x"], GRADES) == 0.0  # none retrieved
    assert reciprocal_rank(RANKING, GRADES, threshold=3) == pytest.approx(0.5)
    assert reciprocal_rank(RANKING, {"d": 1}) is None


def test_judged_share_of_the_top_k() -> None:
    assert judged_share(RANKING, GRADES, k=5) == pytest.approx(0.8)  # x is unjudged
    assert judged_share(RANKING, GRADES, k=3) == pytest.approx(1.0)
    assert judged_share([], GRADES) == 1.0


def test_evaluate_means_over_queries_with_a_relevant_document() -> None:
    qrels = {
        "q1": GRADES,
        "q2": {"m": 2, "n": 0},
        "q3": {"z": 1},  # no grade >= 2: left out of every mean
    }
    run = {"q1": RANKING, "q2": ["n", "o", "m"], "q3": ["z"]}
    summary = evaluate(run, qrels)
    assert [q.query for q in summary.queries] == ["q1", "q2"]
    # q2: DCG = 3/log2(4) = 1.5, ideal 3 -> 0.5; recall 1; RR 1/3; judged 2/3
    assert summary.ndcg == pytest.approx((NDCG_5 + 0.5) / 2, abs=1e-6)
    assert summary.recall == pytest.approx(1.0)
    assert summary.mrr == pytest.approx((0.5 + 1 / 3) / 2)
    assert summary.judged == pytest.approx((0.8 + 2 / 3) / 2)
    # a query missing from the run ranks nothing
    assert evaluate({}, {"q2": {"m": 2}}).mrr == 0.0


def test_employer_direction_qrels() -> None:
    labels = [(1, "p", 3), (2, "p", 0), (1, "r", 1), (2, "r", 1), (3, "p", 2), (3, "p", 1)]
    assert invert(labels) == {"p": {1: 3, 2: 0, 3: 2}}  # r has no grade >= 2
    assert qrels_of(labels) == {1: {"p": 3, "r": 1}, 2: {"p": 0, "r": 1}, 3: {"p": 2}}


def test_bootstrap_interval_is_seeded_and_brackets_the_mean() -> None:
    assert bootstrap_interval([0.4] * 20) == pytest.approx((0.4, 0.4))
    values = [0.0, 1.0] * 25
    low, high = bootstrap_interval(values, seed=3)
    assert (low, high) == bootstrap_interval(values, seed=3)
    assert low < 0.5 < high
    assert low > 0.3 and high < 0.7
    mean, low, high = paired_bootstrap([0.1] * 10, [0.3] * 10)
    assert (mean, low, high) == pytest.approx((0.2, 0.2, 0.2))
    with pytest.raises(ValueError):
        paired_bootstrap([0.1], [0.2, 0.3])
