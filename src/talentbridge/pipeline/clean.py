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

from talentbridge.domain.traditional import t2s_triggers

_FULL_TO_HALF = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_HALF_OF = {chr(full): chr(half) for full, half in _FULL_TO_HALF.items()}
_FULL_WIDTH = re.compile("[\uff01-\uff5e\u3000]")
# The full-width forms that fill Chinese text: replaced without a search first (a replace
# that finds nothing costs one scan, as the search would), the rest only when present.
_COMMON_FULL_WIDTH = tuple((char, _HALF_OF[char]) for char in "，；：（）")
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
# Without these, every run of ``_SPACES`` is one space, which it would replace by itself.
_SPACES_TO_COLLAPSE = ("  ", "\t", "\r", "\f", "\v", "\u00a0")
_BLOCK_TAGS = {"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol"}
_TAG_HINT = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>|&[a-zA-Z#0-9]+;")
# Tags that ``HTMLParser`` reads as nothing but a start or end tag: a name without
# attributes or spaces. Elements whose content it may read as raw text (script, style,
# title, textarea...) are not among the names.
_PLAIN_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)>")
_PLAIN_TAG_NAMES = _BLOCK_TAGS | {"b", "strong", "i", "em", "u", "span", "font", "small"}


class _Converter(Protocol):
    def convert(self, text: str) -> str: ...


@lru_cache(maxsize=1)
def _t2s() -> _Converter:
    import opencc

    converter: _Converter = opencc.OpenCC("t2s")
    return converter


@lru_cache(maxsize=1)
def _t2s_triggers() -> re.Pattern[str] | None:
    """Finds a character that may make ``t2s`` change a text (``domain.traditional``);
    ``None`` when the bundled list is not for the installed OpenCC."""
    import opencc

    return t2s_triggers(str(opencc.__version__))


def to_half_width(text: str) -> str:
    """Full-width ASCII forms and the ideographic space to their half-width forms."""
    # Replacing the few distinct characters present is several times faster on CJK text
    # than ``str.translate`` with a dict (which looks up every character). Each becomes
    # ASCII, so the order of the replacements does not matter.
    if text.isascii():
        return text
    for full, half in _COMMON_FULL_WIDTH:
        text = text.replace(full, half)
    if _FULL_WIDTH.search(text) is not None:
        for char in set(_FULL_WIDTH.findall(text)):
            text = text.replace(char, _HALF_OF[char])
    return text


def to_simplified(text: str) -> str:
    """Traditional Chinese characters to simplified (OpenCC ``t2s``)."""
    if text.isascii():
        return text
    # A text without any character that a dictionary entry of the conversion changes
    # comes out as it went in; one search is several times cheaper than the conversion.
    triggers = _t2s_triggers()
    if triggers is not None and triggers.search(text) is None:
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


def _strip_plain_html(text: str) -> str | None:
    """``strip_html`` of a fragment whose every ``<`` starts a plain tag (``<p>``,
    ``</li>``) of a known element, without the parser; ``None`` for any other fragment.

    What ``HTMLParser`` does with such a fragment: the text between tags, character
    references resolved, and a line break for each block tag.
    """
    parts: list[str] = []
    position = 0
    for match in _PLAIN_TAG.finditer(text):
        start = match.start()
        if position < start:
            data = text[position:start]
            if "<" in data:
                return None
            parts.append(html.unescape(data))
        name = match.group(2).lower()
        if name not in _PLAIN_TAG_NAMES:
            return None
        if name in _BLOCK_TAGS:
            parts.append("\n")
        position = match.end()
    rest = text[position:]
    if "<" in rest:
        return None
    parts.append(html.unescape(rest))
    return html.unescape("".join(parts))


def strip_html(text: str) -> str:
    """Text content of an HTML fragment (block tags become line breaks)."""
    if ("<" not in text and "&" not in text) or not _TAG_HINT.search(text):
        return text
    plain = _strip_plain_html(text)
    if plain is not None:
        return plain
    return _strip_html_parsed(text)


def _strip_html_parsed(text: str) -> str:
    parser = _TextExtractor()
    parser.feed(text)
    parser.close()
    return html.unescape("".join(parser.parts))


def collapse_whitespace(text: str) -> str:
    """Runs of spaces and tabs to one space; lines stripped; empty lines dropped."""
    if any(map(text.__contains__, _SPACES_TO_COLLAPSE)):
        text = _SPACES.sub(" ", text)
    return "\n".join(filter(None, map(str.strip, text.split("\n"))))


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
_COMPANY_HEADINGS = ("公司简介", "公司介绍", "关于我们")
_BENEFIT_HEADINGS = ("福利", "待遇", "benefits")
_REQUIREMENT_HEADINGS = ("要求", "职责", "任职", "岗位")
_STAY_REQUIREMENTS = ("要求", "职责", "熟悉", "熟练", "掌握")

# How _SENTENCE_SPLIT cuts: after a sentence end (kept with its sentence), at a line
# break (dropped), and before the first digit of an enumerator (1、 2. 3)) that is not
# part of a number (the next sentence starts there). A line break after each sentence
# end is one ``str.replace`` per character; a split on the enumerators' digits (kept by
# the group) puts one before each. The line breaks added first do not change which
# digits are enumerators: no sentence end can be in an enumerator's span.
_SENTENCE_ENDS = tuple((char, char + "\n") for char in "。；;!！?？")
_ENUMERATOR_AFTER_DIGIT = r"(?<![\d.]\d)(?=\d?\s*[、.)）](?!\d))"


@lru_cache(maxsize=1)
def _enumerator() -> re.Pattern[str]:
    """``(\\d)`` + ``_ENUMERATOR_AFTER_DIGIT``, scanning faster: a class of the basic-plane
    decimal digits (what ``\\d`` matches there) is one table lookup per character, where
    ``\\d`` asks the Unicode database; a character beyond U+FFFF is let in by the class
    and must then be a ``\\d``."""
    digits = "".join(chr(code) for code in range(0xD800) if chr(code).isdecimal())
    digits += "".join(chr(code) for code in range(0xE000, 0x10000) if chr(code).isdecimal())
    return re.compile(f"([{digits}\U00010000-\U0010ffff])(?<=\\d){_ENUMERATOR_AFTER_DIGIT}")


# The cues that make a piece worth a closer look: a benefit or company cue (``_kind`` may
# say it is no requirement) or a company or benefit heading. None holds a line break or a
# digit, so no match spans two pieces. A match runs on to the end of its piece: one
# match per piece that has a cue, starting at its first cue.
_PIECE_WITH_CUE = re.compile(
    "(?:"
    + "|".join(
        re.escape(cue)
        for cue in _BENEFIT_CUES + _COMPANY_CUES + _COMPANY_HEADINGS + _BENEFIT_HEADINGS
    )
    + ")[^\n]*"
)


def _hits(cues: tuple[str, ...], any_cue: re.Pattern[str], text: str) -> int:
    """How many of ``cues`` occur in ``text`` (one regex search first: most sentences have none)."""
    if any_cue.search(text) is None:
        return 0
    return sum(map(text.__contains__, cues))


def _kind(sentence: str) -> str:
    lowered = sentence.lower()
    if _ANY_CUE.search(lowered) is None:
        return "requirements"
    benefit_hits = _hits(_BENEFIT_CUES, _ANY_BENEFIT, lowered)
    company_hits = _hits(_COMPANY_CUES, _ANY_COMPANY, lowered)
    if not benefit_hits and not company_hits:
        return "requirements"
    requirement_hits = sum(map(lowered.__contains__, _REQUIREMENT_CUES))
    if benefit_hits and benefit_hits >= requirement_hits:
        return "benefits"
    if company_hits and company_hits > requirement_hits:
        return "company"
    return "requirements"


# Company blurbs and benefit lists repeat across one employer's postings.
_kind_of = lru_cache(maxsize=4096)(_kind)
_KIND_MEMO_CHARS = 200


def _broken(text: str) -> str:
    """``text`` with one line break at every cut of ``_SENTENCE_SPLIT`` (and none else)."""
    for char, cut in _SENTENCE_ENDS:
        text = text.replace(char, cut)
    parts = _enumerator().split(text)  # text, digit, text, digit, ..., text
    if len(parts) == 1:
        return text
    return "\n".join([parts[0], *map(str.__add__, parts[1::2], parts[2::2])])


def _sentences(text: str) -> list[str]:
    """The non-empty, stripped pieces of ``_SENTENCE_SPLIT.split(text)``, in order."""
    return [sentence for sentence in map(str.strip, _broken(text).split("\n")) if sentence]


def _pieces_with_cues(broken: str, count: int) -> list[int]:
    """The indexes of the pieces of ``broken`` (``count`` pieces joined by line breaks)
    that have a benefit, company or heading cue, ascending.

    One scan of the lowered text; the line breaks before a match tell its piece. When
    lowering changes the length (İ → i̇), positions do not line up: every piece is
    returned.
    """
    lowered = broken.lower()
    if len(lowered) != len(broken):
        return list(range(count))
    with_cue: list[int] = []
    index = position = 0
    for match in _PIECE_WITH_CUE.finditer(lowered):
        start = match.start()
        index += lowered.count("\n", position, start)
        position = start
        with_cue.append(index)
    return with_cue


def split_sections(text: str) -> Sections:
    """Split cleaned posting text into requirements, company blurb and benefits.

    Headings such as ``公司简介`` and ``福利待遇`` switch the section for the lines
    after them; other sentences are classified one by one by their cue words.
    """
    buckets: dict[str, list[str]] = {"requirements": [], "company": [], "benefits": []}
    broken = _broken(text)
    pieces = broken.split("\n")
    # Until a heading switches the section, only pieces with a cue are looked at one by
    # one: ``_kind`` says "requirements" for a sentence without a benefit or company cue,
    # a sentence without a heading cue is no heading, and a requirement heading changes
    # nothing while there is no heading. The plain sentences between them go to the
    # requirements at once (empty pieces add nothing to the joined section). Once under a
    # heading, every sentence is looked at.
    with_cue = _pieces_with_cues(broken, len(pieces))
    with_cue.append(len(pieces))  # sentinel
    requirements = buckets["requirements"]
    heading: str | None = None
    index = next_cue = 0
    while index < len(pieces):
        if heading is None:
            while with_cue[next_cue] < index:
                next_cue += 1
            plain_until = with_cue[next_cue]
            if index < plain_until:
                requirements.extend(map(str.strip, pieces[index:plain_until]))
                index = plain_until
                if index == len(pieces):
                    break
        sentence = pieces[index].strip()
        index += 1
        if not sentence:
            continue
        # A heading is short: at most 8 characters without its colon, also lowered
        # (``lower()`` never shortens a string).
        bare = sentence.rstrip(":：")
        if len(bare) <= 8 and len(head := bare.lower()) <= 8:
            if any(map(head.__contains__, _COMPANY_HEADINGS)):
                heading = "company"
                continue
            if any(map(head.__contains__, _BENEFIT_HEADINGS)):
                heading = "benefits"
                continue
            if any(map(head.__contains__, _REQUIREMENT_HEADINGS)):
                heading = None
        kind = _kind_of(sentence) if len(sentence) <= _KIND_MEMO_CHARS else _kind(sentence)
        if (
            heading is not None
            and kind == "requirements"
            and not any(map(sentence.__contains__, _STAY_REQUIREMENTS))
        ):
            kind = heading
        buckets[kind].append(sentence)
    return Sections(
        requirements="".join(buckets["requirements"]),
        company="".join(buckets["company"]),
        benefits="".join(buckets["benefits"]),
    )
