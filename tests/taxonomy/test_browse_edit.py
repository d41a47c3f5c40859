"""Taxonomy read queries for the UI (tree, search, concept pages, candidates, any text)
and the analyst edits, each installed as a new validated version."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from talentbridge.errors import Conflict, NotFound
from talentbridge.pipeline.postings import ingest_records
from talentbridge.store.tables import Taxonomy
from talentbridge.taxonomy import browse, edit
from talentbridge.taxonomy.candidates import discover
from talentbridge.taxonomy.concepts import (
    ConceptSpec,
    TaxonomyInvalid,
    load_bundled_taxonomy,
    next_version,
)
from talentbridge.taxonomy.majors import load_bundled_majors
from talentbridge.taxonomy.occupations import load_bundled_occupations

TODAY = dt.date(2026, 11, 29)
DECLARATION = "tb.customs.declaration.customs_declaration"
HS = "tb.customs.classification.hs_classification"
WMS = "tb.warehouse.smart_wh.wms"


@pytest.fixture()
def store(factory: sessionmaker[Session]) -> sessionmaker[Session]:
    load_bundled_majors(factory)
    load_bundled_occupations(factory)
    load_bundled_taxonomy(factory)
    return factory


def keys_found(factory: sessionmaker[Session], text: str) -> set[str]:
    with factory() as session:
        return {h.concept.key for h in browse.analyze_text(session, text).hits}


def versions(factory: sessionmaker[Session]) -> list[tuple[str, bool]]:
    with factory() as session:
        return [(v.version, v.is_active) for v in browse.taxonomy_versions(session)]


def test_next_version_counts_local_changes() -> None:
    assert next_version("2026.11") == "2026.11-local.1"
    assert next_version("2026.11-local.9") == "2026.11-local.10"


def test_the_tree_nests_clusters_groups_and_concepts(store: sessionmaker[Session]) -> None:
    with store() as session:
        version, roots = browse.concept_tree(session)
    assert version is not None and version.code == "talentbridge" and version.concepts > 500
    customs = next(r for r in roots if r.concept.key == "tb.customs")
    assert customs.concept.kind == "cluster"
    group = next(g for g in customs.children if g.concept.key == "tb.customs.declaration")
    assert DECLARATION in {c.concept.key for c in group.children}


@pytest.mark.parametrize(
    ("query", "expected_first"),
    [("报关", DECLARATION), ("customs declaration", DECLARATION), ("hs归类", HS), ("wms", WMS)],
)
def test_search_finds_concepts_by_any_label_in_either_language(
    store: sessionmaker[Session], query: str, expected_first: str
) -> None:
    with store() as session:
        total, items = browse.search_concepts(session, query)
    assert total >= 1
    assert items[0].key == expected_first


def test_search_by_alias_and_kind_filter(store: sessionmaker[Session]) -> None:
    with store() as session:
        _total, by_alias = browse.search_concepts(session, "customs clearance")
        assert DECLARATION in {c.key for c in by_alias}
        total, tools = browse.search_concepts(session, "系统", kind="tool")
    assert total == len(tools) or len(tools) == 20
    assert tools and all(c.kind == "tool" for c in tools)


def test_concept_detail_has_labels_path_links_and_posting_counts(
    store: sessionmaker[Session],
) -> None:
    ingest_records(
        store,
        [
            {"title": "报关员", "company": "示例·甲", "description": "负责报关，熟悉HS归类。"},
            {"title": "关务专员", "company": "示例·乙", "description": "办理报关和HS归类。"},
        ],
        channel="api", source="t", reference=TODAY,
    )  # fmt: skip
    with store() as session:
        detail = browse.concept_detail(session, DECLARATION)
    assert detail.concept.label_zh == "报关"
    assert ("zh", "报关单申报", "alias") in {(x.lang, x.text, x.label_type) for x in detail.labels}
    assert [p.key for p in detail.path] == ["tb.customs", "tb.customs.declaration"]
    assert "2-06-07-05" in {o.code for o in detail.occupations}
    assert detail.majors
    assert detail.postings == 2
    assert (HS, 2) in {(b.key, n) for b, n in detail.co_occurring}


def test_unknown_concept_is_not_found(store: sessionmaker[Session]) -> None:
    with store() as session, pytest.raises(NotFound):
        browse.concept_detail(session, "tb.no.such")


def test_adding_an_alias_installs_a_new_version_that_extraction_uses(
    store: sessionmaker[Session],
) -> None:
    assert DECLARATION not in keys_found(store, "负责海关申报代理")
    report = edit.add_alias(store, DECLARATION, "海关申报代理", "zh")
    assert report.version == "2026.11-local.1"
    assert versions(store) == [("2026.11-local.1", True), ("2026.11", False)]
    assert DECLARATION in keys_found(store, "负责海关申报代理")


def test_an_alias_shared_with_another_concept_is_refused_with_the_row(
    store: sessionmaker[Session],
) -> None:
    with pytest.raises(TaxonomyInvalid) as refused:
        edit.add_alias(store, DECLARATION, "WMS", "any")
    reasons = [p.describe() for p in refused.value.problems]
    assert reasons == [
        f"row 185, column label: label 'WMS' also belongs to {DECLARATION!r} (row 72)"
    ]
    assert versions(store) == [("2026.11", True)]
    with store() as session:
        assert session.scalar(select(func.count()).select_from(Taxonomy)) == 1


def test_an_alias_the_concept_already_has_is_refused(store: sessionmaker[Session]) -> None:
    with pytest.raises(Conflict):
        edit.add_alias(store, DECLARATION, "清关", "zh")
    assert versions(store) == [("2026.11", True)]


def test_removing_an_alias_stops_it_matching(store: sessionmaker[Session]) -> None:
    assert DECLARATION in keys_found(store, "负责进口清关")
    edit.remove_alias(store, DECLARATION, "进口清关")
    edit.remove_alias(store, DECLARATION, "清关")
    assert DECLARATION not in keys_found(store, "负责进口清关")
    with pytest.raises(NotFound):
        edit.remove_alias(store, DECLARATION, "清关")


def test_renaming_keeps_the_old_label_as_an_alias(store: sessionmaker[Session]) -> None:
    edit.rename_label(store, DECLARATION, label_zh="报关申报作业", label_en="customs filing work")
    with store() as session:
        detail = browse.concept_detail(session, DECLARATION, co_occurring=0)
    assert (detail.concept.label_zh, detail.concept.label_en) == (
        "报关申报作业",
        "customs filing work",
    )
    labels = {(x.text, x.label_type) for x in detail.labels}
    assert ("报关", "alias") in labels and ("customs declaration", "alias") in labels


def test_moving_and_adding_concepts_are_validated(store: sessionmaker[Session]) -> None:
    edit.move_concept(store, HS, "tb.customs.declaration")
    with store() as session:
        assert browse.concept_detail(session, HS).path[-1].key == "tb.customs.declaration"
    with pytest.raises(TaxonomyInvalid) as cycle:
        edit.move_concept(store, "tb.customs", "tb.customs.declaration")
    assert any("cannot sit under" in p.reason or "cycle" in p.reason for p in cycle.value.problems)
    with pytest.raises(edit.NothingToChange):
        edit.move_concept(store, HS, "tb.customs.declaration")
    new = ConceptSpec(
        "tb.customs.declaration.low_altitude", "skill", "低空物流报关", "low-altitude customs",
        parent="tb.customs.declaration",
    )  # fmt: skip
    report = edit.add_concept(store, new)
    assert report.version == "2026.11-local.2"
    assert "tb.customs.declaration.low_altitude" in keys_found(store, "熟悉低空物流报关")
    with pytest.raises(TaxonomyInvalid) as duplicate:
        edit.add_concept(store, new)
    assert any("duplicate id" in p.reason for p in duplicate.value.problems)


def test_text_analysis_reports_spans_strength_negation_and_occupation(
    store: sessionmaker[Session],
) -> None:
    text = "负责报关，熟悉HS归类；有叉车证者优先；无需英语。"
    with store() as session:
        result = browse.analyze_text(session, text, title="报关员")
        empty = browse.analyze_text(session, "")
    by_key = {h.concept.key: h for h in result.hits}
    hs = by_key[HS]
    assert text[hs.start : hs.end] == "HS归类" and hs.strength == "required"
    assert by_key["tb.cert.licences.forklift_licence"].strength == "preferred"
    assert any(h.negated for h in result.hits)
    assert result.version == "talentbridge@2026.11" and result.reason is None
    assert result.occupation is not None and result.occupation.code == "2-06-07-05"
    assert empty.hits == [] and empty.reason == "empty"


def test_highlight_cuts_text_into_plain_and_marked_segments(store: sessionmaker[Session]) -> None:
    text = "<b>报关</b> and HS归类"
    with store() as session:
        hits = browse.analyze_text(session, text).hits
    segments = browse.highlight(text, hits)
    assert "".join(s.text for s in segments) == text
    assert [s.text for s in segments if s.hits] == ["报关", "HS归类"]


def test_candidate_views_rank_recent_phrases_with_growth(store: sessionmaker[Session]) -> None:
    records = [
        {"title": f"物流专员{i}", "company": f"示例·丙{i}", "description": "熟悉数字人直播方法。",
         "posted": f"2026-{m:02d}-10"}
        for i, m in enumerate([8, 9, 10, 11])
    ] + [
        {"title": f"仓管{i}", "company": f"示例·丁{i}", "description": "负责仓库盘点。",
         "posted": f"2025-{m:02d}-10"}
        for i, m in enumerate([1, 2, 3, 4])
    ]  # fmt: skip
    ingest_records(store, records, channel="api", source="t", reference=TODAY)
    discover(store, min_postings=3)
    with store() as session:
        views = browse.candidate_views(session)
    found = {v.phrase: v for v in views}
    assert "数字人直播" in found
    rising = found["数字人直播"]
    assert (rising.postings, rising.recent_postings, rising.growth) == (4, 4, 10.0)
    assert "数字人直播" in rising.example
