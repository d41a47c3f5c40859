"""Export reference data as CSV or XLSX (by suffix) in the columns the importers read,
so that an export imported again changes nothing."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import openpyxl
from sqlalchemy.orm import Session

from talentbridge.errors import InputFileError
from talentbridge.registry.organizations import COLUMNS as ORGANIZATION_COLUMNS
from talentbridge.registry.organizations import list_organizations, organization_export_row
from talentbridge.taxonomy.majors import EXPORT_COLUMNS as MAJOR_COLUMNS
from talentbridge.taxonomy.majors import list_majors, major_export_row
from talentbridge.taxonomy.occupations import (
    OCCUPATION_COLUMNS,
    list_occupations,
    occupation_export_row,
)


def write_table(path: Path, columns: Sequence[str], rows: Iterable[Mapping[str, str]]) -> int:
    """Write rows to ``path`` (.csv as UTF-8 with BOM for Excel, or .xlsx); returns the count."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in {".csv", ".xlsx"}:
        raise InputFileError(path, "export to a .csv or .xlsx file")
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    try:
        if suffix == ".csv":
            with path.open("w", encoding="utf-8-sig", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(columns)
                for row in rows:
                    writer.writerow([row.get(c, "") for c in columns])
                    count += 1
        else:
            workbook = openpyxl.Workbook(write_only=True)
            sheet = workbook.create_sheet()
            sheet.append(list(columns))
            for row in rows:
                sheet.append([row.get(c, "") for c in columns])
                count += 1
            workbook.save(path)
    except OSError as exc:
        raise InputFileError(path, f"cannot write: {exc.strerror or exc}") from None
    return count


def export_organizations(session: Session, path: Path) -> int:
    return write_table(
        path,
        ORGANIZATION_COLUMNS,
        (organization_export_row(o) for o in list_organizations(session)),
    )


def export_majors(session: Session, path: Path) -> int:
    """All stored catalog rows (categories, classes and majors) in the catalog's format."""
    rows = (major_export_row(m) for m in list_majors(session, item_level=None))
    return write_table(path, MAJOR_COLUMNS, rows)


def export_occupations(session: Session, path: Path) -> int:
    return write_table(
        path, OCCUPATION_COLUMNS, (occupation_export_row(o) for o in list_occupations(session))
    )
