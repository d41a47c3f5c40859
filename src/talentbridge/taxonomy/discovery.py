"""Unknown-skill discovery: phrases that recur in requirement sentences but match no
concept, ranked for an analyst who can accept one as a new concept or an alias.

A candidate is what follows a skill cue (熟悉/掌握/熟练/精通/了解/具备/会用 …, "familiar
with", "experience in" …) up to a stop word or punctuation, split on list separators
(、/及/和/与/或), trimmed of generic tails (相关经验, 能力 …) and dropped when it overlaps
a concept the extractor already found. Counting is per posting. Growth compares the
share of postings naming the phrase in the last ``recent_months`` months with the
share in the months before, so a new direction (低空物流, 跨境直播) rises to the top.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

_CUE_ZH = re.compile(
    r"(?:熟悉|熟练掌握|熟练使用|熟练运用|熟练|掌握|精通|了解|具备|具有|懂得|会用|会使用|能使用|能运用|能够使用|运用|使用过|有)"
)
_CUE_EN = re.compile(
    r"\b(?:familiar(?:ity)? with|experience (?:in|with)|knowledge of|proficient (?:in|with)|"
    r"skilled in|understanding of|expertise in)\b",
    re.IGNORECASE,
)
_STOP = re.compile(
    r"[，,。；;：:！!？?\n()（）【】\[\]]|\.(?:\s|$)|者优先|优先|经验|能力|相关|工作|等(?!级)"
)
_SPLIT = re.compile(r"[、]|以及|及|和|与|或|\band\b|\bor\b")
_TRIM_TAIL = re.compile(r"(?:的|等|方面|知识|技能|操作|流程|业务|软件|工具|系统|方法|技术)+$")
_TRIM_HEAD = re.compile(
    r"^(?:一定的?|基本的?|常用的?|各类|相关|主流|国际|较强的?|良好的?|较好的?|优秀的?|很强的?)"
)
_GENERIC = frozenset(
    [
        "办公",
        "沟通",
        "协调",
        "表达",
        "电脑",
        "行业",
        "岗位",
        "公司",
        "客户",
        "团队",
        "工作",
        "业务",
        "流程",
        "专业",
        "产品",
        "市场",
        "平台",
        "数据",
        "管理",
        "相关",
        "一定",
        "基础",
        "较强",
        "良好",
        "优秀",
        "本岗位",
        "以上",
        "以下",
        "常用",
        "基本",
        "日常",
        "英语读写",
        "读写",
    ]
)
MIN_CHARS, MAX_CHARS = 2, 14
BOILERPLATE_MIN_POSTINGS = 200


@dataclass(frozen=True)
class Mention:
    phrase: str
    lang: str
    start: int
    end: int


def _clean(phrase: str) -> str:
    phrase = phrase.strip(" \t-—~·.'\"“”")
    for _ in range(2):
        phrase = _TRIM_HEAD.sub("", phrase)
        phrase = _TRIM_TAIL.sub("", phrase).strip()
    return phrase


def _acceptable(phrase: str) -> bool:
    limit = MAX_CHARS * 3 if phrase.isascii() else MAX_CHARS
    if not MIN_CHARS <= len(phrase) <= limit or phrase in _GENERIC:
        return False
    if re.fullmatch(r"[\d\W_]+", phrase):
        return False
    return not phrase.isascii() or len(phrase) >= 3


def candidate_mentions(text: str) -> list[Mention]:
    """Phrases after skill cues in ``text``, with their spans (pure)."""
    found: list[Mention] = []
    for cue_re, lang in ((_CUE_ZH, "zh"), (_CUE_EN, "en")):
        for cue in cue_re.finditer(text):
            tail_start = cue.end()
            stop = _STOP.search(text, tail_start)
            tail_end = stop.start() if stop else min(len(text), tail_start + 40)
            pieces = _SPLIT.split(text[tail_start:tail_end])
            cursor = tail_start
            for part in pieces:
                begin = text.find(part, cursor) if part else cursor
                cursor = begin + len(part)
                cleaned = _clean(part)
                if not cleaned or not _acceptable(cleaned):
                    continue
                start = begin + max(part.find(cleaned), 0)
                phrase = cleaned.lower() if lang == "en" else cleaned
                found.append(Mention(phrase, lang, start, start + len(cleaned)))
    return found


@dataclass
class PhraseStats:
    phrase: str
    lang: str
    postings: int = 0
    recent: int = 0
    months: set[str] = field(default_factory=set)
    example: str = ""


@dataclass(frozen=True)
class Candidate:
    phrase: str
    lang: str
    postings: int
    recent_postings: int
    first_month: str
    last_month: str
    growth: float  # recent share ÷ earlier share (∞ capped at 10)
    score: float
    example: str


@dataclass(frozen=True)
class PostingText:
    text: str
    month: str | None
    known_spans: Sequence[tuple[int, int]] = ()


def rank_candidates(
    postings: Iterable[PostingText],
    *,
    recent_from: str,
    min_postings: int = 3,
    limit: int = 200,
    known_labels: frozenset[str] = frozenset(),
    max_share: float = 0.25,
) -> list[Candidate]:
    """Count candidate phrases per posting and rank them (pure; months are ``YYYY-MM``).

    ``recent_from`` is the first month of the recent window. Score: log(1 + postings) ×
    (1 + log(1 + growth)), so frequent phrases rank high and rising ones higher.
    A phrase that is a known label (case-folded) is no candidate even where its span was
    not stored (only the best mention of a concept per posting is), and a phrase in more
    than ``max_share`` of all postings (of at least ``BOILERPLATE_MIN_POSTINGS``) is
    boilerplate (班车接送, 依法缴纳社会保险), not a skill.
    """
    stats: dict[tuple[str, str], PhraseStats] = {}
    total_recent = total_earlier = 0
    for posting in postings:
        recent = posting.month is not None and posting.month >= recent_from
        total_recent += recent
        total_earlier += not recent
        seen: set[tuple[str, str]] = set()
        for mention in candidate_mentions(posting.text):
            if any(s < mention.end and mention.start < e for s, e in posting.known_spans):
                continue
            key = (mention.lang, mention.phrase)
            if key in seen or mention.phrase.lower() in known_labels:
                continue
            seen.add(key)
            entry = stats.setdefault(key, PhraseStats(mention.phrase, mention.lang))
            entry.postings += 1
            entry.recent += recent
            if posting.month:
                entry.months.add(posting.month)
            if not entry.example:
                lo = max(0, mention.start - 20)
                entry.example = posting.text[lo : mention.end + 20].replace("\n", " ")
    ranked: list[Candidate] = []
    total = total_recent + total_earlier
    # The boilerplate ceiling needs a corpus: a handful of postings can share a skill.
    ceiling = max_share * total if total >= BOILERPLATE_MIN_POSTINGS else float("inf")
    for entry in stats.values():
        if entry.postings < min_postings or entry.postings > ceiling:
            continue
        earlier = entry.postings - entry.recent
        recent_share = entry.recent / total_recent if total_recent else 0.0
        earlier_share = earlier / total_earlier if total_earlier else 0.0
        growth = (
            min(10.0, recent_share / earlier_share)
            if earlier_share
            else (10.0 if recent_share else 0.0)
        )
        score = math.log1p(entry.postings) * (1 + math.log1p(growth))
        months = sorted(entry.months) or [""]
        ranked.append(
            Candidate(entry.phrase, entry.lang, entry.postings, entry.recent, months[0],
                      months[-1], round(growth, 3), round(score, 4), entry.example)
        )  # fmt: skip
    ranked.sort(key=lambda c: (-c.score, -c.postings, c.phrase))
    return ranked[:limit]


def group_spans(rows: Iterable[tuple[int, int, int]]) -> dict[int, list[tuple[int, int]]]:
    """(posting id, start, end) rows → spans per posting."""
    spans: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for posting_id, start, end in rows:
        spans[posting_id].append((start, end))
    return spans
