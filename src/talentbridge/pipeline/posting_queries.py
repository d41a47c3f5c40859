"""Read queries over postings, their sources and flags, and posting import runs.

The web pages and the JSON API call these; they hold the SQL so handlers hold none.
Access decisions stay in ``accounts.policy``: callers pass the facts (a user id to
restrict runs to, an organization to list postings of).
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Iterable
from pathlib import PurePath

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from talentbridge.errors import NotFound
from talentbridge.store.tables import (
    ImportRun,
    Organization,
    Posting,
    PostingFlag,
    PostingSource,
    RejectedRow,
)

POSTINGS_KIND = "postings"
MAX_REJECTS_SHOWN = 200
UPLOAD_PREFIX = re.compile(r"^[0-9a-f]{12}-")


# --- postings ------------------------------------------------------------------------


def get_posting(session: Session, posting_id: int) -> Posting:
    posting = session.get(Posting, posting_id)
    if posting is None:
        raise NotFound(f"no posting {posting_id}")
    return posting


def _posting_conditions(
    *, city_code: str | None, q: str | None, organization_id: int | None
) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if city_code:
        conditions.append(or_(Posting.city_code == city_code, Posting.district_code == city_code))
    if q and q.strip():
        pattern = f"%{q.strip()}%"
        conditions.append(or_(Posting.title.like(pattern), Posting.employer_name.like(pattern)))
    if organization_id is not None:
        conditions.append(Posting.organization_id == organization_id)
    return conditions


def list_postings(
    session: Session,
    *,
    city_code: str | None = None,
    q: str | None = None,
    organization_id: int | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[Posting]:
    """Postings, newest first, filtered by city (or district) code, a substring of the
    title or employer, and the employer organization."""
    conditions = _posting_conditions(city_code=city_code, q=q, organization_id=organization_id)
    stmt = (
        select(Posting).where(*conditions).order_by(Posting.id.desc()).limit(limit).offset(offset)
    )
    return list(session.scalars(stmt))


def count_postings(
    session: Session,
    *,
    city_code: str | None = None,
    q: str | None = None,
    organization_id: int | None = None,
) -> int:
    conditions = _posting_conditions(city_code=city_code, q=q, organization_id=organization_id)
    return int(session.scalar(select(func.count()).select_from(Posting).where(*conditions)) or 0)


def posting_flags(session: Session, posting_id: int) -> list[PostingFlag]:
    stmt = (
        select(PostingFlag)
        .where(PostingFlag.posting_id == posting_id)
        .order_by(PostingFlag.start, PostingFlag.id)
    )
    return list(session.scalars(stmt))


def flags_by_posting(session: Session, posting_ids: Iterable[int]) -> dict[int, list[PostingFlag]]:
    """The flags of several postings at once, keyed by posting id."""
    ids = sorted(set(posting_ids))
    found: dict[int, list[PostingFlag]] = defaultdict(list)
    if not ids:
        return found
    stmt = (
        select(PostingFlag)
        .where(PostingFlag.posting_id.in_(ids))
        .order_by(PostingFlag.posting_id, PostingFlag.start, PostingFlag.id)
    )
    for flag in session.scalars(stmt):
        found[flag.posting_id].append(flag)
    return found


def posting_sources(session: Session, posting_id: int) -> list[PostingSource]:
    """Every board, file and row the posting was seen in (provenance), oldest first."""
    stmt = (
        select(PostingSource)
        .where(PostingSource.posting_id == posting_id)
        .order_by(PostingSource.seen_at, PostingSource.id)
    )
    return list(session.scalars(stmt))


def postings_of_run(
    session: Session, run_id: int, *, flagged_only: bool = False, limit: int = 1000
) -> list[Posting]:
    """Postings first stored by an import run (optionally only those with flags)."""
    stmt = select(Posting).where(Posting.import_run_id == run_id)
    if flagged_only:
        stmt = stmt.where(Posting.flag_count > 0)
    return list(session.scalars(stmt.order_by(Posting.id).limit(limit)))


# --- import runs -----------------------------------------------------------------------


def list_posting_runs(
    session: Session, *, user_id: int | None = None, limit: int = 100
) -> list[ImportRun]:
    """Posting import runs, newest first; only those ``user_id`` started when given."""
    stmt = select(ImportRun).where(ImportRun.kind == POSTINGS_KIND)
    if user_id is not None:
        stmt = stmt.where(ImportRun.user_id == user_id)
    return list(session.scalars(stmt.order_by(ImportRun.id.desc()).limit(limit)))


def get_posting_run(session: Session, run_id: int) -> ImportRun:
    run = session.get(ImportRun, run_id)
    if run is None or run.kind != POSTINGS_KIND:
        raise NotFound(f"no posting import run {run_id}")
    return run


def run_is_balanced(run: ImportRun) -> bool:
    """Every row read is accounted for as stored, unchanged, duplicate or rejected."""
    return run.rows_read == (
        run.rows_stored + run.rows_unchanged + run.rows_duplicate + run.rows_rejected
    )


def display_file_name(file_name: str) -> str:
    """The name a user knows a run's file by: no folder, no upload hash prefix."""
    if ":" in file_name and "/" not in file_name and "\\" not in file_name:
        return file_name  # api:…, form:… channels
    base = PurePath(file_name.replace("\\", "/")).name
    return UPLOAD_PREFIX.sub("", base)


def rejected_rows(
    session: Session, run_id: int, *, limit: int | None = MAX_REJECTS_SHOWN
) -> list[RejectedRow]:
    stmt = (
        select(RejectedRow)
        .where(RejectedRow.import_run_id == run_id)
        .order_by(RejectedRow.row_number, RejectedRow.id)
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    return list(session.scalars(stmt))


def rejects_csv(session: Session, run_id: int) -> str:
    """The run's rejected rows as CSV (original columns, then ``_row, _field, _reason``),
    built from the store so it works wherever the rejects file went."""
    rows = rejected_rows(session, run_id, limit=None)
    columns: list[str] = []
    for row in rows:
        for key in row.raw or {}:
            if key not in columns and key not in ("_row", "_field", "_reason"):
                columns.append(key)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([*columns, "_row", "_field", "_reason"])
    for row in rows:
        raw = row.raw or {}
        writer.writerow(
            [*(_cell(raw.get(c)) for c in columns), row.row_number, row.field or "", row.reason]
        )
    return out.getvalue()


def _cell(value: object) -> str:
    return "" if value is None else str(value)


def posting_ids_of_run(session: Session, run_id: int) -> list[int]:
    """The postings an import run's rows went to (new ones and duplicates), by row."""
    stmt = (
        select(PostingSource.posting_id)
        .where(PostingSource.import_run_id == run_id)
        .order_by(PostingSource.row_number, PostingSource.id)
    )
    return list(dict.fromkeys(session.scalars(stmt)))


def get_import_run(session: Session, run_id: int) -> ImportRun:
    """An import run of any kind."""
    run = session.get(ImportRun, run_id)
    if run is None:
        raise NotFound(f"no import run {run_id}")
    return run


def organization_name(session: Session, organization_id: int) -> str | None:
    """The Chinese name of an organization: what its postings name as employer."""
    org = session.get(Organization, organization_id)
    return org.name_zh if org is not None else None
