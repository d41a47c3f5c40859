"""Our Chinese skill gold set: sentences, stored spans, and span-level scoring.

The gold file (``benchmarks/data/zh_skills_gold.jsonl``) holds no posting text, only
where to find it: one JSON object per line,

    {"row": 57, "sentence": 3, "sha1": "…", "spans": [[0, 6, "tb.office…", []], …]}

``row`` is the 51job file's row number as a person counts it (header = 1), ``sentence``
the index into ``posting_sentences`` of that row's description, ``sha1`` the SHA-1 of
that sentence's UTF-8 text (so a change of the splitter or of the cleaning is caught,
never silently misaligned), and each span ``[start, end, concept, flags]`` a half-open
character range of the sentence, a concept key of the bundled taxonomy or ``UNK``, and
a list of flags (``"negated"``, ``"preferred"``; may be omitted). The annotation rules
are in ``docs/annotation-zh-skills.md``.

``posting_sentences`` defines the offsets: change it and every sha1 in the gold file
stops matching (``resolve`` says so). Keep it stable.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from talentbridge.errors import InputFileError
from talentbridge.pipeline.clean import clean_text, split_sections
from talentbridge.pipeline.columns import unwrap_cell
from talentbridge.pipeline.readers import read_table
from talentbridge.taxonomy.span_eval import Scores

UNK = "UNK"
FLAGS = frozenset({"negated", "preferred"})
DESCRIPTION_COLUMN = "岗位信息"

# A break after 。；;！!？? (full-width forms are half-width after cleaning), at a line
# break, and before a numbered item: "1、" "2." "3)" "(4)" — a number of one or two
# digits not preceded by a digit, a Latin letter, an opening bracket or a digit-and-dot,
# and not followed by a digit ("1.5年", "2.0.3", "Java8.", "Python3." are not items;
# "能力.2、" is; "(3)" breaks once, before its bracket).
_SPLIT = re.compile(
    r"(?<=[。；;！!？?])|\n"
    r"|(?=(?<![\dA-Za-z(（])(?<!\d\.)\d{1,2}\s*[、.)）](?!\d))"
    r"|(?=[(（]\d{1,2}[)）])"
)


def posting_sentences(description: str) -> list[str]:
    """The requirement sentences of a posting description, in order.

    ``clean_text`` → ``split_sections(...).requirements`` → split on 。；;！!？?, line
    breaks and numbered items (the number stays at the start of its sentence) → each
    piece stripped of surrounding spaces; pieces without a letter, digit or Chinese
    character (empty, or punctuation only such as a stray "?") dropped. Gold offsets
    index these strings.
    """
    requirements = split_sections(clean_text(description)).requirements
    pieces = (piece.strip() for piece in _SPLIT.split(requirements))
    return [piece for piece in pieces if any(char.isalnum() for char in piece)]


def sentence_sha1(sentence: str) -> str:
    return hashlib.sha1(sentence.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class GoldSpan:
    row: int
    sentence: int
    start: int
    end: int
    concept: str
    negated: bool = False
    preferred: bool = False


@dataclass(frozen=True)
class GoldSentence:
    row: int
    sentence: int
    sha1: str
    spans: tuple[GoldSpan, ...] = field(default=())

    @property
    def key(self) -> tuple[int, int]:
        return (self.row, self.sentence)


def load_gold(path: Path) -> list[GoldSentence]:
    """Read a gold JSONL file; a malformed line is an ``InputFileError`` naming it."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputFileError(path, f"cannot read the gold file: {exc}") from exc
    out: list[GoldSentence] = []
    seen: set[tuple[int, int]] = set()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            sentence = _parse(json.loads(line))
        except (ValueError, TypeError, KeyError) as exc:
            raise InputFileError(path, f"line {number}: {exc}") from exc
        if sentence.key in seen:
            raise InputFileError(
                path, f"line {number}: row {sentence.row} sentence {sentence.sentence} repeated"
            )
        seen.add(sentence.key)
        out.append(sentence)
    return out


def _parse(record: object) -> GoldSentence:
    if not isinstance(record, dict):
        raise ValueError("not a JSON object")
    row, index, sha1 = record["row"], record["sentence"], record["sha1"]
    if not (isinstance(row, int) and isinstance(index, int) and isinstance(sha1, str)):
        raise ValueError("row and sentence must be integers and sha1 a string")
    spans: list[GoldSpan] = []
    for item in record["spans"]:
        if not isinstance(item, list) or len(item) not in (3, 4):
            raise ValueError(f"span {item!r} is not [start, end, concept, flags]")
        start, end, concept = item[0], item[1], item[2]
        flags = item[3] if len(item) == 4 else []
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end):
            raise ValueError(f"span {item!r}: offsets must be integers with 0 <= start < end")
        if not isinstance(concept, str) or not concept:
            raise ValueError(f"span {item!r}: concept must be a key or {UNK}")
        if not isinstance(flags, list) or not set(flags) <= FLAGS:
            raise ValueError(f"span {item!r}: flags must be a list of {sorted(FLAGS)}")
        spans.append(
            GoldSpan(row, index, start, end, concept, "negated" in flags, "preferred" in flags)
        )
    spans.sort(key=lambda s: (s.start, s.end))
    for a, b in itertools.pairwise(spans):
        if b.start < a.end:
            raise ValueError(f"spans {a.start}-{a.end} and {b.start}-{b.end} overlap")
    return GoldSentence(row, index, sha1, tuple(spans))


def resolve(gold: Sequence[GoldSentence], postings: Path) -> dict[tuple[int, int], str]:
    """The text of every gold sentence, read from the postings file, by (row, sentence).

    Every sentence's SHA-1 and every span's end are checked against the text found; a
    missing row or sentence, a changed text or a span past the end raises
    ``InputFileError`` naming the row and sentence.
    """
    wanted: dict[int, list[GoldSentence]] = {}
    for item in gold:
        wanted.setdefault(item.row, []).append(item)
    texts: dict[tuple[int, int], str] = {}
    with read_table(Path(postings)) as table:
        for row in table:
            items = wanted.pop(row.row_number, None)
            if items is None:
                continue
            sentences = posting_sentences(unwrap_cell(row.values.get(DESCRIPTION_COLUMN, "")))
            for item in items:
                texts[item.key] = _checked(postings, item, sentences)
            if not wanted:
                break
    if wanted:
        missing = ", ".join(str(r) for r in sorted(wanted))
        raise InputFileError(postings, f"gold rows not in the postings file: {missing}")
    return texts


def _checked(postings: Path, item: GoldSentence, sentences: Sequence[str]) -> str:
    where = f"row {item.row} sentence {item.sentence}"
    if not 0 <= item.sentence < len(sentences):
        raise InputFileError(
            postings, f"{where}: the posting has only {len(sentences)} requirement sentences"
        )
    text = sentences[item.sentence]
    if sentence_sha1(text) != item.sha1:
        raise InputFileError(
            postings,
            f"{where}: sentence text changed (sha1 {sentence_sha1(text)} != gold {item.sha1}); "
            "the data file or posting_sentences/clean_text changed, re-check the annotation",
        )
    for span in item.spans:
        if span.end > len(text):
            raise InputFileError(postings, f"{where}: span {span.start}-{span.end} past the end")
    return text


# --- scoring -------------------------------------------------------------------------------

Labelled = tuple[int, int, str]  # start, end, concept


@dataclass
class Counts:
    """Micro-averaged span counts over sentences (see ``taxonomy.span_eval``).

    With ``concept=True`` a prediction matches a gold span only when the concepts are
    equal too (exact: same offsets and concept; partial: overlap and same concept).
    """

    concept: bool = False
    predicted: int = 0
    gold: int = 0
    exact_right: int = 0
    exact_found: int = 0
    partial_right: int = 0
    partial_found: int = 0

    def add(self, gold: Iterable[Labelled], predicted: Iterable[Labelled]) -> None:
        golds = {self._key(g) for g in gold}
        preds = {self._key(p) for p in predicted}
        self.gold += len(golds)
        self.predicted += len(preds)
        self.exact_right += len(golds & preds)
        self.exact_found += len(golds & preds)
        self.partial_right += sum(1 for p in preds if any(_near(p, g) for g in golds))
        self.partial_found += sum(1 for g in golds if any(_near(p, g) for p in preds))

    def _key(self, span: Labelled) -> Labelled:
        return span if self.concept else (span[0], span[1], "")

    def exact(self) -> Scores:
        return Scores.of(self.exact_right, self.predicted, self.exact_found, self.gold)

    def partial(self) -> Scores:
        return Scores.of(self.partial_right, self.predicted, self.partial_found, self.gold)


def _near(a: Labelled, b: Labelled) -> bool:
    return a[0] < b[1] and b[0] < a[1] and a[2] == b[2]


def score(
    gold: Mapping[tuple[int, int], Iterable[Labelled]],
    predicted: Mapping[tuple[int, int], Iterable[Labelled]],
    *,
    concept: bool,
) -> Counts:
    """Span counts over every gold sentence (predictions on other sentences are ignored)."""
    counts = Counts(concept=concept)
    for key, spans in gold.items():
        counts.add(spans, predicted.get(key, ()))
    return counts


def labelled(spans: Iterable[GoldSpan], *, known_only: bool = False) -> list[Labelled]:
    """Gold spans as (start, end, concept); ``known_only`` drops the ``UNK`` ones."""
    return [(s.start, s.end, s.concept) for s in spans if not (known_only and s.concept == UNK)]
