"""The ``talentbridge`` command: a thin shell over the feature packages.

Named errors from the packages are turned into one clear message and a non-zero
exit here, at the edge; nothing below this package prints or exits. Commands live in
modules by noun (reference data, taxonomy, skills, serving); importing them registers
them on ``app``.
"""

from __future__ import annotations

from talentbridge.cli import (  # noqa: F401  (registers commands)
    backup,
    library,
    library_stats,
    matching,
    outcomes,
    outcomes_recruiting,
    placements,
    privacy,
    reference,
    retention,
    series,
    serving,
    skills,
    taxonomy,
)
from talentbridge.cli.common import app, err_console
from talentbridge.config import SettingsError
from talentbridge.errors import TalentBridgeError

__all__ = ["app", "main"]


def main() -> None:
    """Entry point: run the app, turning named errors into messages."""
    try:
        app()
    except (TalentBridgeError, SettingsError) as exc:
        err_console.print(f"[bold red]Error:[/] {exc}")
        raise SystemExit(1) from None
