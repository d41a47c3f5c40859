"""Indicator tables as plain ``DataTable``s (one per indicator) for the CLI, downloads
and the API: group labels, counts, the value, side counts and the suppression flag.
Suppressed figures are ``None`` (an empty cell in files)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import openpyxl
from sqlalchemy.orm import Session

from talentbridge.accounts.principal import Principal
from talentbridge.analytics.datatable import Column, DataTable
from talentbridge.outcomes.cells import GroupValue
from talentbridge.outcomes.enrollment import EnrollmentTable, enrollment_table
from talentbridge.outcomes.groups import GRADUATE_DIMS, parse_by
from talentbridge.outcomes.indicators import (
    ALL_INDICATOR_KEYS,
    ENROLLMENT,
    INDICATORS_BY_KEY,
    IndicatorTable,
    indicator_tables,
)
from talentbridge.outcomes.salary import STARTING_SALARY, SalaryTable, salary_table

DIM_LABELS: dict[str, tuple[str, str]] = {
    "college": ("院校", "college"),
    "major": ("专业", "major"),
    "direction": ("专业方向", "direction"),
    "year": ("毕业年份", "graduation year"),
    "province": ("省份", "province"),
    "city": ("城市", "city"),
    "zone": ("区域", "region"),
}
SIDE_COUNTS: dict[str, tuple[str, str]] = {
    "no_record": ("无去向记录", "no record"),
    "further_study": ("升学", "further study"),
    "unclassified": ("职业无法归类", "unclassified occupation"),
    "unknown_place": ("地点不详", "place unknown"),
    "abroad_work": ("境外就业", "working abroad"),
    "abroad_study": ("境外升学", "studying abroad"),
}
TOTAL = ("合计", "total")


def _dim_columns(
    by: Sequence[str], labels: dict[str, tuple[str, str]] = DIM_LABELS
) -> list[Column]:
    return [Column(d, labels[d][0], labels[d][1]) for d in by]


def _dims(by: Sequence[str], group: Sequence[GroupValue], lang: str) -> dict[str, Any]:
    if not group:  # the total row
        return {d: TOTAL[0] if lang == "zh" else TOTAL[1] for d in by[:1]}
    return {g.dim: g.zh if lang == "zh" else g.en for g in group}


def rate_datatable(table: IndicatorTable, lang: str = "zh") -> DataTable:
    ind = table.indicator
    extras = [name for name, _ in ind.extras]
    columns = [
        *_dim_columns(table.by),
        Column("value", "比率", "rate", "share"),
        Column("numerator", "分子", "numerator", "int"),
        Column("denominator", "分母", "denominator", "int"),
        *(Column(e, SIDE_COUNTS[e][0], SIDE_COUNTS[e][1], "int") for e in extras),
    ]
    if ind.lower_bound_extra:
        columns.append(Column("lower_bound", "下限", "lower bound", "share"))
    columns.append(Column("suppressed", "已抑制", "suppressed"))
    rows = []
    for group, cell in [(r.group, r.cell) for r in table.rows] + [((), table.total)]:
        row: dict[str, Any] = _dims(table.by, group, lang)
        row |= {
            "value": cell.value,
            "numerator": cell.numerator,
            "denominator": cell.denominator,
            "lower_bound": cell.lower_bound,
            "suppressed": cell.suppressed,
        }
        row |= {e: cell.extras.get(e) for e in extras}
        rows.append(row)
    notes = (f"{ind.name_zh} / {ind.name_en}: {ind.numerator} ÷ {ind.denominator}",
             f"cells from fewer than {table.min_cell} graduates are suppressed")  # fmt: skip
    return DataTable(name=ind.key, columns=columns, rows=rows, notes=notes)


def salary_datatable(table: SalaryTable, lang: str = "zh") -> DataTable:
    columns = [
        *_dim_columns(table.by),
        Column("n", "人数", "graduates", "int"),
        Column("p25", "下四分位数", "lower quartile", "money"),
        Column("median", "中位数", "median", "money"),
        Column("p75", "上四分位数", "upper quartile", "money"),
        Column("suppressed", "已抑制", "suppressed"),
    ]
    rows = []
    for group, cell in [(r.group, r.cell) for r in table.rows] + [((), table.total)]:
        row: dict[str, Any] = _dims(table.by, group, lang)
        row |= {"n": cell.n, "p25": cell.p25, "median": cell.median, "p75": cell.p75,
                "suppressed": cell.suppressed}  # fmt: skip
        rows.append(row)
    notes = ("monthly starting salary (yuan) of graduates in work who reported one",)
    return DataTable(name=STARTING_SALARY, columns=columns, rows=rows, notes=notes)


def enrollment_datatable(table: EnrollmentTable, lang: str = "zh") -> DataTable:
    columns = [
        *_dim_columns(table.by, DIM_LABELS | {"year": ("年份", "year")}),
        Column("enrolled", "招生人数", "enrolled", "int"),
        Column("graduated", "毕业人数", "graduated", "int"),
        Column("enrolled_growth", "招生增长", "enrollment growth", "share"),
    ]
    rows = []
    for r in table.rows:
        row: dict[str, Any] = _dims(table.by, r.group, lang)
        row |= {"enrolled": r.cell.enrolled, "graduated": r.cell.graduated,
                "enrolled_growth": r.cell.enrolled_growth}  # fmt: skip
        rows.append(row)
    return DataTable(name=ENROLLMENT, columns=columns, rows=rows)


def indicator_report(
    session: Session,
    principal: Principal,
    *,
    by: Sequence[str] | str | None = (),
    min_cell: int,
    college_id: int | None = None,
    alliance: bool = False,
    years: Sequence[int] | None = None,
    indicators: Sequence[str] | None = None,
    lang: str = "zh",
) -> list[DataTable]:
    """The asked indicators (all by default) as tables, in the principal's scope."""
    dims = parse_by(by)
    keys = list(indicators or ALL_INDICATOR_KEYS)
    for key in keys:
        if key not in ALL_INDICATOR_KEYS:
            raise ValueError(
                f"unknown indicator {key!r}; use any of {', '.join(ALL_INDICATOR_KEYS)}"
            )
    scope: dict[str, Any] = {"college_id": college_id, "alliance": alliance, "years": years}
    out: list[DataTable] = []
    rates = [k for k in keys if k in INDICATORS_BY_KEY]
    if rates:
        tables = indicator_tables(
            session, principal, by=dims, min_cell=min_cell, indicators=rates, **scope
        )
        out.extend(rate_datatable(tables[k], lang) for k in rates)
    if STARTING_SALARY in keys:
        salaries = salary_table(session, principal, by=dims, min_cell=min_cell, **scope)
        out.append(salary_datatable(salaries, lang))
    if ENROLLMENT in keys:
        enroll_by = tuple(d for d in dims if d in GRADUATE_DIMS) or ("major",)
        out.append(
            enrollment_datatable(enrollment_table(session, principal, by=enroll_by, **scope), lang)
        )
    return out


def _cell(value: object) -> object:
    if isinstance(value, bool):
        return "yes" if value else ""
    return "" if value is None else value


def write_tables(tables: Iterable[DataTable], path: Path, lang: str = "zh") -> list[Path]:
    """``.xlsx``: one workbook, a sheet per table. ``.csv`` (UTF-8 with BOM, for Excel):
    the file itself for one table; ``STEM.KEY.csv`` beside it for each of several."""
    tables = list(tables)
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        book = openpyxl.Workbook(write_only=True)
        for table in tables:
            sheet = book.create_sheet(table.name[:31])
            sheet.append([c.label(lang) for c in table.columns])
            for row in table.rows:
                sheet.append([_cell(row.get(c.key)) for c in table.columns])
            for note in table.notes:
                sheet.append([note])
        book.save(path)
        return [path]
    if suffix != ".csv":
        raise ValueError(f"write .xlsx or .csv, not {path.name}")
    written = []
    for table in tables:
        target = path if len(tables) == 1 else path.with_name(f"{path.stem}.{table.name}.csv")
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([c.label(lang) for c in table.columns])
        for row in table.rows:
            writer.writerow([_cell(row.get(c.key)) for c in table.columns])
        target.write_bytes(("\ufeff" + buffer.getvalue()).encode("utf-8"))
        written.append(target)
    return written
