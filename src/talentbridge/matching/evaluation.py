"""Ranking quality on a labelled set: NDCG@k, Recall@k and MRR, with bootstrap intervals.

The same functions serve both directions ("jobs for a profile", "candidates for a
posting"): a *run* maps each query to its ranked documents (best first), the *qrels*
map each query to its judged documents and their graded relevance (0–3 in our set,
see ``docs/matching-eval.md``). A document the qrels do not hold counts as grade 0.

* **NDCG@k**: DCG with exponential gain, ``Σ (2^g − 1) / log2(i + 1)`` over ranks
  ``i = 1..k``, divided by the DCG of the ideal order of all the query's judged grades.
* **Recall@k**: the share of the query's relevant documents (grade ≥ ``threshold``,
  2 by default) found in the top k.
* **Reciprocal rank**: 1 / the rank of the first relevant document in the run (0 when
  the run holds none); its mean over queries is the MRR.

A query without a relevant document has no recall or reciprocal rank, and one without
any positive grade no NDCG: such queries are left out of the means (``evaluate`` only
scores queries with at least one relevant document, so all three means cover the same
queries). ``judged`` says how much of each top k the qrels cover: a ranker that finds
unjudged documents is penalised (they count as 0), and this makes that visible.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

K = 10
THRESHOLD = 2

Qrels = Mapping[Hashable, Mapping[Hashable, int]]
Run = Mapping[Hashable, Sequence[Hashable]]


def dcg(grades: Sequence[int], k: int = K) -> float:
    """Discounted cumulative gain of grades in rank order, exponential gain."""
    return sum((2.0**g - 1.0) / math.log2(i + 2) for i, g in enumerate(grades[:k]))


def ndcg_at_k(
    ranking: Sequence[Hashable], grades: Mapping[Hashable, int], k: int = K
) -> float | None:
    """NDCG@k of a ranking; None when the query has no positive grade."""
    ideal = dcg(sorted(grades.values(), reverse=True), k)
    if ideal <= 0:
        return None
    return dcg([grades.get(doc, 0) for doc in ranking], k) / ideal


def recall_at_k(
    ranking: Sequence[Hashable],
    grades: Mapping[Hashable, int],
    k: int = K,
    threshold: int = THRESHOLD,
) -> float | None:
    """Share of the relevant documents in the top k; None when there are none."""
    relevant = {doc for doc, g in grades.items() if g >= threshold}
    if not relevant:
        return None
    return len(relevant.intersection(ranking[:k])) / len(relevant)


def reciprocal_rank(
    ranking: Sequence[Hashable], grades: Mapping[Hashable, int], threshold: int = THRESHOLD
) -> float | None:
    """1 / rank of the first relevant document (0 if the ranking has none); None when
    the query has no relevant document at all."""
    if not any(g >= threshold for g in grades.values()):
        return None
    for rank, doc in enumerate(ranking, start=1):
        if grades.get(doc, 0) >= threshold:
            return 1.0 / rank
    return 0.0


def judged_share(ranking: Sequence[Hashable], grades: Mapping[Hashable, int], k: int = K) -> float:
    """Share of the top k the qrels hold a judgement for (1.0 for an empty top k)."""
    top = ranking[:k]
    return sum(doc in grades for doc in top) / len(top) if top else 1.0


@dataclass(frozen=True)
class QueryScore:
    query: Hashable
    ndcg: float
    recall: float
    rr: float
    judged: float


@dataclass(frozen=True)
class Summary:
    """Mean scores over the queries that have a relevant document."""

    queries: tuple[QueryScore, ...]
    k: int = K

    @property
    def n(self) -> int:
        return len(self.queries)

    def mean(self, metric: str) -> float:
        values = [getattr(q, metric) for q in self.queries]
        return sum(values) / len(values) if values else 0.0

    @property
    def ndcg(self) -> float:
        return self.mean("ndcg")

    @property
    def recall(self) -> float:
        return self.mean("recall")

    @property
    def mrr(self) -> float:
        return self.mean("rr")

    @property
    def judged(self) -> float:
        return self.mean("judged")

    def values(self, metric: str) -> list[float]:
        return [float(getattr(q, metric)) for q in self.queries]


def evaluate(run: Run, qrels: Qrels, *, k: int = K, threshold: int = THRESHOLD) -> Summary:
    """Score every query of ``qrels`` that has a relevant document (a query missing from
    ``run`` has an empty ranking), in sorted query order."""
    scores: list[QueryScore] = []
    for query in sorted(qrels, key=repr):
        grades = qrels[query]
        ranking = list(run.get(query, ()))
        rr = reciprocal_rank(ranking, grades, threshold)
        if rr is None:
            continue
        ndcg = ndcg_at_k(ranking, grades, k)
        recall = recall_at_k(ranking, grades, k, threshold)
        assert ndcg is not None and recall is not None  # a relevant document exists
        scores.append(QueryScore(query, ndcg, recall, rr, judged_share(ranking, grades, k)))
    return Summary(tuple(scores), k)


def bootstrap_interval(
    values: Sequence[float], *, samples: int = 2000, seed: int = 0, level: float = 0.95
) -> tuple[float, float]:
    """Percentile bootstrap interval of the mean over queries (resampled with
    replacement, seeded: the same values give the same interval)."""
    if not values:
        return (0.0, 0.0)
    rng = random.Random(seed)
    n = len(values)
    means = sorted(sum(rng.choices(values, k=n)) / n for _ in range(samples))
    low = means[math.floor((1 - level) / 2 * (samples - 1))]
    high = means[math.ceil((1 + level) / 2 * (samples - 1))]
    return (low, high)


def paired_bootstrap(
    a: Sequence[float], b: Sequence[float], *, samples: int = 2000, seed: int = 0
) -> tuple[float, float, float]:
    """Mean difference ``b − a`` over paired queries, its 95% interval, as a triple."""
    if len(a) != len(b):
        raise ValueError("paired scores need the same queries")
    diffs = [y - x for x, y in zip(a, b, strict=True)]
    low, high = bootstrap_interval(diffs, samples=samples, seed=seed)
    return (sum(diffs) / len(diffs) if diffs else 0.0, low, high)


def invert(
    labels: Iterable[tuple[Hashable, Hashable, int]], *, threshold: int = THRESHOLD
) -> dict[Hashable, dict[Hashable, int]]:
    """Employer-direction qrels from (profile, posting, grade) judgements: every posting
    with at least one profile graded ``threshold`` or more, with all its judged profiles
    (unjudged profiles count as 0)."""
    by_posting: dict[Hashable, dict[Hashable, int]] = defaultdict(dict)
    for profile, posting, grade in labels:
        old = by_posting[posting].get(profile)
        by_posting[posting][profile] = grade if old is None else max(old, grade)
    return {
        posting: dict(grades)
        for posting, grades in by_posting.items()
        if any(g >= threshold for g in grades.values())
    }


def qrels_of(
    labels: Iterable[tuple[Hashable, Hashable, int]],
) -> dict[Hashable, dict[Hashable, int]]:
    """Student-direction qrels: profile → {posting: grade} (the higher of repeated pairs)."""
    out: dict[Hashable, dict[Hashable, int]] = defaultdict(dict)
    for profile, posting, grade in labels:
        old = out[profile].get(posting)
        out[profile][posting] = grade if old is None else max(old, grade)
    return {query: dict(grades) for query, grades in out.items()}
