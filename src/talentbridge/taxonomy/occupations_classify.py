"""Classify a posting onto the occupation table, with a confidence.

Evidence, in order of weight: the job title's keywords (``data/occupation_keywords.csv``:
报关 → 报关专业人员, 货代 → 国际货运代理员 …; the occupation's own name counts too), then
the skills the extractor found in the requirements, through the concept → occupation
links of the taxonomy. The score of each occupation is

    3 × weight (a title keyword matched; + 0.05 per character of the longest one and
       + 0.5 per further keyword matched, so 国际货代 beats 货代 and 跨境电商…亚马逊
       beats 电商运营). Generic occupations (物流服务师, 营销员 …) carry a weight below 1
       in the keyword file, so 冷链物流专员 is 冷藏工 before it is 物流服务师.
    + 1 × (share of the posting's required skills linked to the occupation)

and the confidence is the top score's share of all scores, scaled down when the
evidence is thin. Below ``MIN_CONFIDENCE`` no occupation is assigned (better unknown
than wrong: the demand map counts unclassified postings apart).
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

KEYWORDS_FILE = Path(__file__).parent / "data" / "occupation_keywords.csv"
MIN_CONFIDENCE = 0.35
TITLE_WEIGHT = 3.0
SKILL_WEIGHT = 1.0
_GENERIC_STEMS = frozenset({"物流", "营销", "商务", "市场", "数据", "管理"})
_SUFFIXES = ("工程技术人员", "专业人员", "人员", "管理员", "管理师", "员", "师", "工")


@dataclass(frozen=True)
class OccupationGuess:
    occupation_id: int
    confidence: float


@dataclass(frozen=True)
class TitleKeywords:
    weight: float
    words: tuple[str, ...]


@lru_cache(maxsize=1)
def bundled_keywords() -> dict[str, TitleKeywords]:
    """Occupation code → title keywords (lowercase) and the occupation's title weight."""
    with KEYWORDS_FILE.open(encoding="utf-8") as handle:
        return {
            row["code"]: TitleKeywords(
                float(row.get("weight") or 1.0),
                tuple(k.strip().lower() for k in row["keywords"].split("|") if k.strip()),
            )
            for row in csv.DictReader(handle)
        }


def _name_stem(name: str) -> str:
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


class OccupationClassifier:
    """Built once from the occupation table and concept links; ``classify`` is pure."""

    def __init__(
        self,
        occupations: Iterable[tuple[int, str, str]],
        concept_links: Mapping[int, Sequence[int]],
        keywords: Mapping[str, TitleKeywords] | None = None,
    ) -> None:
        keywords = bundled_keywords() if keywords is None else keywords
        self._title_keys: list[tuple[str, int]] = []
        self._weights: dict[int, float] = {}
        for occupation_id, code, name_zh in occupations:
            entry = keywords.get(code, TitleKeywords(1.0, ()))
            self._weights[occupation_id] = entry.weight
            stem = _name_stem(name_zh).lower()
            words = {*entry.words, name_zh.lower()} | ({stem} - _GENERIC_STEMS)
            self._title_keys += [(w, occupation_id) for w in words if len(w) >= 2]
        self._title_keys.sort(key=lambda item: (-len(item[0]), item[0], item[1]))
        self._links = {c: tuple(o) for c, o in concept_links.items()}

    def classify(self, title: str, required_concepts: Iterable[int]) -> OccupationGuess | None:
        scores: dict[int, float] = defaultdict(float)
        lowered = title.lower()
        matched: dict[int, list[int]] = defaultdict(list)
        for word, occupation_id in self._title_keys:
            if word in lowered:
                matched[occupation_id].append(len(word))
        for occupation_id, lengths in matched.items():
            weight = self._weights.get(occupation_id, 1.0)
            scores[occupation_id] += weight * (
                TITLE_WEIGHT + 0.05 * max(lengths) + 0.5 * (len(lengths) - 1)
            )
        concepts = [c for c in required_concepts if c in self._links]
        if concepts:
            votes: dict[int, int] = defaultdict(int)
            for concept in concepts:
                for occupation_id in self._links[concept]:
                    votes[occupation_id] += 1
            for occupation_id, n in votes.items():
                scores[occupation_id] += SKILL_WEIGHT * n / len(concepts)
        if not scores:
            return None
        ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
        top_id, top = ranked[0]
        share = top / sum(scores.values())
        evidence = min(1.0, top / TITLE_WEIGHT)  # a full title match is strong evidence
        confidence = round(share * (0.5 + 0.5 * evidence), 3)
        if confidence < MIN_CONFIDENCE:
            return None
        return OccupationGuess(top_id, confidence)
