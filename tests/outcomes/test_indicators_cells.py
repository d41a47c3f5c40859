"""Small-number protection (``outcomes.cells``): primary and complementary suppression."""

from __future__ import annotations

import pytest

from talentbridge.outcomes.cells import (
    GroupKey,
    IndicatorCell,
    suppress_count,
    suppressed_rows,
)

# (keys, counts, min_cell, suppressed indexes)
CASES: list[tuple[list[GroupKey], list[int], int, set[int]]] = [
    # nothing small
    ([("a",), ("b",)], [5, 9], 5, set()),
    # one small cell: the next smallest goes with it, not the larger one
    ([("a",), ("b",), ("c",)], [4, 20, 6], 5, {0, 2}),
    # ties: the first of the smallest
    ([("a",), ("b",), ("c",)], [2, 7, 7], 5, {0, 1}),
    # two small cells protect each other
    ([("a",), ("b",), ("c",)], [1, 3, 30], 5, {0, 1}),
    # an empty cell reveals nothing and is no complement
    ([("a",), ("b",), ("c",)], [0, 3, 30], 5, {1, 2}),
    # a single row: nothing to subtract it from but the total (hidden too by the caller)
    ([("a",)], [3], 5, {0}),
    # threshold 1: nothing is ever hidden
    ([("a",), ("b",)], [1, 1], 1, set()),
    # two dimensions: (x,1) small -> (x,2) along dim 2; then (y,2) along dim 1
    ([("x", 1), ("x", 2), ("y", 1), ("y", 2)], [3, 10, 12, 11], 5, {0, 1, 2, 3}),
    # 2 x 3: x1 small -> y1 (year 1 siblings); x2 (x's siblings); y2 (y's siblings);
    # year 3 keeps its figures
    (
        [("x", 1), ("x", 2), ("x", 3), ("y", 1), ("y", 2), ("y", 3)],
        [3, 10, 20, 8, 9, 30],
        5,
        {0, 1, 3, 4},
    ),
]


@pytest.mark.parametrize(("keys", "counts", "min_cell", "expected"), CASES)
def test_suppressed_rows(
    keys: list[GroupKey], counts: list[int], min_cell: int, expected: set[int]
) -> None:
    assert suppressed_rows(keys, counts, min_cell) == expected


def test_no_suppressed_cell_can_be_recovered_from_the_total() -> None:
    keys: list[GroupKey] = [(k,) for k in "abcdef"]
    counts = [4, 6, 8, 30, 2, 40]
    hidden = suppressed_rows(keys, counts, 5)
    assert {0, 4} <= hidden
    assert len(hidden) != 1  # the total minus the shown rows is a sum of 2+ hidden cells


@pytest.mark.parametrize(
    ("count", "threshold", "shown"),
    [(0, 5, 0), (1, 5, None), (4, 5, None), (5, 5, 5), (None, 5, None)],
)
def test_suppress_count(count: int | None, threshold: int, shown: int | None) -> None:
    assert suppress_count(count, threshold) == shown


def test_hidden_cell_withholds_every_figure() -> None:
    cell = IndicatorCell.of(3, 4, {"no_record": 1}, lower_denominator=5)
    assert (cell.value, cell.lower_bound) == (0.75, 0.6)
    hidden = cell.hidden()
    assert hidden.suppressed
    assert (hidden.numerator, hidden.denominator, hidden.value, hidden.n) == (None,) * 4
    assert hidden.extras == {"no_record": None} and hidden.lower_bound is None
    assert IndicatorCell.of(0, 0).value is None
