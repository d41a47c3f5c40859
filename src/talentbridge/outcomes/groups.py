"""What outcome figures are grouped by, whose graduates they cover, and row labels.

Dimensions of a graduate: ``college`` (the profile's college), ``major`` (the catalog
major of the profile's college major), ``direction`` (the profile's direction), ``year``
(graduation year), and of their placement's place: ``province``, ``city`` (the four
municipalities count as their own city) and ``zone`` (``circle`` = the Chengdu–Chongqing
economic circle, ``elsewhere`` in China, ``abroad``, ``unknown``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, String, case, func, literal, select
from sqlalchemy.orm import Session

from talentbridge.accounts.outcomes_policy import (
    can_break_down_by_college,
    can_view_college_outcomes,
    can_view_outcomes,
    outcomes_college,
)
from talentbridge.accounts.principal import Principal
from talentbridge.domain.divisions import division
from talentbridge.errors import Forbidden
from talentbridge.outcomes.cells import GroupValue
from talentbridge.store.outcomes_tables import Placement
from talentbridge.store.tables import (
    CollegeMajor,
    Direction,
    Major,
    Organization,
    Profile,
    table_of,
)

PLACEMENT = table_of(Placement)
PROFILE = table_of(Profile)
COLLEGE_MAJOR = table_of(CollegeMajor)

GRADUATE_DIMS: tuple[str, ...] = ("college", "major", "direction", "year")
PLACE_DIMS: tuple[str, ...] = ("province", "city", "zone")
DIMENSIONS: tuple[str, ...] = GRADUATE_DIMS + PLACE_DIMS
ZONES: dict[str, tuple[str, str]] = {
    "circle": ("成渝地区双城经济圈", "Chengdu–Chongqing circle"),
    "elsewhere": ("圈外（国内）", "elsewhere in China"),
    "abroad": ("境外", "abroad"),
    "unknown": ("地点不详", "place unknown"),
}
_MUNICIPALITIES = ("11", "12", "31", "50")  # Beijing, Tianjin, Shanghai, Chongqing
_UNKNOWN = ("不详", "unknown")


@dataclass(frozen=True)
class OutcomesScope:
    """Whose graduates a table covers: one college (``college_id``) or every college
    (``None``, the alliance), in the given graduation years (``None``: every year with a
    placement record)."""

    college_id: int | None
    years: tuple[int, ...] | None = None
    major_id: int | None = None
    direction_id: int | None = None
    zone: str | None = None  # one of ZONES: only graduates placed there
    # College staff looking at the alliance: their own college's part of each cell is
    # known to them, so a cell is also withheld when the other colleges' part is small.
    viewer_college: int | None = None


def parse_by(by: str | Iterable[str] | None) -> tuple[str, ...]:
    """``"major,year"`` or ``["major", "year"]`` as dimension names (``ValueError`` for
    an unknown one)."""
    if by is None:
        return ()
    parts = [p.strip() for p in (by.split(",") if isinstance(by, str) else by)]
    names = tuple(p for p in parts if p)
    for name in names:
        if name not in DIMENSIONS:
            raise ValueError(f"cannot group by {name!r}; use any of {', '.join(DIMENSIONS)}")
    if len(set(names)) != len(names):
        raise ValueError("a dimension is named twice")
    return names


def resolve_scope(
    principal: Principal,
    by: Sequence[str],
    *,
    college_id: int | None = None,
    alliance: bool = False,
    years: Sequence[int] | None = None,
    major_id: int | None = None,
    direction_id: int | None = None,
    zone: str | None = None,
) -> OutcomesScope:
    """The scope a principal asked for, or ``Forbidden``.

    College staff see their own college (the default) or the alliance as a whole
    (``alliance=True``), never another college and never a breakdown by college; the
    platform admin and analysts see any college, every college side by side, or the
    alliance."""
    if not can_view_outcomes(principal):
        raise Forbidden("employment outcomes are not open to this role")
    if "college" in by and not can_break_down_by_college(principal):
        raise Forbidden("figures by college are not open to this role")
    viewer_college = None
    if alliance:
        if college_id is not None:
            raise ValueError("a college and the alliance at once")
        viewer_college = outcomes_college(principal)
    else:
        own = outcomes_college(principal)
        if college_id is None:
            college_id = own
        if college_id is not None and not can_view_college_outcomes(principal, college_id):
            raise Forbidden("another college's figures are not open to this user")
    if zone is not None and zone not in ZONES:
        raise ValueError(f"unknown zone {zone!r}; use one of {', '.join(ZONES)}")
    return OutcomesScope(
        college_id=college_id,
        years=tuple(sorted(set(years))) if years else None,
        major_id=major_id,
        direction_id=direction_id,
        zone=zone,
        viewer_college=viewer_college,
    )


def _prefix(code: ColumnElement[str | None], length: int) -> ColumnElement[str]:
    return func.substr(code, 1, length, type_=String)


def dimension_column(dim: str) -> ColumnElement[object]:
    """The SQL expression of a dimension over profile ⟕ placement ⟕ college major."""
    p = PLACEMENT.c
    code = p.division_code
    abroad = p.abroad.is_(True)
    if dim == "college":
        return PROFILE.c.organization_id
    if dim == "major":
        return COLLEGE_MAJOR.c.major_id
    if dim == "direction":
        return PROFILE.c.direction_id
    if dim == "year":
        return PROFILE.c.graduation_year
    if dim == "province":
        return case(
            (abroad, literal("abroad")),
            (code.is_(None), literal(None)),
            else_=_prefix(code, 2) + literal("0000"),
        )
    if dim == "city":
        return case(
            (abroad, literal("abroad")),
            (code.is_(None), literal(None)),
            (_prefix(code, 2).in_(_MUNICIPALITIES), _prefix(code, 2) + literal("0000")),
            else_=_prefix(code, 4) + literal("00"),
        )
    if dim == "zone":
        return case(
            (abroad, literal("abroad")),
            (p.in_circle.is_(True), literal("circle")),
            (p.in_circle.is_(False), literal("elsewhere")),
            else_=literal("unknown"),
        )
    raise ValueError(f"unknown dimension {dim!r}")


def sort_key(key: Sequence[int | str | None]) -> tuple[tuple[int, str, int], ...]:
    """Rows in order of their keys, unknown values last."""
    out = []
    for value in key:
        if value is None:
            out.append((2, "", 0))
        elif isinstance(value, int):
            out.append((0, "", value))
        else:
            out.append((1 if value in ("abroad", "unknown") else 0, value, 0))
    return tuple(out)


class Labeller:
    """Names of the grouping values, fetched once per table."""

    def __init__(self, session: Session, by: Sequence[str], keys: Iterable[Sequence[object]]):
        self.names: dict[tuple[str, object], tuple[str, str]] = {}
        wanted: dict[str, set[int]] = {dim: set() for dim in by}
        for key in keys:
            for dim, value in zip(by, key, strict=True):
                if isinstance(value, int):
                    wanted[dim].add(value)
        if wanted.get("college"):
            for oid, zh, en in session.execute(
                select(Organization.id, Organization.name_zh, Organization.name_en).where(
                    Organization.id.in_(wanted["college"])
                )
            ):
                self.names[("college", oid)] = (zh, en or zh)
        if wanted.get("major"):
            for mid, code, zh, en in session.execute(
                select(Major.id, Major.code, Major.name_zh, Major.name_en).where(
                    Major.id.in_(wanted["major"])
                )
            ):
                self.names[("major", mid)] = (f"{code} {zh}", f"{code} {en or zh}")
        if wanted.get("direction"):
            for did, zh, en in session.execute(
                select(Direction.id, Direction.name_zh, Direction.name_en).where(
                    Direction.id.in_(wanted["direction"])
                )
            ):
                self.names[("direction", did)] = (zh, en or zh)

    def value(self, dim: str, key: int | str | None) -> GroupValue:
        zh, en = self._names(dim, key)
        return GroupValue(dim=dim, key=key, zh=zh, en=en)

    def _names(self, dim: str, key: int | str | None) -> tuple[str, str]:
        if key is None:
            if dim == "direction":
                return ("（未分方向）", "(no direction)")
            return _UNKNOWN
        if dim == "year":
            return (str(key), str(key))
        if dim == "zone" or key == "abroad":
            return ZONES.get(str(key), _UNKNOWN)
        if dim in ("province", "city"):
            found = division(str(key))
            return (found.name_zh, found.name_en) if found else (str(key), str(key))
        return self.names.get((dim, key), (str(key), str(key)))
