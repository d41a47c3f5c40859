"""Skill taxonomy import and export commands."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.orm import Session, sessionmaker

from talentbridge.cli.common import (
    BundledOpt,
    ExportPathArg,
    OptionalPathArg,
    _open_store,
    _run_export,
    console,
    err_console,
    export_app,
    fail,
    import_app,
)
from talentbridge.config import SettingsError
from talentbridge.errors import TalentBridgeError

# --- skill taxonomies -----------------------------------------------------------------


def _run_taxonomy(install: Callable[[sessionmaker[Session]], object]) -> None:
    """Install a taxonomy; a refused file prints its row problems (first 20) and exits 1."""
    from talentbridge.taxonomy.concepts import InstallReport, TaxonomyInvalid

    try:
        _settings, engine, factory = _open_store()
        try:
            report = install(factory)
        finally:
            engine.dispose()
    except TaxonomyInvalid as exc:
        err_console.print(
            f"[bold red]Error:[/] taxonomy refused, nothing changed "
            f"({len(exc.problems)} problems):",
            highlight=False,
        )
        for problem in exc.problems[:20]:
            err_console.print(f"  {problem.describe()}", highlight=False, soft_wrap=True)
        if len(exc.problems) > 20:
            err_console.print(f"  … and {len(exc.problems) - 20} more", highlight=False)
        raise typer.Exit(1) from None
    except (TalentBridgeError, SettingsError) as exc:
        raise fail(str(exc)) from None
    assert isinstance(report, InstallReport)
    console.print(report.summary(), highlight=False, soft_wrap=True)
    for warning in report.warnings[:20]:
        console.print(f"  [yellow]note[/] {warning}", highlight=False, soft_wrap=True)


@import_app.command("taxonomy")
def import_taxonomy_cmd(
    path: OptionalPathArg = None,
    bundled: BundledOpt = False,
    code: Annotated[
        str | None, typer.Option("--code", help="Taxonomy code, e.g. college-C01")
    ] = None,
    version: Annotated[str | None, typer.Option("--version", help="Taxonomy version")] = None,
    name: Annotated[str | None, typer.Option("--name", help="Display name")] = None,
) -> None:
    """Import a skill taxonomy (id, kind, parent, labels …) from PATH, or --bundled."""
    from talentbridge.taxonomy.concepts import import_taxonomy_file, load_bundled_taxonomy

    if bundled:
        _run_taxonomy(load_bundled_taxonomy)
    elif path is None or not code or not version:
        raise fail("give PATH with --code and --version, or --bundled for our own taxonomy")
    else:
        _run_taxonomy(
            lambda factory: import_taxonomy_file(
                factory, path, code=code, version=version, name=name
            )
        )


@import_app.command("esco")
def import_esco_cmd(
    skills: Annotated[Path, typer.Argument(help="ESCO skills.csv (id, description)")],
    version: Annotated[str, typer.Option("--version", help="ESCO version")] = "1.x",
) -> None:
    """Import ESCO skills as taxonomy "esco" (uses the ESCO classification of the EC)."""
    from talentbridge.taxonomy.esco import import_esco

    _run_taxonomy(lambda factory: import_esco(factory, skills, version=version))


@export_app.command("taxonomy")
def export_taxonomy_cmd(
    path: ExportPathArg,
    code: Annotated[str, typer.Option("--code", help="Taxonomy code")] = "talentbridge",
) -> None:
    """Export the active version of a taxonomy in the format `import taxonomy` reads."""
    from talentbridge.errors import NotFound
    from talentbridge.taxonomy.concepts import active_taxonomies, export_taxonomy

    def export(session: Session, target: Path) -> int:
        found = [t for t in active_taxonomies(session) if t.code == code]
        if not found:
            raise NotFound(f"no active taxonomy {code!r}; import it first")
        return export_taxonomy(session, found[0].id, target)

    _run_export(export, path)
