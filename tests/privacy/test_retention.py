"""Retention and the purge (``privacy.retention``, ``talentbridge purge``, the schedule in
``web.background``): rows past the limit go, younger stay; dry runs change nothing; two
purges at once never count a row twice; the interval guard lets one worker purge."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import threading
from pathlib import Path

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from talentbridge.cli import app as cli_app
from talentbridge.config import Settings
from talentbridge.privacy.retention import (
    DEFAULT_DAYS,
    LAST_RUN_KEY,
    RetentionSettingError,
    claim_scheduled_run,
    parse_retention,
    purge,
    run_scheduled_purge,
)
from talentbridge.store.library_tables import LibraryEvent
from talentbridge.store.matching_tables import MatchFeedback, ProfileSuggestion, ResumeFile
from talentbridge.store.tables import (
    AuditEvent,
    ImportRun,
    Organization,
    Posting,
    Profile,
    RejectedRow,
    Setting,
    User,
)
from talentbridge.store.trust_tables import LoginAttempt, UserSession
from talentbridge.web.app import create_app
from talentbridge.web.background import start_background_jobs, stop_background_jobs

NOW = dt.datetime.now(dt.UTC).replace(tzinfo=None)


def ago(days: float) -> dt.datetime:
    return NOW - dt.timedelta(days=days)


def test_settings_parse_with_defaults_and_refuse_a_short_audit_retention() -> None:
    assert parse_retention(None) == dict(DEFAULT_DAYS)
    days = parse_retention("login_attempt=30, audit_event=2000,user_session=7")
    assert (days["login_attempt"], days["audit_event"], days["user_session"]) == (30, 2000, 7)
    assert days["library_event"] == DEFAULT_DAYS["library_event"]
    with pytest.raises(RetentionSettingError, match="audit_event=365 is below the minimum of 1095"):
        parse_retention("audit_event=365")
    with pytest.raises(RetentionSettingError, match="known type"):
        parse_retention("photos=10")
    with pytest.raises(RetentionSettingError, match="whole number"):
        parse_retention("login_attempt=ninety")
    with pytest.raises(RetentionSettingError, match="at least 1 day"):
        parse_retention("login_attempt=0")


@dataclasses.dataclass
class Store:
    factory: sessionmaker[Session]
    settings: Settings
    old: dict[str, int]  # rows past the limit per record type
    files: dict[str, Path]


@pytest.fixture()
def store(factory: sessionmaker[Session], settings: Settings, tmp_path: Path) -> Store:
    """Two of each record type: one past its default limit, one well within it."""
    resumes = tmp_path / "resumes"
    resumes.mkdir()
    old_cv, young_cv = resumes / "old.pdf", resumes / "young.pdf"
    old_cv.write_bytes(b"%PDF old")
    young_cv.write_bytes(b"%PDF young")
    settings.rejects_dir.mkdir(parents=True, exist_ok=True)
    old_rejects = settings.rejects_dir / "old.rejects.csv"
    young_rejects = settings.rejects_dir / "young.rejects.csv"
    for path in (old_rejects, young_rejects):
        path.write_text("row,field,reason\n", encoding="utf-8")
    stamp = ago(400).timestamp()
    os.utime(old_rejects, (stamp, stamp))
    with factory() as s:
        org = Organization(code="C1", kind="college", name_zh="示例学院")
        s.add(org)
        s.flush()
        user = User(username="u1", display_name="U", password_hash="x", role="student",
                    organization_id=org.id)  # fmt: skip
        graduated = Profile(organization_id=org.id, student_no="S1", name="张伟",
                            graduation_year=NOW.year - 3)  # fmt: skip
        current = Profile(organization_id=org.id, student_no="S2", name="李娜",
                          graduation_year=NOW.year + 1)  # fmt: skip
        posting = Posting(title="仓管", employer_name="示例公司", content_hash="h1",
                          block_key="b", fingerprint=1)  # fmt: skip
        s.add_all([user, graduated, current, posting])
        s.flush()
        for days in (100, 10):
            s.add(LoginAttempt(at=ago(days), username="u1", succeeded=False))
        for days in (1100, 10):
            s.add(AuditEvent(at=ago(days), user_id=user.id, action="profile.read"))
        for days in (800, 10):
            s.add(LibraryEvent(at=ago(days), kind="view", user_id=user.id))
            s.add(MatchFeedback(at=ago(days), profile_id=graduated.id, posting_id=posting.id,
                                event="view", side="student"))  # fmt: skip
        s.add(UserSession(token_hash="t-old", user_id=user.id, created_at=ago(60),
                          expires_at=ago(45)))  # fmt: skip
        s.add(UserSession(token_hash="t-young", user_id=user.id, created_at=ago(1),
                          expires_at=ago(-1)))  # fmt: skip
        for days, name in ((400, "old.csv"), (10, "young.csv")):
            run = ImportRun(
                kind="profiles", file_name=name, started_at=ago(days), status="finished"
            )
            s.add(run)
            s.flush()
            s.add(RejectedRow(import_run_id=run.id, row_number=2, reason="bad", raw={"姓名": "王"}))
        old_file = ResumeFile(
            profile_id=graduated.id,
            file_name="cv.pdf",
            media_type="application/pdf",
            sha256="a" * 64,
            size=8,
            stored_path=str(old_cv),
            created_at=ago(800),
        )
        young_file = ResumeFile(profile_id=current.id, file_name="cv.pdf", media_type="application/pdf",
                                sha256="b" * 64, size=10, stored_path=str(young_cv),
                                created_at=ago(800))  # fmt: skip
        s.add_all([old_file, young_file])
        s.flush()
        s.add(ProfileSuggestion(profile_id=graduated.id, resume_file_id=old_file.id, kind="skill",
                                text="叉车"))  # fmt: skip
        s.commit()
    old = {name: 1 for name in ("login_attempt", "audit_event", "library_event", "match_feedback",
                                "user_session", "rejected_rows", "resume_file", "rejects_files")}  # fmt: skip
    files = {"old_cv": old_cv, "young_cv": young_cv, "old_rejects": old_rejects,
             "young_rejects": young_rejects}  # fmt: skip
    return Store(factory, settings, old, files)


TABLES = (LoginAttempt, AuditEvent, LibraryEvent, MatchFeedback, UserSession, RejectedRow,
          ResumeFile, ProfileSuggestion)  # fmt: skip


def _counts(factory: sessionmaker[Session]) -> dict[str, int]:
    with factory() as s:
        return {t.__tablename__: s.scalar(select(func.count()).select_from(t)) or 0 for t in TABLES}


def test_rows_past_the_limit_go_and_younger_stay(store: Store) -> None:
    before = _counts(store.factory)
    result = purge(store.factory, store.settings)
    assert result.counts == store.old
    after = _counts(store.factory)
    for table in TABLES:
        name = table.__tablename__
        if name == "audit_event":  # the one old event went, the purge's own event came
            assert after[name] == before[name]
        elif name == "profile_suggestion":  # went with its résumé
            assert after[name] == before[name] - 1
        else:
            assert after[name] == before[name] - 1, name
    f = store.files
    assert not f["old_cv"].exists() and f["young_cv"].exists()
    assert not f["old_rejects"].exists() and f["young_rejects"].exists()
    assert result.files == 2
    with store.factory() as s:
        assert s.scalar(select(UserSession.token_hash)) == "t-young"
        event = s.get(AuditEvent, result.event_id)
        assert event is not None and event.action == "retention.purge"
        assert json.loads(event.detail or "{}")["counts"]["login_attempt"] == 1
    # the second run finds nothing more
    assert set(purge(store.factory, store.settings).counts.values()) == {0}


def test_a_dry_run_counts_and_changes_nothing(store: Store) -> None:
    before = _counts(store.factory)
    result = purge(store.factory, store.settings, dry_run=True)
    assert result.counts == store.old and result.event_id is None
    assert _counts(store.factory) == before
    assert all(path.exists() for path in store.files.values())


def test_shorter_settings_take_more(store: Store) -> None:
    settings = dataclasses.replace(
        store.settings, extra={**store.settings.extra, "TALENTBRIDGE_RETENTION": "login_attempt=5"}
    )
    assert purge(store.factory, settings, dry_run=True).counts["login_attempt"] == 2


def test_two_purges_at_once_do_not_count_a_row_twice(store: Store) -> None:
    results = []
    barrier = threading.Barrier(2)

    def run() -> None:
        barrier.wait()
        results.append(purge(store.factory, store.settings))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(results) == 2
    for name, n in store.old.items():
        assert sum(r.counts[name] for r in results) == n, name


def test_the_interval_guard_lets_one_worker_purge(
    factory: sessionmaker[Session], settings: Settings
) -> None:
    t0 = NOW
    assert claim_scheduled_run(factory, interval_hours=24, now=t0)
    assert not claim_scheduled_run(factory, interval_hours=24, now=t0 + dt.timedelta(hours=1))
    assert claim_scheduled_run(factory, interval_hours=24, now=t0 + dt.timedelta(hours=25))
    assert not claim_scheduled_run(factory, interval_hours=0, now=t0 + dt.timedelta(days=9))
    # several workers at the same moment: exactly one wins
    later = t0 + dt.timedelta(hours=50)
    wins: list[bool] = []
    barrier = threading.Barrier(4)

    def claim() -> None:
        barrier.wait()
        wins.append(claim_scheduled_run(factory, interval_hours=24, now=later))

    threads = [threading.Thread(target=claim) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(wins) == [False, False, False, True]
    with factory() as s:
        assert s.get(Setting, LAST_RUN_KEY).value == later.isoformat(timespec="seconds")  # type: ignore[union-attr]
    # the scheduled tick purges only when it claims the interval
    assert run_scheduled_purge(factory, settings, now=later + dt.timedelta(hours=1)) is None
    assert run_scheduled_purge(factory, settings, now=later + dt.timedelta(hours=25)) is not None


def _app(settings: Settings, engine: Engine, **extra: str) -> FastAPI:
    return create_app(
        dataclasses.replace(settings, extra={**settings.extra, **extra}), engine=engine
    )


def test_background_jobs_start_a_daemon_thread_unless_disabled(
    settings: Settings, engine: Engine
) -> None:
    assert (
        start_background_jobs(_app(settings, engine, TALENTBRIDGE_PURGE_INTERVAL_HOURS="0")) is None
    )
    app = _app(settings, engine, TALENTBRIDGE_PURGE_INTERVAL_HOURS="12")
    thread = start_background_jobs(app)
    assert thread is not None and thread.daemon and thread.is_alive()
    stop_background_jobs(app)
    assert not thread.is_alive()
    with pytest.raises(RetentionSettingError, match="1095"):
        start_background_jobs(_app(settings, engine, TALENTBRIDGE_RETENTION="audit_event=30"))


def test_the_purge_command(store: Store) -> None:
    env = {**store.settings.extra}
    dry = CliRunner().invoke(cli_app, ["purge", "--dry-run"], env=env)
    assert dry.exit_code == 0, dry.output
    assert "login_attempt" in dry.output and "dry run" in dry.output
    assert store.files["old_cv"].exists()
    done = CliRunner().invoke(cli_app, ["purge"], env=env)
    assert done.exit_code == 0, done.output
    assert "retention" in done.output.lower() and not store.files["old_cv"].exists()
    bad = CliRunner().invoke(
        cli_app, ["purge"], env={**env, "TALENTBRIDGE_RETENTION": "audit_event=10"}
    )
    assert bad.exit_code != 0 and "1095" in bad.output
