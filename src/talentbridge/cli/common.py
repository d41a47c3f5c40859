"""Shared pieces of the CLI: the Typer apps, consoles, settings and the store, and the
helpers that run an importer or exporter and turn named errors into one message."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from talentbridge.config import Settings, SettingsError, load_settings
from talentbridge.errors import TalentBridgeError
from talentbridge.pipeline.runs import ImportReport
from talentbridge.store.engine import create_engine_for, session_factory
from talentbridge.store.migrate import upgrade

app = typer.Typer(help="TalentBridge 成渝国际物流人才大数据中心", no_args_is_help=True)
import_app = typer.Typer(help="Import reference data and records from files.", no_args_is_help=True)
export_app = typer.Typer(help="Export records to files.", no_args_is_help=True)
user_app = typer.Typer(help="Manage user accounts.", no_args_is_help=True)
app.add_typer(import_app, name="import")
app.add_typer(export_app, name="export")
app.add_typer(user_app, name="user")

console = Console()
err_console = Console(stderr=True)


def get_settings() -> Settings:
    return load_settings(os.environ)


def fail(message: str, code: int = 1) -> typer.Exit:
    err_console.print(f"[bold red]Error:[/] {message}")
    return typer.Exit(code)


def command_group(name: str, help: str) -> typer.Typer:
    """The ``name`` command group, made once and shared by the modules that add to it
    (``library`` by the library and usage commands, ``outcomes`` by the indicator and
    recruiting commands), whichever is imported first."""
    for info in app.registered_groups:
        if info.name == name and info.typer_instance is not None:
            return info.typer_instance
    group = typer.Typer(help=help, no_args_is_help=True)
    app.add_typer(group, name=name)
    return group


def parse_date(value: str | None, option: str) -> dt.date | None:
    """An option's ISO date (``None`` stays ``None``); a clear error otherwise."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise fail(f"{option} wants a date as YYYY-MM-DD, not {value!r}") from None


@app.command()
def init() -> None:
    """Create the store, or migrate it to the newest schema."""
    settings = get_settings()
    engine = create_engine_for(settings)
    upgrade(engine)
    console.print(f"Store ready: {engine.url.render_as_string(hide_password=True)}")


# --- import / export of reference data ----------------------------------------------


def _open_store() -> tuple[Settings, Engine, sessionmaker[Session]]:
    settings = get_settings()
    engine = create_engine_for(settings)
    upgrade(engine)
    return settings, engine, session_factory(engine)


def _print_report(report: ImportReport) -> None:
    console.print(f"[bold]{report.kind}[/] ← {report.file}", highlight=False, soft_wrap=True)
    table = Table(show_header=False)
    for label, value in (
        ("read 读取", report.read),
        ("stored 写入", report.stored),
        ("unchanged 未变", report.unchanged),
        ("duplicates 重复", report.duplicates),
        ("rejected 拒绝", report.rejected),
    ):
        table.add_row(label, str(value))
    console.print(table)
    if report.message:
        console.print(report.message, highlight=False)
    for error in report.errors[:20]:
        console.print(f"  [yellow]rejected[/] {error.describe()}", highlight=False, soft_wrap=True)
    if report.rejected > 20:
        console.print(f"  … and {report.rejected - 20} more")
    if report.rejects_path is not None:
        console.print(
            f"Rejected rows written to {report.rejects_path}", highlight=False, soft_wrap=True
        )


def _run_import(importer: Callable[..., ImportReport], path: Path) -> None:
    """Run one file importer with a progress bar; named errors become one message."""
    try:
        settings, engine, factory = _open_store()
        try:
            with Progress(console=console, transient=True) as bar:
                task = bar.add_task(f"Importing {path.name}", total=None)

                def tick(done: int, total: int) -> None:
                    bar.update(task, completed=done, total=total or None)

                report = importer(factory, path, rejects_dir=settings.rejects_dir, progress=tick)
        finally:
            engine.dispose()
    except (TalentBridgeError, SettingsError) as exc:
        raise fail(str(exc)) from None
    _print_report(report)


def _run_bundled(loader: Callable[[sessionmaker[Session]], Sequence[ImportReport]]) -> None:
    try:
        _settings, engine, factory = _open_store()
        try:
            reports = loader(factory)
        finally:
            engine.dispose()
    except (TalentBridgeError, SettingsError) as exc:
        raise fail(str(exc)) from None
    for report in reports:
        _print_report(report)


PathArg = Annotated[Path, typer.Argument(help="CSV, XLSX or JSONL file")]
OptionalPathArg = Annotated[Path | None, typer.Argument(help="CSV, XLSX or JSONL file")]
BundledOpt = Annotated[
    bool, typer.Option("--bundled", help="Load the table shipped with TalentBridge")
]


def _run_export(exporter: Callable[[Session, Path], int], path: Path) -> None:
    try:
        _settings, engine, factory = _open_store()
        try:
            with factory() as session:
                count = exporter(session, path)
        finally:
            engine.dispose()
    except (TalentBridgeError, SettingsError) as exc:
        raise fail(str(exc)) from None
    console.print(f"Exported {count} rows to {path}", highlight=False, soft_wrap=True)


ExportPathArg = Annotated[Path, typer.Argument(help="target .csv or .xlsx file")]
