"""The ``talentbridge`` command: a thin shell over the feature packages.

Named errors from the packages are turned into one clear message and a non-zero
exit here, at the edge; nothing below this module prints or exits.
"""

from __future__ import annotations

import os

import typer
from rich.console import Console

from talentbridge.config import Settings, SettingsError, load_settings
from talentbridge.errors import TalentBridgeError
from talentbridge.store.engine import create_engine_for
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


@app.command()
def init() -> None:
    """Create the store, or migrate it to the newest schema."""
    settings = get_settings()
    engine = create_engine_for(settings)
    upgrade(engine)
    console.print(f"Store ready: {engine.url.render_as_string(hide_password=True)}")


def main() -> None:
    """Entry point: run the app, turning named errors into messages."""
    try:
        app()
    except (TalentBridgeError, SettingsError) as exc:
        err_console.print(f"[bold red]Error:[/] {exc}")
        raise SystemExit(1) from None
