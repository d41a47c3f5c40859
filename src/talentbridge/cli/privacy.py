"""``talentbridge privacy export|erase|consents``: a person's rights from the terminal.

The commands act as the operator of the store (the platform admin): ``export`` writes
everything held about a user to JSON or PDF (by the file's suffix), ``erase`` deletes
the account (``--yes`` is required; the erasure is audited with channel ``cli``), and
``consents`` shows the consent in force and its history.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from sqlalchemy.orm import Session

from talentbridge.accounts.policy import Principal
from talentbridge.accounts.roles import Role
from talentbridge.accounts.users import get_user_by_username
from talentbridge.cli.common import _open_store, command_group, console, fail
from talentbridge.errors import TalentBridgeError
from talentbridge.privacy import consent
from talentbridge.privacy.erasure import erase_account
from talentbridge.privacy.export import export_person, person_profile
from talentbridge.privacy.export_pdf import export_pdf
from talentbridge.store.tables import User

OPERATOR = Principal(user_id=0, role=Role.PLATFORM_ADMIN, organization_id=None)

privacy_group = command_group("privacy", "A person's data: export, erasure, consents (PIPL).")

UserOpt = Annotated[str, typer.Option("--user", help="username of the person")]


def _user(session: Session, username: str) -> User:
    user = get_user_by_username(session, username)
    if user is None or user.deleted_at is not None:
        raise fail(f"no user named {username!r}")
    return user


@privacy_group.command("export")
def export(
    user: UserOpt,
    out: Annotated[Path, typer.Option("--out", help="FILE.json or FILE.pdf")],
    lang: Annotated[str, typer.Option("--lang", help="PDF language: zh or en")] = "zh",
) -> None:
    """Write everything the store holds about a user to JSON or PDF."""
    suffix = out.suffix.lower()
    if suffix not in (".json", ".pdf"):
        raise fail("--out must end in .json or .pdf")
    _, engine, factory = _open_store()
    try:
        with factory() as session:
            data = export_person(session, _user(session, user).id)
        if suffix == ".json":
            out.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        else:
            out.write_bytes(export_pdf(data, lang))
    except TalentBridgeError as exc:
        raise fail(str(exc)) from None
    finally:
        engine.dispose()
    console.print(f"Wrote the data of {user} to {out}", highlight=False)


@privacy_group.command("erase")
def erase(
    user: UserOpt,
    yes: Annotated[bool, typer.Option("--yes", help="confirm: this cannot be undone")] = False,
) -> None:
    """Delete a user's account and erase their personal information (keeps aggregates)."""
    if not yes:
        raise fail("erasure cannot be undone: add --yes to confirm")
    _, engine, factory = _open_store()
    try:
        with factory() as session:
            report = erase_account(session, OPERATOR, user_id=_user(session, user).id,
                                   channel="cli")  # fmt: skip
            session.commit()
    except TalentBridgeError as exc:
        raise fail(str(exc)) from None
    finally:
        engine.dispose()
    console.print(report.summary(), highlight=False)


@privacy_group.command("consents")
def consents(user: UserOpt) -> None:
    """The consent in force for each purpose, and every consent record (newest first)."""
    _, engine, factory = _open_store()
    try:
        with factory() as session:
            profile = person_profile(session, _user(session, user).id)
            if profile is None:
                raise fail(f"{user} has no student profile, so no consents")
            state = consent.current_state(profile)
            history = consent.history(session, profile)
    finally:
        engine.dispose()
    console.print(f"Notice version in force: {consent.notice().version}", highlight=False)
    for purpose in consent.PURPOSES:
        console.print(f"{purpose}: {'granted' if state[purpose] else 'withdrawn'}", highlight=False)
    table = Table(title="History")
    for column in ("at (UTC)", "purpose", "granted", "notice", "channel", "by"):
        table.add_column(column)
    for r in history:
        table.add_row(r.at.strftime("%Y-%m-%d %H:%M"), r.purpose, "yes" if r.granted else "no",
                      r.notice_version, r.channel, "self" if r.by_self else "other")  # fmt: skip
    console.print(table)
