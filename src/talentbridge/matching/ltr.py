"""Learning to rank from feedback: LightGBM lambdarank over the engine's features.

* **Labels** are graded (profile, posting) pairs: from ``matching.feedback``
  (``feedback_labels``: hire 4 … view 0) or any iterable of ``(profile_id, posting_id,
  grade)``, such as a judged evaluation set. Repeated pairs keep their highest grade.
* **Features** are ``matching.engine.FEATURE_NAMES`` from ``engine.features_for``: the
  same score parts the hand-set weights combine, plus the raw counts and levels behind
  them. Never a protected attribute (the engine reads none).
* **Training** is deterministic: one thread, fixed seeds, rows ordered by profile and
  posting id; a query is one profile's labelled postings.
* **Offline evaluation** (``cross_validate``): grouped K-fold over profiles. For each
  fold the model is trained on the other profiles and ranks the held-out profiles'
  labelled postings; the hand-set weights rank the same postings by the engine's
  ``total``. Both are scored by NDCG@10 (``matching.evaluation``) per held-out profile
  and averaged over the profiles whose labels differ.
* **Store**: ``train_ranker`` saves a ``RankerModel`` (``booster.model_to_string()``,
  the feature names, the offline figures, the number of pairs). ``activate`` makes a
  model the one in use **only** when its offline NDCG@10 beats the weights' (else it
  raises ``RankerRefused`` with both figures); ``deactivate`` goes back to the weights.
* **The switch**: ``Settings.match_ranker`` (``TALENTBRIDGE_MATCH_RANKER``): ``weights``
  (default) or ``learned``. ``ranker_for(session, mode)`` returns the active model's
  scoring callable for the engine's ``ranker`` hook (it re-orders the best
  ``engine.RERANK_DEPTH`` pairs by the hand-set total), or None for the weights.
"""

from __future__ import annotations

import hashlib
import random
import threading
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from talentbridge.config import MATCH_RANKERS
from talentbridge.errors import Conflict, NotFound
from talentbridge.matching.engine import FEATURE_NAMES, Ranker, features_for
from talentbridge.matching.evaluation import ndcg_at_k
from talentbridge.matching.feedback import feedback_pairs
from talentbridge.matching.index import MatchIndex
from talentbridge.store.matching_tables import RankerModel

KIND = "lambdarank"
MODES = MATCH_RANKERS
FOLDS = 5
ROUNDS = 150
SEED = 20191
K = 10
PARAMS: dict[str, Any] = {
    "objective": "lambdarank",
    "metric": "ndcg",
    "eval_at": [K],
    "learning_rate": 0.05,
    "num_leaves": 15,
    "min_data_in_leaf": 10,
    "lambdarank_truncation_level": 20,
    "lambda_l2": 1.0,
    "seed": SEED,
    "bagging_seed": SEED,
    "feature_fraction_seed": SEED,
    "data_random_seed": SEED,
    "deterministic": True,
    "force_row_wise": True,
    "num_threads": 1,
    "verbose": -1,
}

LabelledPair = tuple[int, int, int]  # profile id, posting id, grade


class RankerRefused(Conflict):
    """A model was not activated: its offline evaluation does not beat the weights."""


def _lightgbm() -> Any:
    import lightgbm  # imported when used: about 0.3 s

    return lightgbm


# --- training data ------------------------------------------------------------------------


@dataclass(frozen=True)
class TrainingSet:
    """Labelled pairs (sorted by profile, posting) with their features, one row each."""

    pairs: tuple[tuple[int, int], ...]
    labels: NDArray[np.int64]
    features: NDArray[np.float64]
    profiles: NDArray[np.int64]  # the profile (query) of each row

    def rows_of(self, profile_ids: Iterable[int]) -> NDArray[np.intp]:
        return np.flatnonzero(np.isin(self.profiles, np.fromiter(profile_ids, dtype=np.int64)))

    def group_sizes(self, rows: NDArray[np.intp]) -> list[int]:
        """Rows per query, in row order (rows are sorted by profile)."""
        _, counts = np.unique(self.profiles[rows], return_counts=True)
        return [int(c) for c in counts]


def training_set(index: MatchIndex, labels: Iterable[LabelledPair]) -> TrainingSet:
    """Features of each labelled pair the index knows; the highest grade of repeated
    pairs; pairs of opted-out profiles (never scored) and unknown ids left out."""
    best: dict[tuple[int, int], int] = {}
    for profile_id, posting_id, grade in labels:
        key = (int(profile_id), int(posting_id))
        best[key] = max(best.get(key, int(grade)), int(grade))
    known_profiles = set(index.profiles.ids.tolist())
    known_postings = set(index.postings.ids.tolist())
    pairs = sorted(k for k in best if k[0] in known_profiles and k[1] in known_postings)
    _, matrix = features_for(index, pairs)
    keep = np.asarray(~np.isnan(matrix).any(axis=1), dtype=np.bool_)
    kept = [pair for pair, ok in zip(pairs, keep.tolist(), strict=True) if ok]
    return TrainingSet(
        pairs=tuple(kept),
        labels=np.array([best[p] for p in kept], dtype=np.int64),
        features=matrix[keep],
        profiles=np.array([p for p, _ in kept], dtype=np.int64),
    )


def fit(ts: TrainingSet, rows: NDArray[np.intp] | None = None, *, rounds: int = ROUNDS) -> Any:
    """A lambdarank booster trained on ``rows`` of the set (all rows by default)."""
    lgb = _lightgbm()
    rows = np.arange(len(ts.pairs)) if rows is None else rows
    data = lgb.Dataset(
        ts.features[rows],
        label=ts.labels[rows],
        group=ts.group_sizes(rows),
        feature_name=list(FEATURE_NAMES),
        params={"verbose": -1},
    )
    return lgb.train(dict(PARAMS), data, num_boost_round=rounds)


# --- offline evaluation -----------------------------------------------------------------


def _mean_ndcg(ts: TrainingSet, rows: NDArray[np.intp], scores: NDArray[np.float64]) -> list[float]:
    """NDCG@10 per query among ``rows``, ranking each query's labelled postings by score
    (ties by posting id); queries whose labels are all equal are left out."""
    by_query: dict[int, list[int]] = {}
    for position, row in enumerate(rows):
        by_query.setdefault(int(ts.profiles[row]), []).append(position)
    out = []
    for positions in by_query.values():
        grades = {ts.pairs[rows[p]][1]: int(ts.labels[rows[p]]) for p in positions}
        if len(set(grades.values())) < 2:
            continue
        order = sorted(positions, key=lambda p: (-scores[p], ts.pairs[rows[p]][1]))
        value = ndcg_at_k([ts.pairs[rows[p]][1] for p in order], grades, K)
        if value is not None:
            out.append(value)
    return out


@dataclass(frozen=True)
class OfflineEvaluation:
    """Grouped K-fold comparison of the learned model with the hand-set weights."""

    folds: int
    pairs: int
    queries: int  # held-out profiles whose labels differ (the NDCG is averaged over them)
    weights_ndcg: float | None  # None: no held-out profile had labels that differ
    model_ndcg: float | None
    per_fold: list[dict[str, float | None]] = field(default_factory=list)

    @property
    def better(self) -> bool:
        if self.model_ndcg is None or self.weights_ndcg is None:
            return False
        return self.model_ndcg > self.weights_ndcg

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def grouped_folds(profile_ids: Sequence[int], folds: int, seed: int = SEED) -> list[list[int]]:
    """Profiles split into ``folds`` groups: shuffled with a fixed seed, dealt in turn."""
    ids = sorted(set(profile_ids))
    random.Random(seed).shuffle(ids)
    return [sorted(ids[i::folds]) for i in range(folds)]


def cross_validate(
    ts: TrainingSet, *, folds: int = FOLDS, rounds: int = ROUNDS, seed: int = SEED
) -> OfflineEvaluation:
    """NDCG@10 of the model and of the weights on held-out profiles, fold by fold."""
    groups = grouped_folds(ts.profiles.tolist(), folds, seed)
    total = FEATURE_NAMES.index("total")
    weights_all: list[float] = []
    model_all: list[float] = []
    per_fold = []
    for held in groups:
        test = ts.rows_of(held)
        train = np.setdiff1d(np.arange(len(ts.pairs)), test)
        if len(test) == 0 or len(train) == 0:
            continue
        booster = fit(ts, train, rounds=rounds)
        predicted = np.asarray(booster.predict(ts.features[test], num_threads=1), dtype=np.float64)
        w = _mean_ndcg(ts, test, ts.features[test, total])
        m = _mean_ndcg(ts, test, predicted)
        weights_all += w
        model_all += m
        per_fold.append(
            {
                "queries": float(len(w)),
                "weights_ndcg": _avg(w),
                "model_ndcg": _avg(m),
            }
        )
    return OfflineEvaluation(
        folds=folds,
        pairs=len(ts.pairs),
        queries=len(model_all),
        weights_ndcg=_avg(weights_all),
        model_ndcg=_avg(model_all),
        per_fold=per_fold,
    )


def _avg(values: Sequence[float]) -> float | None:
    """The mean, or None for no values (stored as JSON null, never NaN)."""
    return float(sum(values) / len(values)) if values else None


# --- the store ----------------------------------------------------------------------------


def feedback_labels(session: Session, *, include_sample: bool = True) -> list[LabelledPair]:
    """Graded pairs from the recorded feedback (``matching.feedback.feedback_pairs``)."""
    return [
        (p.profile_id, p.posting_id, p.label)
        for p in feedback_pairs(session, include_sample=include_sample)
    ]


def train_ranker(
    session: Session,
    index: MatchIndex,
    labels: Iterable[LabelledPair],
    *,
    name: str,
    folds: int = FOLDS,
    rounds: int = ROUNDS,
) -> RankerModel:
    """Evaluate by grouped K-fold, train on every pair, store the model (not active)."""
    ts = training_set(index, labels)
    if len(set(ts.profiles.tolist())) < folds:
        raise Conflict(
            f"{len(set(ts.profiles.tolist()))} profiles with labels; "
            f"at least {folds} are needed for {folds}-fold evaluation"
        )
    evaluation = cross_validate(ts, folds=folds, rounds=rounds)
    booster = fit(ts, rounds=rounds)
    model = RankerModel(
        name=name,
        kind=KIND,
        features=list(FEATURE_NAMES),
        model_text=booster.model_to_string(),
        metrics=evaluation.as_dict(),
        trained_on=len(ts.pairs),
        active=False,
    )
    session.add(model)
    session.flush()
    return model


def activate(session: Session, model_id: int) -> RankerModel:
    """Make the model the one in use, if its offline NDCG@10 beats the hand-set weights';
    otherwise raise ``RankerRefused`` saying both figures (the weights stay in use)."""
    model = session.get(RankerModel, model_id)
    if model is None:
        raise NotFound(f"ranker model {model_id} not found")
    metrics = model.metrics or {}
    weights, learned = metrics.get("weights_ndcg"), metrics.get("model_ndcg")
    if not isinstance(weights, float | int) or not isinstance(learned, float | int):
        raise RankerRefused(f"ranker model {model_id} has no offline evaluation; not activated")
    if not learned > weights:
        raise RankerRefused(
            f"ranker model {model_id} ({model.name}) scores NDCG@{K} {learned:.3f} on held-out "
            f"profiles against {weights:.3f} for the hand-set weights "
            f"({metrics.get('queries')} profiles, {metrics.get('folds')} folds): not better, "
            "so the hand-set weights stay in use"
        )
    session.execute(update(RankerModel).values(active=False))
    model.active = True
    session.flush()
    return model


def deactivate(session: Session) -> None:
    """Back to the hand-set weights."""
    session.execute(update(RankerModel).values(active=False))
    session.flush()


def active_model(session: Session) -> RankerModel | None:
    return session.scalars(
        select(RankerModel).where(RankerModel.active.is_(True)).order_by(RankerModel.id.desc())
    ).first()


_BOOSTERS: dict[tuple[int, str], Any] = {}
_LOCK = threading.Lock()


def load_ranker(model_text: str, features: Sequence[str]) -> Ranker:
    """The scoring callable of a stored model (feature matrix → scores)."""
    if list(features) != list(FEATURE_NAMES):
        raise Conflict("the stored model was trained on other features; retrain it")
    booster = _lightgbm().Booster(model_str=model_text)

    def score(matrix: NDArray[np.float64]) -> NDArray[np.float64]:
        return np.asarray(booster.predict(matrix, num_threads=1), dtype=np.float64)

    return score


def ranker_for(session: Session, mode: str = "learned") -> Ranker | None:
    """The active model's ranker when ``mode`` is ``learned`` and one is active; None
    (the hand-set weights) otherwise. The loaded booster is kept (per model id and text)."""
    if mode not in MODES:
        raise ValueError(f"unknown ranker mode {mode!r}; use {' or '.join(MODES)}")
    if mode == "weights":
        return None
    model = active_model(session)
    if model is None:
        return None
    key = (model.id, hashlib.sha256(model.model_text.encode("utf-8")).hexdigest())
    with _LOCK:
        ranker = _BOOSTERS.get(key)
        if ranker is None:
            ranker = load_ranker(model.model_text, model.features)
            _BOOSTERS.clear()
            _BOOSTERS[key] = ranker
    return ranker
