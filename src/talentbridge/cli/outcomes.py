"""``talentbridge outcomes indicators``: the employment-outcome indicators in the
terminal, or as CSV/XLSX with ``--out`` (definitions: ``docs/indicators.md``).

The command acts as the operator of the store (the platform admin: every college) unless
``--as USERNAME`` names a user whose rights apply (college staff: their own college, or
the alliance with ``--alliance``; students and recruiters are refused). Cells from fewer
graduates than the small-cell threshold are suppressed; ``--min-cell`` may only raise it.
The ``outcomes`` group is shared with ``cli.outcomes_recruiting``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from sqlalchemy import select

from talentbridge.accounts.policy import Principal
from talentbridge.accounts.roles import Role
from talentbridge.accounts.users import get_user_by_username
from talentbridge.analytics.datatable import DataTable
from talentbridge.cli.common import _open_store, command_group, console, fail
from talentbridge.config import SettingsError
from talentbridge.errors import NotFound, TalentBridgeError
from talentbridge.outcomes.indicator_report import indicator_report, write_tables
from talentbridge.store.tables import Organization

OPERATOR = Principal(user_id=0, role=Role.PLATFORM_ADMIN, organization_id=None)


outcomes_group = command_group("outcomes", "Employment outcomes and recruiting efficiency.")


def _show(value: object, kind: str) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "suppressed" if value else ""
    if kind == "share" and isinstance(value, float):
        return f"{value:.1%}"
    if kind == "money" and isinstance(value, float):
        return f"{value:,.0f}"
    return str(value)


def _print(table: DataTable, lang: str) -> None:
    shown = Table(title=table.name, title_justify="left")
    for column in table.columns:
        shown.add_column(column.label(lang))
    for row in table.rows:
        shown.add_row(*(_show(row.get(c.key), c.kind) for c in table.columns))
    console.print(shown)
    for note in table.notes:
        console.print(f"  {note}", highlight=False, soft_wrap=True)


@outcomes_group.command("indicators")
def indicators_cmd(
    college: Annotated[
        str | None, typer.Option("--college", help="Organization code of one college")
    ] = None,
    year: Annotated[
        list[int] | None, typer.Option("--year", help="Graduation year (repeatable)")
    ] = None,
    by: Annotated[
        str,
        typer.Option(
            "--by", help="Group by any of college,major,direction,year,province,city,zone"
        ),
    ] = "",
    indicator: Annotated[
        list[str] | None,
        typer.Option("--indicator", help="Only this indicator (repeatable; default: all)"),
    ] = None,
    alliance: Annotated[
        bool, typer.Option("--alliance", help="The whole alliance (college staff)")
    ] = False,
    min_cell: Annotated[
        int | None,
        typer.Option("--min-cell", min=1, help="Raise the small-cell threshold for this run"),
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write the tables to FILE.xlsx or FILE.csv")
    ] = None,
    lang: Annotated[str, typer.Option("--lang", help="Labels: zh or en")] = "zh",
    as_user: Annotated[
        str | None, typer.Option("--as", help="Act as this user (their rights apply)")
    ] = None,
) -> None:
    """Placement, employment, 对口, staying in the region, abroad, starting salary and
    enrollment, grouped as asked."""
    if out is not None and out.suffix.lower() not in (".xlsx", ".csv"):
        raise fail(f"--out wants an .xlsx or .csv file, not {out.name}")
    if lang not in ("zh", "en"):
        raise fail("--lang is zh or en")
    try:
        settings, engine, factory = _open_store()
        try:
            threshold = settings.small_cell_threshold
            if min_cell is not None and min_cell < threshold:
                raise ValueError(f"--min-cell cannot go below the configured threshold {threshold}")
            with factory() as session:
                principal = OPERATOR
                if as_user is not None:
                    user = get_user_by_username(session, as_user)
                    if user is None:
                        raise NotFound(f"no user {as_user!r}")
                    principal = Principal.of(user)
                college_id = None
                if college is not None:
                    college_id = session.scalar(
                        select(Organization.id).where(
                            Organization.code == college, Organization.kind == "college"
                        )
                    )
                    if college_id is None:
                        raise NotFound(f"no college with code {college!r}")
                tables = indicator_report(
                    session,
                    principal,
                    by=by,
                    min_cell=min_cell or threshold,
                    college_id=college_id,
                    alliance=alliance,
                    years=year or None,
                    indicators=indicator or None,
                    lang=lang,
                )
        finally:
            engine.dispose()
        if out is not None:
            written = write_tables(tables, out, lang)
    except (TalentBridgeError, SettingsError, ValueError) as exc:
        raise fail(str(exc)) from None
    if out is not None:
        for path in written:
            console.print(f"Wrote {path}", highlight=False, soft_wrap=True)
        return
    for table in tables:
        _print(table, lang)
