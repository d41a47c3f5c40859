from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from talentbridge.pipeline.clean import (
    clean_text,
    split_sections,
    strip_html,
    to_half_width,
    to_simplified,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ＷＭＳ　系统", "WMS 系统"),
        ("ＣＥＴ－４", "CET-4"),
        ("８－１２Ｋ", "8-12K"),
        ("熟悉Excel，", "熟悉Excel,"),
    ],
)
def test_full_width_forms_become_half_width(text: str, expected: str) -> None:
    assert to_half_width(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("報關員", "报关员"),
        ("倉儲管理", "仓储管理"),
        ("國際貨運代理", "国际货运代理"),
        ("Excel", "Excel"),
    ],
)
def test_traditional_characters_become_simplified(text: str, expected: str) -> None:
    assert to_simplified(text) == expected


def test_html_is_stripped_and_blocks_become_lines() -> None:
    text = "<p>岗位职责：</p><ul><li>负责报关&amp;报检</li><li>熟悉<b>WMS</b></li></ul><script>x()</script>"
    assert clean_text(text) == "岗位职责:\n负责报关&报检\n熟悉WMS"
    assert strip_html("no tags here < 5") == "no tags here < 5"


def test_clean_text_handles_empty_input() -> None:
    assert clean_text(None) == ""
    assert clean_text("   \n\t ") == ""


def test_boilerplate_is_separated_from_requirements() -> None:
    text = (
        "岗位职责：1、负责进出口货物的报关报检工作；2、熟悉HS归类和单一窗口操作。"
        "任职要求：大专及以上学历，持有1+X物流管理证书者优先。"
        "福利待遇：五险一金，带薪年假，节日福利。"
        "公司简介：我们是一家成立于2008年的国际货运代理公司，总部位于成都。"
    )
    sections = split_sections(clean_text(text))
    assert "报关报检" in sections.requirements
    assert "单一窗口" in sections.requirements
    assert "1+X物流管理" in sections.requirements
    assert "五险一金" in sections.benefits and "五险一金" not in sections.requirements
    assert "成立于2008年" in sections.company and "成立于" not in sections.requirements


@given(st.text(max_size=200))
def test_cleaning_never_raises_and_is_idempotent(text: str) -> None:
    once = clean_text(text)
    assert clean_text(once) == once or "<" in text or "&" in text
    split_sections(once)
