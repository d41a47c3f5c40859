"""`import …` and `export …` of reference data and postings."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Annotated

import typer

from talentbridge.cli.common import (
    BundledOpt,
    ExportPathArg,
    OptionalPathArg,
    PathArg,
    _run_bundled,
    _run_export,
    _run_import,
    export_app,
    fail,
    import_app,
)
from talentbridge.pipeline.postings import import_postings
from talentbridge.registry.courses import import_courses
from talentbridge.registry.exports import export_majors, export_occupations, export_organizations
from talentbridge.registry.offerings import import_cohorts, import_college_majors
from talentbridge.registry.organizations import import_organizations
from talentbridge.taxonomy.majors import import_major_catalog, load_bundled_majors
from talentbridge.taxonomy.occupations import (
    import_major_occupations,
    import_occupations,
    load_bundled_occupations,
)


@import_app.command("postings")
def import_postings_cmd(
    paths: Annotated[list[Path], typer.Argument(help="CSV, XLSX or JSONL posting files")],
    source: Annotated[
        str | None, typer.Option("--source", help="Board or channel name (default: file name)")
    ] = None,
    mapping: Annotated[
        Path | None,
        typer.Option("--mapping", help="CSV/JSON/TOML file naming columns: source → field"),
    ] = None,
) -> None:
    """Import job postings: normalize, check compliance, deduplicate, store with provenance."""
    for path in paths:
        _run_import(
            functools.partial(import_postings, source=source, mapping=mapping, refresh_demand=True),
            path,
        )


@import_app.command("majors")
def import_majors_cmd(path: OptionalPathArg = None, bundled: BundledOpt = False) -> None:
    """Import the MOE 2021 vocational major catalog (专业目录) from PATH, or --bundled."""
    if bundled:
        _run_bundled(lambda factory: [load_bundled_majors(factory)])
    elif path is None:
        raise fail("give the catalog file PATH, or --bundled for the shipped logistics majors")
    else:
        _run_import(import_major_catalog, path)


@import_app.command("organizations")
def import_organizations_cmd(path: PathArg) -> None:
    """Import organizations (code, kind, name_zh, name_en, city, district, address)."""
    _run_import(import_organizations, path)


@import_app.command("occupations")
def import_occupations_cmd(path: OptionalPathArg = None, bundled: BundledOpt = False) -> None:
    """Import occupations from PATH, or --bundled occupations and 对口 links."""
    if bundled:
        _run_bundled(load_bundled_occupations)
    elif path is None:
        raise fail("give the occupations file PATH, or --bundled")
    else:
        _run_import(import_occupations, path)


@import_app.command("major-occupations")
def import_major_occupations_cmd(path: PathArg) -> None:
    """Import 对口 links (major_level, major_code, occupation_code, strength)."""
    _run_import(import_major_occupations, path)


@import_app.command("college-majors")
def import_college_majors_cmd(path: PathArg) -> None:
    """Import which college offers which major, and its directions (专业方向)."""
    _run_import(import_college_majors, path)


@import_app.command("cohorts")
def import_cohorts_cmd(path: PathArg) -> None:
    """Import yearly enrolled / graduated counts per college major."""
    _run_import(import_cohorts, path)


@import_app.command("courses")
def import_courses_cmd(path: PathArg) -> None:
    """Import training-plan courses (人才培养方案) and tag the skills each course teaches."""
    _run_import(import_courses, path)


@export_app.command("organizations")
def export_organizations_cmd(path: ExportPathArg) -> None:
    """Export organizations in the columns `import organizations` reads."""
    _run_export(export_organizations, path)


@export_app.command("majors")
def export_majors_cmd(path: ExportPathArg) -> None:
    """Export the stored major catalog in the catalog's own CSV format."""
    _run_export(export_majors, path)


@export_app.command("occupations")
def export_occupations_cmd(path: ExportPathArg) -> None:
    """Export occupations in the columns `import occupations` reads."""
    _run_export(export_occupations, path)
