"""Entities of English résumé text, by rules (see ``entities`` for the types).

* **EDU**: degrees (Bachelor of Science, B.Sc., Master's, MBA, Ph.D., Associate degree,
  diploma, high school); the field after "in"/"of" (…in Logistics Management) is **PRO**.
* **ORG**: a run of capitalised words ending in an organization word (University,
  College, Institute, School, Co., Ltd., Inc., Corporation, Group, Bank, Logistics …).
* **TITLE**: a run of capitalised words ending in a job word (Manager, Engineer, Clerk,
  Assistant, Director, Intern …).
* **LOC**: English names of the bundled divisions and of countries.
* **NAME**: the first line when it is two to four capitalised words and nothing else,
  or the text after "Name:".
* **SKILL**: concepts of the skill taxonomy, when an ``Extractor`` is given.
"""

from __future__ import annotations

import re
from functools import cache

from talentbridge.domain.divisions import all_divisions
from talentbridge.matching.resume.entities import Entity
from talentbridge.taxonomy.extractor import Extractor

_WORD = r"(?:[A-Z][A-Za-z&'\-\.]*|of|and|for|the|de|&)"
_ORG_WORDS = (
    "University", "College", "Institute", "School", "Academy", "Polytechnic", "Co.", "Co",
    "Ltd.", "Ltd", "Limited", "Inc.", "Inc", "Corp.", "Corporation", "Company", "Group",
    "Bank", "LLC", "GmbH", "Logistics", "Holdings", "Agency", "Association", "Bureau",
    "Hospital", "Center", "Centre", "Firm", "Partners", "Port", "Airlines", "Express",
)  # fmt: skip
_TITLE_WORDS = (
    "Manager", "Engineer", "Clerk", "Assistant", "Director", "Officer", "Specialist",
    "Coordinator", "Analyst", "Intern", "Supervisor", "Consultant", "Accountant", "Agent",
    "Representative", "Executive", "Lead", "Operator", "Planner", "Buyer", "Designer",
    "Developer", "Administrator", "Teacher", "Professor", "Lecturer", "President", "Chairman",
    "Secretary", "Dispatcher", "Forwarder", "Broker", "Controller", "Auditor", "Trainee",
    "Head", "CEO", "CFO", "COO", "CTO", "VP",
)  # fmt: skip
_DEGREE = re.compile(
    r"\b(?:(?:Bachelor|Master|Doctor|Associate)(?:'s|’s)?(?:\s+degree)?(?:\s+of\s+(?:Science|Arts|"
    r"Engineering|Business Administration|Laws|Philosophy))?|B\.?\s?Sc\.?|M\.?\s?Sc\.?|B\.?A\.?(?=\s)|"
    r"M\.?A\.?(?=\s)|B\.?Eng\.?|M\.?Eng\.?|MBA|EMBA|Ph\.?\s?D\.?|Diploma|High School(?: Diploma)?)",
)
_FIELD = re.compile(
    r"\s*,?\s*(?:in|of|majoring in)\s+((?:[A-Z][a-z]+|and|&)(?:\s+(?:[A-Z][a-z]+|and|&))*)"
)
_NAME_LINE = re.compile(r"^\s*([A-Z][a-z]+(?:[ \-][A-Z][a-z]+){1,3})\s*$")
_NAME_LABEL = re.compile(r"\bName\s*[:：]\s*([A-Z][a-z]+(?:[ \-][A-Z][a-z]+){0,3})")


def _alternation(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))


_ORG = re.compile(
    rf"\b{_WORD}(?: +{_WORD})*? +(?:{_alternation(_ORG_WORDS)})(?![A-Za-z])"
    r"(?:,? +(?:Co\.,? +)?(?:Ltd|Inc|LLC|Limited|GmbH)\.?"
    r"| +of +[A-Z][a-z]+(?: +(?:and|&) +[A-Z][a-z]+| +[A-Z][a-z]+)*)?"
)
_TITLE = re.compile(
    rf"\b(?:(?:Senior|Junior|Chief|Deputy|Assistant|Head|Vice)\s+)?(?:[A-Z][A-Za-z/&\-]*\s+){{0,3}}"
    rf"(?:{_alternation(_TITLE_WORDS)})\b"
)


@cache
def _places() -> re.Pattern[str]:
    names = {d.name_en.replace(" District", "").replace(" County", "") for d in all_divisions()}
    names |= {"China", "USA", "United States", "United Kingdom", "UK", "Germany", "France",
              "Japan", "Korea", "Singapore", "Canada", "Australia", "Russia", "Thailand",
              "Vietnam", "Laos", "Malaysia", "Hong Kong", "Macau", "Taiwan"}  # fmt: skip
    names = {n for n in names if n and n[0].isupper()}
    return re.compile(rf"\b(?:{_alternation(tuple(names))})\b")


def _trim_org(text: str, start: int, end: int) -> int:
    """Drop leading lower-case joiners and anything before a comma that is not a suffix."""
    span = text[start:end]
    while True:
        m = re.match(r"(?:of|and|for|the|de|&)\s+|[A-Za-z.]+,\s+(?=[A-Z])", span)
        if m is None or not span[m.end() :].strip():
            return start
        start += m.end()
        span = text[start:end]


def extract_en(text: str, extractor: Extractor | None = None) -> list[Entity]:
    found: list[Entity] = []
    for m in _DEGREE.finditer(text):
        found.append(Entity(m.start(), m.end(), "EDU", m.group()))
        field = _FIELD.match(text, m.end())
        if field is not None:
            found.append(Entity(field.start(1), field.end(1), "PRO", field.group(1)))
    for m in _ORG.finditer(text):
        start = _trim_org(text, m.start(), m.end())
        found.append(Entity(start, m.end(), "ORG", text[start : m.end()]))
    for m in _TITLE.finditer(text):
        found.append(Entity(m.start(), m.end(), "TITLE", m.group()))
    for m in _places().finditer(text):
        found.append(Entity(m.start(), m.end(), "LOC", m.group()))
    first = next((line for line in text.splitlines() if line.strip()), "")
    name = _NAME_LINE.match(first) or _NAME_LABEL.search(text)
    if name is not None:
        offset = text.find(first) if name.re is _NAME_LINE else 0
        found.append(Entity(offset + name.start(1), offset + name.end(1), "NAME", name.group(1)))
    if extractor is not None:
        for hit in extractor.extract(text).hits:
            if not hit.negated:
                found.append(Entity(hit.start, hit.end, "SKILL", hit.surface))
    chosen: list[Entity] = []
    rank = {"NAME": 0, "EDU": 1, "PRO": 2, "ORG": 3, "TITLE": 4, "LOC": 5, "SKILL": 6}
    for entity in sorted(found, key=lambda e: (rank[e.type], e.start, e.start - e.end)):
        if any(entity.start < c.end and c.start < entity.end for c in chosen):
            continue
        chosen.append(entity)
    return sorted(chosen, key=lambda e: e.start)
