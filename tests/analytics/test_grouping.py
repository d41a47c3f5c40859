"""group_sums against a plain dictionary group-by, on every path it takes."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pytest

from talentbridge.analytics.grouping import group_sums


def reference(keys: list[np.ndarray], values: list[np.ndarray]) -> list[tuple[int, ...]]:
    sums: dict[tuple[int, ...], list[int]] = defaultdict(lambda: [0] * len(values))
    for i in range(len(keys[0])):
        key = tuple(int(k[i]) for k in keys)
        for j, v in enumerate(values):
            sums[key][j] += int(v[i])
    return [(*key, *sums[key]) for key in sorted(sums)]


@pytest.mark.parametrize(
    ("rows", "highs"),
    [
        (5_000, (3, 40, 12)),  # few cells: one bincount
        (5_000, (2_000, 2_000, 30)),  # many cells: renumbered, then sorted
        (3_000, (1 << 23, 50)),  # a wide span: packed and sorted
        (1, (7,)),
    ],
)
def test_group_sums_matches_a_dictionary_group_by(rows: int, highs: tuple[int, ...]) -> None:
    rng = np.random.default_rng(rows + len(highs))
    keys = [rng.integers(-3, high, rows) for high in highs]
    values = [rng.integers(0, 1_000, rows), np.ones(rows, np.int64)]
    assert group_sums(keys, values, [None] * len(keys)) == reference(keys, values)


def test_group_sums_decodes_named_columns_and_handles_no_rows() -> None:
    names = ["circle", "all"]
    keys = [np.array([1, 0, 1]), np.array([5, 5, 5])]
    assert group_sums(keys, [np.array([2, 3, 4])], [names, None]) == [
        ("circle", 5, 3),
        ("all", 5, 6),
    ]
    assert group_sums([np.array([], np.int64)], [np.array([], np.int64)], [None]) == []
