"""Span-level precision, recall and F1 for skill extraction against BIO-tagged gold.

Pure functions (no I/O) used by ``benchmarks/skillspan_eval.py``. Spans are half-open
token ranges ``(start, end)``. Two ways of counting:

* **exact**: a predicted span is right when a gold span has the same start and end;
  a gold span is found when a prediction equals it.
* **partial** (relaxed): a predicted span is right when it overlaps any gold span by
  at least one token; a gold span is found when any prediction overlaps it.

Counts are micro-averaged over all sentences: precision = right predictions / all
predictions, recall = found gold spans / all gold spans.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

Span = tuple[int, int]


def bio_spans(tags: Sequence[str]) -> list[Span]:
    """Spans of a BIO sequence (``B``/``I``/``O`` or ``B-Skill``…); a stray ``I`` opens one."""
    spans: list[Span] = []
    start: int | None = None
    for i, tag in enumerate(tags):
        head = tag[:1].upper()
        if head == "B" or (head == "I" and start is None):
            if start is not None:
                spans.append((start, i))
            start = i
        elif head != "I" and start is not None:
            spans.append((start, i))
            start = None
    if start is not None:
        spans.append((start, len(tags)))
    return spans


def join_tokens(tokens: Sequence[str]) -> tuple[str, list[Span]]:
    """The sentence as text (tokens joined by one space) and each token's character span."""
    offsets: list[Span] = []
    position = 0
    for token in tokens:
        offsets.append((position, position + len(token)))
        position += len(token) + 1
    return " ".join(tokens), offsets


def token_span(offsets: Sequence[Span], start: int, end: int) -> Span | None:
    """The tokens a character span ``[start, end)`` touches, or None if it touches none."""
    touched = [i for i, (s, e) in enumerate(offsets) if s < end and start < e]
    return (touched[0], touched[-1] + 1) if touched else None


@dataclass
class SpanCounts:
    predicted: int = 0
    gold: int = 0
    exact_right: int = 0
    exact_found: int = 0
    partial_right: int = 0
    partial_found: int = 0

    def add(self, gold: Iterable[Span], predicted: Iterable[Span]) -> None:
        golds, preds = set(gold), set(predicted)
        self.gold += len(golds)
        self.predicted += len(preds)
        self.exact_right += len(golds & preds)
        self.exact_found += len(golds & preds)
        self.partial_right += sum(1 for p in preds if any(_overlap(p, g) for g in golds))
        self.partial_found += sum(1 for g in golds if any(_overlap(p, g) for p in preds))

    def exact(self) -> Scores:
        return Scores.of(self.exact_right, self.predicted, self.exact_found, self.gold)

    def partial(self) -> Scores:
        return Scores.of(self.partial_right, self.predicted, self.partial_found, self.gold)


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float

    @classmethod
    def of(cls, right: int, predicted: int, found: int, gold: int) -> Scores:
        precision = right / predicted if predicted else 0.0
        recall = found / gold if gold else 0.0
        total = precision + recall
        return cls(precision, recall, 2 * precision * recall / total if total else 0.0)


def _overlap(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]
