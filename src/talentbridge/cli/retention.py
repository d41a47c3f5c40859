"""CLI: ``talentbridge purge [--dry-run]``: remove records past their retention
(``privacy.retention``; days per record type from ``TALENTBRIDGE_RETENTION``)."""

from __future__ import annotations

import typer
from rich.table import Table

from talentbridge.cli.common import _open_store, app, console, fail
from talentbridge.privacy.retention import RetentionSettingError, purge


@app.command("purge")
def purge_command(
    dry_run: bool = typer.Option(False, "--dry-run", help="Count only; change nothing."),
) -> None:
    """Remove records past their retention period (and old résumé and rejects files)."""
    settings, engine, factory = _open_store()
    try:
        result = purge(factory, settings, dry_run=dry_run)
    except RetentionSettingError as exc:
        raise fail(str(exc)) from None
    finally:
        engine.dispose()
    title = "would be removed (dry run)" if dry_run else "removed"
    table = Table(title=f"Retention purge: rows {title}")
    table.add_column("record type")
    table.add_column("kept (days)", justify="right")
    table.add_column("rows" if not dry_run else "rows (would go)", justify="right")
    for name, count in result.counts.items():
        days = result.days.get(name, result.days.get("rejected_rows"))
        table.add_row(name, str(days), str(count))
    console.print(table)
    if not dry_run:
        console.print(f"files removed from disk: {result.files}; audit event #{result.event_id}")
