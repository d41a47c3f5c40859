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


def _hits(cues: tuple[str, ...], any_cue: re.Pattern[str], text: str) -> int:
    """How many of ``cues`` occur in ``text`` (one regex search first: most sentences have none)."""
    if any_cue.search(text) is None:
        return 0
    return sum(cue in text for cue in cues)


def _kind(sentence: str) -> str:
    lowered = sentence.lower()
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


def split_sections(text: str) -> Sections:
    """Split cleaned posting text into requirements, company blurb and benefits.

    Headings such as ``公司简介`` and ``福利待遇`` switch the section for the lines
    after them; other sentences are classified one by one by their cue words.
    """
    buckets: dict[str, list[str]] = {"requirements": [], "company": [], "benefits": []}
    heading: str | None = None
    for raw in _SENTENCE_SPLIT.split(text):
        sentence = raw.strip()
        if not sentence:
            continue
        head = sentence.rstrip(":：").lower()
        if len(head) <= 8 and any(cue in head for cue in ("公司简介", "公司介绍", "关于我们")):
            heading = "company"
            continue
        if len(head) <= 8 and any(cue in head for cue in ("福利", "待遇", "benefits")):
            heading = "benefits"
            continue
        if len(head) <= 8 and any(cue in head for cue in ("要求", "职责", "任职", "岗位")):
            heading = None
        kind = _kind(sentence)
        if (
            heading is not None
            and kind == "requirements"
            and not any(cue in sentence for cue in ("要求", "职责", "熟悉", "熟练", "掌握"))
        ):
            kind = heading
        buckets[kind].append(sentence)
    return Sections(
        requirements="".join(buckets["requirements"]),
        company="".join(buckets["company"]),
        benefits="".join(buckets["benefits"]),
    )
