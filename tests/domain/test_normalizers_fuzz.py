"""Hypothesis: no normalizer lets an exception escape on arbitrary text, and a few
properties hold (spans point at their phrase, mapping loses no header)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from talentbridge.domain.dates import parse_posting_date
from talentbridge.domain.education import parse_education, parse_experience
from talentbridge.domain.place import Place, parse_place
from talentbridge.domain.salary import parse_salary
from talentbridge.pipeline.clean import clean_text, split_sections
from talentbridge.pipeline.columns import FIELDS, apply, map_headers, unwrap_cell
from talentbridge.pipeline.compliance import check_posting

FUZZ = settings(max_examples=200, deadline=None)
REFERENCE = dt.date(2026, 5, 20)

# Arbitrary text, biased toward the characters these parsers look for.
PIECES = st.sampled_from(
    [
        "成都", "重庆", "武侯区", "渝北", "两江新区", "-", "·", "/", "、", "市", "省", "区",
        "万", "千", "K", "k", "元", "/月", "/年", "薪", "8", "1.5", "-", "~", "面议",
        "本科", "大专", "年", "经验", "不限", "应届", "岁", "年龄", "男", "女", "限", "优先",
        "户口", "户籍", "籍", "人", "汉族", "乙肝", "携带", "已婚", "已育", "勿扰",
        "[", "]", "'", '"', ",", "<p>", "</p>", "&nbsp;", "\n", " ", "\u3000", "１２",
        "05-11发布", "2019-09-13", "昨天", "3天前", "under 35", "male only", "hukou",
    ]
)  # fmt: skip
TEXT = st.one_of(st.text(max_size=80), st.lists(PIECES, max_size=20).map("".join))


@FUZZ
@given(TEXT)
def test_parse_place_never_raises_and_codes_are_consistent(text: str) -> None:
    place = parse_place(text)
    if place is not None:
        assert isinstance(place, Place)
        assert len(place.province_code) == 6
        if place.district_code is not None:
            assert place.city_code is not None
        if place.city_code is not None:
            assert place.city_code[:2] == place.province_code[:2]


@FUZZ
@given(TEXT)
def test_check_posting_spans_point_at_their_phrase(text: str) -> None:
    flags = check_posting(text)
    for flag in flags:
        assert text[flag.start : flag.end] == flag.phrase
        assert flag.phrase.strip() == flag.phrase != ""
    assert [f.start for f in flags] == sorted(f.start for f in flags)


@FUZZ
@given(st.one_of(TEXT, st.lists(st.text(max_size=10), max_size=4).map(repr)))
def test_unwrap_cell_never_raises_and_unwraps_string_lists(text: str) -> None:
    result = unwrap_cell(text)
    assert isinstance(result, str)


@FUZZ
@given(
    st.lists(
        st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12).filter(
            str.strip
        ),
        max_size=10,
    )
)
def test_string_list_literals_unwrap_to_their_items(items: list[str]) -> None:
    assert unwrap_cell(repr(items)) == " ".join(i.strip() for i in items if i.strip())


@FUZZ
@given(st.lists(TEXT, max_size=12, unique=True))
def test_map_headers_keeps_every_header_somewhere(headers: list[str]) -> None:
    cmap = map_headers(headers)
    used = [h for sources in cmap.fields.values() for h in sources] + list(cmap.extra)
    assert sorted(used) == sorted(headers)
    assert set(cmap.fields) <= set(FIELDS)
    canonical, extras = apply({h: h for h in headers}, cmap)
    assert set(canonical) == set(cmap.fields)
    assert set(extras) <= set(cmap.extra)


@FUZZ
@given(TEXT)
def test_existing_normalizers_never_raise(text: str) -> None:
    salary = parse_salary(text)
    if salary is not None and salary.min_monthly is not None and salary.max_monthly is not None:
        assert salary.min_monthly <= salary.max_monthly
    parse_education(text)
    parse_experience(text)
    parsed = parse_posting_date(text, reference=REFERENCE)
    assert parsed is None or parsed <= REFERENCE
    cleaned = clean_text(text)
    assert "\u3000" not in cleaned  # full-width space made half-width
    assert "  " not in cleaned and "\n\n" not in cleaned  # whitespace collapsed
    split_sections(cleaned)
