"""``talentbridge outcomes recruiting``: recruiting efficiency overall, per employer and
per month, and the before/after comparison around the matching switch date, in the
terminal or as an XLSX workbook (``--out``).

The command acts as the operator of the store (the platform admin: every employer)
unless ``--as USERNAME`` names a user whose rights apply (a recruiter: their own
organization; college staff: all employers together). The switch date is
``--switch-date``, else ``TALENTBRIDGE_MATCHING_SWITCH_DATE``, else the one the store
records (the demo's); with none, no comparison is made.
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
from talentbridge.outcomes.recruiting import MEASURES, employer_by_code, recruiting_table
from talentbridge.outcomes.recruiting_compare import (
    DEFAULT_MIN_N,
    compare_before_after,
    configured_switch_date,
)
from talentbridge.outcomes.recruiting_export import (
    SYNTHETIC_NOTE,
    Sheet,
    recruiting_sheets,
    write_recruiting_workbook,
)

OPERATOR = Principal(user_id=0, role=Role.PLATFORM_ADMIN, organization_id=None)


outcomes_group = command_group("outcomes", "Employment outcomes and recruiting efficiency.")


def _show(sheet: Sheet, lang: str, limit: int, keys: list[str]) -> None:
    columns = [c for c in sheet.columns if c.key in keys]
    shown = Table(title=sheet.name, title_justify="left")
    for column in columns:
        shown.add_column(column.label(lang))
    for row in sheet.rows[:limit]:
        shown.add_row(*("" if row.get(c.key) is None else str(row.get(c.key)) for c in columns))
    console.print(shown)
    if len(sheet.rows) > limit:
        console.print(f"… {len(sheet.rows) - limit} more rows (all of them with --out)")


SHOWN = ["employer_code", "month", "postings", "applications", "hires", "offer_acceptance_rate",
         "days_to_first_qualified_median", "days_to_first_interview_median",
         "days_to_hire_n", "days_to_hire_median", "applications_per_hire_median"]  # fmt: skip


@outcomes_group.command("recruiting")
def recruiting_cmd(
    employer: Annotated[
        str | None, typer.Option("--employer", help="One employer's organization code")
    ] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="First posting date, YYYY-MM-DD")
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", help="Last posting date, YYYY-MM-DD")
    ] = None,
    switch_date: Annotated[
        str | None,
        typer.Option("--switch-date", help="Compare postings before/after this date"),
    ] = None,
    window_days: Annotated[
        int | None, typer.Option("--window-days", min=1, help="Only this many days each side")
    ] = None,
    min_n: Annotated[
        int, typer.Option("--min-n", min=1, help="Fewest postings a side needs")
    ] = DEFAULT_MIN_N,
    seed: Annotated[int, typer.Option("--seed", help="Bootstrap seed")] = 0,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write every table to this .xlsx workbook")
    ] = None,
    lang: Annotated[str, typer.Option("--lang", help="Column headers: zh or en")] = "zh",
    as_user: Annotated[
        str | None, typer.Option("--as", help="Act as this user (their rights apply)")
    ] = None,
) -> None:
    """Days to first qualified application, interview and hire; applications per hire;
    offer acceptance; before/after the matching switch date with a 95 % interval."""
    if out is not None and out.suffix.lower() != ".xlsx":
        raise fail(f"--out wants an .xlsx file, not {out.name}")
    if lang not in ("zh", "en"):
        raise fail("--lang is zh or en")
    first, last = parse_date(since, "--since"), parse_date(until, "--until")
    switch = parse_date(switch_date, "--switch-date")
    try:
        settings, engine, factory = _open_store()
        try:
            with factory() as session:
                principal = OPERATOR
                if as_user is not None:
                    user = get_user_by_username(session, as_user)
                    if user is None:
                        raise NotFound(f"no user {as_user!r}")
                    principal = Principal.of(user)
                employer_id = employer_by_code(session, employer).id if employer else None
                table = recruiting_table(
                    session, principal=principal, employer_id=employer_id, since=first, until=last
                )
                switch = switch or configured_switch_date(session, settings)
                comparisons = (
                    [
                        compare_before_after(
                            session,
                            principal=principal,
                            switch_date=switch,
                            employer_id=employer_id,
                            measure=m,
                            window_days=window_days,
                            seed=seed,
                            min_n=min_n,
                        )
                        for m in MEASURES
                    ]
                    if switch is not None
                    else []
                )
        finally:
            engine.dispose()
    except (TalentBridgeError, SettingsError, ValueError) as exc:
        raise fail(str(exc)) from None
    sheets = recruiting_sheets(table, comparisons)
    if out is not None:
        write_recruiting_workbook(sheets, out, lang, synthetic=table.synthetic)
        console.print(f"Wrote {len(sheets)} tables to {out}", highlight=False, soft_wrap=True)
        return
    console.print("[bold]Recruiting efficiency 招聘效率[/]", highlight=False)
    if table.synthetic:
        console.print(SYNTHETIC_NOTE, highlight=False, soft_wrap=True)
    by_name = {s.name: s for s in sheets}
    _show(by_name["overall"], lang, 1, SHOWN)
    _show(by_name["by-employer"], lang, 15, SHOWN)
    _show(by_name["by-month"], lang, 36, SHOWN)
    if "before-after" in by_name:
        sheet = by_name["before-after"]
        _show(sheet, lang, len(MEASURES), [c.key for c in sheet.columns])
    else:
        console.print(
            "No switch date: give --switch-date (or set TALENTBRIDGE_MATCHING_SWITCH_DATE)"
        )
