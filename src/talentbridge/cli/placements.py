"""`import placements`: a college's placement file (毕业生就业信息), a thin shell over
``outcomes.placement_import``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from sqlalchemy.orm import Session, sessionmaker

from talentbridge.cli.common import PathArg, _run_import, console, fail, import_app
from talentbridge.outcomes.placement_import import PlacementImportReport, import_placements
from talentbridge.pipeline.runs import ImportReport


def _rows(values: list[str]) -> list[int]:
    rows: list[int] = []
    for value in values:
        for part in value.replace(",", " ").split():
            if not part.isdigit():
                raise fail(f"--confirm takes row numbers, got {part!r}")
            rows.append(int(part))
    return rows


def _print_placements(report: PlacementImportReport) -> None:
    console.print(f"new 新增 {report.created}, updated 更新 {report.updated}", highlight=False)
    if report.pending:
        console.print(f"[bold]{len(report.pending)} rows need confirmation 待确认:[/]")
        for row in report.pending:
            console.print(f"  {row.describe()}", highlight=False, soft_wrap=True)


@import_app.command("placements")
def import_placements_cmd(
    path: PathArg,
    college: Annotated[
        str, typer.Option("--college", help="Code of the college whose graduates the file lists")
    ],
    mapping: Annotated[
        Path | None,
        typer.Option("--mapping", help="CSV/JSON/TOML file naming columns: source → field"),
    ] = None,
    confirm: Annotated[
        list[str] | None,
        typer.Option(
            "--confirm",
            help="Row numbers whose name-only match you confirm (repeat, or 3,7)",
        ),
    ] = None,
) -> None:
    """Import graduates' placements (毕业去向) from a college's CSV/XLSX file."""
    rows = _rows(confirm or [])
    reports: list[PlacementImportReport] = []

    def importer(factory: sessionmaker[Session], file: Path, **options: Any) -> ImportReport:
        report = import_placements(
            factory, file, college_code=college, mapping=mapping, confirm=rows, **options
        )
        reports.append(report)
        return report

    _run_import(importer, path)
    for report in reports:
        _print_placements(report)
