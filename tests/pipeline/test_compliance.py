from __future__ import annotations

import datetime as dt
import random

import pytest

from talentbridge.demo import postings as pg
from talentbridge.demo import wording as w
from talentbridge.demo.generator import _org_rows
from talentbridge.pipeline.compliance import RULES, ComplianceFlag, check_posting

# (text, rule, phrase)
POSITIVE: list[tuple[str, str, str]] = [
    ("限男性，能适应夜班", "gender", "限男性"),
    ("仅限女性", "gender", "仅限女性"),
    ("男性优先", "gender", "男性优先"),
    ("女士优先。", "gender", "女士优先"),
    ("只招男生", "gender", "只招男生"),
    ("女生勿扰", "gender", "女生勿扰"),
    ("不招女性", "gender", "不招女性"),
    ("性别：男", "gender", "性别：男"),
    ("性别要求：女", "gender", "性别要求：女"),
    ("Male only.", "gender", "Male only"),
    ("Female candidates preferred", "gender", "Female candidates preferred"),
    ("Applicants must be male", "gender", "must be male"),
    ("1、年龄35岁以下，大专", "age", "年龄35岁以下"),
    ("年龄：18-30岁", "age", "年龄：18-30岁"),
    ("18-30岁，身体健康", "age", "18-30岁"),
    ("年龄不超过40", "age", "年龄不超过40"),
    ("35周岁以下", "age", "35周岁以下"),
    ("年龄35周岁及以下", "age", "年龄35周岁及以下"),
    ("年龄在18—45周岁之间", "age", "年龄在18—45周岁之间"),
    ("25岁以上", "age", "25岁以上"),
    ("Candidates under 35 welcome", "age", "under 35"),
    ("aged 20-30", "age", "aged 20-30"),
    ("已婚已育优先", "marriage_childbirth", "已婚已育优先"),
    ("未婚", "marriage_childbirth", "未婚"),
    ("已育", "marriage_childbirth", "已育"),
    ("请说明婚育情况", "marriage_childbirth", "婚育情况"),
    ("两年内无生育计划", "marriage_childbirth", "两年内无生育计划"),
    ("不招孕妇", "marriage_childbirth", "不招孕妇"),
    ("No plans to have children", "marriage_childbirth", "No plans to have children"),
    ("本地户口", "hukou", "本地户口"),
    ("限本地户籍", "hukou", "限本地户籍"),
    ("本市户口", "hukou", "本市户口"),
    ("非农户口", "hukou", "非农户口"),
    ("要求成都本地户口", "hukou", "要求成都本地户口"),
    ("重庆户籍优先", "hukou", "重庆户籍优先"),
    ("Local hukou required", "hukou", "Local hukou required"),
    ("限河南籍", "native_place", "限河南籍"),
    ("不招东北人", "native_place", "不招东北人"),
    ("四川籍优先", "native_place", "四川籍优先"),
    ("只招本地人", "native_place", "只招本地人"),
    ("谢绝新疆籍人士", "native_place", "谢绝新疆籍人士"),
    ("限汉族", "ethnicity", "限汉族"),
    ("汉族优先", "ethnicity", "汉族优先"),
    ("不招少数民族", "ethnicity", "不招少数民族"),
    ("民族限制", "ethnicity", "民族限制"),
    ("Han Chinese only", "ethnicity", "Han Chinese only"),
    ("乙肝", "health", "乙肝"),
    ("乙肝携带者勿扰", "health", "乙肝携带者勿扰"),
    ("需体检无乙肝", "health", "无乙肝"),
    ("病毒携带者勿扰", "health", "病毒携带者勿扰"),
    ("HIV阳性勿扰", "health", "HIV阳性勿扰"),
    ("HBV carriers not accepted", "health", "HBV carriers not accepted"),
]

NEGATIVE = [
    "男女不限",
    "不限男女",
    "性别不限",
    "性别：男，女均可",
    "Gender: male or female",
    "年龄不限",
    "年满18周岁",
    "18岁以上",
    "年龄：18（含）周岁以上",
    "面向3-6岁儿童的早教课程",
    "辅导10-18岁青少年",
    "公司平均年龄25岁",
    "under 35 hours per week",
    "不限户籍",
    "户籍不限",
    "可解决成都户口",
    "协助落户",
    "XX有限公司解决户口",
    "不限四川籍",
    "婚假、产假、年假",
    "婚育礼金",
    "欢迎应届毕业生",
    "需持健康证上岗（冷链）",
    "身体健康，有驾照",
    "体检合格",
    "员工子女优先入学",
    "负责女装销售",
    "熟悉男装面料",
    "乙肝疫苗接种护士",
    "艾滋病防治项目专员",
    "archive documents under supervision",
    "负责客户关系维护，团队50人",
    "",
]


@pytest.mark.parametrize(("text", "rule", "phrase"), POSITIVE)
def test_discriminatory_phrase_is_flagged_with_its_rule_and_span(
    text: str, rule: str, phrase: str
) -> None:
    flags = check_posting(text)
    assert [(f.rule, f.phrase) for f in flags] == [(rule, phrase)]
    flag = flags[0]
    assert text[flag.start : flag.end] == phrase
    assert flag.law == RULES[rule].law
    assert flag.explanation_zh and flag.explanation_en


@pytest.mark.parametrize("text", NEGATIVE)
def test_lawful_or_neutral_text_is_not_flagged(text: str) -> None:
    assert check_posting(text) == []


def test_laws_are_named_per_rule() -> None:
    assert "第二十七条" in RULES["gender"].law_zh
    assert "第四十三条" in RULES["gender"].law_zh
    assert "第四十三条" in RULES["marriage_childbirth"].law_zh
    assert "第二十八条" in RULES["ethnicity"].law_zh
    assert "第三十条" in RULES["health"].law_zh
    assert "第三十一条" in RULES["hukou"].law_zh
    assert "3 and 30" in RULES["health"].law_en
    assert set(RULES) == {
        "gender",
        "age",
        "marriage_childbirth",
        "hukou",
        "native_place",
        "ethnicity",
        "health",
    }
    assert all(info.label_zh and info.label_en for info in RULES.values())


def test_several_phrases_come_in_reading_order_with_exact_spans() -> None:
    text = "任职要求：1、限男性；2、年龄35岁以下；3、本地户口，乙肝勿扰。"
    flags = check_posting(text)
    assert [f.rule for f in flags] == ["gender", "age", "hukou", "health"]
    assert all(text[f.start : f.end] == f.phrase for f in flags)
    assert flags == sorted(flags, key=lambda f: f.start)
    assert isinstance(flags[0], ComplianceFlag)


def test_every_discriminatory_phrase_of_the_demo_data_is_flagged() -> None:
    for phrase in w.DISCRIMINATORY:
        assert check_posting(phrase), phrase


def test_generated_postings_are_flagged_exactly_when_discriminatory() -> None:
    rng = random.Random(5)
    _, employers = _org_rows(rng)
    factory = pg.PostingFactory(rng, employers, dt.date(2026, 5, 20))
    drawn = [factory.draw(i) for i in range(600)]
    assert any(p.discriminatory for p in drawn)
    for posting in drawn:
        text = "\n".join(posting.lines)
        assert bool(check_posting(text)) is posting.discriminatory, text
