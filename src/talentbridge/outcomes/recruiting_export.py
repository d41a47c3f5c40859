"""Recruiting efficiency as flat rows (one per employer, month or comparison) for the
terminal, downloads and an XLSX workbook (a sheet per table). Column labels in Chinese
and English; values rounded for reading (days to 0.1, ratios to 0.01)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook

from talentbridge.outcomes.recruiting import MEASURES, RecruitingSummary, RecruitingTable
from talentbridge.outcomes.recruiting_compare import Comparison, percent

MEASURE_LABELS: dict[str, tuple[str, str]] = {
    "days_to_first_qualified": ("首个合格投递天数", "days to first qualified application"),
    "days_to_first_interview": ("首次面试天数", "days to first interview"),
    "days_to_hire": ("录用天数", "days to hire"),
    "applications_per_hire": ("每录用投递数", "applications per hire"),
    "screened_per_hire": ("每录用筛选人数", "candidates screened per hire"),
}
SYNTHETIC_NOTE = (
    "示例数据：招聘记录与前后差异均为生成数据，并非实测 / "
    "Sample data: the recruiting history and its before/after difference are generated, "
    "not measured"
)


@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    en: str

    def label(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: list[Column]
    rows: list[dict[str, object]]


def _r(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


SUMMARY_COLUMNS: list[Column] = [
    Column("employer_code", "企业代码", "employer code"),
    Column("employer", "企业", "employer"),
    Column("month", "月份", "month"),
    Column("postings", "岗位数", "postings"),
    Column("applications", "投递数", "applications"),
    Column("screened", "筛选通过", "screened"),
    Column("hires", "录用数", "hires"),
    Column("offers_decided", "已决定的录用通知", "offers decided"),
    Column("offer_acceptance_rate", "录用通知接受率", "offer acceptance rate"),
] + [
    Column(f"{m}_{part}", f"{zh}{pzh}", f"{en} {pen}")
    for m, (zh, en) in MEASURE_LABELS.items()
    for part, pzh, pen in (
        ("n", " n", "n"),
        ("median", "中位数", "median"),
        ("q1", "下四分位", "Q1"),
        ("q3", "上四分位", "Q3"),
    )
]


def summary_row(summary: RecruitingSummary) -> dict[str, object]:
    """One summary as a flat row (keys of ``SUMMARY_COLUMNS``)."""
    row: dict[str, object] = {
        "employer_code": summary.employer_code,
        "employer": summary.employer_name_zh,
        "month": summary.month,
        "postings": summary.postings,
        "applications": summary.applications,
        "screened": summary.screened,
        "hires": summary.hires,
        "offers_decided": summary.offers_decided,
        "offer_acceptance_rate": _r(summary.offer_acceptance_rate, 3),
    }
    for name in MEASURES:
        d = summary.measures[name]
        digits = 1 if name.startswith("days") else 2
        row[f"{name}_n"] = d.n
        row[f"{name}_median"] = _r(d.median, digits)
        row[f"{name}_q1"] = _r(d.q1, digits)
        row[f"{name}_q3"] = _r(d.q3, digits)
    return row


COMPARISON_COLUMNS: list[Column] = [
    Column("measure", "指标", "measure"),
    Column("switch_date", "切换日期", "switch date"),
    Column("status", "状态", "status"),
    Column("before_n", "之前 n", "before n"),
    Column("before_median", "之前中位数", "before median"),
    Column("after_n", "之后 n", "after n"),
    Column("after_median", "之后中位数", "after median"),
    Column("change_abs", "变化", "change"),
    Column("change_rel", "相对变化", "relative change"),
    Column("ci", "95% 置信区间", "95% CI"),
    Column("p_value", "p 值 (Mann–Whitney)", "p-value (Mann–Whitney)"),
    Column("efficiency", "效率变化", "efficiency change"),
]


def comparison_row(c: Comparison) -> dict[str, object]:
    digits = 1 if c.measure.startswith("days") else 2
    return {
        "measure": c.measure,
        "switch_date": c.switch_date.isoformat(),
        "status": c.status,
        "before_n": c.before.n,
        "before_median": _r(c.before.median, digits),
        "after_n": c.after.n,
        "after_median": _r(c.after.median, digits),
        "change_abs": _r(c.change_abs, digits),
        "change_rel": percent(c.change_rel),
        "ci": f"{percent(c.ci_low)} … {percent(c.ci_high)}" if c.ci_low is not None else "—",
        "p_value": None if c.p_value is None else float(f"{c.p_value:.3g}"),
        "efficiency": percent(c.efficiency_change),
    }


def recruiting_sheets(
    table: RecruitingTable, comparisons: Sequence[Comparison] = ()
) -> list[Sheet]:
    """The report as sheets: overall, by employer, by month, and the comparisons."""
    sheets = [
        Sheet("overall", SUMMARY_COLUMNS, [summary_row(table.overall)]),
        Sheet("by-employer", SUMMARY_COLUMNS, [summary_row(s) for s in table.by_employer]),
        Sheet("by-month", SUMMARY_COLUMNS, [summary_row(s) for s in table.by_month]),
    ]
    if comparisons:
        sheets.append(
            Sheet("before-after", COMPARISON_COLUMNS, [comparison_row(c) for c in comparisons])
        )
    return sheets


def write_recruiting_workbook(
    sheets: Sequence[Sheet], path: Path, lang: str = "zh", *, synthetic: bool = False
) -> None:
    """Write each sheet (header row in ``lang``); a note row first for sample data."""
    book = Workbook(write_only=True)
    for sheet in sheets:
        ws = book.create_sheet(sheet.name)
        if synthetic:
            ws.append([SYNTHETIC_NOTE])
        ws.append([c.label(lang) for c in sheet.columns])
        for row in sheet.rows:
            ws.append([row.get(c.key) for c in sheet.columns])
    book.save(path)
