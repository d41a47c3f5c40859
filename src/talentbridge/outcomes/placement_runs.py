"""Placement import runs as the upload page shows them, and confirming rows again.

A run's rejected rows carry their reasons; a row that waits for a person to confirm the
graduate it names is one of them (reason ``needs confirmation: …``). ``confirm_upload``
imports an uploaded file again with the confirmed rows, and only a file the same person
uploaded and imported before: the run that read it is the proof.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, sessionmaker

from talentbridge.accounts.principal import Principal
from talentbridge.accounts.roles import Role
from talentbridge.errors import Forbidden, NotFound
from talentbridge.outcomes.placement_import import (
    KIND,
    PlacementImportReport,
    confirm_placements,
)
from talentbridge.store.tables import ImportRun, RejectedRow

PENDING_PREFIX = "needs confirmation"
SHOWN_ROWS = 500


@dataclass(frozen=True)
class RunRow:
    row_number: int
    field: str | None
    reason: str

    @property
    def pending(self) -> bool:
        return self.reason.startswith(PENDING_PREFIX)


@dataclass(frozen=True)
class RunView:
    run: ImportRun
    rows: list[RunRow]  # at most SHOWN_ROWS, in row order
    more: int  # rejected rows not shown

    @property
    def pending(self) -> list[RunRow]:
        return [r for r in self.rows if r.pending]


def _runs(principal: Principal) -> Select[ImportRun]:
    query = select(ImportRun).where(ImportRun.kind == KIND)
    if principal.role is not Role.PLATFORM_ADMIN:
        query = query.where(ImportRun.user_id == principal.user_id)
    return query


def placement_runs(session: Session, *, principal: Principal, limit: int = 50) -> list[ImportRun]:
    """The principal's placement imports, newest first (the platform admin: everyone's)."""
    query = _runs(principal).order_by(ImportRun.id.desc()).limit(limit)
    return list(session.scalars(query))


def placement_run(session: Session, *, principal: Principal, run_id: int) -> RunView:
    """One run with its rejected rows; ``NotFound`` alike for a missing run and one the
    principal did not make."""
    run = session.scalar(_runs(principal).where(ImportRun.id == run_id))
    if run is None:
        raise NotFound(f"no placement import run {run_id}")
    rejected = session.execute(
        select(RejectedRow.row_number, RejectedRow.field, RejectedRow.reason)
        .where(RejectedRow.import_run_id == run.id)
        .order_by(RejectedRow.row_number, RejectedRow.id)
        .limit(SHOWN_ROWS)
    ).all()
    return RunView(
        run=run,
        rows=[RunRow(n, f, r) for n, f, r in rejected],
        more=max(0, run.rows_rejected - len(rejected)),
    )


def confirm_upload(
    factory: sessionmaker[Session],
    *,
    principal: Principal,
    uploads_dir: Path,
    file_name: str,
    rows: Collection[int],
    college_code: str | None = None,
    mapping_name: str | None = None,
    rejects_dir: Path | None = None,
) -> PlacementImportReport:
    """Import the uploaded ``file_name`` again with ``rows`` confirmed. The file must be
    one in ``uploads_dir`` that this principal imported as placements before."""
    path = _uploaded(uploads_dir, file_name)
    mapping = _uploaded(uploads_dir, mapping_name) if mapping_name else None
    with factory() as session:
        earlier = session.scalar(
            select(ImportRun.id)
            .where(
                ImportRun.kind == KIND,
                ImportRun.file_name == str(path),
                ImportRun.user_id == principal.user_id,
            )
            .limit(1)
        )
    if earlier is None:
        raise Forbidden("confirm rows of a placement file you imported yourself")
    if not rows:
        raise NotFound("no row was chosen to confirm")
    return confirm_placements(
        factory,
        path,
        sorted(set(rows)),
        college_code=college_code,
        principal=principal,
        mapping=mapping,
        rejects_dir=rejects_dir,
    )


def _uploaded(folder: Path, name: str) -> Path:
    """``folder/name`` for a plain file name of a file there (nothing else)."""
    if not name or Path(name).name != name or name.startswith("."):
        raise NotFound(f"no uploaded file {name!r}")
    path = folder / name
    if not path.is_file():
        raise NotFound(f"no uploaded file {name!r}")
    return path
