"""The ``talentbridge`` command: a thin shell over the feature packages.

Named errors from the packages are turned into one clear message and a non-zero
exit here, at the edge; nothing below this module prints or exits.
"""

from __future__ import annotations

import functools
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
from talentbridge.pipeline.postings import import_postings
from talentbridge.pipeline.runs import ImportReport
from talentbridge.registry.exports import export_majors, export_occupations, export_organizations
from talentbridge.registry.offerings import import_cohorts, import_college_majors
from talentbridge.registry.organizations import import_organizations
from talentbridge.store.engine import create_engine_for, session_factory
from talentbridge.store.migrate import upgrade
from talentbridge.taxonomy.majors import import_major_catalog, load_bundled_majors
from talentbridge.taxonomy.occupations import (
    import_major_occupations,
    import_occupations,
    load_bundled_occupations,
)

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
        _run_import(functools.partial(import_postings, source=source, mapping=mapping), path)


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


# --- demo -----------------------------------------------------------------------------


@app.command()
def demo(
    seed: Annotated[int, typer.Option(help="Seed of the generated sample data.")] = 2026,
    scale: Annotated[float, typer.Option(help="Size factor; 1.0 ≈ 30,000 postings.")] = 1.0,
    no_serve: Annotated[
        bool, typer.Option("--no-serve", help="Build the demo store only; do not serve it.")
    ] = False,
    host: Annotated[str, typer.Option(help="Address to serve on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to serve on.")] = 8000,
    force: Annotated[
        bool, typer.Option("--force", help="Replace the store even if it holds non-demo data.")
    ] = False,
) -> None:
    """Build a fresh store with generated sample data (示例数据) and serve it."""
    from talentbridge.demo.build import build_demo, describe_demo

    if scale <= 0:
        raise fail("--scale must be positive, e.g. 0.1 for a small demo")
    settings = get_settings().with_overrides(demo_mode=True)
    try:
        with Progress(console=console, transient=True) as bar:
            task = bar.add_task("示例数据 demo", total=None)

            def step(name: str, done: int, total: int) -> None:
                bar.update(task, description=f"demo: {name}", completed=done, total=total)

            summary = build_demo(settings, seed=seed, scale=scale, progress=step, force=force)
    except (TalentBridgeError, SettingsError) as exc:
        raise fail(str(exc)) from None
    for line in describe_demo(summary):
        console.print(line, highlight=False, soft_wrap=True)
    logins = Table(title="示例账号 Demo logins (sample data only)")
    for column in ("role 角色", "username 用户名", "password 密码", "organization 机构"):
        logins.add_column(column)
    for login in summary.logins:
        logins.add_row(login.role, login.username, login.password, login.organization or "—")
    console.print(logins)
    console.print(f"Open [bold]http://{host}:{port}/[/] — 示例数据 sample data", highlight=False)
    if no_serve:
        return
    import uvicorn

    from talentbridge.web.app import create_app

    uvicorn.run(create_app(settings), host=host, port=port)


# --- serve and user accounts ------------------------------------------------------------


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Number of worker processes.")] = 1,
) -> None:
    """Serve the web pages and the JSON API (/api/v1) from the configured store."""
    import uvicorn

    from talentbridge.config import check_secret
    from talentbridge.store.migrate import is_up_to_date

    settings = get_settings()
    try:
        check_secret(settings)
    except SettingsError as exc:
        raise fail(f"{exc} (or set TALENTBRIDGE_DEMO=true for a demo store)") from None
    engine = create_engine_for(settings)
    try:
        ready = is_up_to_date(engine)
    finally:
        engine.dispose()
    if not ready:
        raise fail("the store is missing or not at the newest schema; run `talentbridge init`")
    console.print(f"Serving on [bold]http://{host}:{port}/[/]", highlight=False)
    uvicorn.run(
        "talentbridge.web.app:app_from_env", factory=True, host=host, port=port, workers=workers
    )


@user_app.command("add")
def user_add(
    username: Annotated[str, typer.Argument(help="Login name (2-64 letters, digits, . _ @ -).")],
    role: Annotated[
        str,
        typer.Option(help="platform_admin, college_admin, teacher, student, recruiter or analyst."),
    ],
    org: Annotated[
        str | None, typer.Option(help="Organization code (omit only for platform_admin).")
    ] = None,
    password: Annotated[
        str | None, typer.Option(help="Password; asked for (hidden) when omitted.")
    ] = None,
    name: Annotated[str | None, typer.Option(help="Display name (default: username).")] = None,
    email: Annotated[str | None, typer.Option(help="E-mail address.")] = None,
    locale: Annotated[str, typer.Option(help="Preferred language: zh or en.")] = "zh",
) -> None:
    """Create a user account in an organization."""
    from talentbridge.accounts.directory import get_organization_by_code
    from talentbridge.accounts.users import create_user
    from talentbridge.store.engine import transaction

    if password is None:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    _settings, engine, factory = _open_store()
    try:
        with transaction(factory) as session:
            org_id = get_organization_by_code(session, org).id if org else None
            user = create_user(
                session,
                username=username,
                password=password,
                role=role,
                organization_id=org_id,
                display_name=name or username,
                email=email,
                locale=locale,
            )
            summary = f"Created user {user.username} ({user.role}, {org or 'no organization'})"
    except TalentBridgeError as exc:
        raise fail(str(exc)) from None
    finally:
        engine.dispose()
    console.print(summary, highlight=False)


@user_app.command("token")
def user_token(
    username: Annotated[str, typer.Argument(help="The user the token acts as.")],
    name: Annotated[str, typer.Option(help="What the token is for, e.g. 'nightly export'.")],
) -> None:
    """Issue an API token (Authorization: Bearer …); it is shown only once."""
    from talentbridge.accounts.tokens import issue_token
    from talentbridge.accounts.users import get_user_by_username
    from talentbridge.store.engine import transaction

    _settings, engine, factory = _open_store()
    try:
        with transaction(factory) as session:
            user = get_user_by_username(session, username)
            if user is None:
                raise TalentBridgeError(
                    f"no user {username!r}; create one with `talentbridge user add`"
                )
            token = issue_token(session, user_id=user.id, name=name)
    except TalentBridgeError as exc:
        raise fail(str(exc)) from None
    finally:
        engine.dispose()
    err_console.print("API token (shown once; store it safely):")
    typer.echo(token)


def main() -> None:
    """Entry point: run the app, turning named errors into messages."""
    try:
        app()
    except (TalentBridgeError, SettingsError) as exc:
        err_console.print(f"[bold red]Error:[/] {exc}")
        raise SystemExit(1) from None
