"""Résumé entity extraction: hand-written examples, the BMES reader and scorer, and a floor
on the Chinese résumé NER dev set (read from ../shared/data, never copied)."""

from __future__ import annotations

import datetime as dt

import pytest
from resumefiles import EN_RESUME, ZH_RESUME

from support import shared_file
from talentbridge.matching.resume.entities import extract_entities, extract_zh
from talentbridge.matching.resume.layout import date_ranges, sections
from talentbridge.matching.resume.ner_eval import Scoreboard, bmes_spans, parse_bmes, read_bmes

# The extractor clears this on dev (87.8 when last measured; see docs/benchmarks.md).
# A change that loses more than a few points fails here.
DEV_MICRO_F1_FLOOR = 0.85


def _pairs(text: str) -> set[tuple[str, str]]:
    return {(e.type, e.text) for e in extract_zh(text)}


def test_chinese_executive_style_sentences() -> None:
    text = "王小明先生：1966年12月出生，中国国籍，汉族，硕士研究生学历，高级工程师。"
    assert _pairs(text) == {
        ("NAME", "王小明"), ("CONT", "中国国籍"), ("RACE", "汉族"), ("EDU", "硕士研究生学历"),
        ("TITLE", "高级工程师")}  # fmt: skip
    text = "2009年5月至今任示例物流股份有限公司董事、副总经理兼董事会秘书。"
    assert _pairs(text) == {
        ("ORG", "示例物流股份有限公司"), ("TITLE", "董事"), ("TITLE", "副总经理"),
        ("TITLE", "董事会秘书")}  # fmt: skip
    text = "毕业于西南交通大学交通运输专业，经济学硕士。"
    assert _pairs(text) == {
        ("ORG", "西南交通大学"), ("PRO", "交通运输专业"), ("PRO", "经济学"), ("EDU", "硕士")}  # fmt: skip
    assert _pairs("1953年7月出生，广东新会人，汉族。") == {("LOC", "广东新会人"), ("RACE", "汉族")}
    assert _pairs("近5年任示例证券有限责任公司战略管理顾问等职务。") == {
        ("ORG", "示例证券有限责任公司"), ("TITLE", "战略管理顾问")}  # fmt: skip
    assert _pairs("现任中国平安保险（集团）股份有限公司党委副书记。") == {
        ("ORG", "中国平安保险（集团）股份有限公司"), ("TITLE", "党委副书记")}  # fmt: skip


def test_offsets_index_the_text() -> None:
    for entity in extract_entities(ZH_RESUME):
        assert ZH_RESUME[entity.start : entity.end] == entity.text
    found = {(e.type, e.text) for e in extract_entities(ZH_RESUME)}
    assert {("NAME", "张伟"), ("RACE", "汉族"), ("EDU", "大专"),
            ("ORG", "四川交通职业技术学院"), ("ORG", "成都示例国际货运代理有限公司"),
            ("TITLE", "单证员")} <= found  # fmt: skip


def test_english_resume() -> None:
    found = {(e.type, e.text) for e in extract_entities(EN_RESUME)}
    assert {("NAME", "Jane Doe"), ("ORG", "Sichuan Vocational College of Transport"),
            ("EDU", "Associate degree"), ("PRO", "Logistics Management"),
            ("TITLE", "Export Documentation Clerk"),
            ("ORG", "Example Freight Forwarding Co., Ltd.")} <= found  # fmt: skip
    for entity in extract_entities(EN_RESUME):
        assert EN_RESUME[entity.start : entity.end] == entity.text


def test_layout_sections_and_dates() -> None:
    names = [s.name for s in sections(ZH_RESUME)]
    assert names == ["education", "experience", "certificates"]  # 求职意向：… is a field
    ranges = date_ranges(ZH_RESUME)
    assert [(r.start_on, r.end_on) for r in ranges] == [
        (dt.date(2021, 9, 1), dt.date(2024, 6, 1)), (dt.date(2023, 7, 1), dt.date(2023, 9, 1))]  # fmt: skip
    (now,) = date_ranges("2009年5月至今任董事")
    assert now.ongoing and now.end_on is None
    (en,) = date_ranges("Sep 2023 - Dec 2023 Clerk")
    assert (en.start_on, en.end_on) == (dt.date(2023, 9, 1), dt.date(2023, 12, 1))


def test_bmes_reader_and_scorer_on_a_tiny_example() -> None:
    lines = [
        "张 B-NAME\r\n", "三 E-NAME\r\n", "， O\r\n", "汉 B-RACE\r\n", "族 E-RACE\r\n", "\r\n",
        "-NAME\n",  # a malformed line (the character was lost): skipped
        "李 S-NAME\n", "任 O\n", "董 B-TITLE\n", "事 M-ORG\n", "长 E-TITLE\n", "\n",
    ]  # fmt: skip
    report = parse_bmes(lines)
    assert [s.text for s in report.sentences] == ["张三，汉族", "李任董事长"]
    assert report.sentences[0].entities == ((0, 2, "NAME"), (3, 5, "RACE"))
    assert report.sentences[1].entities == ((0, 1, "NAME"),)  # B-TITLE M-ORG: broken, dropped
    assert (report.skipped_lines, report.broken_entities) == (1, 2)
    assert bmes_spans(["S-LOC", "O", "B-ORG", "E-ORG"]) == ([(0, 1, "LOC"), (2, 4, "ORG")], 0)
    board = Scoreboard()
    board.add(gold=[(0, 2, "NAME"), (3, 5, "RACE")], predicted=[(0, 2, "NAME"), (3, 5, "EDU")])
    board.add(gold=[(0, 1, "NAME")], predicted=[(0, 2, "NAME")])
    name, micro = board.by_type["NAME"], board.micro
    assert (name.right, name.predicted, name.gold) == (1, 2, 2)
    assert (micro.right, micro.predicted, micro.gold) == (1, 3, 3)
    assert micro.precision == pytest.approx(1 / 3) and micro.recall == pytest.approx(1 / 3)
    assert micro.f1 == pytest.approx(1 / 3)
    assert board.by_type["EDU"].f1 == 0.0


@pytest.mark.shared_data
def test_dev_micro_f1_floor() -> None:
    report = read_bmes(shared_file("resume-ner/dev.char.bmes"))
    assert len(report.sentences) == 463
    board = Scoreboard()
    for sentence in report.sentences:
        board.add(sentence.entities, [(e.start, e.end, e.type) for e in extract_zh(sentence.text)])
    assert board.micro.gold == 1497
    assert board.micro.f1 >= DEV_MICRO_F1_FLOOR, f"dev micro F1 {board.micro.f1:.3f}"
