from __future__ import annotations

import ast
from collections import Counter

import pytest

from support import shared_file
from talentbridge.domain.place import Place, parse_place
from talentbridge.pipeline.readers import read_table

CD, CQ, SC = "510100", "500000", "510000"

# (text, province, city, district)
CASES: list[tuple[str, str, str | None, str | None]] = [
    ("成都-武侯区", SC, CD, "510107"),
    ("成都·武侯", SC, CD, "510107"),
    ("成都・武侯区", SC, CD, "510107"),
    ("成都市武侯区", SC, CD, "510107"),
    ("四川省成都市金牛区", SC, CD, "510106"),
    ("成都 锦江区", SC, CD, "510104"),
    ("成都-新津县", SC, CD, "510118"),  # old name (新津 became a district in 2020)
    ("成都-都江堰市", SC, CD, "510181"),
    ("重庆渝北", CQ, CQ, "500112"),
    ("重庆-渝北区", CQ, CQ, "500112"),
    ("重庆市沙坪坝区", CQ, CQ, "500106"),
    ("重庆市 九龙坡区", CQ, CQ, "500107"),
    ("两江新区", CQ, CQ, "500112"),
    ("重庆两江新区", CQ, CQ, "500112"),
    ("重庆-高新区", CQ, CQ, "500106"),
    ("天府新区", SC, CD, "510116"),
    ("四川省成都市天府新区", SC, CD, "510116"),
    ("成都高新区", SC, CD, "510107"),
    ("成都-高新区", SC, CD, "510107"),
    ("成都高新", SC, CD, "510107"),
    ("四川省成都市高新区", SC, CD, "510107"),
    ("渝北区", CQ, CQ, "500112"),
    ("武侯区", SC, CD, "510107"),
    ("忠县", CQ, CQ, "500233"),
    ("上海-浦东新区", "310000", "310000", None),  # district unknown to the table
    ("北京", "110000", "110000", None),
    ("北京-海淀区", "110000", "110000", None),
    ("重庆", CQ, CQ, None),
    ("重庆市", CQ, CQ, None),
    ("成都", SC, CD, None),
    ("广州-天河区", "440000", "440100", None),
    ("['长沙-岳麓区']", "430000", "430100", None),
    ('["成都-武侯区"]', SC, CD, "510107"),
    ("Chengdu", SC, CD, None),
    ("chengdu", SC, CD, None),
    ("Chongqing, Yubei District", CQ, CQ, "500112"),
    ("Yubei District, Chongqing", CQ, CQ, "500112"),
    ("成都/重庆", SC, CD, None),
    ("成都、重庆", SC, CD, None),
    ("重庆/成都武侯", CQ, CQ, None),
    ("成都武侯/重庆", SC, CD, "510107"),
    ("全国/成都", SC, CD, None),
    ("\u3000成都－武侯区\u3000", SC, CD, "510107"),
    ("  成都 -  武侯区 ", SC, CD, "510107"),
    ("工作地点：重庆市江北区", CQ, CQ, "500105"),
    ("中国重庆渝北", CQ, CQ, "500112"),
    ("上班地址 : 重庆市沙坪坝区大学城", CQ, CQ, "500106"),  # an address with its label
    ("上班地址：成都市高新区天府大道中段", SC, CD, "510107"),
    ("绵阳", SC, "510700", None),
    ("眉山市东坡区", SC, "511400", None),
    ("内江市中区", SC, "511000", None),
    ("宁波-江北区", "330000", "330200", None),  # not Chongqing's 江北区
    ("Ningbo, Jiangbei District", "330000", "330200", None),
    ("昆山", "320000", "320500", None),
    ("四川省", SC, None, None),
    ("广东", "440000", None, None),
]


@pytest.mark.parametrize(("text", "province", "city", "district"), CASES)
def test_parse_place_resolves_codes(
    text: str, province: str, city: str | None, district: str | None
) -> None:
    place = parse_place(text)
    assert place is not None, text
    assert (place.province_code, place.city_code, place.district_code) == (
        province,
        city,
        district,
    )


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "   ",
        "[]",
        "异地招聘",
        "全国",
        "全国各地",
        "不限",
        "远程",
        "Remote",
        "火星",
        "高新区",
    ],
)
def test_parse_place_is_none_for_nowhere_in_particular(text: str | None) -> None:
    assert parse_place(text) is None


def test_a_district_in_an_unknown_city_is_not_taken_for_a_chongqing_district() -> None:
    assert parse_place("台州-江北区") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [("成都-武侯区", True), ("重庆渝北", True), ("绵阳", True), ("上海", False), ("四川省", False)],
)
def test_in_circle_flag(text: str, expected: bool) -> None:
    place = parse_place(text)
    assert place is not None
    assert place.in_circle is expected


def test_place_keeps_raw_text_label_and_most_specific_code() -> None:
    place = parse_place(" 重庆-渝北区 ")
    assert place == Place(
        province_code=CQ,
        city_code=CQ,
        district_code="500112",
        raw="重庆-渝北区",
        in_circle=True,
        label_zh="重庆市渝北区",
    )
    assert place.code == "500112"
    city_only = parse_place("广州")
    assert city_only is not None
    assert city_only.code == "440100"
    assert city_only.label_zh == "广州市"


@pytest.mark.shared_data
def test_51job_places_resolve_to_cities_and_circle_districts() -> None:
    path = shared_file("postings/51job-bigdata-2019.csv")
    total = resolved = 0
    circle: Counter[str] = Counter()
    with read_table(path) as table:
        for row in table:
            cell = row.get("地区")
            text = " ".join(ast.literal_eval(cell)).strip() if cell else ""
            if not text:
                continue
            total += 1
            place = parse_place(text)
            if place is not None and place.city_code is not None:
                resolved += 1
            for city, code in (("成都", CD), ("重庆", CQ)):
                if city in text:
                    circle[city] += 1
                    assert place is not None and place.city_code == code, text
                    if "-" in text:  # a district (or functional area) is given
                        assert place.district_code is not None, text
                        assert place.district_code.startswith(code[:4] if code == CD else "50")
    assert total > 4900
    assert resolved / total >= 0.95
    assert circle == {"成都": 241, "重庆": 96}
