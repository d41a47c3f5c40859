"""The usage report as plain tables (``DataTable``): the same rows feed the dashboard, the
CSV/XLSX downloads and the CLI's workbook. Column labels are bilingual, as in the
demand map's tables; names of libraries, colleges and roles come in both languages.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path

import openpyxl

from talentbridge.analytics.datatable import Column, DataTable
from talentbridge.library.usage_report import UsageReport
from talentbridge.library.usage_stats import KindCounts, LibraryUsage

# Table names, in the order the dashboard shows them (also the file name stems).
TABLES: tuple[str, ...] = (
    "summary",
    "by-month",
    "by-library",
    "alliance-by-library",
    "by-college",
    "by-role",
    "top-resources",
    "library-users",
    "college-users",
    "freshness",
    "zero-hit-searches",
)

ROLE_NAMES: dict[str, tuple[str, str]] = {
    "platform_admin": ("平台管理员", "Platform admin"),
    "college_admin": ("院校管理员", "College admin"),
    "teacher": ("教师", "Teacher"),
    "student": ("学生", "Student"),
    "recruiter": ("企业招聘人员", "Employer recruiter"),
    "analyst": ("分析人员", "Analyst"),
}

_COUNTS = (
    Column("views", "浏览", "Views", "int"),
    Column("downloads", "下载", "Downloads", "int"),
    Column("searches", "检索", "Searches", "int"),
)
_LIBRARY = (
    Column("code", "资源库代码", "Library code"),
    Column("name_zh", "资源库", "Library"),
    Column("name_en", "资源库", "Library"),
)
_ORG = (
    Column("code", "机构代码", "Code"),
    Column("name_zh", "院校/机构", "College / organization"),
    Column("name_en", "院校/机构", "College / organization"),
)


def _counts(row: KindCounts) -> dict[str, int]:
    return {"views": row.views, "downloads": row.downloads, "searches": row.searches}


def _library_rows(rows: Iterable[LibraryUsage]) -> list[dict[str, object]]:
    return [
        {"code": r.code, "name_zh": r.name_zh, "name_en": r.name_en, **_counts(r), "users": r.users}
        for r in rows
    ]


def _summary(report: UsageReport) -> DataTable:
    def row(
        scope_zh: str, scope_en: str, totals: KindCounts, zero: int, users: int, active: int
    ) -> dict[str, object]:
        return {
            "scope_zh": scope_zh,
            "scope_en": scope_en,
            **_counts(totals),
            "zero_hit_searches": zero,
            "users": users,
            "active_users": active,
        }

    t = report.totals
    if report.college_id is not None:
        first = row(
            report.college_name_zh or "本院校",
            report.college_name_en or "Own college",
            t,
            t.zero_hit_searches,
            t.users,
            report.active_users,
        )
    else:
        first = row(
            "全部院校与机构",
            "All colleges and organizations",
            t,
            t.zero_hit_searches,
            t.users,
            report.active_users,
        )
    rows = [first]
    if report.alliance is not None:
        a = report.alliance
        rows.append(
            row(
                "联盟合计",
                "Alliance total",
                a,
                a.zero_hit_searches,
                a.users,
                report.alliance_active_users or 0,
            )
        )
    columns = [
        Column("scope_zh", "范围", "Scope"),
        Column("scope_en", "范围", "Scope"),
        *_COUNTS,
        Column("zero_hit_searches", "无结果检索", "Searches with no result", "int"),
        Column("users", "期间使用人数", "Users in the period", "int"),
        Column(
            "active_users",
            f"近{report.active_days}天活跃用户",
            f"Active users (last {report.active_days} days)",
            "int",
        ),
    ]
    return DataTable("summary", columns, rows, notes=(report.period.label,))


def report_tables(report: UsageReport) -> dict[str, DataTable]:
    """Every table of the report by name (``alliance-by-library`` only for college
    staff, whose other tables hold their own college's figures)."""
    users_col = Column("users", "使用人数", "Users", "int")
    tables = {
        "summary": _summary(report),
        "by-month": DataTable(
            "by-month",
            [Column("month", "月份", "Month"), *_COUNTS],
            [{"month": r.month, **_counts(r)} for r in report.by_month],
        ),
        "by-library": DataTable(
            "by-library", [*_LIBRARY, *_COUNTS, users_col], _library_rows(report.by_library)
        ),
        "by-college": DataTable(
            "by-college",
            [*_ORG, Column("kind", "类型", "Kind"), *_COUNTS, users_col],
            [
                {
                    "code": r.code or "—",
                    "name_zh": r.name_zh or "（无所属机构）",
                    "name_en": r.name_en or r.name_zh or "(no organization)",
                    "kind": r.kind or "",
                    **_counts(r),
                    "users": r.users,
                }
                for r in report.by_organization
            ],
        ),
        "by-role": DataTable(
            "by-role",
            [
                Column("role_zh", "角色", "Role"),
                Column("role_en", "角色", "Role"),
                *_COUNTS,
                users_col,
            ],
            [
                {
                    "role_zh": ROLE_NAMES.get(r.role, (r.role, r.role))[0],
                    "role_en": ROLE_NAMES.get(r.role, (r.role, r.role))[1],
                    **_counts(r),
                    "users": r.users,
                }
                for r in report.by_role
            ],
        ),
        "top-resources": DataTable(
            "top-resources",
            [
                Column("resource_id", "资源编号", "Resource", "int"),
                Column("library_code", "资源库代码", "Library code"),
                Column("title_zh", "资源", "Resource"),
                Column("title_en", "资源", "Resource"),
                *_COUNTS[:2],
            ],
            [
                {
                    "resource_id": r.resource_id,
                    "library_code": r.library_code,
                    "title_zh": r.title_zh or r.title_en,
                    "title_en": r.title_en or r.title_zh,
                    **_counts(r),
                }
                for r in report.top_resources
            ],
        ),
        "library-users": DataTable(
            "library-users",
            [
                *_LIBRARY,
                Column("registered", "曾使用人数", "Users who ever used it", "int"),
                Column(
                    "active",
                    f"近{report.active_days}天活跃",
                    f"Active (last {report.active_days} days)",
                    "int",
                ),
            ],
            [
                {
                    "code": r.code,
                    "name_zh": r.name_zh,
                    "name_en": r.name_en,
                    "registered": r.registered,
                    "active": r.active,
                }
                for r in report.library_users
            ],
        ),
        "college-users": DataTable(
            "college-users",
            [
                *_ORG,
                Column("registered", "注册账号", "Registered accounts", "int"),
                Column("users", "曾使用人数", "Users who ever used a library", "int"),
                Column(
                    "active",
                    f"近{report.active_days}天活跃",
                    f"Active (last {report.active_days} days)",
                    "int",
                ),
            ],
            [
                {
                    "code": r.code,
                    "name_zh": r.name_zh,
                    "name_en": r.name_en or r.name_zh,
                    "registered": r.registered,
                    "users": r.users,
                    "active": r.active,
                }
                for r in report.college_users
            ],
        ),
        "freshness": DataTable(
            "freshness",
            [
                *_LIBRARY,
                Column("resources", "已发布资源", "Published resources", "int"),
                Column(
                    "fresh",
                    f"近{report.fresh_days}天新增或更新",
                    f"Added or updated in {report.fresh_days} days",
                    "int",
                ),
                Column("share", "占比", "Share", "share"),
            ],
            [
                {
                    "code": r.code,
                    "name_zh": r.name_zh,
                    "name_en": r.name_en,
                    "resources": r.resources,
                    "fresh": r.fresh,
                    "share": r.share,
                }
                for r in report.freshness
            ],
        ),
        "zero-hit-searches": DataTable(
            "zero-hit-searches",
            [
                Column("query", "检索词（规范化）", "Query (normalized)"),
                Column("library_zh", "检索范围", "Searched in"),
                Column("library_en", "检索范围", "Searched in"),
                Column("searches", "次数", "Searches", "int"),
                Column("last_at", "最近一次 (UTC)", "Last time (UTC)"),
            ],
            [
                {
                    "query": r.query,
                    "library_zh": r.library_name_zh or "全部资源库",
                    "library_en": r.library_name_en or "All libraries",
                    "searches": r.searches,
                    "last_at": r.last_at.strftime("%Y-%m-%d %H:%M"),
                }
                for r in report.zero_hits
            ],
        ),
    }
    if report.alliance_by_library is not None:
        tables["alliance-by-library"] = DataTable(
            "alliance-by-library",
            [*_LIBRARY, *_COUNTS, users_col],
            _library_rows(report.alliance_by_library),
        )
    return {name: tables[name] for name in TABLES if name in tables}


def workbook_bytes(tables: Iterable[DataTable], lang: str = "zh") -> bytes:
    """One XLSX workbook with a sheet per table (headers in ``lang``)."""
    book = openpyxl.Workbook(write_only=True)
    for table in tables:
        sheet = book.create_sheet(table.name[:31])
        sheet.append([c.label(lang) for c in table.columns])
        for row in table.rows:
            sheet.append([row.get(c.key) for c in table.columns])
        for note in table.notes:
            sheet.append([note])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def write_workbook(tables: Iterable[DataTable], path: Path, lang: str = "zh") -> None:
    path.write_bytes(workbook_bytes(tables, lang))
