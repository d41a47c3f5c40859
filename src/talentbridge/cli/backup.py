"""CLI: ``talentbridge backup [PATH]`` and ``talentbridge restore ARCHIVE [--force]``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from talentbridge.cli.common import app, console, fail, get_settings
from talentbridge.config import SettingsError
from talentbridge.errors import TalentBridgeError


@app.command()
def backup(
    path: Annotated[
        Path,
        typer.Argument(
            help="Archive to write (.tar.gz), or a folder to write "
            "talentbridge-YYYYmmddTHHMMSSZ.tar.gz into."
        ),
    ] = Path("."),
) -> None:
    """Back up the store and the uploaded files into one archive (safe while serving)."""
    from talentbridge.store.backup import make_backup

    try:
        report = make_backup(get_settings(), path)
    except (TalentBridgeError, SettingsError) as exc:
        raise fail(str(exc)) from None
    console.print(report.summary(), highlight=False, soft_wrap=True)


@app.command()
def restore(
    archive: Annotated[Path, typer.Argument(help="A backup made by `talentbridge backup`.")],
    force: Annotated[
        bool,
        typer.Option(
            "--force", help="Replace a store (and uploaded files) that already hold records."
        ),
    ] = False,
) -> None:
    """Restore a backup into a new store (checks checksums and row counts, then migrates)."""
    from talentbridge.store.restore import restore_backup

    try:
        report = restore_backup(get_settings(), archive, force=force)
    except (TalentBridgeError, SettingsError) as exc:
        raise fail(str(exc)) from None
    console.print(report.summary(), highlight=False, soft_wrap=True)
