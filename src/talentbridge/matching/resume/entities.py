"""Entities in résumé text, Chinese and English, by rules and our own word lists.

No statistical model: nothing is trained, and nothing is derived from the résumé NER
data set we evaluate on (see ``lexicon``). ``extract_entities(text)`` returns
``Entity`` values with character offsets into ``text`` and one of the types

    NAME  person        EDU  education (degree)   ORG  organization   TITLE  job title
    PRO   major/field   LOC  place                CONT nationality    RACE   ethnicity

plus, for English text, ``SKILL`` when an ``Extractor`` is given. Chinese text is read
in three passes:

1. **Fixed patterns**: nationality (country + 国籍/籍), ethnicity (the 56 groups),
   education (degree words with their 学历/学位 tails), names (a known surname and one
   or two characters before 先生/女士/，/：/男/女 at the start of a sentence or after
   姓名:).
2. **Clauses**: the rest is cut at punctuation, dates and the fixed entities; each
   clause loses its lead words (历任, 现任, 在, 于 …) and tail words (工作, 毕业 …) and
   splits at 兼 (and at 及/和/与 where the left part is complete).
3. **Parts**: a part that ends in a title word (经理, 董事, 教授, 组长 …) is a title,
   with the organization before it where an organization suffix (公司, 大学, 研究所,
   厂 …) ends; a part that ends in an organization suffix is an organization; before
   an education word the part after the organization is the major (经济学硕士 → PRO
   经济学); a part that is a place name is a place.

English text (``language='en'``) is read with ``english.extract_en``: degrees, titles,
organizations by their suffixes (Co., Ltd., University …), places, and skills through
the taxonomy extractor.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from talentbridge.matching.resume import lexicon as lx

TYPES = ("NAME", "EDU", "ORG", "TITLE", "PRO", "LOC", "CONT", "RACE")
MAX_TITLE = 14  # a title with no organization before it is at most this long
MAX_ORG = 40


@dataclass(frozen=True)
class Entity:
    start: int
    end: int
    type: str
    text: str


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


_CJK = r"\u3400-\u9fff"
_DELIMS = re.compile(r"[，,、；;。：:（）()\s！!？?“”\"‘’/|·\[\]【】{}]+")
_DATE = re.compile(
    r"(?:\d{4}\s*(?:年|[.\-/．])\s*(?:\d{1,2}\s*月?)?(?:\s*\d{1,2}\s*日)?|\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)"
    r"(?:\s*(?:至|到|－|-|—|–|~|～)\s*(?:今|现在|目前)?)?|(?:至今|至现在)|\d{4}\s*年度?"
)
_CONT = re.compile(rf"(?:{_alternation(lx.COUNTRIES)})(?:国籍|籍)")
_RACE = re.compile(_alternation(lx.ETHNIC_GROUPS))
_EDU = re.compile(
    rf"(?:(?:在职|全日制|函授|夜大|自考|成人)?(?:{_alternation(c for c in lx.EDU_CORES if c not in lx.EDU_NOT_ALONE)})"
    rf"(?:研究生|班)?(?!生导师|生指导)|大学(?=学历|文化|文凭|学位))(?:{_alternation(t for t in lx.EDU_TAILS if t != '毕业')})?"
)
_SURNAME = rf"(?:{_alternation(lx.SURNAMES_2)}|[{''.join(sorted(lx.SURNAMES_1))}])"
_NAME_AT_START = re.compile(
    rf"^\s*(?:姓\s*名\s*[:：]\s*)?({_SURNAME}[{_CJK}]{{1,2}}?)(?=先生|女士|[，,：:（(]|\s|男|女|$)"
)
_NAME_LABELLED = re.compile(rf"姓\s*名\s*[:：]\s*({_SURNAME}[{_CJK}]{{1,2}})")
_NAME_CUED = re.compile(rf"(?<![{_CJK}])({_SURNAME}[{_CJK}]{{0,2}}?)(?=先生|女士)")
_NOT_NAME_CHARS = set("公司集团的年月日")


@cache
def _lead() -> re.Pattern[str]:
    return re.compile(rf"(?:{'|'.join(lx.LEAD_PATTERNS)}|{_alternation(lx.LEAD_WORDS)})")


@cache
def _tail() -> re.Pattern[str]:
    return re.compile(rf"(?:{'|'.join(lx.TAIL_PATTERNS)}|{_alternation(lx.TAIL_WORDS)})$")


@cache
def _places() -> frozenset[str]:
    return frozenset(lx.place_names())


@cache
def _place_run() -> re.Pattern[str]:
    return re.compile(rf"^(?:{_alternation(lx.place_names())})+$")


@cache
def _title_piece() -> re.Pattern[str]:
    """One word of a title read from its end: a core, a modifier, a body or an ordinal."""
    words = [*lx.TITLE_CORES, *lx.occupation_titles(), *lx.TITLE_MODIFIERS, *lx.TITLE_BODIES]
    return re.compile(rf"(?:{_alternation(words)}|{lx.TITLE_ORDINAL})$")


@cache
def _title_core() -> re.Pattern[str]:
    return re.compile(rf"(?:{_alternation([*lx.TITLE_CORES, *lx.occupation_titles()])})$")


@cache
def _short_ends() -> re.Pattern[str]:
    return re.compile(_alternation(lx.ORG_SHORT_ENDS))


@cache
def _short_end() -> re.Pattern[str]:
    return re.compile(rf"(?:{_alternation(lx.ORG_SHORT_ENDS)})$")


@cache
def _org_suffixes() -> tuple[str, ...]:
    return tuple(sorted(set(lx.ORG_SUFFIXES), key=lambda s: (-len(s), s)))


# --- pass 1: fixed patterns ------------------------------------------------------------------


def _fixed(text: str) -> list[Entity]:
    found: list[Entity] = []
    for pattern, kind in ((_CONT, "CONT"), (_RACE, "RACE"), (_EDU, "EDU")):
        for m in pattern.finditer(text):
            if kind == "EDU" and m.group().startswith("大学") and _glued_left(text, m.start()):
                continue  # 南京大学本科: the 大学 belongs to the organization
            found.append(Entity(m.start(), m.end(), kind, m.group()))
    for pattern in (_NAME_AT_START, _NAME_LABELLED, _NAME_CUED):
        for m in pattern.finditer(text):
            name = m.group(1)
            if not set(name[1:]) & _NOT_NAME_CHARS:
                found.append(Entity(m.start(1), m.end(1), "NAME", name))
    return _non_overlapping(found)


def _glued_left(text: str, start: int) -> bool:
    return (
        start > 0
        and bool(re.match(rf"[{_CJK}]", text[start - 1]))
        and text[start - 1] not in "为是系"
    )


@cache
def _bracketed() -> re.Pattern[str]:
    return re.compile(rf"[（(](?:{_alternation(lx.ORG_BRACKETED)})[）)]")


def _glued_bracket(text: str, start: int, end: int) -> bool:
    """A bracket of an organization name (（集团）, （特殊普通合伙）) is not a delimiter."""
    if text[start:end] not in ("（", "）", "(", ")"):
        return False
    opening = (
        start
        if text[start] in "（("
        else text.rfind("（" if text[start] == "）" else "(", 0, start)
    )
    m = _bracketed().match(text, max(opening, 0))
    return (
        m is not None
        and opening > 0
        and m.end() < len(text)
        and _is_cjk(text[m.end()])
        and _is_cjk(text[opening - 1])
    )


def _is_cjk(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff" or char.isalnum()


def _non_overlapping(entities: list[Entity]) -> list[Entity]:
    """Leftmost-longest among overlapping entities; the input order breaks ties."""
    chosen: list[Entity] = []
    for entity in sorted(entities, key=lambda e: (e.start, -(e.end - e.start))):
        if chosen and entity.start < chosen[-1].end:
            continue
        chosen.append(entity)
    return chosen


# --- pass 2 and 3: clauses and parts ----------------------------------------------------------


def _pieces(text: str, fixed: list[Entity]) -> list[tuple[int, int, str | None]]:
    """Clauses between delimiters, dates and fixed entities: (start, end, type of the fixed
    entity right after the clause, if any)."""
    cuts: list[tuple[int, int, str | None]] = [(e.start, e.end, e.type) for e in fixed]
    cuts += [(m.start(), m.end(), None) for m in _DELIMS.finditer(text)
             if not _glued_bracket(text, m.start(), m.end())]  # fmt: skip
    cuts += [(m.start(), m.end(), None) for m in _DATE.finditer(text)]
    cuts.sort()
    pieces: list[tuple[int, int, str | None]] = []
    position = 0
    for start, end, kind in cuts:
        if start > position:
            pieces.append((position, start, kind))
        position = max(position, end)
    if position < len(text):
        pieces.append((position, len(text), None))
    return pieces


@cache
def _names_start() -> re.Pattern[str]:
    return re.compile(_alternation([*lx.majors(), *lx.place_names()]))


def _named(text: str, start: int, end: int) -> bool:
    """Whether a major or place name starts here (its first character is no lead word)."""
    return _names_start().match(text, start, end) is not None


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    lead, tail = _lead(), _tail()
    while start < end:
        m = lead.match(text, start, end)
        if m is None or m.end() == end or (len(m.group()) == 1 and _named(text, start, end)):
            break
        start = m.end()
    while start < end:
        m = tail.search(text[start:end])
        if m is None or m.start() == 0:
            break
        end = start + m.start()
    return start, end


def _org_end(part: str, limit: int) -> int:
    """End of the last organization suffix ending at or before ``limit`` (0 if none); a
    weak suffix (中心) counts only when no strong one ends before it."""
    best, weak = 0, 0
    for suffix in _org_suffixes():
        position = part.rfind(suffix, 0, limit)
        while position >= 0:
            end = position + len(suffix)
            if end <= limit and (len(suffix) > 1 or position >= lx.SHORT_SUFFIX_MIN_NAME):
                if suffix in lx.WEAK_ORG_SUFFIXES:
                    weak = max(weak, end)
                else:
                    best = max(best, end)
                break
            position = part.rfind(suffix, 0, position)
    return best or weak


def _title_start(part: str) -> int | None:
    """Where the title at the end of ``part`` starts (None when it ends in no title word):
    the core and, before it, every modifier, body, ordinal or further core (副总经理,
    董事会秘书, 第六届董事会独立董事, 所长助理)."""
    m = _title_core().search(part)
    if m is None:
        if len(part) >= 3 and part[-1] in lx.TITLE_AFFIXES:
            return len(part) - 3
        return None
    position = m.start()
    piece = _title_piece()
    while position > 0:
        m = piece.search(part, 0, position)
        if m is None or m.end() != position:
            break
        position = m.start()
    return position


def _org_then_title(part: str, core: int) -> int:
    """Where the organization before a title (starting at ``core``) ends, or 0."""
    cut = _org_end(part, core)
    if cut == 0:
        for generic in lx.GENERIC_ORGS:
            if part.startswith(generic) and len(part) > len(generic):
                return len(generic)
        ends = [m.end() for m in _short_ends().finditer(part, 0, core)]
        if ends and ends[-1] >= 4:
            return ends[-1]
    return cut


def _major_part(text: str, start: int, end: int) -> list[Entity]:
    """An organization and a major before a degree: 吉林大学数量经济学专业, 经济学(硕士)."""
    part = text[start:end]
    cuts = sorted({_org_end(part, len(part)), *(
        i for i in range(2, len(part)) if _is_major(part[i:]) and _org_end(part, i) == i)})  # fmt: skip
    cut = max((c for c in cuts if _is_major(part[c:])), default=cuts[-1])
    found = [Entity(start, start + cut, "ORG", part[:cut])] if cut >= 2 else []
    rest = part[cut:] if cut >= 2 else part
    if _is_major(rest):
        found.append(Entity(end - len(rest), end, "PRO", rest))
    return found


def _is_major(text: str) -> bool:
    if text.endswith("专业"):
        return len(text) >= 4
    return len(text) >= 2 and (text in lx.majors() or text.endswith(("学", "工程", "管理")))


def _part(text: str, start: int, end: int, before_edu: bool) -> list[Entity]:
    part = text[start:end]
    if not part:
        return []
    if part in lx.NOT_ORGS:
        return []
    if part in lx.GENERIC_ORGS:
        return [Entity(start, end, "ORG", part)]
    if part == "汉":
        return [Entity(start, end, "RACE", part)]
    if _place_run().match(part):
        return [Entity(start, end, "LOC", part)]
    if before_edu or part.endswith("专业"):
        return _major_part(text, start, end)
    core = _title_start(part)
    if core is not None:
        cut = _org_then_title(part, core)
        if (cut >= 4 or part[:cut] in lx.GENERIC_ORGS) and len(part) - cut <= MAX_TITLE:
            title_start, _ = _strip(text, start + cut, end)
            return [
                Entity(start, start + cut, "ORG", part[:cut]),
                Entity(title_start, end, "TITLE", text[title_start:end]),
            ]
        if len(part) <= MAX_TITLE:
            return [Entity(start, end, "TITLE", part)]
        return []
    if part.endswith("人") and 3 <= len(part) <= 9 and _named(text, start, end - 1):
        return [Entity(start, end, "LOC", part)]  # 云南建水人: a native place
    for m in _inner_verb().finditer(part):  # 近五年主要就任示例股份有限公司
        if _org_like(part[m.end() :]):
            start, part = start + m.end(), part[m.end() :]
    if _org_end(part, len(part)) == len(part) and 2 <= len(part) <= MAX_ORG:
        return [Entity(start, start + len(part), "ORG", part)]
    return []


@cache
def _inner_verb() -> re.Pattern[str]:
    return re.compile(_alternation(("历任", "现任", "就任", "担任", "出任", "任职于", "曾任")))


def _org_like(text: str) -> bool:
    """Whether ``text`` ends like an organization (a suffix, or a short name's ending)."""
    if _org_end(text, len(text)) == len(text):
        return True
    m = _short_end().search(text)
    return m is not None and len(text) >= 4


def _split(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut a clause at 兼 (and at 及/和/与 where the left side is complete)."""
    part = text[start:end]
    for verb in lx.MID_VERBS:
        at = part.find(verb, 4)
        if at > 0 and at + len(verb) < len(part) and _org_like(part[:at]):
            return [(start, start + at), *_split(text, start + at + len(verb), end)]
    for word in lx.SPLIT_WORDS:
        at = part.find(word, 1)
        while 0 < at < len(part) - len(word):
            left = part[:at]
            complete = _org_end(left, len(left)) == len(left) or _title_start(left) is not None
            if word in ("兼", "兼任", "并任") or complete:
                return [
                    *_split(text, start, start + at),
                    *_split(text, start + at + len(word), end),
                ]
            at = part.find(word, at + 1)
    return [(start, end)]


def extract_zh(text: str) -> list[Entity]:
    """Entities of Chinese résumé text (see the module docstring)."""
    fixed = _fixed(text)
    found = list(fixed)
    for start, end, after in _pieces(text, fixed):
        start, end = _strip(text, start, end)
        if start >= end:
            continue
        parts = _split(text, start, end)
        for index, (p_start, p_end) in enumerate(parts):
            s, e = _strip(text, p_start, p_end)
            last = index == len(parts) - 1
            found += _part(text, s, e, before_edu=last and after == "EDU" and e == end)
    return sorted(_non_overlapping(found), key=lambda x: x.start)


def extract_entities(text: str, *, language: str | None = None) -> list[Entity]:
    """Entities of a résumé's text; the language is guessed when not given."""
    if not text:
        return []
    if language is None:
        cjk = len(re.findall(rf"[{_CJK}]", text[:5000]))
        language = "zh" if cjk * 5 >= len(re.findall(r"[A-Za-z]", text[:5000])) + cjk else "en"
    if language == "zh":
        return extract_zh(text)
    from talentbridge.matching.resume.english import extract_en

    return extract_en(text)
