"""Text cleaning shared by ingestion and skill extraction.

Full-width → half-width, traditional → simplified (OpenCC), HTML stripped, whitespace
collapsed, and boilerplate (company blurbs, benefits lists) separated from the
requirements text. Pure functions; the OpenCC converter is built once, lazily.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from typing import Protocol

_FULL_TO_HALF = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_HALF_OF = {chr(full): chr(half) for full, half in _FULL_TO_HALF.items()}
_FULL_WIDTH = re.compile("[\uff01-\uff5e\u3000]")
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_BLOCK_TAGS = {"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol"}
_TAG_HINT = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>|&[a-zA-Z#0-9]+;")


class _Converter(Protocol):
    def convert(self, text: str) -> str: ...


@lru_cache(maxsize=1)
def _t2s() -> _Converter:
    import opencc

    converter: _Converter = opencc.OpenCC("t2s")
    return converter


def to_half_width(text: str) -> str:
    """Full-width ASCII forms and the ideographic space to their half-width forms."""
    # Replacing the few distinct characters present is several times faster on CJK text
    # than ``str.translate`` with a dict (which looks up every character).
    for char in set(_FULL_WIDTH.findall(text)):
        text = text.replace(char, _HALF_OF[char])
    return text


def to_simplified(text: str) -> str:
    """Traditional Chinese characters to simplified (OpenCC ``t2s``)."""
    if text.isascii():
        return text
    return _t2s().convert(text)


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def strip_html(text: str) -> str:
    """Text content of an HTML fragment (block tags become line breaks)."""
    if not _TAG_HINT.search(text):
        return text
    parser = _TextExtractor()
    parser.feed(text)
    parser.close()
    return html.unescape("".join(parser.parts))


def collapse_whitespace(text: str) -> str:
    lines = (line.strip() for line in _SPACES.sub(" ", text).split("\n"))
    return "\n".join(line for line in lines if line)


def clean_text(text: str | None) -> str:
    """The normalization every posting text goes through before anything reads it."""
    if not text:
        return ""
    return collapse_whitespace(to_simplified(to_half_width(strip_html(text))))


# --- boilerplate ----------------------------------------------------------------

_SENTENCE_SPLIT = re.compile(r"(?<=[。；;!！?？])|\n|(?=(?<![\d.])\d{1,2}\s*[、.)）](?!\d))")
_COMPANY_CUES = (
    "公司简介",
    "公司介绍",
    "关于我们",
    "我们是",
    "成立于",
    "是一家",
    "公司成立",
    "总部位于",
    "注册资本",
    "旗下",
    "集团",
    "企业简介",
    "about us",
    "we are a",
    "founded in",
)
_BENEFIT_CUES = (
    "五险一金",
    "六险一金",
    "带薪年假",
    "年终奖",
    "节日福利",
    "包吃住",
    "包住",
    "餐补",
    "交通补",
    "住房补贴",
    "员工旅游",
    "定期体检",
    "福利待遇",
    "薪资福利",
    "周末双休",
    "双休",
    "团建",
    "绩效奖金",
    "补充医疗",
    "benefits",
    "paid leave",
    "social insurance",
)
_REQUIREMENT_CUES = (
    "要求",
    "职责",
    "负责",
    "熟悉",
    "熟练",
    "掌握",
    "具备",
    "具有",
    "优先",
    "能够",
    "经验",
    "学历",
    "证书",
    "requirement",
    "responsib",
    "experience",
    "skill",
)


@dataclass(frozen=True)
class Sections:
    requirements: str
    company: str
    benefits: str


def _any_of(cues: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(cue) for cue in cues))


_ANY_BENEFIT = _any_of(_BENEFIT_CUES)
_ANY_COMPANY = _any_of(_COMPANY_CUES)
_ANY_CUE = _any_of(_BENEFIT_CUES + _COMPANY_CUES)
# Where _SENTENCE_SPLIT cuts, found by one character per cut: a sentence end (kept with
# its sentence), a line break (dropped), or the first digit of an enumerator (1、 2. 3))
# that is not part of a number (the next sentence starts there). Cheaper than splitting
# on zero-width matches, which tries three alternatives at every position.
_CUT = re.compile(r"[。；;!！?？\n]|\d(?<![\d.]\d)(?=\d?\s*[、.)）](?!\d))")
_SENTENCE_END = frozenset("。；;!！?？")
_COMPANY_HEADINGS = ("公司简介", "公司介绍", "关于我们")
_BENEFIT_HEADINGS = ("福利", "待遇", "benefits")
_REQUIREMENT_HEADINGS = ("要求", "职责", "任职", "岗位")
_STAY_REQUIREMENTS = ("要求", "职责", "熟悉", "熟练", "掌握")


def _hits(cues: tuple[str, ...], any_cue: re.Pattern[str], text: str) -> int:
    """How many of ``cues`` occur in ``text`` (one regex search first: most sentences have none)."""
    if any_cue.search(text) is None:
        return 0
    return sum(cue in text for cue in cues)


def _kind(sentence: str) -> str:
    lowered = sentence.lower()
    if _ANY_CUE.search(lowered) is None:
        return "requirements"
    benefit_hits = _hits(_BENEFIT_CUES, _ANY_BENEFIT, lowered)
    company_hits = _hits(_COMPANY_CUES, _ANY_COMPANY, lowered)
    if not benefit_hits and not company_hits:
        return "requirements"
    requirement_hits = sum(cue in lowered for cue in _REQUIREMENT_CUES)
    if benefit_hits and benefit_hits >= requirement_hits:
        return "benefits"
    if company_hits and company_hits > requirement_hits:
        return "company"
    return "requirements"


def _spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every piece of ``_SENTENCE_SPLIT.split(text)``, in order."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _CUT.finditer(text):
        cut = match.start()
        char = text[cut]
        if char in _SENTENCE_END:
            spans.append((start, cut + 1))
            start = cut + 1
        elif char == "\n":
            spans.append((start, cut))
            start = cut + 1
        else:
            spans.append((start, cut))
            start = cut
    spans.append((start, len(text)))
    return spans


def _sentences(text: str) -> list[str]:
    """The non-empty, stripped pieces of ``_SENTENCE_SPLIT.split(text)``, in order."""
    return [piece for start, end in _spans(text) if (piece := text[start:end].strip())]


def split_sections(text: str) -> Sections:
    """Split cleaned posting text into requirements, company blurb and benefits.

    Headings such as ``公司简介`` and ``福利待遇`` switch the section for the lines
    after them; other sentences are classified one by one by their cue words.
    """
    buckets: dict[str, list[str]] = {"requirements": [], "company": [], "benefits": []}
    heading: str | None = None
    # A sentence with no benefit or company cue is "requirements" by ``_kind``. One search
    # of the whole lowered text finds every sentence that has one: no cue contains a cut
    # character or starts with a space, so no match spans two pieces, and the leftmost
    # match in a piece with a cue starts inside it. When lowering changes the length
    # (İ → i̇), positions do not line up and every sentence is classified.
    lowered = text.lower()
    aligned = len(lowered) == len(text)
    cue_starts = [match.start() for match in _ANY_CUE.finditer(lowered)] if aligned else []
    cue_starts.append(len(text))  # sentinel
    next_cue = 0
    for start, end in _spans(text):
        sentence = text[start:end].strip()
        if not sentence:
            continue
        # ``lower()`` never shortens a string: a long sentence is no heading.
        bare = sentence.rstrip(":：")
        head = bare.lower() if len(bare) <= 8 else bare
        if len(head) <= 8:
            if any(cue in head for cue in _COMPANY_HEADINGS):
                heading = "company"
                continue
            if any(cue in head for cue in _BENEFIT_HEADINGS):
                heading = "benefits"
                continue
            if any(cue in head for cue in _REQUIREMENT_HEADINGS):
                heading = None
        if aligned:
            while cue_starts[next_cue] < start:
                next_cue += 1
            kind = _kind(sentence) if cue_starts[next_cue] < end else "requirements"
        else:
            kind = _kind(sentence)
        if (
            heading is not None
            and kind == "requirements"
            and not any(cue in sentence for cue in _STAY_REQUIREMENTS)
        ):
            kind = heading
        buckets[kind].append(sentence)
    return Sections(
        requirements="".join(buckets["requirements"]),
        company="".join(buckets["company"]),
        benefits="".join(buckets["benefits"]),
    )
