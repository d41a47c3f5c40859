"""Group-by-sum over integer key columns with numpy, for the demand cube's refresh.

``group_sums(keys, values, names)`` sums each column of ``values`` per distinct tuple of
``keys`` (parallel int64 arrays) and returns one tuple per distinct key (keys, then sums)
in key order; key columns with a list in ``names`` are decoded through it. Narrow keys
(ids, small codes) are counted rather than sorted: each column is renumbered to the
values present, and when the product of those counts is small, one ``bincount`` places
every tuple (no sort at all); otherwise the tuples are packed into one int64 and sorted
once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

Counts = list[tuple[Any, ...]]  # key columns, then measures; each key once


def group_sums(
    keys: Sequence[np.ndarray], values: Sequence[np.ndarray], names: Sequence[list[str] | None]
) -> Counts:
    """Sum ``values`` per distinct key tuple; key columns with ``names`` are decoded. Rows
    come out in key order."""
    if not len(keys[0]):
        return []
    lows = [int(k.min()) for k in keys]
    spans = [int(k.max()) - low + 1 for k, low in zip(keys, lows, strict=True)]
    if max(spans) <= DENSE_SPAN:
        unique, inverse = _dense_unique(keys, lows, spans)
    else:
        unique, inverse = _sorted_unique(keys, lows, spans)
    sums = [np.bincount(inverse, weights=v, minlength=len(unique)).astype(np.int64) for v in values]
    columns: list[list[Any]] = []
    for j, decode in enumerate(names):
        column = unique[:, j].tolist()
        columns.append([decode[x] for x in column] if decode is not None else column)
    return list(zip(*columns, *(s.tolist() for s in sums), strict=True))


DENSE_SPAN = 1 << 22  # largest key span renumbered by counting rather than sorting
DENSE_CELLS = 1 << 22  # largest key space counted with one bincount (~80 MB at most)


def _dense_unique(
    keys: Sequence[np.ndarray], lows: Sequence[int], spans: Sequence[int]
) -> tuple[np.ndarray, np.ndarray]:
    """Distinct key tuples and each row's index among them, by counting: each column is
    renumbered to the values present (order kept), and when the product of those counts
    is small every tuple gets one cell of a bincount, so nothing is sorted."""
    dense, levels = [], []
    for k, low, span in zip(keys, lows, spans, strict=True):
        present = np.bincount(k - low, minlength=span) > 0
        levels.append(np.flatnonzero(present) + low)
        dense.append((np.cumsum(present) - 1)[k - low])
    sizes = [len(level) for level in levels]
    cells = 1
    for size in sizes:
        cells *= size
    if cells > DENSE_CELLS:
        unique, inverse = _sorted_unique(dense, [0] * len(dense), sizes)
        return np.stack([lv[unique[:, j]] for j, lv in enumerate(levels)], axis=1), inverse
    code = np.zeros(len(keys[0]), np.int64)
    for d, size in zip(dense, sizes, strict=True):
        code = code * size + d
    used = np.bincount(code, minlength=cells) > 0
    codes = np.flatnonzero(used)
    inverse = (np.cumsum(used) - 1)[code]
    parts = []
    for level, size in zip(reversed(levels), reversed(sizes), strict=True):
        parts.append(level[codes % size])
        codes = codes // size
    return np.stack(parts[::-1], axis=1), inverse


def _sorted_unique(
    keys: Sequence[np.ndarray], lows: Sequence[int], spans: Sequence[int]
) -> tuple[np.ndarray, np.ndarray]:
    if sum(max(1, span - 1).bit_length() for span in spans) <= 62:
        # mixed-radix code of each key tuple in one int64: a 1-D unique is ~50× faster
        code = np.zeros(len(keys[0]), np.int64)
        for k, low, span in zip(keys, lows, spans, strict=True):
            code = code * span + (k - low)
        codes, inverse = np.unique(code, return_inverse=True)
        parts = []
        for low, span in zip(reversed(lows), reversed(spans), strict=True):
            parts.append(codes % span + low)
            codes = codes // span
        unique = np.stack(parts[::-1], axis=1)
    else:
        unique, inverse = np.unique(np.stack(keys, axis=1), axis=0, return_inverse=True)
    return unique, inverse.reshape(-1)
