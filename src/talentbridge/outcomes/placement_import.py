"""Import a college's placement file (毕业生就业信息) into ``Placement`` records.

``import_placements(factory, path, college_code=…)`` reads CSV (UTF-8 or GB18030) or
XLSX with ``pipeline.readers``, maps the columns (``outcomes.placement_columns``; a
``mapping`` for other headers), checks every row (``outcomes.placement_rows``) and
records the run with ``pipeline.runs`` like every importer: an ``ImportRun``, one
``RejectedRow`` per rejected row with field and reason, and a ``*.rejects.csv`` beside
the file. Valid rows are upserted by graduate (one placement per profile):

- a new record counts as ``stored``; a changed one as ``stored`` and ``updated`` (a
  record that came from a hire in matching is overridden by the college's report and
  counted as updated); the same values again as ``unchanged`` — re-importing a file
  changes nothing;
- a row without 学号 whose name, major and graduation year identify exactly one graduate
  is **not** matched automatically: it is listed in ``pending`` (and in the rejects with
  the reason ``needs confirmation``) until the import is run again with its row number
  in ``confirm`` (``talentbridge import placements FILE --confirm ROW``); once stored,
  the same row again is simply unchanged (there is nothing left to confirm);
- the same graduate twice in one file: the later row is rejected.

Who may import: a college admin for their own college (rows of other colleges are
rejected), the platform admin or the command line (no principal) for any college.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from talentbridge.accounts.principal import Principal
from talentbridge.accounts.roles import Role
from talentbridge.errors import Forbidden, InputFileError
from talentbridge.outcomes.placement_columns import Columns, load_mapping, map_columns
from talentbridge.outcomes.placement_rows import (
    Candidate,
    Lookups,
    NeedsConfirmation,
    PlacementValues,
    RowRejected,
    check_row,
)
from talentbridge.pipeline.readers import SourceRow, read_table
from talentbridge.pipeline.runs import ImportRecorder, ImportReport, Progress, run_import
from talentbridge.privacy.classification import record_refusal, refused_columns, without_refused
from talentbridge.store.outcomes_tables import Placement
from talentbridge.store.tables import Organization, utcnow

KIND = "placements"

# Placement fields an import sets and compares (the graduate's college is set once).
_FIELDS = tuple(
    f.name
    for f in dataclasses.fields(PlacementValues)
    if f.name not in ("profile_id", "organization_id")
)


@dataclass(frozen=True)
class PendingRow:
    """A row waiting for a person to confirm the graduate it names."""

    row_number: int
    candidate: Candidate

    def describe(self) -> str:
        c = self.candidate
        return (
            f"row {self.row_number}: {c.name}, major {c.major_code}, {c.graduation_year} → "
            f"graduate {c.student_no}? (confirm with --confirm {self.row_number})"
        )


@dataclass
class PlacementImportReport(ImportReport):
    """An ``ImportReport`` with the updated records and the rows awaiting confirmation."""

    updated: int = 0
    pending: list[PendingRow] = field(default_factory=list)

    @property
    def created(self) -> int:
        return self.stored - self.updated

    def summary(self) -> str:
        text = (
            f"{self.kind} from {self.file.name}: read {self.read}, stored {self.created}, "
            f"updated {self.updated}, unchanged {self.unchanged}, rejected {self.rejected}"
        )
        if self.pending:
            text += f" ({len(self.pending)} awaiting confirmation)"
        return text


def _allowed_college(
    session: Session, principal: Principal | None, college_code: str | None
) -> str | None:
    """The only college whose graduates this import may touch (``None``: any)."""
    if principal is None or principal.role == Role.PLATFORM_ADMIN:
        return college_code
    if principal.role != Role.COLLEGE_ADMIN or principal.organization_id is None:
        raise Forbidden("only a college admin or the platform admin may import placements")
    own = session.get(Organization, principal.organization_id)
    if own is None or own.kind != "college":
        raise Forbidden("only a college admin or the platform admin may import placements")
    if college_code is not None and college_code != own.code:
        raise Forbidden(f"you may import placements of your own college ({own.code}) only")
    return own.code


def _check_columns(path: Path, cols: Columns, has_college: bool) -> None:
    missing = []
    if not cols.has("destination"):
        missing.append("毕业去向 (destination)")
    if not (cols.has("student_no") or cols.has("name")):
        missing.append("学号 (student_no) or 姓名 (name)")
    if not has_college and not cols.has("college_code"):
        missing.append("院校代码 (college_code), or give the college")
    if missing:
        raise InputFileError(
            path,
            f"missing column(s): {'; '.join(missing)} (found: {', '.join(cols.headers) or 'none'}); "
            "name them in a mapping file (--mapping)",
        )


class _Upserter:
    """Placements of the graduates of each college, loaded once, upserted by profile."""

    def __init__(self, session: Session, run_id: int) -> None:
        self.session = session
        self.run_id = run_id
        self._by_profile: dict[int, dict[int, Placement]] = {}

    def _of(self, organization_id: int) -> dict[int, Placement]:
        if organization_id not in self._by_profile:
            self._by_profile[organization_id] = {
                p.profile_id: p
                for p in self.session.scalars(
                    select(Placement).where(Placement.organization_id == organization_id)
                )
            }
        return self._by_profile[organization_id]

    def would_change(self, values: PlacementValues) -> bool:
        """Whether storing ``values`` would create or change the graduate's record."""
        placement = self._of(values.organization_id).get(values.profile_id)
        return (
            placement is None
            or placement.source != "import"
            or any(getattr(placement, name) != getattr(values, name) for name in _FIELDS)
        )

    def apply(self, values: PlacementValues, row_number: int) -> str:
        """``created``, ``updated`` or ``unchanged``."""
        existing = self._of(values.organization_id)
        placement = existing.get(values.profile_id)
        if placement is None:
            placement = Placement(
                profile_id=values.profile_id,
                organization_id=values.organization_id,
                source="import",
                import_run_id=self.run_id,
                source_row=row_number,
                **{name: getattr(values, name) for name in _FIELDS},
            )
            self.session.add(placement)
            existing[values.profile_id] = placement
            return "created"
        changed = placement.source != "import"
        for name in _FIELDS:
            new = getattr(values, name)
            if getattr(placement, name) != new:
                setattr(placement, name, new)
                changed = True
        if not changed:
            return "unchanged"
        placement.source = "import"
        placement.import_run_id = self.run_id
        placement.source_row = row_number
        placement.updated_at = utcnow()
        return "updated"


def import_placements(
    factory: sessionmaker[Session],
    path: Path,
    *,
    college_code: str | None = None,
    principal: Principal | None = None,
    mapping: Mapping[str, str] | Path | None = None,
    confirm: Collection[int] = (),
    today: dt.date | None = None,
    rejects_dir: Path | None = None,
    progress: Progress | None = None,
) -> PlacementImportReport:
    """Import a placement file (see the module docstring). ``confirm`` holds the row
    numbers whose name-based candidate a person has confirmed. Raises ``Forbidden`` when
    the principal may not import for the college, ``InputFileError`` for a file-level
    problem (before any run is recorded)."""
    path = Path(path)
    pairs = load_mapping(mapping) if isinstance(mapping, Path) else dict(mapping or {})
    with factory() as session:
        allowed = _allowed_college(session, principal, college_code)
    with read_table(path) as table:
        cols = map_columns(table.columns or (), pairs)
        refused = refused_columns(table.columns)  # ID card, home address, photo: not stored
    _check_columns(path, cols, has_college=allowed is not None)
    confirmed = frozenset(confirm)
    when = today or dt.date.today()
    updated: list[int] = []
    pending: list[PendingRow] = []

    def process(session: Session, rows: Iterator[SourceRow], rec: ImportRecorder) -> None:
        look = Lookups(session)
        upsert = _Upserter(session, rec.run_id)
        seen: dict[int, int] = {}  # profile id -> row number
        for row in without_refused(rows, refused):

            def check(confirm_row: bool, row: SourceRow = row) -> PlacementValues:
                return check_row(
                    row,
                    cols,
                    look,
                    default_college=allowed,
                    allowed_college=allowed,
                    today=when,
                    confirmed=confirm_row,
                )

            try:
                try:
                    values = check(row.row_number in confirmed)
                except NeedsConfirmation as exc:
                    # The candidate's record already says exactly this (confirmed before):
                    # nothing to confirm, nothing changes.
                    values = check(True)
                    if values.profile_id in seen or upsert.would_change(values):
                        raise exc from None
            except RowRejected as exc:
                rec.reject(row, exc.field, exc.reason)
                continue
            except NeedsConfirmation as exc:
                waiting = PendingRow(row.row_number, exc.candidate)
                pending.append(waiting)
                rec.reject(
                    row, cols.header("student_no"), f"needs confirmation: {waiting.describe()}"
                )
                continue
            earlier = seen.get(values.profile_id)
            if earlier is not None:
                rec.reject(
                    row,
                    cols.header("student_no"),
                    f"duplicate: the same graduate is in row {earlier} already",
                )
                continue
            seen[values.profile_id] = row.row_number
            outcome = upsert.apply(values, row.row_number)
            if outcome == "unchanged":
                rec.unchanged()
            else:
                rec.stored()
                if outcome == "updated":
                    updated.append(row.row_number)

    report = run_import(
        factory,
        path,
        kind=KIND,
        required=(),
        process=process,
        user_id=principal.user_id if principal is not None else None,
        rejects_dir=rejects_dir,
        progress=progress,
    )
    record_refusal(factory, report, refused)
    return PlacementImportReport(
        **{f.name: getattr(report, f.name) for f in dataclasses.fields(ImportReport)},
        updated=len(updated),
        pending=pending,
    )


def confirm_placements(
    factory: sessionmaker[Session],
    path: Path,
    rows: Collection[int],
    *,
    college_code: str | None = None,
    principal: Principal | None = None,
    mapping: Mapping[str, str] | Path | None = None,
    today: dt.date | None = None,
    rejects_dir: Path | None = None,
) -> PlacementImportReport:
    """Import ``path`` again with ``rows`` confirmed: each of those rows is stored for the
    one graduate its name, major and year identify (the other rows as before)."""
    return import_placements(
        factory,
        path,
        college_code=college_code,
        principal=principal,
        mapping=mapping,
        confirm=rows,
        today=today,
        rejects_dir=rejects_dir,
    )
