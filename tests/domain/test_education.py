from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from talentbridge.domain.education import Education, Experience, parse_education, parse_experience


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("大专", Education.ASSOCIATE),
        ("['大专']", Education.ASSOCIATE),
        ("大专及以上", Education.ASSOCIATE),
        ("专科以上学历", Education.ASSOCIATE),
        ("本科", Education.BACHELOR),
        ("统招本科", Education.BACHELOR),
        ("大专或本科", Education.ASSOCIATE),
        ("中专/中技", Education.SECONDARY_VOCATIONAL),
        ("中技", Education.SECONDARY_VOCATIONAL),
        ("高中", Education.HIGH_SCHOOL),
        ("初中及以下", Education.JUNIOR_HIGH),
        ("硕士", Education.MASTER),
        ("博士", Education.DOCTOR),
        ("学历不限", Education.ANY),
        ("不限", Education.ANY),
        ("Bachelor's degree or above", Education.BACHELOR),
        ("Associate degree", Education.ASSOCIATE),
    ],
)
def test_education_text_gives_the_minimum_level(text: str, level: Education) -> None:
    assert parse_education(text) == level


@pytest.mark.parametrize("text", [None, "", "2人", "若干", "[]"])
def test_text_without_education_gives_none(text: str | None) -> None:
    assert parse_education(text) is None


def test_levels_are_ordered() -> None:
    assert Education.SECONDARY_VOCATIONAL < Education.HIGH_SCHOOL < Education.ASSOCIATE
    assert Education.ASSOCIATE < Education.BACHELOR < Education.MASTER


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3-5年", Experience(3, 5)),
        ("3-5年经验", Experience(3, 5)),
        ("1年工作经验", Experience(1, None)),
        ("['2年工作经验']", Experience(2, None)),
        ("5年以上", Experience(5, None)),
        ("两年以上", Experience(2, None)),
        ("1年以下", Experience(0, 1)),
        ("经验不限", Experience(0, None)),
        ("无经验", Experience(0, None)),
        ("应届生", Experience(0, 0, fresh_graduate=True)),
        ("在校生/应届生", Experience(0, 0, fresh_graduate=True)),
        ("3-5 years", Experience(3, 5)),
        ("10年以上经验", Experience(10, None)),
    ],
)
def test_experience_text_gives_a_year_range(text: str, expected: Experience) -> None:
    assert parse_experience(text) == expected


@pytest.mark.parametrize("text", [None, "", "本科", "[]"])
def test_text_without_experience_gives_none(text: str | None) -> None:
    assert parse_experience(text) is None


@given(st.text(max_size=40))
def test_parsers_never_raise(text: str) -> None:
    parse_education(text)
    exp = parse_experience(text)
    if exp is not None and exp.max_years is not None:
        assert exp.min_years <= exp.max_years
