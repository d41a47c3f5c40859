"""``talentbridge library stats``: the library usage report in the terminal, or as an
XLSX workbook (a sheet per table) with ``--out``.

The command acts as the operator of the store (the platform admin: every college) unless
``--as USERNAME`` names a user whose rights apply (a college admin sees their own
college and the alliance totals; students and recruiters are refused). Counts only.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from talentbridge.accounts.policy import Principal
from talentbridge.accounts.roles import Role
from talentbridge.accounts.users import get_user_by_username
from talentbridge.cli.common import _open_store, command_group, console, fail, parse_date
from talentbridge.config import SettingsError
from talentbridge.errors import NotFound, TalentBridgeError
from talentbridge.library.usage import Period, default_period
from talentbridge.library.usage_report import usage_report
from talentbridge.library.usage_tables import report_tables, write_workbook
from talentbridge.store.tables import utcnow

OPERATOR = Principal(user_id=0, role=Role.PLATFORM_ADMIN, organization_id=None)


library_group = command_group("library", "Resource libraries 双语资源库.")


@library_group.command("stats")
def stats_cmd(
    since: Annotated[
        str | None, typer.Option("--since", help="First day, YYYY-MM-DD (default: a year ago)")
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", help="Last day, YYYY-MM-DD (default: today, UTC)")
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write every table to this .xlsx workbook")
    ] = None,
    active_days: Annotated[
        int, typer.Option("--active-days", min=1, max=366, help="Days counted for active users")
    ] = 30,
    lang: Annotated[str, typer.Option("--lang", help="Column headers: zh or en")] = "zh",
    as_user: Annotated[
        str | None, typer.Option("--as", help="Act as this user (their rights apply)")
    ] = None,
) -> None:
    """Views, downloads and searches of the libraries; users; freshness; zero-hit searches."""
    if out is not None and out.suffix.lower() != ".xlsx":
        raise fail(f"--out wants an .xlsx file, not {out.name}")
    if lang not in ("zh", "en"):
        raise fail("--lang is zh or en")
    today = utcnow().date()
    first, last = parse_date(since, "--since"), parse_date(until, "--until") or today
    try:
        period = Period(first, last) if first else default_period(last)
        _settings, engine, factory = _open_store()
        try:
            with factory() as session:
                principal = OPERATOR
                if as_user is not None:
                    user = get_user_by_username(session, as_user)
                    if user is None:
                        raise NotFound(f"no user {as_user!r}")
                    principal = Principal.of(user)
                report = usage_report(
                    session,
                    principal=principal,
                    period=period,
                    today=today,
                    active_days=active_days,
                )
        finally:
            engine.dispose()
    except (TalentBridgeError, SettingsError, ValueError) as exc:
        raise fail(str(exc)) from None
    tables = report_tables(report)
    if out is not None:
        write_workbook(tables.values(), out, lang)
        console.print(f"Wrote {len(tables)} tables to {out}", highlight=False, soft_wrap=True)
        return
    console.print(f"[bold]Library usage[/] {period.label}", highlight=False)
    if report.synthetic:
        console.print("示例数据 sample data: these usage events are synthetic", highlight=False)
    for name in ("summary", "by-library", "by-role", "zero-hit-searches"):
        table = tables[name]
        keys = [
            c.key for c in table.columns if not c.key.endswith("_en" if lang == "zh" else "_zh")
        ]
        labels = {c.key: c.label(lang) for c in table.columns}
        shown = Table(title=name, title_justify="left")
        for key in keys:
            shown.add_column(labels[key])
        for row in table.rows[:20]:
            shown.add_row(*("" if row.get(k) is None else str(row.get(k)) for k in keys))
        console.print(shown)
