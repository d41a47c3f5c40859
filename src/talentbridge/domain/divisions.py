"""GB/T 2260 administrative divisions: Sichuan, Chongqing and China's major cities.

The table ships with the package (``domain/data/divisions.csv``) and is read once,
lazily, on first use. ``in_circle`` marks places in the Chengdu–Chongqing economic
circle (成渝地区双城经济圈) as drawn by the 2021 plan outline: Chengdu and 14 other
Sichuan cities, and the 27 Chongqing districts and counties it names plus the parts of
开州 and 云阳 it includes (those two are counted as in).

Functional areas (两江新区, 天府新区, 成都高新区 …) are not divisions; they are kept as
aliases (``domain/data/division_aliases.csv``) mapped to the district of their main seat.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

LEVELS = ("province", "city", "district")
_LEVEL_RANK = {level: rank for rank, level in enumerate(LEVELS)}
_SEPARATORS = re.compile(r"[\s\-_/\\·,，、|()（）\[\]【】:：;；.'\"]+")
_ETHNIC_SUFFIX = re.compile(r"(?:藏族|羌族|彝族|土家族|苗族|壮族|回族|维吾尔)*自治[州县区]$")
_EN_SUFFIX = re.compile(r"(district|county|city|province|autonomousregion|autonomousprefecture)$")
_CODE = re.compile(r"^\d{6}$")
_MIN_SUBSTRING_ALIAS = 2


@dataclass(frozen=True)
class Division:
    code: str
    name_zh: str
    name_en: str
    level: str  # province | city | district
    parent_code: str | None
    in_circle: bool

    @property
    def short_name_zh(self) -> str:
        """The name without its administrative suffix: 成都市 → 成都, 渝北区 → 渝北."""
        return _short_zh(self.name_zh)

    @property
    def city_code(self) -> str:
        """The city this division belongs to (a municipality counts as its own city)."""
        if self.level == "district" and self.parent_code:
            return self.parent_code
        return self.code

    @property
    def is_district(self) -> bool:
        return self.level == "district"


def _short_zh(name: str) -> str:
    stripped = _ETHNIC_SUFFIX.sub("", name)
    if stripped != name and len(stripped) >= 2:
        return stripped
    for suffix in ("省", "市", "区", "县"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def _normalize(text: str) -> str:
    return _SEPARATORS.sub("", text.strip().lower())


def _en_keys(name_en: str) -> set[str]:
    full = _normalize(name_en)
    short = _EN_SUFFIX.sub("", full)
    return {full, short} if short else {full}


@dataclass(frozen=True)
class _Registry:
    by_code: dict[str, Division]
    children: dict[str, tuple[Division, ...]]
    keys: tuple[tuple[str, Division], ...]  # (normalized name key, division), longest first
    aliases: dict[str, Division]


def _read_package_csv(name: str) -> list[dict[str, str]]:
    text = resources.files("talentbridge.domain").joinpath("data").joinpath(name).read_text("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@cache
def _registry() -> _Registry:
    by_code: dict[str, Division] = {}
    for row in _read_package_csv("divisions.csv"):
        division = Division(
            code=row["code"],
            name_zh=row["name_zh"],
            name_en=row["name_en"],
            level=row["level"],
            parent_code=row["parent_code"] or None,
            in_circle=row["in_circle"] == "1",
        )
        by_code[division.code] = division
    children: dict[str, list[Division]] = {}
    for division in by_code.values():
        if division.parent_code:
            children.setdefault(division.parent_code, []).append(division)
    ordered = sorted(by_code.values(), key=lambda d: (_LEVEL_RANK[d.level], d.code))
    seen: dict[str, Division] = {}
    for division in ordered:  # on a shared key the broader (then lower-coded) place wins
        for key in {_normalize(division.name_zh), _normalize(division.short_name_zh)}:
            seen.setdefault(key, division)
        for key in _en_keys(division.name_en):
            seen.setdefault(key, division)
    keys = tuple(sorted(seen.items(), key=lambda item: -len(item[0])))
    aliases = {
        _normalize(row["alias"]): by_code[row["code"]]
        for row in _read_package_csv("division_aliases.csv")
    }
    return _Registry(
        by_code=by_code,
        children={
            code: tuple(sorted(kids, key=lambda d: d.code)) for code, kids in children.items()
        },
        keys=keys,
        aliases=aliases,
    )


def division(code: str) -> Division | None:
    """The division with this six-digit code, if it is in the table."""
    return _registry().by_code.get(code.strip())


def all_divisions() -> tuple[Division, ...]:
    return tuple(sorted(_registry().by_code.values(), key=lambda d: d.code))


def children(code: str) -> tuple[Division, ...]:
    """The divisions directly under ``code`` (cities of a province, districts of a city)."""
    return _registry().children.get(code, ())


def _ancestors(found: Division) -> set[str]:
    codes: set[str] = set()
    current: Division | None = found
    while current is not None and current.parent_code:
        codes.add(current.parent_code)
        current = division(current.parent_code)
    return codes


def find_division(text: str) -> Division | None:
    """Resolve free text to the most specific division it names (cached: place texts
    repeat a lot in postings, and the answer depends only on the bundled table).

    Accepts codes (``510107``), full or short names (成都市, 成都, 渝北区, 渝北),
    combinations (重庆渝北, 成都-武侯区, 四川省成都市), English names (Chengdu,
    Yubei District) and the functional-area aliases (两江新区). A district unknown to
    the table falls back to the city named beside it (上海-浦东新区 → 上海市).
    """
    reg = _registry()
    raw = text.strip()
    if not raw:
        return None
    if _CODE.match(raw):
        return reg.by_code.get(raw)
    norm = _normalize(raw)
    if not norm:
        return None
    if norm in reg.aliases:
        return reg.aliases[norm]
    alias_hits = [
        (len(key), division)
        for key, division in reg.aliases.items()
        if len(key) > _MIN_SUBSTRING_ALIAS and key in norm
    ]
    if alias_hits:
        return max(alias_hits, key=lambda hit: hit[0])[1]
    hits: dict[str, tuple[int, Division]] = {}
    remaining = norm
    for key, found in reg.keys:  # longest keys first, each span used once
        position = remaining.find(key)
        if position < 0:
            continue
        remaining = remaining[:position] + "\0" * len(key) + remaining[position + len(key) :]
        if found.code not in hits or position < hits[found.code][0]:
            hits[found.code] = (position, found)
    if not hits:
        return None
    named_ancestors: set[str] = set()
    for _, found in hits.values():
        named_ancestors |= _ancestors(found)
    specific = [hit for code, hit in hits.items() if code not in named_ancestors]
    return min(specific, key=lambda hit: hit[0])[1]


def city_of(code: str) -> Division | None:
    """The city (or municipality) a division belongs to."""
    found = division(code)
    if found is None:
        return None
    return division(found.city_code)


def in_circle(code: str) -> bool:
    """Whether the place with this code lies in the Chengdu–Chongqing economic circle.

    A code not in the table is judged by its city (``510xx00``) or province (``xx0000``)
    when those are known, so a Chengdu county missing from the table still counts.
    """
    code = code.strip()
    if not _CODE.match(code):
        return False
    for candidate in (code, code[:4] + "00", code[:2] + "0000"):
        found = division(candidate)
        if found is not None:
            return found.in_circle
    return False
