"""Organizations: colleges, enterprises, associations and authorities.

Places are resolved to GB/T 2260 codes with ``domain.divisions``: the city column may
hold a name (成都, 重庆市, Chengdu) or a code, the district column likewise; a district
must lie in the city given.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from talentbridge.domain.divisions import Division, division, find_division
from talentbridge.errors import Conflict, TalentBridgeError
from talentbridge.pipeline.readers import SourceRow
from talentbridge.pipeline.runs import ImportRecorder, ImportReport, Progress, run_import
from talentbridge.store.tables import Organization

KINDS = ("college", "enterprise", "association", "authority")
KIND_WORDS = {
    **{kind: kind for kind in KINDS},
    "院校": "college",
    "学校": "college",
    "高校": "college",
    "企业": "enterprise",
    "协会": "association",
    "行业协会": "association",
    "主管部门": "authority",
    "政府部门": "authority",
}
COLUMNS = ("code", "kind", "name_zh", "name_en", "city", "district", "address", "is_sample")
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:\-]{0,63}$")
_TRUE = {"1", "true", "yes", "是", "y"}
_FALSE = {"", "0", "false", "no", "否", "n"}


class _Reject(Exception):
    def __init__(self, column: str, reason: str) -> None:
        super().__init__(reason)
        self.column = column
        self.reason = reason


def parse_kind(text: str) -> str | None:
    return KIND_WORDS.get(text.strip().lower()) or KIND_WORDS.get(text.strip())


def resolve_place(city_text: str, district_text: str) -> tuple[str | None, str | None]:
    """(city_code, district_code) for free-text city and district; raises ``_Reject``."""
    city: Division | None = None
    if city_text:
        city = find_division(city_text)
        if city is None:
            raise _Reject("city", f"unknown city {city_text!r}")
        if city.level == "province" and not children_are_districts(city):
            raise _Reject("city", f"{city.name_zh} is a province, not a city")
    district: Division | None = None
    if district_text:
        district = find_division(district_text)
        if (district is None or not district.is_district) and city is not None:
            for prefix in (city.short_name_zh, city.name_zh):
                district = find_division(prefix + district_text)
                if district is not None and district.is_district:
                    break
        if district is None or not district.is_district:
            raise _Reject("district", f"unknown district {district_text!r}")
    if city is not None and city.is_district:  # a district given as the city
        if district is not None and district.code != city.code:
            raise _Reject("district", f"{district.name_zh} is not {city.name_zh}")
        district, city = city, division(city.city_code)
    if district is not None:
        if city is not None and district.city_code != city.code:
            raise _Reject("district", f"{district.name_zh} is not in {city.name_zh}")
        city = division(district.city_code)
    return (city.code if city else None, district.code if district else None)


def children_are_districts(found: Division) -> bool:
    """A municipality (北京, 上海, 天津, 重庆) is a province-level city."""
    return found.code in {"110000", "120000", "310000", "500000"}


def _parse_bool(row: SourceRow) -> bool | None:
    if "is_sample" not in row.values:
        return None
    value = row.get("is_sample").lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise _Reject("is_sample", f"expected true/false, not {value!r}")


def _wanted(row: SourceRow) -> tuple[str, dict[str, object]]:
    code = row.get("code")
    if not _CODE.match(code):
        raise _Reject("code", f"code {code!r} must be 1–64 letters, digits, '.', '-', '_' or ':'")
    kind = parse_kind(row.get("kind"))
    if kind is None:
        raise _Reject("kind", f"unknown kind {row.get('kind')!r} ({', '.join(KINDS)})")
    name_zh = row.get("name_zh")
    if not name_zh or len(name_zh) > 200:
        raise _Reject("name_zh", "Chinese name is empty or longer than 200 characters")
    city_code, district_code = resolve_place(row.get("city"), row.get("district"))
    wanted: dict[str, object] = {
        "kind": kind,
        "name_zh": name_zh,
        "name_en": row.get("name_en") or None,
        "city_code": city_code,
        "district_code": district_code,
        "address": row.get("address") or None,
    }
    sample = _parse_bool(row)
    if sample is not None:
        wanted["is_sample"] = sample
    return code, wanted


def _process(session: Session, rows: Iterator[SourceRow], rec: ImportRecorder) -> None:
    existing = {o.code: o for o in session.scalars(select(Organization))}
    seen: dict[str, tuple[SourceRow, dict[str, object]]] = {}
    for row in rows:
        try:
            code, wanted = _wanted(row)
        except _Reject as exc:
            rec.reject(row, exc.column, exc.reason)
            continue
        if code in seen:
            if seen[code][1] == wanted:
                rec.duplicate()
            else:
                rec.reject(
                    row, "code", f"duplicate code {code}; row {seen[code][0].row_number} has it"
                )
            continue
        seen[code] = (row, wanted)
        organization = existing.get(code)
        if organization is None:
            session.add(Organization(code=code, import_run_id=rec.run_id, **wanted))
            rec.stored()
            continue
        changed = [k for k, v in wanted.items() if getattr(organization, k) != v]
        for key in changed:
            setattr(organization, key, wanted[key])
        if changed:
            organization.import_run_id = rec.run_id
            rec.stored()
        else:
            rec.unchanged()


def import_organizations(
    factory: sessionmaker[Session],
    path: Path,
    *,
    user_id: int | None = None,
    rejects_dir: Path | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import organizations (code, kind, name_zh, name_en, city, district, address); upsert by code."""
    return run_import(
        factory,
        path,
        kind="organizations",
        required=("code", "kind", "name_zh"),
        process=_process,
        user_id=user_id,
        rejects_dir=rejects_dir,
        progress=progress,
    )


def create_organization(
    session: Session,
    *,
    code: str,
    kind: str,
    name_zh: str,
    name_en: str | None = None,
    city_code: str | None = None,
    district_code: str | None = None,
    address: str | None = None,
    is_sample: bool = False,
) -> Organization:
    """Add one organization (flushed, not committed). Raises ``Conflict`` on a taken code."""
    parsed_kind = parse_kind(kind)
    if parsed_kind is None:
        raise TalentBridgeError(f"unknown organization kind {kind!r} ({', '.join(KINDS)})")
    for value in (city_code, district_code):
        if value is not None and division(value) is None:
            raise TalentBridgeError(f"unknown division code {value!r}")
    if session.scalar(select(Organization.id).where(Organization.code == code)) is not None:
        raise Conflict(f"an organization with code {code!r} exists already")
    organization = Organization(
        code=code,
        kind=parsed_kind,
        name_zh=name_zh,
        name_en=name_en,
        city_code=city_code,
        district_code=district_code,
        address=address,
        is_sample=is_sample,
    )
    session.add(organization)
    session.flush()
    return organization


def find_organization(session: Session, code: str) -> Organization | None:
    return session.scalar(select(Organization).where(Organization.code == code.strip()))


def list_organizations(session: Session, kind: str | None = None) -> list[Organization]:
    query = select(Organization).order_by(Organization.code)
    if kind is not None:
        query = query.where(Organization.kind == kind)
    return list(session.scalars(query))


def organization_export_row(organization: Organization) -> dict[str, str]:
    return {
        "code": organization.code,
        "kind": organization.kind,
        "name_zh": organization.name_zh,
        "name_en": organization.name_en or "",
        "city": organization.city_code or "",
        "district": organization.district_code or "",
        "address": organization.address or "",
        "is_sample": "true" if organization.is_sample else "false",
    }
