"""The skill extractor: boundary rules in both languages, longest match, cues, bad input,
and re-extraction after a taxonomy change."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy.orm import Session, sessionmaker

from talentbridge.taxonomy.concepts import ConceptSpec, install_taxonomy
from talentbridge.taxonomy.extractor import (
    Extraction,
    Extractor,
    Hit,
    LabelEntry,
    extractor_for,
    labels_from_store,
)

# concept ids of the hand-written label list
CUSTOMS, CUSTOMS_FORM, SEA_BL, BL, WMS, SAP, EXCEL, SEA, LOGISTICS = range(1, 10)
ENGLISH, FORKLIFT_CERT, CET4, ECOM, ROAD_FREIGHT, STORAGE, TRADE, DOCS, DEV = range(10, 19)
ERP, TMS, LC, PYTHON, CUSTOMS_EN, ONE_X, SQL = range(19, 26)

LABELS = [
    LabelEntry(CUSTOMS, "报关", "zh", "preferred"),
    LabelEntry(CUSTOMS_FORM, "报关单申报", "zh", "preferred"),
    LabelEntry(SEA_BL, "海运提单", "zh", "preferred"),
    LabelEntry(BL, "提单", "zh", "preferred"),
    LabelEntry(BL, "B/L", "any", "abbreviation"),
    LabelEntry(BL, "bill of lading", "en", "preferred"),
    LabelEntry(WMS, "仓储管理系统", "zh", "preferred"),
    LabelEntry(WMS, "WMS", "any", "abbreviation"),
    LabelEntry(SAP, "SAP", "any", "abbreviation", "tool"),
    LabelEntry(EXCEL, "Excel", "en", "preferred", "tool"),
    LabelEntry(SEA, "海运", "zh", "preferred"),
    LabelEntry(LOGISTICS, "物流", "zh", "preferred"),
    LabelEntry(ENGLISH, "英语", "zh", "preferred", "language"),
    LabelEntry(ENGLISH, "English", "en", "preferred", "language"),
    LabelEntry(FORKLIFT_CERT, "叉车证", "zh", "preferred", "certificate"),
    LabelEntry(CET4, "CET-4", "any", "abbreviation", "certificate"),
    LabelEntry(CET4, "英语四级", "zh", "alias", "certificate"),
    LabelEntry(ECOM, "电商", "zh", "alias"),
    LabelEntry(ROAD_FREIGHT, "货运", "zh", "preferred"),
    LabelEntry(STORAGE, "仓储", "zh", "preferred"),
    LabelEntry(TRADE, "外贸", "zh", "preferred"),
    LabelEntry(DOCS, "单证", "zh", "preferred"),
    LabelEntry(DEV, "开发", "zh", "preferred"),
    LabelEntry(ERP, "ERP", "any", "abbreviation", "tool"),
    LabelEntry(TMS, "TMS", "any", "abbreviation", "tool"),
    LabelEntry(LC, "L/C", "any", "abbreviation"),
    LabelEntry(LC, "信用证", "zh", "preferred"),
    LabelEntry(PYTHON, "Python", "en", "preferred", "tool"),
    LabelEntry(CUSTOMS_EN, "customs declaration", "en", "preferred"),
    LabelEntry(ONE_X, "1+X 物流管理职业技能等级证书", "zh", "preferred", "certificate"),
    LabelEntry(SQL, "SQL", "any", "abbreviation", "tool"),
]


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor.build(LABELS, version="test@1")


@pytest.fixture(scope="module")
def unchecked() -> Extractor:
    return Extractor.build(LABELS, version="test@1", segment_check=False)


def found(extractor: Extractor, text: str) -> list[tuple[str, int]]:
    return [(h.surface, h.concept_id) for h in extractor.extract(text).hits]


def by_surface(extractor: Extractor, text: str) -> dict[str, Hit]:
    return {h.surface: h for h in extractor.extract(text).hits}


BOUNDARY_CASES = [
    # English / ASCII labels on word boundaries
    ("熟悉WMS系统操作", [("WMS", WMS)]),
    ("WMS", [("WMS", WMS)]),
    ("会用wms", [("wms", WMS)]),
    ("SAPPHIRE project", []),
    ("experience with SAP.", [("SAP", SAP)]),
    ("SAP-ERP implementation", [("SAP", SAP), ("ERP", ERP)]),
    ("ERPNext is not our system", []),
    ("ATMS and TMSX are not TMS", [("TMS", TMS)]),
    ("出具B/L,审核L/C", [("B/L", BL), ("L/C", LC)]),
    ("CET-4以上", [("CET-4", CET4)]),
    ("CET-46", []),
    ("Excel's pivot tables", [("Excel", EXCEL)]),
    ("Excel2019", []),
    ("(Python)", [("Python", PYTHON)]),
    ("Pythonic code", []),
    ("handles Customs Declaration and the Bill of Lading", [
        ("Customs Declaration", CUSTOMS_EN), ("Bill of Lading", BL)]),
    ("熟悉ＷＭＳ与ＳＡＰ", [("ＷＭＳ", WMS), ("ＳＡＰ", SAP)]),
    ("MySQL数据库", []),
    # Chinese labels against segmentation
    ("熟悉报关流程", [("报关", CUSTOMS)]),
    ("负责上海运营中心的日常工作", []),
    ("负责百货运营", []),
    ("家电商场导购", []),
    ("提供简单证明材料", []),
    ("负责海报关注度提升", []),
    ("国外贸易公司", []),
    ("仓储式超市理货员", []),
    ("英语系毕业", []),
    ("会开发票", []),
    ("熟悉仓储管理和海运业务", [("仓储", STORAGE), ("海运", SEA)]),
    ("外贸单证", [("外贸", TRADE), ("单证", DOCS)]),
    ("在报关行工作过", [("报关", CUSTOMS)]),
    ("持有报关员资格证", [("报关", CUSTOMS)]),
    ("商务英语沟通", [("英语", ENGLISH)]),
    ("取得1+X 物流管理职业技能等级证书", [("1+X 物流管理职业技能等级证书", ONE_X)]),
    ("取得1+X物流管理职业技能等级证书", [("1+X物流管理职业技能等级证书", ONE_X)]),
    ("熟悉報關單申報", [("報關單申報", CUSTOMS_FORM)]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), BOUNDARY_CASES)
def test_labels_match_only_on_word_boundaries(
    extractor: Extractor, text: str, expected: list[tuple[str, int]]
) -> None:
    assert found(extractor, text) == expected


def test_spans_index_the_text_as_given(extractor: Extractor) -> None:
    text = "<p>岗位要求：熟悉ＷＭＳ系统，会用Excel</p>"
    for hit in extractor.extract(text).hits:
        assert text[hit.start : hit.end] == hit.surface
    assert {h.concept_id for h in extractor.extract(text).hits} == {WMS, EXCEL}


def test_a_lowercase_that_changes_length_keeps_offsets(extractor: Extractor) -> None:
    text = "İİİ 熟悉SAP"  # "İ".lower() is two characters
    (hit,) = extractor.extract(text).hits
    assert (hit.surface, text[hit.start : hit.end]) == ("SAP", "SAP")


def test_without_the_segment_check_traps_are_taken(unchecked: Extractor) -> None:
    assert found(unchecked, "负责上海运营中心") == [("海运", SEA)]
    assert found(unchecked, "仓储式超市") == [("仓储", STORAGE)]


def test_longest_label_wins_over_the_label_inside_it(extractor: Extractor) -> None:
    assert found(extractor, "熟悉报关单申报流程") == [("报关单申报", CUSTOMS_FORM)]
    assert found(extractor, "审核海运提单") == [("海运提单", SEA_BL)]
    assert found(extractor, "审核提单和海运订舱") == [("提单", BL), ("海运", SEA)]


def test_overlapping_labels_resolve_leftmost_longest(extractor: Extractor) -> None:
    # 英语四级 (CET-4 alias) contains 英语: the longer one wins, nothing is counted twice
    assert found(extractor, "通过英语四级") == [("英语四级", CET4)]
    hits = extractor.extract("外贸单证,英语四级,叉车证").hits
    spans = [(h.start, h.end) for h in hits]
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))


def test_one_surface_shared_by_two_concepts_gives_both() -> None:
    shared = Extractor.build(
        [LabelEntry(1, "Excel", "en", "preferred"), LabelEntry(2, "excel", "en", "alias")],
        segment_check=False,
    )
    hits = shared.extract("Excel").hits
    assert [(h.concept_id, h.label_type) for h in hits] == [(1, "preferred"), (2, "alias")]


@pytest.mark.parametrize(
    ("text", "surface", "strength"),
    [
        ("熟悉国际贸易流程,有报关经验者优先", "报关", "preferred"),
        ("熟悉Excel,有报关经验者优先", "Excel", "required"),
        ("优先考虑持有叉车证的候选人", "叉车证", "preferred"),
        ("会Python加分", "Python", "preferred"),
        ("熟悉SAP更佳", "SAP", "preferred"),
        ("熟悉仓储管理系统", "仓储管理系统", "required"),
        ("Experience with SAP, Excel is a plus.", "SAP", "preferred"),
        ("Python preferred. SQL required.", "SQL", "required"),
        ("Python preferred. SQL required.", "Python", "preferred"),
        ("Knowledge of customs declaration is an advantage", "customs declaration", "preferred"),
        ("Nice to have: Python, SQL", "SQL", "preferred"),
        ("Proficient in Excel; bonus if you know SQL", "Excel", "required"),
        ("Proficient in Excel; bonus if you know SQL", "SQL", "preferred"),
    ],
)
def test_preference_cues_mark_their_clause(
    extractor: Extractor, text: str, surface: str, strength: str
) -> None:
    assert by_surface(extractor, text)[surface].strength == strength


def test_a_preference_heading_covers_the_lines_below_it(extractor: Extractor) -> None:
    text = "加分项:\n1. 熟悉SAP\n2. 持有叉车证\n任职要求:\n3. 熟悉Excel"
    hits = by_surface(extractor, text)
    assert hits["SAP"].strength == hits["叉车证"].strength == "preferred"
    assert hits["Excel"].strength == "required"


@pytest.mark.parametrize(
    ("text", "surface", "negated"),
    [
        ("无需报关经验", "报关", True),
        ("不需要叉车证,入职后公司统一培训", "叉车证", True),
        ("对英语口语不作要求", "英语", True),
        ("不限专业,熟悉Excel", "Excel", False),
        ("熟练使用Excel,不要求英语", "Excel", False),
        ("熟练使用Excel,不要求英语", "英语", True),
        ("熟练使用办公软件,包括但不限于Excel、SAP", "Excel", False),
        ("英语四级非必须", "英语四级", True),
        ("No need for SAP experience", "SAP", True),
        ("Proficient in Excel, SAP not required", "Excel", False),
        ("Proficient in Excel, SAP not required", "SAP", True),
        ("Python, SQL not required", "Python", True),
        ("We work without WMS", "WMS", True),
        ("Excel is optional.", "Excel", True),
        ("Excel required. Python optional.", "Excel", False),
    ],
)
def test_negation_cues_govern_only_their_concepts(
    extractor: Extractor, text: str, surface: str, negated: bool
) -> None:
    assert by_surface(extractor, text)[surface].negated is negated


def test_confidence_orders_preferred_alias_abbreviation(extractor: Extractor) -> None:
    hits = by_surface(extractor, "熟悉报关,通过英语四级,会CET-4,懂WMS")
    assert hits["报关"].confidence == 1.0
    assert hits["英语四级"].confidence == 0.9
    assert hits["CET-4"].confidence == 0.85
    assert hits["WMS"].confidence == 0.75  # short abbreviation
    (inside_longer_word,) = extractor.extract("持有报关员证").hits
    assert inside_longer_word.confidence < hits["报关"].confidence


def test_unconfirmed_chinese_matches_lose_confidence(unchecked: Extractor) -> None:
    hits = by_surface(unchecked, "熟悉报关,会SAP")
    assert hits["报关"].confidence == pytest.approx(0.9)
    assert hits["SAP"].confidence == 0.75


def test_concepts_keeps_the_best_hit_per_concept(extractor: Extractor) -> None:
    text = "无需报关经验;熟悉报关优先;熟悉报关流程"
    best = extractor.concepts(text)
    assert set(best) == {CUSTOMS}
    assert (best[CUSTOMS].negated, best[CUSTOMS].strength) == (False, "required")
    assert best[CUSTOMS].start == text.rindex("报关")
    only_negated_and_preferred = extractor.concepts("无需报关经验;熟悉报关优先")
    assert only_negated_and_preferred[CUSTOMS].strength == "preferred"
    assert not only_negated_and_preferred[CUSTOMS].negated


@pytest.mark.parametrize("text", [None, "", "   \n "])
def test_empty_input_gives_no_hits_and_a_reason(extractor: Extractor, text: str | None) -> None:
    assert extractor.extract(text) == Extraction([], "empty")
    assert extractor.concepts(text) == {}


def test_huge_input_is_truncated_not_refused(extractor: Extractor) -> None:
    text = "熟悉WMS系统。" + "物" * (2 * 1024 * 1024) + "熟悉SAP"
    result = extractor.extract(text)
    assert result.reason == "truncated"
    assert [h.concept_id for h in result.hits] == [WMS]


def test_text_just_under_the_limit_is_read_whole(extractor: Extractor) -> None:
    text = "a" * 200_000 + " SAP"
    assert extractor.extract(text).reason is None
    assert [h.concept_id for h in extractor.extract(text).hits] == [SAP]


@pytest.mark.parametrize(
    "text",
    [
        "熟悉WMS\x00\x00\x01",
        "\x01\x02\x03\x04\x05\x06\x07\x08熟悉WMS" * 3,
        "\ufffd\ufffd\ufffd\ufffdPK\x03\x04\ufffdWMS",
    ],
)
def test_binary_input_gives_no_hits(extractor: Extractor, text: str) -> None:
    assert extractor.extract(text) == Extraction([], "binary")


def test_mixed_scripts_and_emoji_are_fine(extractor: Extractor) -> None:
    text = "🚚熟悉WMS😀,English流利,ภาษาไทย,русский SAP,\ud800 Excel"
    result = extractor.extract(text)
    assert result.reason is None
    assert [h.concept_id for h in result.hits] == [WMS, ENGLISH, SAP, EXCEL]


def test_wrong_types_never_raise(extractor: Extractor) -> None:
    assert extractor.extract(b"SAP".decode()).hits[0].concept_id == SAP
    assert extractor.extract(12345).reason in ("empty", "error")  # type: ignore[arg-type]


def test_extraction_is_deterministic() -> None:
    text = "熟悉报关单申报、海运提单;有WMS/SAP经验者优先;无需叉车证。English is a plus"
    first = Extractor.build(LABELS).extract(text)
    second = Extractor.build(list(reversed(LABELS))).extract(text)
    assert first == second
    assert first.hits


def test_re_ranking_the_automaton_after_the_first_texts_changes_no_hit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    texts = [
        "熟悉报关单申报、海运提单;有WMS/SAP经验者优先;无需叉车证。English is a plus",
        "上海运营中心招聘外贸单证员,熟悉信用证L/C、B/L,英语四级(CET-4)",
        "Customs declaration and bill of lading; Python, SQL not required. 仓储式超市",
    ]
    monkeypatch.setattr("talentbridge.taxonomy.extractor.TUNE_AFTER", 2)
    extractor = Extractor.build(LABELS)
    before = extractor._automaton
    first = [extractor.extract(text) for text in texts]  # the second text re-ranks
    assert extractor._automaton is not before
    again = [extractor.extract(text) for text in texts]
    assert again == first
    assert first == [Extractor.build(LABELS, version="").extract(text) for text in texts]
    assert all(result.hits for result in first)


def _spec(key: str, kind: str, zh: str, en: str, parent: str = "", **more: object) -> ConceptSpec:
    return ConceptSpec(key=key, kind=kind, label_zh=zh, label_en=en, parent=parent, **more)  # type: ignore[arg-type]


def test_extractor_for_rebuilds_after_a_taxonomy_change(
    factory: sessionmaker[Session],
) -> None:
    base = [
        _spec("t", "cluster", "关务", "customs and compliance"),
        _spec("t.g", "group", "报关业务", "customs work", "t"),
        _spec("t.g.decl", "skill", "报关", "customs declaration", "t.g"),
    ]
    install_taxonomy(factory, base, code="tb-test", version="1", name="test")
    with factory() as session:
        first = extractor_for(session)
        assert extractor_for(session) is first
        assert first.version == "tb-test@1"
        assert first.extract("熟悉customs clearance").hits == []
        assert [h.surface for h in first.extract("熟悉报关").hits] == ["报关"]
    changed = [*base[:2], _spec("t.g.decl", "skill", "报关", "customs declaration", "t.g",
                                aliases_en=("customs clearance",))]  # fmt: skip
    install_taxonomy(factory, changed, code="tb-test", version="2", name="test")
    with factory() as session:
        second = extractor_for(session)
        assert second is not first
        assert second.version == "tb-test@2"
        (hit,) = second.extract("熟悉customs clearance").hits
        assert (hit.surface, hit.label_type) == ("customs clearance", "alias")
        entries = labels_from_store(session)
        assert {e.text for e in entries} >= {"报关", "customs clearance"}
        assert {e.kind for e in entries if e.text == "报关"} == {"skill"}
        assert hit.concept_id in {e.concept_id for e in entries if e.text == "报关"}


def test_labels_from_store_reads_only_the_given_taxonomies(
    factory: sessionmaker[Session],
) -> None:
    one = install_taxonomy(
        factory, [_spec("a", "cluster", "甲", "alpha")], code="a", version="1", name="a"
    )
    install_taxonomy(
        factory, [_spec("b", "cluster", "乙", "beta")], code="b", version="1", name="b"
    )
    with factory() as session:
        assert {e.text for e in labels_from_store(session, [one.taxonomy_id])} == {"甲", "alpha"}
        assert {e.text for e in labels_from_store(session)} == {"甲", "alpha", "乙", "beta"}
        assert labels_from_store(session, []) == []
