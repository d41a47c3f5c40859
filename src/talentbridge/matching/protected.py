"""Protected attributes a college records about its students (``profile_protected``):
read from the student import, shown only to those the policy allows.

Gender, birth year, ethnicity, marital status, hukou province and a health note are
personal data kept for the fairness audit (``matching.fairness``) and nothing else: the
engine never reads them (``tests/matching/test_fairness.py`` checks its modules), and
profile pages show them only where ``policy.can_see_protected_attributes`` says so (the
platform admin, and the college admin of the student's college), never to the student's
teachers, recruiters or analysts.

Import columns (English or Chinese headers): gender (性别), birth_year (出生年份, also a
date, of which only the year is kept), ethnicity (民族), marital_status (婚姻状况),
hukou_province (户籍 / 户口所在地: any place, kept as its province code), health_note
(健康状况). The file is the only source of these values: a column that is present sets
them (an empty cell clears the value), a missing column leaves them alone, and a value
that cannot be read is left out with a ``kept:`` warning like the other optional columns.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from talentbridge.accounts.audit import record_event
from talentbridge.accounts.policy import Principal, can_see_protected_attributes
from talentbridge.domain.divisions import division, find_division
from talentbridge.errors import NotFound
from talentbridge.matching.resume.lexicon import ETHNIC_GROUPS
from talentbridge.store.matching_tables import ProfileProtected
from talentbridge.store.tables import Profile

PROTECTED_ALIASES: dict[str, tuple[str, ...]] = {
    "gender": ("gender", "性别"),
    "birth_year": ("birth_year", "出生年份", "出生年月", "出生日期"),
    "ethnicity": ("ethnicity", "民族"),
    "marital_status": ("marital_status", "婚姻状况"),
    "hukou_province": ("hukou_province", "户籍", "户口所在地", "户籍所在地", "户籍省份"),
    "health_note": ("health_note", "健康状况"),
}
FIELDS: tuple[str, ...] = tuple(PROTECTED_ALIASES)
GENDERS: dict[str, str] = {
    **dict.fromkeys(("男", "男性", "m", "male", "man"), "male"),
    **dict.fromkeys(("女", "女性", "f", "female", "woman"), "female"),
}
MARITAL: dict[str, str] = {
    **dict.fromkeys(("未婚", "unmarried", "single", "never married"), "unmarried"),
    **dict.fromkeys(("已婚", "married"), "married"),
    **dict.fromkeys(("离异", "离婚", "divorced"), "divorced"),
    **dict.fromkeys(("丧偶", "widowed"), "widowed"),
}
# Attributes stored as codes (the pages translate them); the others are shown as stored.
CODED: dict[str, tuple[str, ...]] = {
    "gender": ("female", "male"),
    "marital_status": ("unmarried", "married", "divorced", "widowed"),
}
OTHER_ETHNICITY = "其他"
MIN_BIRTH_YEAR, MAX_BIRTH_YEAR = 1940, 2015
MAX_HEALTH_NOTE = 100
_YEAR = re.compile(r"^((?:19|20)\d\d)(?:\D.*)?$")


def parse_gender(text: str) -> str:
    found = GENDERS.get(text.strip().lower())
    if found is None:
        raise ValueError(f"gender must be 男/女 (male/female), got {text!r}")
    return found


def parse_birth_year(text: str) -> int:
    """A year (2004), or a date of which only the year is kept (2004-05-01, 2004年5月)."""
    match = _YEAR.match(text.strip())
    if match is None or not MIN_BIRTH_YEAR <= int(match.group(1)) <= MAX_BIRTH_YEAR:
        raise ValueError(f"cannot read a birth year in {text!r}")
    return int(match.group(1))


def parse_ethnicity(text: str) -> str:
    """One of the 56 ethnic groups (with or without 族), or 其他."""
    value = text.strip()
    if value in ETHNIC_GROUPS or value == OTHER_ETHNICITY:
        return value
    if value + "族" in ETHNIC_GROUPS:
        return value + "族"
    raise ValueError(f"not one of the 56 ethnic groups: {text!r}")


def parse_marital_status(text: str) -> str:
    found = MARITAL.get(text.strip().lower())
    if found is None:
        raise ValueError(f"marital status must be 未婚/已婚/离异/丧偶, got {text!r}")
    return found


def parse_hukou_province(text: str) -> str:
    """The province (code ``xx0000``) of any place: 四川省宜宾市 → 510000."""
    found = find_division(text)
    province = division(found.code[:2] + "0000") if found is not None else None
    if province is None:
        raise ValueError(f"cannot find a province in {text!r}")
    return province.code


def parse_health_note(text: str) -> str:
    value = " ".join(text.split())
    if len(value) > MAX_HEALTH_NOTE:
        raise ValueError(f"longer than {MAX_HEALTH_NOTE} characters")
    return value


PARSERS: dict[str, Callable[[str], object]] = {
    "gender": parse_gender,
    "birth_year": parse_birth_year,
    "ethnicity": parse_ethnicity,
    "marital_status": parse_marital_status,
    "hukou_province": parse_hukou_province,
    "health_note": parse_health_note,
}


def read_protected(
    cell: Callable[[str], str], present: set[str]
) -> tuple[dict[str, object], list[tuple[str, str]]]:
    """The values of the ``present`` protected columns of one row (``cell(field)`` gives a
    cell's text; an empty cell is ``None``), and (field, reason) for unreadable ones,
    which are left out of the values."""
    values: dict[str, object] = {}
    warnings: list[tuple[str, str]] = []
    for name in FIELDS:
        if name not in present:
            continue
        text = cell(name).strip()
        if not text:
            values[name] = None
            continue
        try:
            values[name] = PARSERS[name](text)
        except ValueError as exc:
            warnings.append((name, str(exc)))
    return values, warnings


def apply_protected(session: Session, profile_id: int, values: dict[str, object]) -> bool:
    """Set the given protected fields of a profile; the row goes when nothing is left.
    Whether anything changed."""
    if not values:
        return False
    row = session.get(ProfileProtected, profile_id)
    if row is None:
        if all(v is None for v in values.values()):
            return False
        row = ProfileProtected(profile_id=profile_id)
        session.add(row)
    changed = False
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    if all(getattr(row, name) is None for name in FIELDS):
        session.delete(row)
        changed = True
    return changed


# --- reading for the profile page ---------------------------------------------------------


@dataclass(frozen=True)
class ProtectedView:
    """A profile's recorded protected attributes (codes; the page translates them)."""

    gender: str | None
    birth_year: int | None
    ethnicity: str | None
    marital_status: str | None
    hukou_province: str | None
    hukou_province_name_zh: str | None
    hukou_province_name_en: str | None
    health_note: str | None


def protected_attributes(
    session: Session, principal: Principal, profile_id: int
) -> ProtectedView | None:
    """What the college recorded, for the platform admin and the college admin of the
    profile's college; ``None`` for everyone else and when nothing is recorded. A read
    is audited (``profile.protected``)."""
    profile = session.get(Profile, profile_id)
    if profile is None:
        raise NotFound(f"profile {profile_id} not found")
    if not can_see_protected_attributes(principal, profile_org_id=profile.organization_id):
        return None
    row = session.get(ProfileProtected, profile_id)
    if row is None:
        return None
    record_event(
        session,
        user_id=principal.user_id,
        action="profile.protected",
        target_type="profile",
        target_id=profile.id,
        organization_id=profile.organization_id,
        purpose="college.fairness_audit",
    )
    province = division(row.hukou_province) if row.hukou_province else None
    return ProtectedView(
        gender=row.gender,
        birth_year=row.birth_year,
        ethnicity=row.ethnicity,
        marital_status=row.marital_status,
        hukou_province=row.hukou_province,
        hukou_province_name_zh=province.name_zh if province else None,
        hukou_province_name_en=province.name_en if province else None,
        health_note=row.health_note,
    )
