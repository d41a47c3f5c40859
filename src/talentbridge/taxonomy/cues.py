"""Preference and negation cues around extracted skills ("…者优先", "无需…", "not required").

The extractor's automaton finds the cue words together with the labels (one pass); this
module decides which hits each cue governs. Text is split into

* sentences, at 。;!?, a full stop followed by a space, line breaks and numbered items
  (``1、`` ``2.`` ``(3)``);
* clauses, inside a sentence, at ``:``, at contrast words (但/但是/不过, but, however),
  and at commas next to Chinese text (after cleaning, ``，`` is ``,``); in English a
  comma usually separates list items and does not end the clause;
* segments, inside a clause, at every comma (English ones too).

Rules (decisions, tested in ``tests/taxonomy/test_extractor.py``):

* A preference cue (优先, 加分, 更佳, 最好, 为佳, preferred, a plus, nice to have, is an
  advantage, bonus, …) makes every hit of its clause *preferred*: "有报关经验者优先",
  "Experience with SAP, Oracle is a plus". A clause that is only a heading ending in
  ``:`` ("Nice to have:") covers the rest of its sentence, and a sentence that is only
  such a heading ("加分项:") covers the following sentences up to the next heading.
* A negation cue governs the hits of its own segment, in its direction: Chinese cues
  (无需, 不要求, 不需要, 不必, 不限, 非必须, 不作要求…) either side ("无需报关经验",
  "对英语口语不作要求"); English ones forward ("no need for", "without") or backward
  ("not required", "optional"). It reaches further segments in that direction only
  through list-like segments (nothing but hits and 和/及/或/and/or): "Python, SQL not
  required" negates both, "Proficient in Excel, SAP not required" only SAP, and
  "不限专业,熟悉Excel" nothing.
* "不限于" / "但不限于" ("including but not limited to") cancels the 不限 inside it.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

PREFERRED = "preferred"
NEGATION = "negation"
CANCEL = "cancel"

# cue text (lowercase) -> (kind, direction); direction: both | fwd | back
CUES: dict[str, tuple[str, str]] = {
    **{
        cue: (PREFERRED, "both")
        for cue in (
            "优先", "加分", "更佳", "最好", "为佳", "更好", "是加分项",
            "preferred", "a plus", "nice to have", "nice-to-have", "is an advantage",
            "an advantage", "advantageous", "bonus", "desirable", "preferably",
        )
    },
    **{
        cue: (NEGATION, "both")
        for cue in (
            "不要求", "不需要", "无需", "无须", "不需", "不必", "不限", "不用", "非必须",
            "非必需", "不作要求", "不做要求", "不是必须", "不强求", "没有要求",
        )
    },
    **{
        cue: (NEGATION, "fwd")
        for cue in (
            "no need for", "no need to", "without", "don't need", "do not need",
            "does not need", "not required to", "no requirement for", "no prior",
        )
    },
    **{
        cue: (NEGATION, "back")
        for cue in (
            "not required", "not necessary", "not mandatory", "optional", "not a must",
            "not needed", "not essential",
        )
    },
    **{cue: (CANCEL, "both") for cue in ("不限于", "但不限于", "not limited to")},
}  # fmt: skip

# A match's start is a sentence break: 。;!? or a line break, a full stop before a space,
# a numbered item ("1、" "2." "3)" "(4)"; not "3.5").
_SENTENCE_BREAK = re.compile(r"[。;!?\n]|\.(?=\s|$)|\d(?<![\d.]\d)\d?\s*[、.)](?!\d)|\(\d{1,2}\)")
_CLAUSE_BREAK = re.compile(
    r":|但是?|不过|\bbut\b|\bhowever\b|(?<=[\u3400-\u9fff]),|,(?=\s*[\u3400-\u9fff])"
)
_COMMA = re.compile(r",")
_LIST_FILLER = re.compile(
    r"(?:\s|[、/&+,.()\[\]]|以及|或者|和|与|及|或|等|以上|and|or|etc|e\.g\.)*", re.IGNORECASE
)


@dataclass(frozen=True)
class CueMatch:
    start: int
    end: int
    kind: str
    direction: str


def mark(
    text: str, spans: Sequence[tuple[int, int]], cues: Sequence[CueMatch]
) -> list[tuple[bool, bool]]:
    """(preferred, negated) for each hit span of ``text`` (lowercased, half-width).

    ``spans`` are sorted by start and do not overlap. Only the sentences holding a cue
    are split, so the cost follows the cues, not the length of the text.
    """
    cancels = [c for c in cues if c.kind == CANCEL]
    active = [
        c
        for c in cues
        if c.kind != CANCEL and not any(x.start <= c.start and c.end <= x.end for x in cancels)
    ]
    preferred = [False] * len(spans)
    negated = [False] * len(spans)
    if not spans or not active:
        return list(zip(preferred, negated, strict=True))
    starts = [s for s, _ in spans]
    sentences: dict[int, _Sentence] = {}
    for cue in active:
        begin, end = _sentence_at(text, cue.start)
        sentence = sentences.get(begin)
        if sentence is None:
            sentence = sentences[begin] = _Sentence(text, begin, end, spans, starts)
        if cue.kind == PREFERRED:
            sentence.prefer(cue, preferred)
        else:
            sentence.negate(cue, negated)
    return list(zip(preferred, negated, strict=True))


def _sentence_at(text: str, pos: int) -> tuple[int, int]:
    """The sentence around ``pos``: from the last break at or before it to the next."""
    begin, end = max(0, pos - 200), len(text)
    for match in _SENTENCE_BREAK.finditer(text, begin):
        if match.start() > pos:
            end = match.start()
            break
        begin = match.start()
    return begin, end


class _Sentence:
    """One sentence split into clauses and comma segments, with the hits inside it."""

    def __init__(
        self,
        text: str,
        begin: int,
        end: int,
        spans: Sequence[tuple[int, int]],
        starts: list[int],
    ) -> None:
        self.text, self.begin, self.end = text, begin, end
        self.spans = spans
        self.members = range(bisect_left(starts, begin), bisect_left(starts, end))
        self.clauses = [m.start() for m in _CLAUSE_BREAK.finditer(text, begin, end)]
        commas = [m.start() for m in _COMMA.finditer(text, begin, end)]
        self.segments = sorted({*self.clauses, *commas})
        self.clause_of = {i: bisect_right(self.clauses, spans[i][0]) for i in self.members}
        self.segment_of = {i: bisect_right(self.segments, spans[i][0]) for i in self.members}

    def prefer(self, cue: CueMatch, preferred: list[bool]) -> None:
        clause = bisect_right(self.clauses, cue.start)
        covered = False
        for i, c in self.clause_of.items():
            if c == clause:
                preferred[i] = covered = True
        if covered:
            return
        # a heading: "Nice to have: Tableau, Power BI" or "加分项:" on its own line
        colon = self.clauses[clause] if clause < len(self.clauses) else self.end
        if colon >= self.end or self.text[colon] != ":":
            return
        if self.text[colon + 1 : self.end].strip():
            for i in self.members:
                if self.spans[i][0] > colon:
                    preferred[i] = True
            return
        until = _next_heading(self.text, self.end)
        for i, (start, _) in enumerate(self.spans):
            if self.end <= start < until:
                preferred[i] = True

    def negate(self, cue: CueMatch, negated: list[bool]) -> None:
        segment = bisect_right(self.segments, cue.start)
        reach = self._reach(segment, cue.direction)
        for i, own in self.segment_of.items():
            start, end = self.spans[i]
            if own == segment:
                if (
                    cue.direction == "both"
                    or (cue.direction == "fwd" and start >= cue.end)
                    or (cue.direction == "back" and end <= cue.start)
                ):
                    negated[i] = True
            elif own in reach:
                negated[i] = True

    def _bounds(self, index: int) -> tuple[int, int]:
        start = self.segments[index - 1] if index > 0 else self.begin
        end = self.segments[index] if index < len(self.segments) else self.end
        return start, end

    def _list_like(self, index: int) -> bool:
        """Only hits and list words (和/及/或/and/or, separators) in this segment."""
        inside = [self.spans[i] for i, own in self.segment_of.items() if own == index]
        if not inside:
            return False
        start, end = self._bounds(index)
        parts, at = [], start
        for s, e in inside:
            parts.append(self.text[at:s])
            at = max(at, e)
        parts.append(self.text[at:end])
        return all(_LIST_FILLER.fullmatch(part) for part in parts)

    def _reach(self, segment: int, direction: str) -> set[int]:
        """Segments joined to ``segment`` as a list of hits, in ``direction``."""
        reached: set[int] = set()
        for step in {"fwd": (1,), "back": (-1,), "both": (1, -1)}[direction]:
            index = segment + step
            while 0 <= index <= len(self.segments) and self._list_like(index):
                reached.add(index)
                index += step
        return reached


def _next_heading(text: str, begin: int) -> int:
    """Where the next heading ("任职要求:", "Requirements:") after ``begin`` starts."""
    previous = begin
    for match in _SENTENCE_BREAK.finditer(text, begin + 1):
        body = text[previous : match.start()].strip(" \n。;!?.")
        if body.endswith(":") and len(body) <= 40:
            return previous
        previous = match.start()
    body = text[previous:].strip(" \n。;!?.")
    return previous if body.endswith(":") and len(body) <= 40 else len(text)
