"""CSV and XLSX downloads of a ``DataTable`` (built in memory; tables are small)."""

from __future__ import annotations

import csv
import io
from urllib.parse import quote

import openpyxl
from fastapi import HTTPException
from starlette.responses import Response

from talentbridge.analytics.datatable import DataTable

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def table_download(table: DataTable, fmt: str, lang: str = "zh") -> Response:
    """The table as a file download: ``csv`` (UTF-8 with BOM, for Excel) or ``xlsx``."""
    if fmt not in FORMATS:
        raise HTTPException(400, f"unknown format {fmt!r}: use csv or xlsx")
    headers = [c.label(lang) for c in table.columns]
    keys = [c.key for c in table.columns]
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(headers)
        for row in table.rows:
            writer.writerow(["" if row.get(k) is None else row.get(k) for k in keys])
        body = ("\ufeff" + buffer.getvalue()).encode("utf-8")
    else:
        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet(table.name[:31] or "table")
        sheet.append(headers)
        for row in table.rows:
            sheet.append([row.get(k) for k in keys])
        for note in table.notes:
            sheet.append([note])
        out = io.BytesIO()
        book.save(out)
        body = out.getvalue()
    filename = f"{table.name}.{fmt}"
    return Response(
        body,
        media_type=FORMATS[fmt],
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}"},
    )
