"""The span scorer behind benchmarks/skillspan_eval.py, on hand-written gold."""

from __future__ import annotations

import pytest

from talentbridge.taxonomy.span_eval import (
    SpanCounts,
    bio_spans,
    join_tokens,
    token_span,
)


def test_bio_tags_become_spans_including_stray_inside_tags() -> None:
    assert bio_spans(["O", "B", "I", "O", "B", "B", "I"]) == [(1, 3), (4, 5), (5, 7)]
    assert bio_spans(["I-Skill", "I-Skill", "O", "B-Skill"]) == [(0, 2), (3, 4)]
    assert bio_spans(["O", "O"]) == []


def test_character_spans_map_back_to_the_tokens_they_touch() -> None:
    text, offsets = join_tokens(["experience", "with", "project", "management", "."])

    assert text == "experience with project management ."
    start = text.index("project management")
    assert token_span(offsets, start, start + len("project management")) == (2, 4)
    assert token_span(offsets, start + 2, start + 5) == (2, 3)  # inside one token
    assert token_span(offsets, len("experience"), len("experience") + 1) is None  # a space


def test_exact_and_partial_scores_count_predictions_and_gold_separately() -> None:
    counts = SpanCounts()
    # gold: (0,2) and (5,8); predicted: (0,2) exact, (6,7) overlaps (5,8), (9,10) wrong
    counts.add([(0, 2), (5, 8)], [(0, 2), (6, 7), (9, 10)])
    # second sentence: one gold span, nothing predicted
    counts.add([(1, 3)], [])

    exact, partial = counts.exact(), counts.partial()
    assert (counts.gold, counts.predicted) == (3, 3)
    assert exact.precision == pytest.approx(1 / 3)
    assert exact.recall == pytest.approx(1 / 3)
    assert exact.f1 == pytest.approx(1 / 3)
    assert partial.precision == pytest.approx(2 / 3)
    assert partial.recall == pytest.approx(2 / 3)


def test_no_predictions_or_no_gold_score_zero_without_dividing_by_zero() -> None:
    counts = SpanCounts()
    counts.add([], [])
    assert counts.exact().f1 == 0.0
    counts.add([(0, 1)], [])
    assert (counts.exact().precision, counts.exact().recall) == (0.0, 0.0)
