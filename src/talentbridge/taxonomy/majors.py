"""The MOE vocational major catalog (职业教育专业目录 2021): import, lookup, bundled table.

The importer reads the catalog's CSV format (columns ``catalogCode, educationLevel,
categoryCode, categoryName, classCode, className, majorCode, majorName, parentCode,
itemLevel, source``, plus an optional ``majorNameEn``), checks every row, and upserts by
(level, code). The package ships a small table of the logistics, trade and e-commerce
majors in the same format (``taxonomy/data/majors.csv``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from talentbridge.pipeline.readers import SourceRow
from talentbridge.pipeline.runs import ImportRecorder, ImportReport, Progress, run_import
from talentbridge.store.tables import Major

CATALOG = "MOE_VOCATIONAL_2021"
LEVELS = ("secondary", "associate", "bachelor")
ITEM_LEVELS = ("category", "class", "major")
LEVEL_CODES = {
    "VOCATIONAL_SECONDARY": "secondary",
    "VOCATIONAL_ASSOCIATE": "associate",
    "VOCATIONAL_BACHELOR": "bachelor",
}
CATALOG_LEVEL = {level: name for name, level in LEVEL_CODES.items()}
_LEVEL_WORDS = {
    **{name.lower(): level for name, level in LEVEL_CODES.items()},
    **{level: level for level in LEVELS},
    "中职": "secondary",
    "中等职业教育": "secondary",
    "高职专科": "associate",
    "专科": "associate",
    "高职": "associate",
    "高等职业教育专科": "associate",
    "高职本科": "bachelor",
    "职业本科": "bachelor",
    "本科": "bachelor",
    "高等职业教育本科": "bachelor",
}
# 2-digit category prefixes of each level: secondary 61–79, associate 41–59, bachelor 21–39
_CATEGORY_RANGE = {"secondary": (61, 79), "associate": (41, 59), "bachelor": (21, 39)}
_CODE_SHAPE = {
    "category": re.compile(r"^\d{2}$"),
    "class": re.compile(r"^\d{4}$"),
    "major": re.compile(r"^\d{6}K?$"),
}
_SHAPE_TEXT = {"category": "2 digits", "class": "4 digits", "major": "6 digits (optional K)"}
REQUIRED_COLUMNS = (
    "educationLevel",
    "categoryCode",
    "categoryName",
    "classCode",
    "className",
    "majorCode",
    "majorName",
    "parentCode",
    "itemLevel",
)
OPTIONAL_COLUMNS = ("catalogCode", "source", "majorNameEn")
EXPORT_COLUMNS = ("catalogCode", *REQUIRED_COLUMNS, "majorNameEn")
MAX_NAME = 100


def parse_level(text: str) -> str | None:
    """``secondary``/``associate``/``bachelor`` from a catalog code, identifier or 中文 name."""
    return _LEVEL_WORDS.get(text.strip().lower()) or _LEVEL_WORDS.get(text.strip())


@dataclass(frozen=True)
class _MajorRow:
    row: SourceRow
    level: str
    item_level: str
    code: str
    name_zh: str
    name_en: str | None
    parent_code: str | None
    category_code: str
    category_name: str
    class_code: str | None
    class_name: str | None

    @property
    def key(self) -> tuple[str, str]:
        return (self.level, self.code)


class _Reject(Exception):
    def __init__(self, column: str, reason: str) -> None:
        super().__init__(reason)
        self.column = column
        self.reason = reason


def _parse(row: SourceRow, has_en: bool) -> _MajorRow:
    level = parse_level(row.get("educationLevel"))
    if level is None:
        raise _Reject(
            "educationLevel",
            f"unknown education level {row.get('educationLevel')!r} "
            f"(expected {', '.join(LEVEL_CODES)})",
        )
    item_level = row.get("itemLevel").lower()
    if item_level not in ITEM_LEVELS:
        raise _Reject(
            "itemLevel", f"unknown item level {row.get('itemLevel')!r} (CATEGORY, CLASS or MAJOR)"
        )
    code = row.get("majorCode").upper()
    if not _CODE_SHAPE[item_level].match(code):
        raise _Reject(
            "majorCode",
            f"code {code!r} does not fit a {item_level.upper()} row ({_SHAPE_TEXT[item_level]})",
        )
    low, high = _CATEGORY_RANGE[level]
    if not low <= int(code[:2]) <= high:
        raise _Reject(
            "majorCode", f"code {code!r} is not a {level}-level code (categories {low}–{high})"
        )
    category_code = row.get("categoryCode")
    if category_code != code[:2]:
        raise _Reject("categoryCode", f"category {category_code!r} does not match code {code!r}")
    class_code = row.get("classCode") or None
    if item_level == "category":
        if class_code is not None:
            raise _Reject("classCode", "a CATEGORY row has no class code")
    elif class_code != code[:4]:
        raise _Reject("classCode", f"class {class_code!r} does not match code {code!r}")
    parent = row.get("parentCode") or None
    expected_parent = {"category": None, "class": category_code, "major": class_code}[item_level]
    if parent != expected_parent:
        raise _Reject(
            "parentCode",
            f"parent {parent or '(empty)'} is not consistent with code {code!r} "
            f"(expected {expected_parent or '(empty)'})",
        )
    for column in ("majorName", "categoryName") + (
        () if item_level == "category" else ("className",)
    ):
        value = row.get(column)
        if not value:
            raise _Reject(column, "name is empty")
        if len(value) > MAX_NAME:
            raise _Reject(column, f"name is longer than {MAX_NAME} characters")
    name_en = row.get("majorNameEn") if has_en else ""
    return _MajorRow(
        row=row,
        level=level,
        item_level=item_level,
        code=code,
        name_zh=row.get("majorName"),
        name_en=name_en or None,
        parent_code=parent,
        category_code=category_code,
        category_name=row.get("categoryName"),
        class_code=class_code,
        class_name=row.get("className") or None,
    )


def _apply(major: Major, parsed: _MajorRow, run_id: int) -> bool:
    """Copy ``parsed`` onto ``major``; True when anything changed."""
    wanted: dict[str, object] = {
        "item_level": parsed.item_level,
        "name_zh": parsed.name_zh,
        "parent_code": parsed.parent_code,
        "category_code": parsed.category_code,
        "category_name": parsed.category_name,
        "class_code": parsed.class_code,
        "class_name": parsed.class_name,
    }
    if parsed.name_en is not None:  # a file without English names keeps the stored ones
        wanted["name_en"] = parsed.name_en
    changed = False
    for attr, value in wanted.items():
        if getattr(major, attr) != value:
            setattr(major, attr, value)
            changed = True
    if changed:
        major.import_run_id = run_id
    return changed


def _process(session: Session, rows: Iterator[SourceRow], rec: ImportRecorder) -> None:
    has_en = "majorNameEn" in rec.columns
    existing = {
        (m.level, m.code): m for m in session.scalars(select(Major).where(Major.catalog == CATALOG))
    }
    seen: dict[tuple[str, str], _MajorRow] = {}
    for row in rows:
        try:
            parsed = _parse(row, has_en)
        except _Reject as exc:
            rec.reject(row, exc.column, exc.reason)
            continue
        earlier = seen.get(parsed.key)
        if earlier is not None:
            if earlier.row.values == row.values or _same(earlier, parsed):
                rec.duplicate()
            else:
                rec.reject(
                    row,
                    "majorCode",
                    f"duplicate code {parsed.code} ({parsed.level}); "
                    f"row {earlier.row.row_number} has it already",
                )
            continue
        seen[parsed.key] = parsed
    # parents must exist in this file or in the store
    known = set(seen) | set(existing)
    for parsed in seen.values():
        if parsed.parent_code is not None and (parsed.level, parsed.parent_code) not in known:
            rec.reject(
                parsed.row,
                "parentCode",
                f"parent {parsed.parent_code} is neither in the file nor stored",
            )
            continue
        major = existing.get(parsed.key)
        if major is None:
            major = Major(catalog=CATALOG, level=parsed.level, code=parsed.code)
            _apply(major, parsed, rec.run_id)
            session.add(major)
            existing[parsed.key] = major
            rec.stored()
        elif _apply(major, parsed, rec.run_id):
            rec.stored()
        else:
            rec.unchanged()


def _same(a: _MajorRow, b: _MajorRow) -> bool:
    return (a.item_level, a.name_zh, a.name_en, a.parent_code) == (
        b.item_level,
        b.name_zh,
        b.name_en,
        b.parent_code,
    )


def import_major_catalog(
    factory: sessionmaker[Session],
    path: Path,
    *,
    user_id: int | None = None,
    rejects_dir: Path | None = None,
    progress: Progress | None = None,
    rejects_beside_input: bool = True,
) -> ImportReport:
    """Import an MOE 2021 catalog CSV/XLSX; upsert by (level, code)."""
    return run_import(
        factory,
        path,
        kind="majors",
        required=REQUIRED_COLUMNS,
        process=_process,
        user_id=user_id,
        source=CATALOG,
        rejects_dir=rejects_dir,
        progress=progress,
        rejects_beside_input=rejects_beside_input,
    )


def bundled_path(name: str) -> Path:
    """Path of a table shipped in ``taxonomy/data``."""
    return Path(str(resources.files("talentbridge.taxonomy").joinpath("data").joinpath(name)))


def load_bundled_majors(
    factory: sessionmaker[Session], *, user_id: int | None = None
) -> ImportReport:
    """Load the bundled logistics / trade / e-commerce majors (with English names)."""
    return import_major_catalog(
        factory, bundled_path("majors.csv"), user_id=user_id, rejects_beside_input=False
    )


def find_major(session: Session, level: str, code: str) -> Major | None:
    """The catalog row of ``code`` at ``level`` (any spelling ``parse_level`` accepts)."""
    parsed = parse_level(level)
    if parsed is None:
        return None
    return session.scalar(
        select(Major).where(
            Major.catalog == CATALOG, Major.level == parsed, Major.code == code.strip().upper()
        )
    )


def list_majors(
    session: Session, *, level: str | None = None, item_level: str | None = "major"
) -> list[Major]:
    """Catalog rows ordered by level then code (majors only unless ``item_level`` is None)."""
    query = select(Major).where(Major.catalog == CATALOG)
    if level is not None:
        query = query.where(Major.level == level)
    if item_level is not None:
        query = query.where(Major.item_level == item_level)
    rank = {name: i for i, name in enumerate(LEVELS)}
    return sorted(session.scalars(query), key=lambda m: (rank.get(m.level, 9), m.code))


def major_export_row(major: Major) -> dict[str, str]:
    """A stored row in the catalog's own columns (what ``import_major_catalog`` reads)."""
    return {
        "catalogCode": major.catalog,
        "educationLevel": CATALOG_LEVEL.get(major.level, major.level),
        "categoryCode": major.category_code,
        "categoryName": major.category_name,
        "classCode": major.class_code or "",
        "className": major.class_name or "",
        "majorCode": major.code,
        "majorName": major.name_zh,
        "parentCode": major.parent_code or "",
        "itemLevel": major.item_level.upper(),
        "majorNameEn": major.name_en or "",
    }
