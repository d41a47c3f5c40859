"""Rankers the matching evaluation compares our engine with, and pools judgements from.

* ``Bm25Ranker``: BM25 alone, the baseline. The same segmentation and weights as the
  engine's text part (``matching.bm25``: jieba exact mode, k1 1.2, b 0.75), but the
  whole query text: every distinct query token counts once. Jobs for a profile: the
  profile's text (major name, then what ``matching.facts`` reads: wish summary,
  experiences, courses, concept labels) over the postings' text (title and
  requirements, else the description). Candidates for a posting: the posting's text over
  the profiles' texts.
* ``skills_overlap``: taxonomy concepts a profile and a posting share, each weighted by
  its rarity among postings (idf), required ones fully and preferred ones half, over the
  square root of the posting's own total; used only to pool postings for judging before
  the engine existed.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np

from talentbridge.matching.bm25 import Bm25, segment, tokenize_all
from talentbridge.matching.facts import PostingFacts, ProfileFacts, Reference


def profile_query(profile: ProfileFacts, reference: Reference) -> str:
    major = reference.majors.get(profile.major_id) if profile.major_id is not None else None
    return f"{major.name_zh if major else ''}\n{profile.text}".strip()


class Bm25Ranker:
    """BM25 over one corpus; ``rank`` answers document ids, best first, ties by id."""

    def __init__(self, ids: Sequence[int], texts: Sequence[str]) -> None:
        self.ids = np.asarray(ids, dtype=np.int64)
        self.bm25 = Bm25.build(tokenize_all(list(ids), list(texts)))

    def scores(self, query: str) -> np.ndarray:
        lookup = self.bm25.docs.lookup
        terms = np.asarray(
            sorted({lookup[t] for t in segment(query) if t in lookup}), dtype=np.int32
        )
        rows, weights = self.bm25.gather(terms)
        return np.bincount(rows, weights=weights.astype(np.float64), minlength=len(self.ids))

    def rank(self, query: str, k: int | None = None) -> list[int]:
        scores = self.scores(query)
        order = np.lexsort((self.ids, -scores))
        order = order[scores[order] > 0]
        return [int(self.ids[i]) for i in (order if k is None else order[:k])]


def posting_idf(postings: Sequence[PostingFacts]) -> dict[int, float]:
    df: Counter[int] = Counter()
    for p in postings:
        df.update({*p.required_concept_ids, *p.preferred_concept_ids})
    n = len(postings)
    return {c: math.log(1 + (n - d + 0.5) / (d + 0.5)) for c, d in df.items()}


def skills_overlap(
    profile: ProfileFacts, postings: Sequence[PostingFacts], idf: dict[int, float], k: int
) -> list[int]:
    held = set(profile.concept_ids)
    scored = []
    for p in postings:
        total = sum(idf.get(c, 0.0) for c in p.required_concept_ids) + 0.5 * sum(
            idf.get(c, 0.0) for c in p.preferred_concept_ids
        )
        if total <= 0:
            continue
        shared = sum(idf.get(c, 0.0) for c in p.required_concept_ids if c in held) + 0.5 * sum(
            idf.get(c, 0.0) for c in p.preferred_concept_ids if c in held
        )
        if shared > 0:
            scored.append((-shared / math.sqrt(total), p.id))
    scored.sort()
    return [pid for _, pid in scored[:k]]
