"""The advice and supply-vs-demand results as ``DataTable``s: the same rows feed the
pages, the JSON API, the CSV/XLSX downloads and the planning-meeting report."""

from __future__ import annotations

from typing import Any

from talentbridge.analytics.advice import AdviceReport
from talentbridge.analytics.datatable import Column, DataTable
from talentbridge.analytics.supply import SupplyItem, SupplyReport

TABLES = ("recommendations", "supply", "gaps")

ACTION_LABELS = {
    "open": ("新设", "open"),
    "expand": ("扩大", "expand"),
    "hold": ("保持", "hold"),
    "shrink": ("缩减", "shrink"),
}
KIND_LABELS = {
    "major": ("专业", "major"),
    "direction": ("专业方向", "direction"),
    "cluster": ("新兴技能群", "emerging skill cluster"),
}


def _labels(refs: list[dict[str, Any]], lang: str, limit: int = 6) -> str:
    key = "label_zh" if lang == "zh" else "label_en"
    return "、".join(r[key] or r.get("label_zh") or "" for r in refs[:limit]) if refs else ""


def recommendations_table(report: AdviceReport) -> DataTable:
    columns = [
        Column("rank", "排名", "Rank", "int"),
        Column("action_zh", "建议", "Advice (zh)"),
        Column("action", "建议(英文)", "Advice", "text"),
        Column("kind", "类型", "Kind"),
        Column("name_zh", "名称", "Name (zh)"),
        Column("name_en", "英文名称", "Name"),
        Column("score", "得分", "Score", "float"),
        Column("postings", "岗位数(近12月)", "Postings (12 months)", "float"),
        Column("yoy", "同比增长", "Year-on-year", "share"),
        Column("forecast_growth", "预测增长(6月)", "Forecast growth (6 months)", "share"),
        Column("salary_median", "月薪中位数", "Median monthly pay", "money"),
        Column("graduates", "年毕业生(本区域)", "Graduates a year (region)", "float"),
        Column("postings_per_graduate", "每名毕业生岗位数", "Postings per graduate", "float"),
        Column("colleges", "已开设院校", "Colleges offering it"),
        Column("skills_zh", "核心技能", "Defining skills (zh)"),
        Column("skills_en", "核心技能(英文)", "Defining skills"),
        Column("reasons", "依据", "Reasons"),
    ]
    rows = []
    for rec in report.recommendations:
        ev = rec.evidence
        rows.append({
            "rank": rec.rank,
            "action_zh": ACTION_LABELS[rec.action][0],
            "action": rec.action,
            "kind": rec.kind,
            "name_zh": rec.name_zh,
            "name_en": rec.name_en,
            "score": rec.score,
            "postings": ev.get("postings"),
            "yoy": ev.get("yoy", ev.get("growth")),
            "forecast_growth": ev.get("forecast_growth"),
            "salary_median": ev.get("salary_median"),
            "graduates": ev.get("graduates"),
            "postings_per_graduate": ev.get("postings_per_graduate"),
            "colleges": "、".join(c["code"] for c in ev.get("colleges", [])),
            "skills_zh": _labels(ev.get("skills", []), "zh"),
            "skills_en": _labels(ev.get("skills", []), "en"),
            "reasons": " ".join(rec.reasons),
        })  # fmt: skip
    return DataTable("advice-recommendations", columns, rows, _notes(report.supply))


def _direction(item: SupplyItem) -> str:
    return item.direction_zh or ""


def supply_table(report: SupplyReport) -> DataTable:
    columns = [
        Column("level", "层次", "Level"),
        Column("code", "专业代码", "Major code"),
        Column("name_zh", "专业名称", "Major (zh)"),
        Column("name_en", "英文名称", "Major"),
        Column("direction", "专业方向", "Direction"),
        Column("postings", "岗位数(近12月)", "Postings (12 months)", "float"),
        Column("openings", "招聘人数", "Openings", "float"),
        Column("demand_per_1000", "每千岗位占比", "Per 1,000 postings", "float"),
        Column("demand_index", "需求指数", "Demand index", "float"),
        Column("graduates", "年毕业生", "Graduates a year", "float"),
        Column("supply_index", "供给指数", "Supply index", "float"),
        Column("postings_per_graduate", "每名毕业生岗位数", "Postings per graduate", "float"),
        Column("gap_ratio", "供需比", "Gap ratio", "float"),
        Column("salary_median", "月薪中位数", "Median monthly pay", "money"),
        Column("yoy", "同比增长", "Year-on-year", "share"),
        Column("significant", "变化显著", "Change beyond noise"),
        Column("colleges", "开设院校数", "Colleges", "int"),
        Column("taught", "已教授技能数", "Skills taught", "int"),
        Column("gaps", "技能覆盖缺口", "Skill coverage gaps"),
    ]
    rows: list[dict[str, Any]] = []
    for item in report.items:
        if not item.offered and item.postings <= 0:
            continue
        rows.append({
            "key": item.key,
            "level": item.major_level,
            "code": item.major_code,
            "name_zh": item.major_name_zh,
            "name_en": item.major_name_en,
            "direction": _direction(item),
            "postings": item.postings,
            "openings": item.openings,
            "demand_per_1000": item.demand_per_1000,
            "demand_index": item.demand_index,
            "graduates": round(item.graduates, 1),
            "supply_index": item.supply_index,
            "postings_per_graduate": item.postings_per_graduate,
            "gap_ratio": item.gap_ratio,
            "salary_median": item.salary_median,
            "yoy": None if item.yoy is None else round(item.yoy, 3),
            "significant": "yes" if item.significant else "no",
            "colleges": len(item.colleges),
            "taught": len(item.taught),
            "gaps": "、".join(
                (report.concepts[c].label_zh or "") if c in report.concepts else str(c)
                for c, _n in item.coverage_gaps[:5]
            ),
        })  # fmt: skip
    rows.sort(key=lambda r: (-float(r["postings"] or 0), str(r["code"]), str(r["direction"])))
    return DataTable("supply-demand", columns, rows, _notes(report))


def gaps_table(report: SupplyReport) -> DataTable:
    columns = [
        Column("code", "专业代码", "Major code"),
        Column("name_zh", "专业名称", "Major (zh)"),
        Column("direction", "专业方向", "Direction"),
        Column("rank", "排名", "Rank", "int"),
        Column("concept_key", "技能编号", "Skill key"),
        Column("label_zh", "技能", "Skill (zh)"),
        Column("label_en", "英文名称", "Skill"),
        Column("kind", "类别", "Kind"),
        Column("postings", "要求该技能的岗位数", "Postings asking for it", "float"),
    ]
    rows = []
    for item in report.items:
        if not item.offered:
            continue
        for rank, (concept_id, n) in enumerate(item.coverage_gaps, start=1):
            concept = report.concepts.get(concept_id)
            rows.append({
                "code": item.major_code,
                "name_zh": item.major_name_zh,
                "direction": _direction(item),
                "rank": rank,
                "concept_key": concept.key if concept else "",
                "label_zh": (concept.label_zh if concept else None) or "",
                "label_en": (concept.label_en if concept else None) or "",
                "kind": concept.kind if concept else "",
                "postings": round(n, 1),
            })  # fmt: skip
    return DataTable("skill-coverage-gaps", columns, rows, _notes(report))


def _notes(report: SupplyReport) -> tuple[str, ...]:
    if report.period is None:
        return ("No demand data yet / 暂无需求数据",)
    p = report.period
    return (
        f"region {report.region}; period {p.start}…{p.end} (year before: "
        f"{p.prev_start}…{p.prev_end}); data version {report.data_version}",
    )


def table_named(report: AdviceReport, name: str) -> DataTable:
    """One of ``TABLES`` by name (raises ``KeyError``)."""
    builders = {
        "recommendations": lambda: recommendations_table(report),
        "supply": lambda: supply_table(report.supply),
        "gaps": lambda: gaps_table(report.supply),
    }
    return builders[name]()
