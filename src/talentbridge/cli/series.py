"""`import demand-series`: external monthly demand series (Job-SDF format)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from talentbridge.analytics.series_import import import_job_sdf
from talentbridge.cli.common import _open_store, _print_report, fail, import_app
from talentbridge.config import SettingsError
from talentbridge.errors import TalentBridgeError


@import_app.command("demand-series")
def import_demand_series_cmd(
    directory: Annotated[
        Path, typer.Argument(help="Job-SDF folder with demand/*.parquet and entity_map/")
    ],
) -> None:
    """Import monthly skill-demand series (market, occupation, region) from a Job-SDF folder."""
    try:
        settings, engine, factory = _open_store()
        try:
            reports = import_job_sdf(factory, directory, rejects_dir=settings.rejects_dir)
        finally:
            engine.dispose()
    except (TalentBridgeError, SettingsError) as exc:
        raise fail(str(exc)) from None
    for report in reports:
        _print_report(report)
