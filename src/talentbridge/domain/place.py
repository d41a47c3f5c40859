"""Posting places: free text (成都-武侯区, 重庆渝北, 两江新区, Chongqing, Yubei District …)
to province, city and district GB/T 2260 codes.

``parse_place(text)`` returns a ``Place`` or ``None`` (empty text, nowhere in particular
such as 全国 / 异地招聘 / 不限, or no place the division table knows).

How the three codes are filled (they follow ``domain.divisions``):

- a district or county: ``district_code`` is its code, ``city_code`` its city,
  ``province_code`` the city's province (成都-武侯区 → 510000 / 510100 / 510107);
- a city: ``district_code`` is ``None`` (广州 → 440000 / 440100 / None);
- a **municipality** (北京, 天津, 上海, 重庆) is its own province *and* its own city:
  ``province_code == city_code == "500000"`` for 重庆, and its districts hang directly
  below it (重庆渝北 → 500000 / 500000 / 500112). The ``xx0100`` "市辖区" codes of
  GB/T 2260 are not used, as in ``domain.divisions`` where ``Division.city_code`` of a
  Chongqing district is 500000;
- a province alone (四川省, 广东): ``city_code`` and ``district_code`` are ``None``.

A district named beside a city it does not belong to (宁波-江北区: 江北区 in the table
is Chongqing's) is not taken: the city, when known, wins, else the text is unresolved.
Functional areas (两江新区, 天府新区, 成都高新区 …) resolve through the aliases of
``domain.divisions`` to the district of their main seat. Several places
(成都/重庆, 成都、重庆) give the first one that resolves.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from talentbridge.domain.divisions import Division, division, find_division, in_circle

MUNICIPALITIES = frozenset({"110000", "120000", "310000", "500000"})

# Words that say "no particular place"; a text made only of these is not a place.
_NOWHERE = frozenset(
    {
        "全国",
        "全国各地",
        "异地招聘",
        "异地",
        "不限",
        "地点不限",
        "远程",
        "远程办公",
        "海外",
        "国外",
        "其他",
        "其它",
        "待定",
        "nationwide",
        "anywhere",
        "remote",
        "china",
        "中国",
    }
)
_LIST_ITEM = re.compile(r"'([^']*)'|\"([^\"]*)\"")
_ALTERNATIVES = re.compile(r"[/／、;；|｜\n]+|\s+or\s+|或")
_LABEL = re.compile(
    r"^\s*(?:工作地点|工作地区|工作城市|上班地点|地点|地区|城市|上班地址|工作地址|公司地址|办公地址|地址|location|city|address)\s*[:：]\s*",
    re.I,
)
_DOTS = re.compile(r"[•・‧∙]")
_NOISE = re.compile(r"[\s\-_·,，.'\"()（）\[\]【】:：]+")
_EN_SUFFIX = re.compile(r"\s+(?:district|county|city)$", re.I)


@dataclass(frozen=True)
class Place:
    """A resolved place: GB/T 2260 codes, the text it came from and the circle flag."""

    province_code: str
    city_code: str | None  # None when only a province is known
    district_code: str | None  # None when only a city (or province) is known
    raw: str
    in_circle: bool
    label_zh: str

    @property
    def code(self) -> str:
        """The most specific code known (district, else city, else province)."""
        return self.district_code or self.city_code or self.province_code


def _prepare(text: str) -> str:
    s = unicodedata.normalize("NFKC", text).strip()
    if s.startswith("[") and s.endswith("]"):  # a list literal the caller left wrapped
        items = [a or b for a, b in _LIST_ITEM.findall(s)]
        s = "/".join(item for item in items if item.strip()) if items else s[1:-1]
    s = _DOTS.sub("·", s)
    return _LABEL.sub("", s).strip()


def _names(found: Division) -> list[str]:
    names = [found.name_zh, found.short_name_zh]
    english = found.name_en.lower()
    names += [english, _EN_SUFFIX.sub("", english)]
    return [name for name in names if name]


def _prefix_before(text: str, found: Division) -> str | None:
    """The text before the place's name, or None when its name is not in the text."""
    lowered = text.lower()
    positions = [lowered.find(name) for name in _names(found)]
    hits = [p for p in positions if p >= 0]
    if not hits:
        return None
    return text[: min(hits)]


def _belongs(found: Division, outer: Division) -> bool:
    """Whether ``found`` lies inside ``outer`` (or is it)."""
    current: Division | None = found
    while current is not None:
        if current.code == outer.code:
            return True
        current = division(current.parent_code) if current.parent_code else None
    return False


def _checked(text: str, found: Division) -> Division | None:
    """Refuse a district whose text names another (or an unknown) city before it."""
    if not found.is_district:
        return found
    prefix = _prefix_before(text, found)
    if prefix is None:
        return found
    stripped = _NOISE.sub("", prefix).lower().replace("中国", "").replace("china", "")
    if not stripped:
        return found
    outer = find_division(prefix)
    if outer is None:
        # 宁波江北区: an unknown city before a district of the table
        return None if len(stripped) >= 2 and stripped.isalpha() else found
    if _belongs(found, outer):
        return found
    return outer


def _place(found: Division, raw: str) -> Place:
    if found.level == "province":
        province_code = found.code
        city_code = found.code if found.code in MUNICIPALITIES else None
        district_code = None
    elif found.level == "city":
        province_code = found.parent_code or found.code
        city_code, district_code = found.code, None
    else:
        city_code, district_code = found.city_code, found.code
        city = division(city_code)
        province_code = (city.parent_code if city else None) or city_code
    label = found.name_zh
    if district_code is not None:
        city = division(city_code) if city_code else None
        label = (city.name_zh if city else "") + found.name_zh
    return Place(
        province_code=province_code,
        city_code=city_code,
        district_code=district_code,
        raw=raw,
        in_circle=in_circle(found.code),
        label_zh=label,
    )


def _resolve_one(text: str) -> Division | None:
    if _NOISE.sub("", text).lower() in _NOWHERE:
        return None
    found = find_division(text)
    if found is None:
        return None
    return _checked(text, found)


def parse_place(text: str | None) -> Place | None:
    """Resolve posting-place text to a ``Place`` (see the module docstring)."""
    if text is None:
        return None
    raw = str(text)
    prepared = _prepare(raw)
    if not prepared:
        return None
    for alternative in _ALTERNATIVES.split(prepared):
        candidate = alternative.strip()
        if not candidate:
            continue
        found = _resolve_one(candidate)
        if found is not None:
            return _place(found, raw.strip())
    return None
