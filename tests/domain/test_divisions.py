from __future__ import annotations

import pytest

from talentbridge.domain.divisions import (
    all_divisions,
    children,
    city_of,
    division,
    find_division,
    in_circle,
)


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("510000", "四川省"),
        ("510100", "成都市"),
        ("510104", "锦江区"),
        ("510107", "武侯区"),
        ("510185", "简阳市"),
        ("500000", "重庆市"),
        ("500103", "渝中区"),
        ("500112", "渝北区"),
        ("500156", "武隆区"),
        ("500243", "彭水苗族土家族自治县"),
        ("440300", "深圳市"),
        ("110000", "北京市"),
    ],
)
def test_division_looks_up_codes(code: str, name: str) -> None:
    found = division(code)
    assert found is not None
    assert found.name_zh == name


def test_unknown_code_is_none() -> None:
    assert division("999999") is None


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("成都", "510100"),
        ("成都市", "510100"),
        ("Chengdu", "510100"),
        ("chengdu", "510100"),
        ("重庆渝北", "500112"),
        ("渝北区", "500112"),
        ("渝北", "500112"),
        ("成都-武侯区", "510107"),
        ("四川省成都市金牛区", "510106"),
        ("重庆市 沙坪坝区", "500106"),
        ("Yubei District", "500112"),
        ("510107", "510107"),
        ("两江新区", "500112"),
        ("重庆两江新区", "500112"),
        ("成都-高新区", "510107"),
        ("天府新区", "510116"),
        ("上海-浦东新区", "310000"),  # district unknown to the table: falls back to the city
        ("北京-昌平区", "110000"),
        ("广州", "440100"),
        ("阿坝", "513200"),
        ("忠县", "500233"),
        ("Wuxi", "320200"),  # 无锡 (a city) wins over 巫溪县 on the shared English name
    ],
)
def test_find_division_resolves_names_codes_and_aliases(text: str, code: str) -> None:
    found = find_division(text)
    assert found is not None, text
    assert found.code == code


@pytest.mark.parametrize("text", ["", "   ", "高新区", "火星", "Atlantis", "123456"])
def test_find_division_returns_none_for_unknown_text(text: str) -> None:
    assert find_division(text) is None


def test_chengdu_has_all_twenty_districts_and_counties() -> None:
    names = {d.name_zh for d in children("510100")}
    assert len(names) == 20
    assert {"锦江区", "青羊区", "郫都区", "新津区", "简阳市", "蒲江县"} <= names


def test_chongqing_has_twenty_six_districts_and_twelve_counties() -> None:
    kids = children("500000")
    assert sum(d.name_zh.endswith("区") for d in kids) == 26
    assert sum(d.name_zh.endswith("县") for d in kids) == 12


def test_sichuan_has_twenty_one_prefecture_level_divisions() -> None:
    assert len(children("510000")) == 21


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("510100", True),
        ("510107", True),
        ("511500", True),  # 宜宾
        ("510400", False),  # 攀枝花
        ("513300", False),  # 甘孜
        ("500112", True),
        ("500101", True),  # 万州
        ("500237", False),  # 巫山
        ("440300", False),
        ("510722", True),  # a Mianyang county not in the table: judged by its city
        ("bad", False),
    ],
)
def test_in_circle_follows_the_plan_outline(code: str, expected: bool) -> None:
    assert in_circle(code) is expected


def test_fifteen_sichuan_cities_are_in_the_circle() -> None:
    assert sum(d.in_circle for d in children("510000")) == 15


def test_city_of_a_district_is_its_city_and_a_municipality_is_its_own_city() -> None:
    wuhou = city_of("510107")
    yubei = city_of("500112")
    assert wuhou is not None and wuhou.code == "510100"
    assert yubei is not None and yubei.code == "500000"
    chengdu = city_of("510100")
    assert chengdu is not None and chengdu.code == "510100"


def test_every_parent_code_is_in_the_table_and_codes_are_unique() -> None:
    everything = all_divisions()
    codes = [d.code for d in everything]
    assert len(codes) == len(set(codes))
    for found in everything:
        if found.parent_code is not None:
            assert division(found.parent_code) is not None, found.code
            assert found.code[:2] == found.parent_code[:2]


def test_divisions_are_immutable() -> None:
    found = division("510100")
    assert found is not None
    with pytest.raises(AttributeError):
        found.name_zh = "x"  # type: ignore[misc]
