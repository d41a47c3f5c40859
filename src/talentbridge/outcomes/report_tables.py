"""The outcomes figures as plain tables (``DataTable``): one source for the CSV/XLSX
downloads of each page table and for the yearly report workbook. Suppressed cells are
the text ``<5`` (the marker follows the small-cell threshold)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from talentbridge.analytics.datatable import Column, DataTable
from talentbridge.outcomes.dashboard import Dashboard
from talentbridge.outcomes.recruiting import RecruitingSummary
from talentbridge.outcomes.recruiting_view import RecruitingView
from talentbridge.outcomes.views import INDICATORS, SALARY, Figure, GroupFigures

MEASURE_LABELS: dict[str, tuple[str, str]] = {
    "days_to_first_qualified": ("到首个合格投递天数", "Days to first qualified application"),
    "days_to_first_interview": ("到首次面试天数", "Days to first interview"),
    "days_to_hire": ("到录用天数", "Days to hire"),
    "applications_per_hire": ("每次录用投递数", "Applications per hire"),
    "screened_per_hire": ("每次录用筛选数", "Candidates screened per hire"),
}


def marker(threshold: int) -> str:
    return f"<{threshold}"


def _r(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


# --- recruiting ---------------------------------------------------------------------------

_SUMMARY_COLUMNS = (
    Column("postings", "岗位数", "Postings", "int"),
    Column("applications", "投递数", "Applications", "int"),
    Column("hires", "录用人数", "Hires", "int"),
    Column("days_to_first_qualified", *MEASURE_LABELS["days_to_first_qualified"], "float"),
    Column("days_to_first_interview", *MEASURE_LABELS["days_to_first_interview"], "float"),
    Column("days_to_hire", *MEASURE_LABELS["days_to_hire"], "float"),
    Column("applications_per_hire", *MEASURE_LABELS["applications_per_hire"], "float"),
    Column("offer_acceptance", "录用接受率", "Offer acceptance", "share"),
)


def _summary_row(s: RecruitingSummary) -> dict[str, Any]:
    return {
        "postings": s.postings,
        "applications": s.applications,
        "hires": s.hires,
        "days_to_first_qualified": _r(s.measures["days_to_first_qualified"].median),
        "days_to_first_interview": _r(s.measures["days_to_first_interview"].median),
        "days_to_hire": _r(s.measures["days_to_hire"].median),
        "applications_per_hire": _r(s.applications_per_hire_pooled),
        "offer_acceptance": _r(s.offer_acceptance_rate, 3),
    }


def recruiting_tables(view: RecruitingView) -> dict[str, DataTable]:
    """``employers`` (where single employers may be shown), ``months`` and ``compare``."""
    tables: dict[str, DataTable] = {}
    employers: Sequence[RecruitingSummary] = view.by_employer
    tables["employers"] = DataTable(
        name="recruiting-employers",
        columns=(
            Column("employer_code", "企业代码", "Employer code"),
            Column("employer_zh", "企业", "Employer (zh)"),
            Column("employer_en", "Employer", "Employer"),
            *_SUMMARY_COLUMNS,
        ),
        rows=[
            {
                "employer_code": s.employer_code,
                "employer_zh": s.employer_name_zh,
                "employer_en": s.employer_name_en or s.employer_name_zh,
                **_summary_row(s),
            }
            for s in employers
        ],
    )
    tables["months"] = DataTable(
        name="recruiting-months",
        columns=(Column("month", "月份", "Month"), *_SUMMARY_COLUMNS),
        rows=[{"month": s.month, **_summary_row(s)} for s in view.table.by_month],
    )
    tables["compare"] = DataTable(
        name="recruiting-before-after",
        columns=(
            Column("measure", "指标", "Measure"),
            Column("n_before", "之前样本数", "n before", "int"),
            Column("n_after", "之后样本数", "n after", "int"),
            Column("median_before", "之前中位数", "Median before", "float"),
            Column("median_after", "之后中位数", "Median after", "float"),
            Column("change_rel", "变化", "Change", "share"),
            Column("ci_low", "95%区间下限", "95% interval, low", "share"),
            Column("ci_high", "95%区间上限", "95% interval, high", "share"),
            Column("p_value", "p 值", "p", "float"),
            Column("status", "状态", "Status"),
        ),
        rows=[
            {
                "measure": c.measure,
                "n_before": c.before.n,
                "n_after": c.after.n,
                "median_before": _r(c.before.median),
                "median_after": _r(c.after.median),
                "change_rel": _r(c.change_rel, 3),
                "ci_low": _r(c.ci_low, 3),
                "ci_high": _r(c.ci_high, 3),
                "p_value": _r(c.p_value, 4),
                "status": c.status,
            }
            for c in view.comparisons
        ],
        notes=(f"switch date {view.cutoff.isoformat()}" if view.cutoff else "no switch date",),
    )
    return tables


# --- the employment quality report ------------------------------------------------------------

# The tables of a yearly employment quality report (就业质量年度报告), in its order.
REPORT_TABLES: tuple[str, ...] = (
    "scale",
    "destinations",
    "regions",
    "related",
    "salary",
    "enrollment",
)
DESTINATION_LABELS: dict[str, tuple[str, str]] = {
    "employed": ("就业", "Employed"),
    "further_study": ("升学", "Further study"),
    "enlisted": ("参军入伍", "Enlisted"),
    "self_employed": ("自主创业", "Self-employed"),
    "flexible": ("灵活就业", "Flexible employment"),
    "not_employed": ("暂未就业", "Not yet employed"),
    "no_record": ("无去向记录", "No record"),
}


def _cell(figure: Figure | None, marker_text: str, digits: int = 4) -> Any:
    """A figure for a table: ``<5`` when suppressed, rounded otherwise."""
    if figure is None:
        return None
    if figure.suppressed:
        return marker_text
    return _r(figure.value, digits)


def _count(value: int | None, marker_text: str) -> Any:
    return marker_text if value is None else value


def _major_col() -> Column:
    return Column("group", "专业", "Major")


def _notes(view: Dashboard) -> tuple[str, ...]:
    notes = [
        f"小样本保护 small-number protection: cells from fewer than {view.threshold} "
        f"graduates show {marker(view.threshold)}",
    ]
    if view.synthetic:
        notes.append("示例数据 synthetic sample data generated by the demo")
    return tuple(notes)


def _groups(view: Dashboard) -> list[GroupFigures]:
    """The majors, then the scope's total."""
    rows = list(view.majors)
    if view.current is not None:
        rows.append(view.current)
    return rows


def _label(group: GroupFigures, total: bool) -> str:
    return "合计 Total" if total else group.label_zh


def dashboard_tables(view: Dashboard) -> dict[str, DataTable]:
    """The report's tables (``REPORT_TABLES``) plus ``colleges`` and ``trend``."""
    m = marker(view.threshold)
    notes = _notes(view)
    groups = _groups(view)
    last = len(groups) - 1 if view.current is not None else -1
    tables: dict[str, DataTable] = {}
    tables["scale"] = DataTable(
        name="graduates-scale",
        columns=(
            _major_col(),
            Column("graduates", "毕业生人数", "Graduates", "int"),
            Column("share", "占比", "Share", "share"),
        ),
        rows=[
            {
                "group": _label(g, i == last),
                "graduates": _count(g.graduates, m),
                "share": (
                    _r(g.graduates / view.current.graduates, 4)
                    if g.graduates is not None and view.current and view.current.graduates
                    else None
                ),
            }
            for i, g in enumerate(groups)
        ],
        notes=notes,
    )
    dest_rows = []
    for i, row in enumerate(view.destinations):
        total = i == len(view.destinations) - 1
        placed = next(
            (g.figures.get("placement_rate") for g in groups if g.label_zh == row.group.label_zh),
            None,
        )
        if total and view.current is not None:
            placed = view.current.figures.get("placement_rate")
        dest_rows.append(
            {
                "group": _label(row.group, total),
                "graduates": _count(row.group.graduates, m),
                **{k: _count(v, m) for k, v in row.counts.items()},
                "placement_rate": _cell(placed, m),
            }
        )
    tables["destinations"] = DataTable(
        name="placement-by-destination",
        columns=(
            _major_col(),
            Column("graduates", "毕业生人数", "Graduates", "int"),
            *(Column(k, zh, en, "int") for k, (zh, en) in DESTINATION_LABELS.items()),
            Column("placement_rate", "毕业去向落实率", "Placement rate", "share"),
        ),
        rows=dest_rows,
        notes=notes,
    )
    tables["regions"] = DataTable(
        name="where-graduates-work",
        columns=(
            Column("group", "就业地区", "Where"),
            Column("graduates", "毕业生人数", "Graduates", "int"),
            Column("employed", "就业人数", "Employed", "int"),
        ),
        rows=[
            {
                "group": g.label_zh,
                "graduates": _count(g.graduates, m),
                "employed": _numerator(g.figures.get("employment_rate"), m),
            }
            for g in view.regions
        ],
        notes=notes,
    )
    tables["related"] = DataTable(
        name="major-related-employment",
        columns=(
            _major_col(),
            Column("classifiable", "可判定的就业人数", "In work, classifiable", "int"),
            Column("related", "对口人数", "Related", "int"),
            Column("rate", "专业对口就业率", "Major-related rate", "share"),
            Column("unclassifiable", "无法判定人数", "Unclassifiable", "int"),
        ),
        rows=[
            {
                "group": _label(g, i == last),
                "classifiable": _denominator(g.figures.get("related_employment_rate"), m),
                "related": _numerator(g.figures.get("related_employment_rate"), m),
                "rate": _cell(g.figures.get("related_employment_rate"), m),
                "unclassifiable": _extra(g.figures.get("related_employment_rate"), m),
            }
            for i, g in enumerate(groups)
        ],
        notes=(
            *notes,
            "无法判定：职业缺失或无法识别 unclassifiable: occupation missing or unknown",
        ),
    )
    tables["salary"] = DataTable(
        name="starting-salary",
        columns=(
            _major_col(),
            Column("n", "报告起薪人数", "Graduates reporting pay", "int"),
            Column("q1", "下四分位数", "Lower quartile", "money"),
            Column("median", "中位数", "Median", "money"),
            Column("q3", "上四分位数", "Upper quartile", "money"),
        ),
        rows=[_salary_row(g, i == last, m) for i, g in enumerate(groups)],
        notes=(*notes, "元/月 yuan per month"),
    )
    years = sorted({y for s in view.enrollment for y, _ in s.points})
    tables["enrollment"] = DataTable(
        name="enrollment-by-major-direction",
        columns=(
            Column("group", "专业 / 专业方向", "Major / direction"),
            *(Column(f"y{y}", str(y), str(y), "int") for y in years),
            Column("growth", "较首年变化", "Change from first year", "share"),
        ),
        rows=[
            {
                "group": s.label_zh,
                **{f"y{y}": v for y, v in s.points},
                "growth": _r(s.growth, 4),
            }
            for s in view.enrollment
        ],
    )
    figure_columns = tuple(
        Column(k, *INDICATOR_LABELS[k], "money" if k == SALARY else "share") for k in INDICATORS
    )
    tables["colleges"] = DataTable(
        name="indicators-by-college",
        columns=(
            Column("group", "院校", "College"),
            Column("graduates", "毕业生人数", "Graduates", "int"),
            *figure_columns,
        ),
        rows=[_figures_row(g, m) for g in view.colleges],
        notes=notes,
    )
    tables["trend"] = DataTable(
        name="indicators-by-year",
        columns=(
            Column("group", "届别", "Year"),
            Column("graduates", "毕业生人数", "Graduates", "int"),
            *figure_columns,
        ),
        rows=[_figures_row(g, m) for g in view.trend],
        notes=notes,
    )
    tables["majors"] = DataTable(
        name="indicators-by-major",
        columns=(
            _major_col(),
            Column("graduates", "毕业生人数", "Graduates", "int"),
            *figure_columns,
        ),
        rows=[_figures_row(g, m) for g in view.majors],
        notes=notes,
    )
    return tables


INDICATOR_LABELS: dict[str, tuple[str, str]] = {
    "placement_rate": ("毕业去向落实率", "Placement rate"),
    "employment_rate": ("就业率", "Employment rate"),
    "related_employment_rate": ("专业对口就业率", "Major-related employment rate"),
    "stay_in_region_rate": ("留在成渝率", "Staying in Chengdu–Chongqing"),
    "abroad_rate": ("出境（国）率", "Going abroad"),
    SALARY: ("起薪中位数", "Starting pay, median"),
}


def _figures_row(g: GroupFigures, m: str) -> dict[str, Any]:
    return {
        "group": g.label_zh,
        "graduates": _count(g.graduates, m),
        **{k: _cell(g.figures.get(k), m, 0 if k == SALARY else 4) for k in INDICATORS},
    }


def _numerator(f: Figure | None, m: str) -> Any:
    if f is None:
        return None
    return m if f.suppressed else f.numerator


def _denominator(f: Figure | None, m: str) -> Any:
    if f is None:
        return None
    return m if f.suppressed else f.denominator


def _extra(f: Figure | None, m: str) -> Any:
    if f is None:
        return None
    return m if f.suppressed or f.unclassifiable is None else f.unclassifiable


def _salary_row(g: GroupFigures, total: bool, m: str) -> dict[str, Any]:
    f = g.figures.get(SALARY)
    if f is None or f.suppressed:
        hidden = m if f is not None else None
        return {
            "group": _label(g, total),
            "n": hidden,
            "q1": hidden,
            "median": hidden,
            "q3": hidden,
        }
    return {
        "group": _label(g, total),
        "n": f.denominator,
        "q1": _r(f.q1, 0),
        "median": _r(f.value, 0),
        "q3": _r(f.q3, 0),
    }
