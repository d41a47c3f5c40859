"""Education and experience requirements → ordered levels and year ranges (pure)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import IntEnum


class Education(IntEnum):
    """Ordered education levels; a posting's level is the minimum it asks for."""

    ANY = 0  # 不限
    JUNIOR_HIGH = 1  # 初中及以下
    SECONDARY_VOCATIONAL = 2  # 中专/中技/职高
    HIGH_SCHOOL = 3  # 高中
    ASSOCIATE = 4  # 大专/高职
    BACHELOR = 5  # 本科
    MASTER = 6  # 硕士
    DOCTOR = 7  # 博士


LABELS_ZH = {
    Education.ANY: "不限",
    Education.JUNIOR_HIGH: "初中及以下",
    Education.SECONDARY_VOCATIONAL: "中专/中技",
    Education.HIGH_SCHOOL: "高中",
    Education.ASSOCIATE: "大专",
    Education.BACHELOR: "本科",
    Education.MASTER: "硕士",
    Education.DOCTOR: "博士",
}

# Longest words first so that 高中 does not shadow 高中以上 etc.; order matters.
_EDU_WORDS: list[tuple[str, Education]] = [
    ("学历不限", Education.ANY),
    ("不限", Education.ANY),
    ("无要求", Education.ANY),
    ("any", Education.ANY),
    ("初中", Education.JUNIOR_HIGH),
    ("中专", Education.SECONDARY_VOCATIONAL),
    ("中技", Education.SECONDARY_VOCATIONAL),
    ("职高", Education.SECONDARY_VOCATIONAL),
    ("技校", Education.SECONDARY_VOCATIONAL),
    ("中职", Education.SECONDARY_VOCATIONAL),
    ("secondary vocational", Education.SECONDARY_VOCATIONAL),
    ("高中", Education.HIGH_SCHOOL),
    ("high school", Education.HIGH_SCHOOL),
    ("大专", Education.ASSOCIATE),
    ("专科", Education.ASSOCIATE),
    ("高职", Education.ASSOCIATE),
    ("associate", Education.ASSOCIATE),
    ("college", Education.ASSOCIATE),
    ("本科", Education.BACHELOR),
    ("学士", Education.BACHELOR),
    ("bachelor", Education.BACHELOR),
    ("硕士", Education.MASTER),
    ("研究生", Education.MASTER),
    ("master", Education.MASTER),
    ("mba", Education.MASTER),
    ("博士", Education.DOCTOR),
    ("phd", Education.DOCTOR),
    ("doctor", Education.DOCTOR),
]


def parse_education(text: str | None) -> Education | None:
    """The lowest level a text names (``大专及以上`` → ASSOCIATE); None if it names none."""
    if not text:
        return None
    lowered = unicodedata.normalize("NFKC", text).lower()
    found = [level for word, level in _EDU_WORDS if word in lowered]
    if not found:
        return None
    if Education.ANY in found:
        return Education.ANY
    return min(found)


@dataclass(frozen=True)
class Experience:
    """Years of experience asked for; ``max_years`` None means open-ended."""

    min_years: int
    max_years: int | None
    fresh_graduate: bool = False


_YEARS_RANGE = re.compile(r"(\d{1,2})\s*(?:-|~|至|到|—|–)\s*(\d{1,2})\s*(?:年|years?|yrs?)")
_YEARS_MIN = re.compile(r"(\d{1,2})\s*(?:年|years?|yrs?)")
_CN_DIGITS = {
    "一": "1",
    "二": "2",
    "两": "2",
    "三": "3",
    "四": "4",
    "五": "5",
    "六": "6",
    "七": "7",
    "八": "8",
    "九": "9",
    "十": "10",
}


_FRESH = ("应届", "在校", "实习", "fresh graduate", "graduate", "no experience")
_ANY_EXPERIENCE = ("不限", "无经验", "无需经验", "any experience", "not required")


def parse_experience(text: str | None) -> Experience | None:
    """``3-5年`` → 3..5; ``1年工作经验``/``1年以上`` → 1..open; ``经验不限`` → 0..open;
    ``应届生``/``在校生`` → 0..0 (fresh graduate); None when the text names no experience."""
    if not text:
        return None
    lowered = unicodedata.normalize("NFKC", text).lower()
    for cn, digit in _CN_DIGITS.items():
        lowered = re.sub(rf"{cn}(?=\s*年)", digit, lowered)
    if any(
        w in lowered
        for w in ("应届", "在校", "实习", "fresh graduate", "graduate", "no experience")
    ):
        return Experience(0, 0, fresh_graduate=True)
    if any(w in lowered for w in _ANY_EXPERIENCE):
        return Experience(0, None)
    if m := _YEARS_RANGE.search(lowered):
        lo, hi = sorted((int(m.group(1)), int(m.group(2))))
        return Experience(lo, hi)
    if m := _YEARS_MIN.search(lowered):
        years = int(m.group(1))
        if any(w in lowered[m.end() :] for w in ("以下", "以内", "below", "less")):
            return Experience(0, years)
        return Experience(years, None)
    return None
