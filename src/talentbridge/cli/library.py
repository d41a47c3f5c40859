"""Library commands (issue 7): the libraries, the term base in and out, uploads,
re-tagging and CC-CEDICT gloss candidates.

``talentbridge library list | import-terms FILE | export-terms FILE | upload FILE
--library CODE --title-zh … --title-en … | retag | mine-glosses CEDICT_PATH``. Every
command is one call into ``talentbridge.library``; uploads act as ``--as USERNAME``
(a teacher or an editor: the resource is theirs) or, by default, the store's first
platform admin, and the same policy rules apply as on the web.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.table import Table
from sqlalchemy.orm import Session, sessionmaker

from talentbridge.accounts.policy import Principal
from talentbridge.accounts.roles import Role
from talentbridge.accounts.users import get_user_by_username, list_users
from talentbridge.cli.common import (
    _open_store,
    _print_report,
    command_group,
    console,
    fail,
)
from talentbridge.config import Settings, SettingsError
from talentbridge.errors import NotFound, TalentBridgeError

library_app = command_group("library", "Resource libraries 双语资源库.")

OPERATOR = Principal(user_id=0, role=Role.PLATFORM_ADMIN, organization_id=None)
T = TypeVar("T")

AsOpt = Annotated[
    str | None,
    typer.Option("--as", help="Act as this user (a teacher or editor); default: a platform admin"),
]


def _acting(session: Session, username: str | None) -> Principal:
    """The named user, or the store's first platform admin (uploads need a real account)."""
    if username is not None:
        user = get_user_by_username(session, username)
        if user is None:
            raise NotFound(f"no user {username!r}")
        return Principal.of(user)
    admins = [
        u for u in list_users(session, viewer=OPERATOR) if u.role == Role.PLATFORM_ADMIN.value
    ]
    if not admins:
        raise NotFound("no platform admin account; name a user with --as")
    return Principal.of(min(admins, key=lambda u: u.id))


def _run(work: Callable[[Settings, sessionmaker[Session]], T]) -> T:
    """Run ``work`` on the store; named errors become one message and exit code 1."""
    try:
        settings, engine, factory = _open_store()
        try:
            return work(settings, factory)
        finally:
            engine.dispose()
    except (TalentBridgeError, SettingsError) as exc:
        raise fail(str(exc)) from None


@library_app.command("list")
def list_cmd() -> None:
    """The libraries with their published resources (资源库列表)."""
    from talentbridge.library.browse import libraries_with_counts

    def work(_settings: Settings, factory: sessionmaker[Session]) -> list[list[str]]:
        with factory() as session:
            return [
                [r.library.code, r.library.name_zh, r.library.name_en, str(r.resources),
                 str(r.visible), "示例 sample" if r.library.is_sample else ""]
                for r in libraries_with_counts(session, principal=OPERATOR)
            ]  # fmt: skip

    rows = _run(work)
    table = Table(title=f"{len(rows)} libraries 资源库")
    for header in ("code", "名称", "name", "published", "all", ""):
        table.add_column(header)
    for row in rows:
        table.add_row(*row)
    console.print(table)


@library_app.command("import-terms")
def import_terms_cmd(
    path: Annotated[Path, typer.Argument(help="a .tbx (v3 or v2 martif), .csv or .xlsx file")],
    no_retag: Annotated[
        bool, typer.Option("--no-retag", help="do not re-tag the resources afterwards")
    ] = False,
) -> None:
    """Import a term base file; every resource is tagged again afterwards."""
    from talentbridge.library.termbase_io import import_termbase_file

    result = _run(lambda _s, factory: import_termbase_file(factory, path, retag=not no_retag))
    _print_report(result.report)
    console.print(f"{result.retagged} resources tagged again", highlight=False)


@library_app.command("export-terms")
def export_terms_cmd(
    path: Annotated[Path, typer.Argument(help="target .tbx, .csv or .xlsx (by its suffix)")],
) -> None:
    """Export the whole term base (TBX v3 TBX-Basic, or the CSV/XLSX term table)."""
    from talentbridge.library.termbase_io import export_termbase_file

    def work(_settings: Settings, factory: sessionmaker[Session]) -> int:
        with factory() as session:
            return export_termbase_file(session, path)

    size = _run(work)
    console.print(f"Exported the term base to {path} ({size} bytes)", highlight=False)


@library_app.command("upload")
def upload_cmd(
    path: Annotated[Path, typer.Argument(help="PDF, DOCX, PPTX, XLSX, Markdown or text")],
    library: Annotated[str, typer.Option("--library", help="library code")],
    title_zh: Annotated[str, typer.Option("--title-zh", help="Chinese title")] = "",
    title_en: Annotated[str, typer.Option("--title-en", help="English title")] = "",
    kind: Annotated[str, typer.Option("--kind", help="courseware, document, …")] = "courseware",
    level: Annotated[str | None, typer.Option("--level")] = None,
    author: Annotated[str | None, typer.Option("--author")] = None,
    license: Annotated[str | None, typer.Option("--license")] = None,
    publish: Annotated[bool, typer.Option("--publish", help="publish at once (editors)")] = False,
    as_user: AsOpt = None,
) -> None:
    """Upload one file as a resource (it waits for review unless --publish)."""
    from talentbridge.library.resources import (
        library_by_code,
        publish_resource,
        submit_resource,
    )

    if not path.is_file():
        raise fail(f"{path}: file not found")
    data = path.read_bytes()

    def work(settings: Settings, factory: sessionmaker[Session]) -> tuple[int, str, int]:
        with factory() as session:
            principal = _acting(session, as_user)
            resource = submit_resource(
                session,
                principal=principal,
                library_id=library_by_code(session, library).id,
                title_zh=title_zh,
                title_en=title_en,
                kind=kind,
                level=level,
                author=author,
                license=license,
                data=data,
                file_name=path.name,
                data_dir=settings.data_dir,
                max_bytes=settings.max_upload_bytes,
            )
            if publish:
                publish_resource(session, principal=principal, resource_id=resource.id)
            session.commit()
            return resource.id, resource.status, len(resource.text)

    resource_id, status, chars = _run(work)
    console.print(
        f"Resource {resource_id} ({status}): {chars} characters of text read from {path.name}",
        highlight=False,
    )


@library_app.command("retag")
def retag_cmd() -> None:
    """Tag every resource again with the term-base concepts it mentions."""
    from talentbridge.library.term_tagging import retag_all

    def work(_settings: Settings, factory: sessionmaker[Session]) -> int:
        with factory() as session:
            count = retag_all(session)
            session.commit()
            return count

    console.print(f"{_run(work)} resources tagged again")


@library_app.command("mine-glosses")
def mine_glosses_cmd(
    cedict: Annotated[Path, typer.Argument(help="a CC-CEDICT file (plain or .gz)")],
    limit: Annotated[int, typer.Option("--limit", min=1, help="how many to list")] = 100,
) -> None:
    """Candidate English glosses (CC-CEDICT, CC BY-SA 4.0) for concepts with a Chinese
    term and no English one, for an editor to review; nothing is stored."""
    from talentbridge.library.cedict import mine_glosses

    def work(_settings: Settings, factory: sessionmaker[Session]) -> list[list[str]]:
        with factory() as session:
            return [
                [c.entry_id, c.zh_term, c.pinyin, c.gloss] for c in mine_glosses(session, cedict)
            ]

    rows = _run(work)
    table = Table(title=f"{len(rows)} gloss candidates 英文释义候选 (CC-CEDICT, CC BY-SA 4.0)")
    for header in ("entry", "术语", "pinyin", "gloss"):
        table.add_column(header)
    for row in rows[:limit]:
        table.add_row(*row)
    console.print(table)
    if len(rows) > limit:
        console.print(f"… and {len(rows) - limit} more (--limit)")
