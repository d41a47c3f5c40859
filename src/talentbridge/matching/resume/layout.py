"""The layout of a résumé: section headings and date ranges, Chinese and English.

``sections(text)`` finds heading lines (教育经历 / Education, 工作经历 / Experience,
实习经历, 项目经历 / Projects, 技能 / Skills, 证书 / Certificates, 语言, 自我评价 /
Summary …) and returns each section's span up to the next heading. ``date_ranges(text)``
finds periods such as ``2021年9月 - 2024年6月``, ``2021.09-2024.06``, ``2009年5月至今``,
``Sep 2023 - Dec 2023``, ``09/2021 – present`` and ``2021 - 2024`` with their dates (the
first day of the month named; ``end`` is None for "until now").
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

SECTION_WORDS: dict[str, tuple[str, ...]] = {
    "education": ("教育经历", "教育背景", "学习经历", "education", "academic background"),
    "experience": ("工作经历", "工作经验", "任职经历", "工作履历", "work experience",
                   "professional experience", "employment", "experience", "work history"),
    "internship": ("实习经历", "实习经验", "internships", "internship"),
    "project": ("项目经历", "项目经验", "projects", "project experience"),
    "skills": ("专业技能", "技能特长", "个人技能", "技能", "skills", "technical skills"),
    "certificates": ("证书", "技能证书", "资格证书", "获得证书", "certificates", "certifications",
                     "licenses"),
    "languages": ("语言能力", "外语水平", "languages"),
    "summary": ("自我评价", "个人评价", "个人简介", "自我介绍", "summary", "profile", "objective",
                "about me"),
    "awards": ("获奖情况", "荣誉奖励", "奖励", "awards", "honors", "honours"),
    "personal": ("个人信息", "基本信息", "个人资料", "personal information", "personal details"),
    "wish": ("求职意向", "求职目标", "career objective"),
}  # fmt: skip
_HEADING_WORDS = {word: name for name, words in SECTION_WORDS.items() for word in words}
_HEADING = re.compile(r"^[\s#*•·■□◆●【\[]*([^\n:：】\]]{2,30}?)[\s】\]]*[:：]?\s*$", re.M)

_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}  # fmt: skip
_NOW = r"(?:至今|今|现在|目前|present|now|current|today)"
_ZH_POINT = r"(?P<{p}y>(?:19|20)\d{{2}})\s*(?:年\s*(?:(?P<{p}m>\d{{1,2}})\s*月)?|[./\-](?P<{p}m2>\d{{1,2}})(?!\d))?"
_EN_POINT = (
    r"(?:(?P<{p}mon>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+"
    r"|(?P<{p}mn>\d{{1,2}})\s*/\s*)?(?P<{p}ey>(?:19|20)\d{{2}})"
)
_RANGE = re.compile(
    rf"(?:{_ZH_POINT.format(p='a')}|{_EN_POINT.format(p='b')})"
    rf"\s*(?:至|到|-|–|—|－|~|～|to|until)+\s*"
    rf"(?:(?P<now>{_NOW})|{_ZH_POINT.format(p='c')}|{_EN_POINT.format(p='d')})",
    re.I,
)


@dataclass(frozen=True)
class Section:
    name: str  # education, experience, internship, project, skills, certificates, …
    heading_start: int
    start: int  # the body, after the heading line
    end: int


@dataclass(frozen=True)
class DateRange:
    start: int
    end: int
    start_on: dt.date | None
    end_on: dt.date | None  # None: until now (or unknown)
    ongoing: bool


def sections(text: str) -> list[Section]:
    heads: list[tuple[int, int, str]] = []
    for m in _HEADING.finditer(text):
        name = _HEADING_WORDS.get(m.group(1).strip().lower())
        if name is not None:
            heads.append((m.start(), m.end(), name))
    return [
        Section(name, start, end, heads[i + 1][0] if i + 1 < len(heads) else len(text))
        for i, (start, end, name) in enumerate(heads)
    ]


def section_at(found: list[Section], position: int) -> str | None:
    for section in found:
        if section.heading_start <= position < section.end:
            return section.name
    return None


def _point(m: re.Match[str], p: str, q: str) -> dt.date | None:
    year = m.group(f"{p}y") or m.group(f"{q}ey")
    if not year:
        return None
    month_text = m.group(f"{p}m") or m.group(f"{p}m2") or m.group(f"{q}mn")
    month = int(month_text) if month_text else None
    if month is None and m.group(f"{q}mon"):
        month = _MONTHS[m.group(f"{q}mon").lower()[:3]]
    if month is not None and not 1 <= month <= 12:
        return None
    return dt.date(int(year), month or 1, 1)


def date_ranges(text: str) -> list[DateRange]:
    found: list[DateRange] = []
    for m in _RANGE.finditer(text):
        start_on = _point(m, "a", "b")
        ongoing = m.group("now") is not None
        end_on = None if ongoing else _point(m, "c", "d")
        if start_on is None or (end_on is not None and end_on < start_on):
            continue
        found.append(DateRange(m.start(), m.end(), start_on, end_on, ongoing))
    return found
