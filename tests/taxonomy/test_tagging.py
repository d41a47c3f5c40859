"""Extraction wired into ingestion, re-extraction after a taxonomy change, occupation
classification, and unknown-skill discovery with acceptance into the taxonomy."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from talentbridge.pipeline.postings import ingest_records
from talentbridge.store.tables import CandidatePhrase, Concept, Occupation, Posting, PostingConcept
from talentbridge.taxonomy.candidates import accept_candidate, discover, dismiss_candidate
from talentbridge.taxonomy.concepts import ConceptSpec, install_taxonomy, load_bundled_taxonomy
from talentbridge.taxonomy.discovery import PostingText, candidate_mentions, rank_candidates
from talentbridge.taxonomy.majors import load_bundled_majors
from talentbridge.taxonomy.occupations import load_bundled_occupations
from talentbridge.taxonomy.occupations_classify import OccupationClassifier
from talentbridge.taxonomy.tagging import reextract

TODAY = dt.date(2026, 11, 29)
CUSTOMS = (
    "岗位职责：负责进出口货物报关单申报，熟悉HS归类和单一窗口操作。"
    "任职要求：持1+X物流管理职业技能等级证书者优先；熟练使用Excel；无需叉车证。"
)


@pytest.fixture()
def store(factory: sessionmaker[Session]) -> sessionmaker[Session]:
    load_bundled_majors(factory)
    load_bundled_occupations(factory)
    load_bundled_taxonomy(factory)
    return factory


def concepts_of(session: Session, title: str) -> dict[str, PostingConcept]:
    posting = session.scalars(select(Posting).where(Posting.title == title)).one()
    rows = session.execute(
        select(Concept.key, PostingConcept)
        .join(PostingConcept, PostingConcept.concept_id == Concept.id)
        .where(PostingConcept.posting_id == posting.id)
    ).all()
    return {key: pc for key, pc in rows}


def test_ingested_postings_are_tagged_with_concepts_and_an_occupation(
    store: sessionmaker[Session],
) -> None:
    ingest_records(
        store,
        [{"title": "报关员", "company": "示例·甲公司", "description": CUSTOMS}],
        channel="api", source="t", reference=TODAY,
    )  # fmt: skip
    with store() as session:
        found = concepts_of(session, "报关员")
        assert "tb.customs.classification.hs_classification" in found
        assert "tb.customs.smart.single_window" in found
        assert found["tb.cert.onex.onex_logistics"].strength == "preferred"
        assert found["tb.cert.licences.forklift_licence"].negated
        assert not found["tb.office.office.excel"].negated
        posting = session.scalars(select(Posting)).one()
        occupation = session.get(Occupation, posting.occupation_id or 0)
        assert occupation is not None and occupation.code == "2-06-07-05"
        assert posting.occupation_confidence is not None and posting.occupation_confidence >= 0.5
        assert posting.extracted_version == "talentbridge@2026.11"
        assert {pc.taxonomy_version for pc in found.values()} == {"talentbridge@2026.11"}


def test_reextraction_after_a_taxonomy_change_uses_the_new_version(
    store: sessionmaker[Session],
) -> None:
    text = "负责跨境电商店铺运营，熟悉数字人直播。"
    ingest_records(
        store, [{"title": "运营专员", "company": "示例·乙公司", "description": text}],
        channel="api", source="t", reference=TODAY,
    )  # fmt: skip
    with store() as session:
        assert "tb.x.g.nf" not in concepts_of(session, "运营专员")
    specs = [
        ConceptSpec("tb.x", "cluster", "新兴方向", "Emerging"),
        ConceptSpec("tb.x.g", "group", "新兴技能", "Emerging skills", parent="tb.x"),
        ConceptSpec(
            "tb.x.g.nf", "skill", "数字人直播", "digital-human live streaming", parent="tb.x.g"
        ),
    ]
    install_taxonomy(store, specs, code="college-C01", version="1", name="C01")
    report = reextract(store, only_stale=True)
    assert report.postings == 1 and "college-C01@1" in report.version
    with store() as session:
        assert "tb.x.g.nf" in concepts_of(session, "运营专员")
        posting = session.scalars(select(Posting)).one()
        assert posting.extracted_version == report.version
    assert reextract(store, only_stale=True).postings == 0  # nothing stale any more


@pytest.mark.parametrize(
    ("title", "code"),
    [
        ("国际货代操作专员", "4-02-05-04"),
        ("跨境电商运营（亚马逊）", "4-01-02-09"),
        ("仓库管理员", "4-02-06-01"),
        ("叉车司机", "6-30-05-02"),
        ("冷链物流专员", "4-02-06-04"),
        ("快递员/配送员", "4-02-07-08"),
        ("关务专员", "2-06-07-05"),
    ],
)
def test_titles_classify_onto_occupations(
    store: sessionmaker[Session], title: str, code: str
) -> None:
    with store() as session:
        rows = session.execute(select(Occupation.id, Occupation.code, Occupation.name_zh)).all()
        by_id = {r[0]: r[1] for r in rows}
    classifier = OccupationClassifier([(r[0], r[1], r[2]) for r in rows], {})
    guess = classifier.classify(title, [])
    assert guess is not None and by_id[guess.occupation_id] == code


def test_no_evidence_gives_no_occupation() -> None:
    classifier = OccupationClassifier([(1, "4-02-06-01", "仓储管理员")], {})
    assert classifier.classify("行政前台", []) is None


@pytest.mark.parametrize(
    ("text", "phrases"),
    [
        ("熟悉网络货运平台与数字化调度；了解RCEP原产地规则。", ["网络货运平台", "数字化调度", "RCEP原产地规则"]),
        ("熟练使用Excel、SAP等办公软件，有报关经验者优先", ["Excel", "SAP", "报关"]),
        ("Familiar with drone delivery and low-altitude logistics. Good English.",
         ["drone delivery", "low-altitude logistics"]),
        ("具备良好的沟通能力", []),
    ],
)  # fmt: skip
def test_candidate_phrases_follow_skill_cues(text: str, phrases: list[str]) -> None:
    mentions = candidate_mentions(text)
    assert [m.phrase for m in mentions] == phrases
    assert all(text[m.start : m.end].lower() == m.phrase.lower() for m in mentions)


def test_rising_unknown_phrases_rank_above_flat_ones_and_known_spans_are_skipped() -> None:
    postings = []
    for month in ("2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06"):
        recent = month >= "2026-04"
        postings += [PostingText("熟悉仓储盘点流程。", month)] * 3
        postings += [PostingText("了解低空物流航线规划。", month)] * (4 if recent else 0)
        known = "熟悉WMS系统操作。"
        postings.append(PostingText(known, month, [(2, 7)]))
    ranked = rank_candidates(postings, recent_from="2026-04", min_postings=2)
    names = [c.phrase for c in ranked]
    assert names[0] == "低空物流航线规划" and "仓储盘点" in names
    assert "WMS系统" not in names and "WMS" not in names
    rising = ranked[0]
    assert rising.growth == 10.0 and rising.first_month == "2026-04"


def test_a_discovered_phrase_accepted_as_a_concept_is_found_after_reextraction(
    store: sessionmaker[Session],
) -> None:
    records = [
        {"title": f"物流专员{i}", "company": f"示例·丙{i}", "description": "熟悉数字人直播方法。",
         "posted": f"2026-{m:02d}-10"}
        for i, m in enumerate([6, 7, 8, 9, 10, 11])
    ]  # fmt: skip
    ingest_records(store, records, channel="api", source="t", reference=TODAY)
    ranked = discover(store, min_postings=3)
    assert any(c.phrase == "数字人直播" for c in ranked)
    with store() as session:
        cand = session.scalars(
            select(CandidatePhrase).where(CandidatePhrase.phrase == "数字人直播")
        ).one()
        other = session.scalars(
            select(CandidatePhrase).where(CandidatePhrase.phrase != "数字人直播")
        ).first()
        if other is not None:
            dismiss_candidate(session, other.id)
            session.commit()
    new = ConceptSpec(
        "tb.digital.smart_apps.digital_human_live", "skill", "数字人直播",
        "digital-human live streaming", parent="tb.digital.smart_apps",
    )  # fmt: skip
    report = accept_candidate(store, cand.id, new_concept=new)
    assert report.version == "2026.11-local.1"
    assert reextract(store, only_stale=True).postings == 6
    with store() as session:
        assert "tb.digital.smart_apps.digital_human_live" in concepts_of(session, "物流专员0")
        accepted = session.get(CandidatePhrase, cand.id)
        assert accepted is not None and accepted.status == "accepted"


def test_boilerplate_and_known_labels_are_no_candidates() -> None:
    postings = [PostingText("公司有班车接送。熟悉WMS操作。", "2026-05")] * 150
    postings += [PostingText("熟悉低空物流航线规划。熟悉WMS操作。", "2026-05")] * 60
    ranked = rank_candidates(
        postings, recent_from="2026-04", known_labels=frozenset({"wms"}), max_share=0.5
    )
    names = [c.phrase for c in ranked]
    assert "低空物流航线规划" in names  # in 60 of 210 postings: a real candidate
    assert "班车接送" not in names  # in 150 of 210: boilerplate
    assert "WMS" not in names  # a known label, even without a stored span
