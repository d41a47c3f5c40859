"""The yearly employment quality report (就业质量年度报告) tables as one workbook, per
college (or the alliance) and graduation year: one sheet per table of the report, in
its order (graduates, destinations by major with the placement rate, where graduates
work, major relatedness with the unclassifiable apart, starting pay quartiles by major,
enrollment per major and direction), each with a title row naming the college and
year, the column headers, the rows and the notes (small-number protection: suppressed
cells read ``<5``). The rows are ``outcomes.report_tables``, shared with the CSV
downloads; this module only lays them out."""

from __future__ import annotations

import io
from urllib.parse import quote

import openpyxl
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from talentbridge.outcomes.dashboard import Dashboard
from talentbridge.outcomes.report_tables import REPORT_TABLES, dashboard_tables

# Sheet names as in the report (zh) and in English.
SHEETS: dict[str, tuple[str, str]] = {
    "scale": ("毕业生规模与结构", "Graduates"),
    "destinations": ("毕业去向落实情况", "Destinations"),
    "regions": ("就业去向分布", "Where graduates work"),
    "related": ("专业相关度", "Major relatedness"),
    "salary": ("起薪", "Starting pay"),
    "enrollment": ("招生与专业方向", "Enrollment and directions"),
}
ALLIANCE = ("成渝国际物流人才联盟", "Chengdu–Chongqing logistics talent alliance")


def sheet_title(name: str, lang: str) -> str:
    zh, en = SHEETS[name]
    return zh if lang == "zh" else en


def _scope_name(view: Dashboard, lang: str) -> str:
    if view.college is None:
        return ALLIANCE[0] if lang == "zh" else ALLIANCE[1]
    if lang == "en" and view.college.name_en:
        return view.college.name_en
    return view.college.name_zh


def report_title(view: Dashboard, lang: str) -> str:
    year = view.year if view.year is not None else ""
    if lang == "zh":
        return f"{_scope_name(view, lang)} {year}届毕业生就业质量年度报告"
    return f"{_scope_name(view, lang)}: employment quality report, graduates of {year}"


def report_filename(view: Dashboard) -> str:
    """``<college code or alliance>-<year>-employment-quality.xlsx``, URL-quoted."""
    scope = view.college.code if view.college is not None else "alliance"
    return quote(f"{scope}-{view.year or 'all'}-employment-quality.xlsx")


def report_workbook(view: Dashboard, lang: str) -> bytes:
    """The workbook's bytes (``REPORT_TABLES``, one sheet each, in the report's order)."""
    tables = dashboard_tables(view)
    book = openpyxl.Workbook()
    first = book.active
    if first is not None:
        book.remove(first)
    title = report_title(view, lang)
    for number, name in enumerate(REPORT_TABLES, start=1):
        table = tables[name]
        sheet = book.create_sheet(sheet_title(name, lang))
        caption = (
            f"表{number} {SHEETS[name][0]}"
            if lang == "zh"
            else f"Table {number}. {SHEETS[name][1]}"
        )
        sheet.append([f"{title} · {caption}"])
        sheet["A1"].font = Font(bold=True, size=12)
        sheet.append([c.label(lang) for c in table.columns])
        for cell in sheet[2]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        for row in table.rows:
            sheet.append([row.get(c.key) for c in table.columns])
        for index, column in enumerate(table.columns, start=1):
            letter = get_column_letter(index)
            sheet.column_dimensions[letter].width = 28 if index == 1 else 14
            if column.kind == "share":
                for (cell,) in sheet.iter_rows(min_row=3, min_col=index, max_col=index):
                    if isinstance(cell.value, float):
                        cell.number_format = "0.0%"
        sheet.freeze_panes = "B3"
        if table.notes:
            sheet.append([])
            for note in table.notes:
                sheet.append([note])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
