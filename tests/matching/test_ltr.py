"""Learning to rank (matching.ltr): training on a small synthetic feedback set, the model
round-trips through the store, activation refuses a model that is not better, the switch."""

from __future__ import annotations

import numpy as np
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from talentbridge.config import SettingsError, load_settings
from talentbridge.errors import NotFound
from talentbridge.matching.engine import FEATURE_NAMES, features_for, jobs_for
from talentbridge.matching.facts import ConceptRef, PostingFacts, ProfileFacts, Reference, Wish
from talentbridge.matching.index import MatchIndex, build_index
from talentbridge.matching.ltr import (
    RankerRefused,
    activate,
    active_model,
    cross_validate,
    deactivate,
    fit,
    grouped_folds,
    load_ranker,
    ranker_for,
    train_ranker,
    training_set,
)
from talentbridge.store.matching_tables import RankerModel

N_PROFILES = 24
N_POSTINGS = 30
CONCEPTS = {n: ConceptRef(n, f"k.{n}", "skill", f"技能{n}", f"skill {n}") for n in range(1, 7)}


def pay_grade(posting_id: int) -> int:
    """The synthetic feedback: students applied to and were hired by the best-paid jobs,
    whatever else the pair shares (the hand-set weights do not weigh pay this way)."""
    top = 3000 + 500 * posting_id
    return 3 if top >= 15000 else 2 if top >= 11000 else 1 if top >= 8000 else 0


def synthetic_index() -> MatchIndex:
    postings = [
        PostingFacts(
            id=p,
            city_code="510100",
            education_level=4,
            salary_min=2000 + 500 * p,
            salary_max=3000 + 500 * p,
            required_concept_ids=tuple(sorted({1 + p % 6, 1 + (p * 5) % 6})),
            text=f"岗位{p} 技能{1 + p % 6} 技能{1 + (p * 5) % 6}",
        )
        for p in range(1, N_POSTINGS + 1)
    ]
    profiles = [
        ProfileFacts(
            id=100 + q,
            organization_id=1,
            graduation_year=2020,
            education_level=4,
            concept_ids=tuple(sorted({1 + q % 6, 1 + (q + 2) % 6})),
            text=f"技能{1 + q % 6} 技能{1 + (q + 2) % 6}",
            wish=Wish(city_codes=("510100",)),
            visible_to_employers=True,
        )
        for q in range(N_PROFILES)
    ]
    return build_index(postings, profiles, Reference(concepts=dict(CONCEPTS)))


def synthetic_labels() -> list[tuple[int, int, int]]:
    """Each profile's feedback on 12 postings, as a feedback log would give it."""
    labels = []
    for q in range(N_PROFILES):
        for p in range(1 + q % 5, N_POSTINGS + 1, 2)[:12]:
            labels.append((100 + q, p, pay_grade(p)))
    return labels


@pytest.fixture(scope="module")
def index() -> MatchIndex:
    return synthetic_index()


def test_training_set_rows_follow_the_labels(index: MatchIndex) -> None:
    labels = synthetic_labels()
    ts = training_set(index, [*labels, (100, 1, 3), (999, 1, 2), (100, 999, 2)])
    # unknown ids dropped; the repeated pair keeps its highest grade
    assert len(ts.pairs) == len({(q, p) for q, p, _ in labels})
    assert ts.pairs == tuple(sorted(ts.pairs))
    assert int(ts.labels[ts.pairs.index((100, 1))]) == 3
    names, matrix = features_for(index, list(ts.pairs))
    assert names == list(FEATURE_NAMES)
    assert np.array_equal(matrix, ts.features)


def test_grouped_folds_split_profiles_once_each() -> None:
    folds = grouped_folds([5, 3, 1, 4, 2, 3, 5], 2)
    assert sorted(x for fold in folds for x in fold) == [1, 2, 3, 4, 5]
    assert folds == grouped_folds([1, 2, 3, 4, 5], 2)  # seeded: the same split


def test_training_is_deterministic_and_learns_the_feedback(index: MatchIndex) -> None:
    ts = training_set(index, synthetic_labels())
    first, second = fit(ts), fit(ts)
    assert first.model_to_string() == second.model_to_string()
    evaluation = cross_validate(ts, folds=4)
    assert evaluation.queries == N_PROFILES
    assert evaluation.model_ndcg > evaluation.weights_ndcg
    assert evaluation.model_ndcg > 0.9  # pay decides the feedback, and pay is a feature
    assert evaluation.better


def test_no_contrast_no_figures(index: MatchIndex) -> None:
    flat = [(q, p, 1) for q, p, _ in synthetic_labels()]  # every label the same
    evaluation = cross_validate(training_set(index, flat), folds=4)
    assert evaluation.queries == 0
    assert evaluation.model_ndcg is None and evaluation.weights_ndcg is None
    assert not evaluation.better


def test_the_model_round_trips_through_the_store_and_ranks(
    index: MatchIndex, session: Session
) -> None:
    model = train_ranker(session, index, synthetic_labels(), name="synthetic", folds=4)
    session.commit()
    stored = session.scalars(select(RankerModel).where(RankerModel.id == model.id)).one()
    assert stored.kind == "lambdarank"
    assert stored.features == list(FEATURE_NAMES)
    assert stored.trained_on == len(synthetic_labels())
    assert (
        stored.metrics is not None and stored.metrics["model_ndcg"] > stored.metrics["weights_ndcg"]
    )
    assert not stored.active
    ts = training_set(index, synthetic_labels())
    again = load_ranker(stored.model_text, stored.features)
    assert np.allclose(again(ts.features), fit(ts).predict(ts.features, num_threads=1))

    assert ranker_for(session, "learned") is None  # nothing active yet: the weights
    activate(session, stored.id)
    session.commit()
    assert active_model(session) is not None
    assert ranker_for(session, "weights") is None  # the switch says weights
    ranker = ranker_for(session, "learned")
    assert ranker is not None
    ranked = jobs_for(index, 100, k=5, ranker=ranker)
    best_paid = {p for p in range(1, N_POSTINGS + 1) if pay_grade(p) == 3}
    assert {m.posting_id for m in ranked} <= best_paid  # what the feedback rewarded
    assert [m.rank for m in ranked] == [1, 2, 3, 4, 5]
    assert ranked[0].score == ranked[0].parts.total  # the model's score is the total
    assert ranked == jobs_for(index, 100, k=5, ranker=ranker)  # the same input, same list
    plain = jobs_for(index, 100, k=5)
    assert not {m.posting_id for m in plain} <= best_paid  # the weights rank otherwise
    deactivate(session)
    assert ranker_for(session, "learned") is None


def test_activation_refuses_a_model_that_is_not_better(session: Session) -> None:
    worse = RankerModel(
        name="worse", kind="lambdarank", features=list(FEATURE_NAMES), model_text="x",
        metrics={"weights_ndcg": 0.71, "model_ndcg": 0.64, "queries": 30, "folds": 5},
    )  # fmt: skip
    untested = RankerModel(
        name="untested", kind="lambdarank", features=list(FEATURE_NAMES), model_text="x"
    )
    session.add_all([worse, untested])
    session.flush()
    with pytest.raises(RankerRefused) as refused:
        activate(session, worse.id)
    assert "0.640" in str(refused.value) and "0.710" in str(refused.value)
    with pytest.raises(RankerRefused):
        activate(session, untested.id)
    with pytest.raises(NotFound):
        activate(session, 987654)
    assert active_model(session) is None


def test_the_settings_switch() -> None:
    assert load_settings({}).match_ranker == "weights"
    assert load_settings({"TALENTBRIDGE_MATCH_RANKER": "learned"}).match_ranker == "learned"
    with pytest.raises(SettingsError):
        load_settings({"TALENTBRIDGE_MATCH_RANKER": "magic"})
    with pytest.raises(ValueError):
        ranker_for(None, "magic")  # type: ignore[arg-type]
