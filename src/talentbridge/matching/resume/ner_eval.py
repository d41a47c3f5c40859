"""Entity-level evaluation of résumé entity extraction on character-level BMES data.

Pure functions (no I/O but ``read_bmes``), used by ``benchmarks/resume_ner_bench.py``
and its tests. The format (one ``char TAG`` per line, blank line between sentences,
``B-`` ``M-`` ``E-`` ``S-`` prefixes and ``O``) is that of the Chinese résumé NER data
of Zhang & Yang (2018).

Scoring is exact match: a predicted entity is right when a gold entity of the same type
has the same start and end. Precision, recall and F1 per type and micro-averaged over
all types (the sum of counts).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

Span = tuple[int, int, str]  # start, end (exclusive), type


@dataclass(frozen=True)
class Sentence:
    text: str
    entities: tuple[Span, ...]


@dataclass
class BmesReport:
    """What ``read_bmes`` read: sentences and how many lines or tags it had to skip."""

    sentences: list[Sentence] = field(default_factory=list)
    skipped_lines: int = 0  # lines that are not "char TAG"
    broken_entities: int = 0  # tag sequences that do not close (B without E …)


def bmes_spans(tags: Sequence[str]) -> tuple[list[Span], int]:
    """Entities of a BMES tag sequence and the number of malformed ones (dropped)."""
    spans: list[Span] = []
    broken = 0
    start: int | None = None
    kind = ""
    for i, tag in enumerate(tags):
        head, _, name = tag.partition("-")
        if head == "S":
            broken += start is not None
            spans.append((i, i + 1, name))
            start = None
        elif head == "B":
            broken += start is not None
            start, kind = i, name
        elif head in ("M", "E"):
            if start is None or name != kind:
                broken += 1
                start = None
            elif head == "E":
                spans.append((start, i + 1, kind))
                start = None
        else:  # O
            broken += start is not None
            start = None
    broken += start is not None
    return spans, broken


def parse_bmes(lines: Iterable[str]) -> BmesReport:
    report = BmesReport()
    chars: list[str] = []
    tags: list[str] = []

    def close() -> None:
        if chars:
            spans, broken = bmes_spans(tags)
            report.broken_entities += broken
            report.sentences.append(Sentence("".join(chars), tuple(spans)))
            chars.clear()
            tags.clear()

    for raw in lines:
        line = raw.rstrip("\r\n")
        if not line.strip():
            close()
            continue
        parts = line.split(" ")
        if len(parts) != 2 or len(parts[0]) != 1 or not parts[1]:
            report.skipped_lines += 1
            continue
        chars.append(parts[0])
        tags.append(parts[1])
    close()
    return report


def read_bmes(path: Path) -> BmesReport:
    with path.open(encoding="utf-8", newline="") as handle:
        return parse_bmes(handle)


@dataclass
class Counts:
    right: int = 0
    predicted: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.right / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.right / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


@dataclass
class Scoreboard:
    """Counts per entity type; ``micro`` sums them."""

    by_type: dict[str, Counts] = field(default_factory=dict)

    def add(self, gold: Iterable[Span], predicted: Iterable[Span]) -> None:
        golds, preds = set(gold), set(predicted)
        for start, end, kind in golds:
            self._of(kind).gold += 1
            if (start, end, kind) in preds:
                self._of(kind).right += 1
        for _s, _e, kind in preds:
            self._of(kind).predicted += 1

    def _of(self, kind: str) -> Counts:
        return self.by_type.setdefault(kind, Counts())

    @property
    def micro(self) -> Counts:
        total = Counts()
        for counts in self.by_type.values():
            total.right += counts.right
            total.predicted += counts.predicted
            total.gold += counts.gold
        return total
