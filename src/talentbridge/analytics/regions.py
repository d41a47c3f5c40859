"""Region keys of the demand cube: one string per level, so one indexed equality
answers any region.

``all`` (every posting), ``circle`` (the Chengdu–Chongqing economic circle),
``p:510000`` (a province or municipality), ``c:510100`` (a city), ``d:510107`` (a
district or county). A municipality (Chongqing, ``500000``) is its own province and
city: it has only the ``p:`` key, and ``c:500000`` is read as ``p:500000``.
"""

from __future__ import annotations

from dataclasses import dataclass

from talentbridge.domain.divisions import all_divisions, division

ALL = "all"
CIRCLE = "circle"
LEVELS = ("all", "circle", "province", "city", "district")
_PREFIX = {"p": "province", "c": "city", "d": "district"}


class UnknownRegion(ValueError):
    """A region key that is not ``all``, ``circle`` or a known division code."""


@dataclass(frozen=True)
class Region:
    key: str
    level: str  # all | circle | province | city | district
    code: str | None
    name_zh: str
    name_en: str

    def name(self, lang: str) -> str:
        return self.name_zh if lang == "zh" else self.name_en


def region_keys(
    province: str | None,
    city: str | None,
    district: str | None,
    in_circle: bool,
    *,
    districts: bool = True,
) -> list[str]:
    """Every region key a posting at this place counts in (most general first)."""
    keys = [ALL]
    if in_circle:
        keys.append(CIRCLE)
    if province:
        keys.append("p:" + province)
    if city and city != province:
        keys.append("c:" + city)
    if districts and district and district not in (city, province):
        keys.append("d:" + district)
    return keys


def parse_region(key: str) -> Region:
    """The region of a key; raises ``UnknownRegion`` for anything else."""
    key = (key or "").strip()
    if key == ALL:
        return Region(ALL, "all", None, "全部地区", "All regions")
    if key == CIRCLE:
        return Region(CIRCLE, "circle", None, "成渝地区双城经济圈", "Chengdu–Chongqing circle")
    prefix, _, code = key.partition(":")
    level = _PREFIX.get(prefix)
    found = division(code) if level else None
    if found is None or level is None:
        raise UnknownRegion(f"unknown region {key!r}: use all, circle, p:CODE, c:CODE or d:CODE")
    if level == "city" and found.level == "province":  # a municipality
        return Region("p:" + code, "province", code, found.name_zh, found.name_en)
    return Region(key, level, code, found.name_zh, found.name_en)


def region_choices() -> list[Region]:
    """The regions offered in the UI: all, the circle, then the circle's provinces and
    cities (and Chongqing's districts come through the district picker), then the rest
    of the provinces and cities known to the division table."""
    regions = [parse_region(ALL), parse_region(CIRCLE)]
    divisions = [d for d in all_divisions() if d.level in ("province", "city")]
    divisions.sort(key=lambda d: (not d.in_circle, d.level != "province", d.code))
    for found in divisions:
        prefix = "p" if found.level == "province" else "c"
        regions.append(
            Region(f"{prefix}:{found.code}", found.level, found.code, found.name_zh, found.name_en)
        )
    return regions


def district_choices(parent: str) -> list[Region]:
    """The districts of a city (or of a municipality) as regions."""
    parsed = parse_region(parent)
    return [
        Region("d:" + d.code, "district", d.code, d.name_zh, d.name_en)
        for d in all_divisions()
        if d.level == "district" and d.parent_code == parsed.code
    ]


def without_districts(key: str) -> str:
    """The key itself, or its city's key for a district (for tables kept without
    districts: skill salaries, occupation skills, the skill graph)."""
    region = parse_region(key)
    if region.level != "district" or region.code is None:
        return region.key
    found = division(region.code)
    parent = found.parent_code if found else None
    return parse_region("c:" + parent).key if parent else ALL
