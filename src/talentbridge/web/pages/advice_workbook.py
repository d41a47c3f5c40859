"""The planning-meeting report as a workbook (``/advice/report.xlsx``): the
recommendations, supply vs demand and skill-gap tables, each on its sheet, with native
Excel charts (openpyxl): demand vs supply of the recommended majors and directions
beside the recommendations, and the monthly demand of the top recommendations on a
trend sheet (its numbers on the same sheet, so the chart is live in Excel)."""

from __future__ import annotations

import io

import openpyxl
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from talentbridge.analytics.advice import AdviceReport
from talentbridge.analytics.advice_tables import TABLES, table_named
from talentbridge.web.pages.advice_charts import SUPPLY_BARS, TREND_LINES, charted

SHEETS = {
    "recommendations": ("专业建议", "Recommendations"),
    "supply": ("供需对比", "Supply vs demand"),
    "gaps": ("技能缺口", "Skill gaps"),
    "chart_data": ("供需图数据", "Chart data"),
    "trends": ("需求趋势", "Demand trends"),
}
LABELS = {
    "postings": ("岗位数(近12月)", "Postings (12 months)"),
    "graduates": ("年毕业生", "Graduates a year"),
    "name": ("名称", "Name"),
    "month": ("月份", "Month"),
    "supply_chart": ("需求与供给：岗位数与年毕业生", "Demand vs supply: postings and graduates"),
    "trend_chart": ("重点建议的月度岗位需求", "Monthly postings of the top recommendations"),
}


def _l(key: str, lang: str) -> str:
    zh, en = LABELS[key]
    return zh if lang == "zh" else en


def _sheet_title(key: str, lang: str) -> str:
    zh, en = SHEETS[key]
    return zh if lang == "zh" else en


def report_workbook(report: AdviceReport, lang: str) -> bytes:
    book = openpyxl.Workbook()
    first = book.active
    if first is not None:
        book.remove(first)
    sheets: dict[str, Worksheet] = {}
    for name in TABLES:
        table = table_named(report, name)
        sheet = book.create_sheet(_sheet_title(name, lang))
        sheet.append([c.label(lang) for c in table.columns])
        for row in table.rows:
            sheet.append([row.get(c.key) for c in table.columns])
        for note in table.notes:
            sheet.append([note])
        sheet.freeze_panes = "A2"
        sheets[name] = sheet
    _supply_chart(book, sheets["recommendations"], report, lang)
    _trend_sheet(book, report, lang)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _supply_chart(
    book: openpyxl.Workbook, anchor: Worksheet, report: AdviceReport, lang: str
) -> None:
    recs = charted(report, SUPPLY_BARS)
    if not recs:
        return
    data = book.create_sheet(_sheet_title("chart_data", lang))
    data.append([_l("name", lang), _l("postings", lang), _l("graduates", lang)])
    for rec in recs:
        name = rec.name_en if lang == "en" else rec.name_zh
        data.append([f"{rec.rank}. {name}", rec.evidence.get("postings") or 0,
                     rec.evidence.get("graduates") or 0])  # fmt: skip
    chart = BarChart()
    chart.type = "bar"  # horizontal
    chart.grouping = "clustered"
    chart.title = _l("supply_chart", lang)
    chart.add_data(Reference(data, min_col=2, max_col=3, min_row=1, max_row=len(recs) + 1),
                   titles_from_data=True)  # fmt: skip
    chart.set_categories(Reference(data, min_col=1, min_row=2, max_row=len(recs) + 1))
    chart.y_axis.title = _l("postings", lang)
    chart.height = max(8.0, 0.7 * len(recs) + 3)
    chart.width = 22
    anchor.add_chart(chart, f"{_column_after(anchor)}2")


def _trend_sheet(book: openpyxl.Workbook, report: AdviceReport, lang: str) -> None:
    period = report.supply.period
    recs = [
        r for r in charted(report, len(report.recommendations)) if r.action in ("open", "expand")
    ]
    recs = (recs or charted(report, TREND_LINES))[:TREND_LINES]
    if not recs or period is None:
        return
    sheet = book.create_sheet(_sheet_title("trends", lang))
    names = [f"{r.rank}. {r.name_en if lang == 'en' else r.name_zh}" for r in recs]
    sheet.append([_l("month", lang), *names])
    months = period.all_months
    columns = [list(r.evidence.get("series") or []) for r in recs]
    for i, month in enumerate(months):
        sheet.append([month, *[c[i] if i < len(c) else None for c in columns]])
    sheet.freeze_panes = "B2"
    chart = LineChart()
    chart.title = _l("trend_chart", lang)
    chart.add_data(Reference(sheet, min_col=2, max_col=len(recs) + 1, min_row=1,
                             max_row=len(months) + 1), titles_from_data=True)  # fmt: skip
    chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=len(months) + 1))
    chart.y_axis.title = _l("postings", lang)
    chart.height = 10
    chart.width = 24
    sheet.add_chart(chart, f"{_column_after(sheet)}2")


def _column_after(sheet: Worksheet) -> str:
    return str(get_column_letter(min(sheet.max_column, 30) + 2))
