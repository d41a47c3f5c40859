"""Retention of records that hold personal information, and the purge (PIPL art. 19, 47).

Each record type is kept for a number of days, set in the environment
``TALENTBRIDGE_RETENTION`` as ``type=days`` pairs separated by commas, e.g.
``login_attempt=90,audit_event=1095,user_session=30``; a type not named keeps its
default (``DEFAULT_DAYS``). What "older than the limit" means for each type:

- ``login_attempt``: the attempt's time;
- ``audit_event``: the event's time. Never below 1095 days (three years, PIPL art. 54
  practice and the store's own trigger, which refuses to delete a younger event): a
  smaller setting is an error;
- ``library_event``, ``match_feedback``: the event's time (usage statistics and match
  feedback; the aggregates made from them stay);
- ``user_session``: sessions ended (expired or revoked) that long ago;
- ``resume_file``: résumés uploaded that long ago of students whose graduation year is
  before the limit's year; the file is deleted from disk (unless another row still uses
  the same content) and its row removed (its suggestions go with it);
- ``rejected_rows``: the rejected rows of imports started that long ago, and the
  ``*.rejects.csv`` files in ``settings.rejects_dir`` last written that long ago.

``purge(factory, settings)`` removes what is past the limit (``dry_run``: only counts)
and records one audit event ``retention.purge`` with the counts. Counts are the rows
actually deleted (``DELETE``'s row count), so two purges at the same time never count a
row twice. ``claim_scheduled_run`` lets one of several serving workers run the daily
purge: a compare-and-swap on the ``store_setting`` row ``retention_last_purge``.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import and_, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from talentbridge.accounts.audit import record_event
from talentbridge.config import Settings
from talentbridge.errors import TalentBridgeError
from talentbridge.store.library_tables import LibraryEvent
from talentbridge.store.matching_tables import MatchFeedback, ResumeFile
from talentbridge.store.tables import AuditEvent, ImportRun, Profile, RejectedRow, Setting
from talentbridge.store.trust_tables import LoginAttempt, UserSession

log = logging.getLogger(__name__)

ENV = "TALENTBRIDGE_RETENTION"
INTERVAL_ENV = "TALENTBRIDGE_PURGE_INTERVAL_HOURS"
DEFAULT_INTERVAL_HOURS = 24.0
LAST_RUN_KEY = "retention_last_purge"
AUDIT_MINIMUM_DAYS = 1095

DEFAULT_DAYS: Mapping[str, int] = {
    "login_attempt": 90,
    "audit_event": 1095,
    "library_event": 730,
    "match_feedback": 730,
    "resume_file": 730,
    "rejected_rows": 365,
    "user_session": 30,
}
MINIMUM_DAYS: Mapping[str, int] = {"audit_event": AUDIT_MINIMUM_DAYS}


class RetentionSettingError(TalentBridgeError):
    """``TALENTBRIDGE_RETENTION`` or the purge interval is not acceptable."""


def parse_retention(text: str | None) -> dict[str, int]:
    """Days per record type: the defaults, overridden by ``text`` (``type=days,…``)."""
    days = dict(DEFAULT_DAYS)
    for part in (text or "").split(","):
        if not part.strip():
            continue
        name, sep, value = part.partition("=")
        name = name.strip()
        if not sep or name not in DEFAULT_DAYS:
            known = ", ".join(DEFAULT_DAYS)
            raise RetentionSettingError(
                f"{ENV}: {part.strip()!r} is not type=days for a known type ({known})"
            )
        try:
            n = int(value.strip())
        except ValueError:
            raise RetentionSettingError(f"{ENV}: {name} wants a whole number of days, "
                                        f"not {value.strip()!r}") from None  # fmt: skip
        if n < 1:
            raise RetentionSettingError(f"{ENV}: {name} must be at least 1 day, not {n}")
        minimum = MINIMUM_DAYS.get(name, 1)
        if n < minimum:
            raise RetentionSettingError(
                f"{ENV}: {name}={n} is below the minimum of {minimum} days: audit events "
                "are kept at least three years (the store refuses to delete younger ones)"
            )
        days[name] = n
    return days


def retention_days(settings: Settings) -> dict[str, int]:
    return parse_retention(settings.extra.get(ENV))


def purge_interval_hours(settings: Settings) -> float:
    """Hours between scheduled purges; 0 disables the schedule."""
    raw = settings.extra.get(INTERVAL_ENV, "").strip()
    if not raw:
        return DEFAULT_INTERVAL_HOURS
    try:
        hours = float(raw)
    except ValueError:
        raise RetentionSettingError(f"{INTERVAL_ENV}: wants hours (e.g. 24; 0 disables), "
                                    f"not {raw!r}") from None  # fmt: skip
    if hours < 0:
        raise RetentionSettingError(f"{INTERVAL_ENV}: must be 0 or more, not {hours}")
    return hours


@dataclass
class PurgeResult:
    """Rows (and files) removed per record type, or that would be (``dry_run``)."""

    dry_run: bool
    days: dict[str, int]
    counts: dict[str, int] = field(default_factory=dict)
    files: int = 0  # résumé and rejects files removed from disk
    event_id: int | None = None


def _cutoffs(days: Mapping[str, int], now: dt.datetime) -> dict[str, dt.datetime]:
    return {name: now - dt.timedelta(days=n) for name, n in days.items()}


def _simple_targets(cut: Mapping[str, dt.datetime]) -> dict[str, tuple[type, object]]:
    """Record types removed by one DELETE with a WHERE clause."""
    ended = func.coalesce(UserSession.revoked_at, UserSession.expires_at)
    old_runs = select(ImportRun.id).where(ImportRun.started_at < cut["rejected_rows"])
    return {
        "login_attempt": (LoginAttempt, LoginAttempt.at < cut["login_attempt"]),
        "audit_event": (AuditEvent, AuditEvent.at < cut["audit_event"]),
        "library_event": (LibraryEvent, LibraryEvent.at < cut["library_event"]),
        "match_feedback": (MatchFeedback, MatchFeedback.at < cut["match_feedback"]),
        "user_session": (UserSession, ended < cut["user_session"]),
        "rejected_rows": (RejectedRow, RejectedRow.import_run_id.in_(old_runs)),
    }


def _old_resumes(session: Session, cutoff: dt.datetime) -> list[ResumeFile]:
    return list(
        session.scalars(
            select(ResumeFile)
            .join(Profile, Profile.id == ResumeFile.profile_id)
            .where(and_(ResumeFile.created_at < cutoff, Profile.graduation_year < cutoff.year))
            .order_by(ResumeFile.id)
        )
    )


def _purge_resumes(session: Session, cutoff: dt.datetime, *, dry_run: bool) -> tuple[int, int]:
    rows = _old_resumes(session, cutoff)
    if dry_run:
        return len(rows), 0
    removed = files = 0
    for row in rows:
        path = row.stored_path
        gone = session.execute(delete(ResumeFile).where(ResumeFile.id == row.id)).rowcount  # type: ignore[attr-defined]
        if not gone:
            continue  # another purge took it
        removed += 1
        shared = session.scalar(select(ResumeFile.id).where(ResumeFile.stored_path == path))
        if shared is None and path:
            try:
                Path(path).unlink()
                files += 1
            except FileNotFoundError:
                pass
    return removed, files


def _old_rejects_files(settings: Settings, cutoff: dt.datetime) -> list[Path]:
    folder = settings.rejects_dir
    if not folder.is_dir():
        return []
    limit = cutoff.replace(tzinfo=dt.UTC).timestamp()
    return sorted(
        p for p in folder.glob("*.rejects.csv") if p.is_file() and p.stat().st_mtime < limit
    )


def purge(
    factory: sessionmaker[Session],
    settings: Settings,
    *,
    now: dt.datetime | None = None,
    dry_run: bool = False,
    user_id: int | None = None,
) -> PurgeResult:
    """Remove (or, ``dry_run``, count) what is past its retention (module docstring)."""
    days = retention_days(settings)
    when = now or dt.datetime.now(dt.UTC).replace(tzinfo=None)
    cut = _cutoffs(days, when)
    # the store's trigger measures an audit event's age by its own clock: never ask it
    # to delete what it would refuse (a ``now`` in the future, clocks a little apart)
    floor = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(
        days=AUDIT_MINIMUM_DAYS, minutes=5
    )
    cut["audit_event"] = min(cut["audit_event"], floor)
    result = PurgeResult(dry_run=dry_run, days=days)
    with factory() as session:
        for name, (table, where) in _simple_targets(cut).items():
            if dry_run:
                stmt = select(func.count()).select_from(table).where(where)  # type: ignore[arg-type]
                result.counts[name] = int(session.scalar(stmt) or 0)
            else:
                gone = session.execute(delete(table).where(where))  # type: ignore[arg-type]
                result.counts[name] = int(gone.rowcount or 0)  # type: ignore[attr-defined]
        result.counts["resume_file"], result.files = _purge_resumes(
            session, cut["resume_file"], dry_run=dry_run
        )
        old_files = _old_rejects_files(settings, cut["rejected_rows"])
        removed_files = 0
        if not dry_run:
            for path in old_files:
                try:
                    path.unlink()
                    removed_files += 1
                except FileNotFoundError:
                    pass  # another purge took it
        result.counts["rejects_files"] = len(old_files) if dry_run else removed_files
        result.files += removed_files
        if not dry_run:
            event = record_event(
                session,
                user_id=user_id,
                action="retention.purge",
                detail=json.dumps({"counts": result.counts, "days": days}, sort_keys=True),
                purpose="retention.scheduled_purge",
            )
            result.event_id = event.id
            session.commit()
    return result


# --- the schedule ---------------------------------------------------------------------------


def claim_scheduled_run(
    factory: sessionmaker[Session], *, interval_hours: float, now: dt.datetime | None = None
) -> bool:
    """Whether this worker should run the purge now: the last run (``store_setting``
    ``retention_last_purge``) is at least ``interval_hours`` old, and this worker won the
    compare-and-swap that records the new run time (so only one of several workers
    purges per interval)."""
    if interval_hours <= 0:
        return False
    when = now or dt.datetime.now(dt.UTC).replace(tzinfo=None)
    stamp = when.isoformat(timespec="seconds")
    with factory() as session:
        last = session.scalar(select(Setting.value).where(Setting.key == LAST_RUN_KEY))
        if last is None:
            try:
                session.execute(insert(Setting).values(key=LAST_RUN_KEY, value=stamp,
                                                       updated_on=when.date()))  # fmt: skip
                session.commit()
                return True
            except IntegrityError:
                session.rollback()
                return False  # another worker made the row first
        try:
            previous = dt.datetime.fromisoformat(last)
        except ValueError:
            previous = dt.datetime.min
        if when - previous < dt.timedelta(hours=interval_hours):
            return False
        swapped = session.execute(
            update(Setting)
            .where(Setting.key == LAST_RUN_KEY, Setting.value == last)
            .values(value=stamp, updated_on=when.date())
        )
        session.commit()
        return bool(swapped.rowcount)  # type: ignore[attr-defined]


def run_scheduled_purge(
    factory: sessionmaker[Session], settings: Settings, *, now: dt.datetime | None = None
) -> PurgeResult | None:
    """One tick of the schedule: purge if this worker claims the interval, else ``None``."""
    if not claim_scheduled_run(factory, interval_hours=purge_interval_hours(settings), now=now):
        return None
    result = purge(factory, settings, now=now)
    log.info("retention purge: %s", result.counts)
    return result
