"""End to end: ``build_demo`` fills a fresh SQLite store through the real importers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from talentbridge.accounts.directory import holds_sample_data
from talentbridge.accounts.users import authenticate
from talentbridge.cli import app
from talentbridge.config import Settings, load_settings
from talentbridge.demo.build import (
    DEMO_PASSWORD,
    DemoSummary,
    build_demo,
)
from talentbridge.demo.generator import STUDENTS
from talentbridge.errors import Conflict, TalentBridgeError
from talentbridge.library.resources import resource_file_path
from talentbridge.library.search import search
from talentbridge.store.engine import create_engine_for, session_factory
from talentbridge.store.library_tables import Library, Resource, ResourceConcept, ResourceTerm
from talentbridge.store.migrate import upgrade
from talentbridge.store.tables import (
    Cohort,
    CollegeMajor,
    ImportRun,
    Major,
    Organization,
    Profile,
    User,
)

TODAY = dt.date(2026, 5, 20)


@pytest.fixture()
def demo_settings(tmp_path: Path) -> Settings:
    """The demo always builds the embedded SQLite store (also when CI tests PostgreSQL)."""
    return load_settings({"TALENTBRIDGE_DATA_DIR": str(tmp_path / "data")}).with_overrides(
        demo_mode=True
    )


def _build(settings: Settings) -> DemoSummary:
    return build_demo(settings, seed=5, scale=0.02, today=TODAY)


def _count(session: Session, model: type[object]) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def _snapshot(settings: Settings) -> dict[str, int]:
    engine = create_engine_for(settings)
    try:
        with Session(engine) as session:
            return {
                model.__name__: _count(session, model)
                for model in (Organization, Major, CollegeMajor, Cohort, Profile, User)
            }
    finally:
        engine.dispose()


def test_build_fills_the_store_through_the_importers(demo_settings: Settings) -> None:
    steps: list[str] = []
    summary = build_demo(
        demo_settings, seed=5, scale=0.02, today=TODAY, progress=lambda s, _d, _t: steps.append(s)
    )
    assert steps[0] == "migrate" and steps[-1] == "done"
    assert summary.manifest is not None
    assert (demo_settings.data_dir / "demo-files" / STUDENTS).exists()
    counts = summary.manifest.counts
    for name in ("organizations", "college_majors", "cohorts", "majors", "occupations"):
        assert summary.reports[name].rejected == 0, summary.reports[name].errors[:3]
    students = summary.reports["students"]
    assert students.rejected == counts["student_bad_rows"]
    assert students.stored == counts["student_rows"] - counts["student_bad_rows"]
    assert students.rejects_path is not None and students.rejects_path.exists()
    assert summary.postings_imported
    posting_reports = [r for name, r in summary.reports.items() if name.startswith("postings:")]
    assert len(posting_reports) == 3 and all(r.balanced for r in posting_reports)
    assert sum(r.rejected for r in posting_reports) == counts["posting_bad_rows"]
    assert sum(r.duplicates for r in posting_reports) > 0
    stored = sum(r.stored for r in posting_reports)
    assert stored + sum(r.duplicates for r in posting_reports) == (
        counts["postings"] - counts["posting_bad_rows"]
    )

    snapshot = _snapshot(demo_settings)
    assert snapshot["Organization"] == 66 and snapshot["Profile"] == students.stored
    assert snapshot["User"] == 6 and snapshot["Cohort"] == counts["cohort_rows"]
    engine = create_engine_for(demo_settings)
    try:
        factory = session_factory(engine)
        with factory() as session:
            assert holds_sample_data(session)
            roles = {u.role for u in session.scalars(select(User))}
            assert roles == {
                "platform_admin", "college_admin", "teacher", "student", "recruiter", "analyst"
            }  # fmt: skip
            student = session.scalars(select(User).where(User.role == "student")).one()
            linked = session.scalars(select(Profile).where(Profile.user_id == student.id)).one()
            assert linked.organization_id == student.organization_id and linked.is_sample
            assert all(o.is_sample for o in session.scalars(select(Organization)))
            assert authenticate(session, "demo-recruiter", DEMO_PASSWORD) is not None
            libraries = list(session.scalars(select(Library)))
            assert len(libraries) == 18 and all(lib.is_sample for lib in libraries)
            resources = list(session.scalars(select(Resource)))
            assert len(resources) == 162 and all(r.is_sample for r in resources)
            assert all(
                (r.title_zh.startswith("示例") or r.title_en.startswith("Sample")) and r.search_text
                for r in resources
            )
            assert sum(r.status == "published" for r in resources) == 156
            assert session.scalar(select(func.count()).select_from(ResourceConcept)) > 0
            # The term base is imported before the libraries: resources are term-tagged
            # and a cross-lingual query finds an English-only resource.
            assert session.scalar(select(func.count()).select_from(ResourceTerm)) > 100
            found = search(session, principal=None, query="牛鞭效应").resources
            assert found and found[0].title_en == "Sample: The bullwhip effect"
            for r in resources:
                stored = resource_file_path(demo_settings.data_dir, r)
                if r.url is None:
                    assert stored is not None and stored.exists()
            kinds = set(session.scalars(select(ImportRun.kind)))
            assert {"majors", "organizations", "college_majors", "profiles"} <= kinds
    finally:
        engine.dispose()
    assert {login.role for login in summary.logins} == set(roles)


def test_rebuilding_replaces_the_demo_store_instead_of_adding_to_it(
    demo_settings: Settings,
) -> None:
    _build(demo_settings)
    first = _snapshot(demo_settings)
    stray = demo_settings.data_dir / "demo-files" / "left-over.txt"
    stray.write_text("old", encoding="utf-8")
    _build(demo_settings)
    assert _snapshot(demo_settings) == first
    assert not stray.exists()


def test_refuses_to_wipe_a_store_that_holds_real_data(demo_settings: Settings) -> None:
    engine = create_engine_for(demo_settings)
    upgrade(engine)
    with session_factory(engine)() as session:
        session.add(Organization(code="REAL", kind="college", name_zh="真实学院"))
        session.commit()
    engine.dispose()
    with pytest.raises(Conflict, match="not the demo's"):
        _build(demo_settings)
    assert _snapshot(demo_settings)["Organization"] == 1


def test_refuses_a_server_database(demo_settings: Settings) -> None:
    server = demo_settings.with_overrides(database_url="postgresql+psycopg://u:secret@db/tb")
    with pytest.raises(TalentBridgeError, match="SQLite") as caught:
        build_demo(server, scale=0.02, today=TODAY)
    assert "secret" not in str(caught.value)


def test_demo_command_builds_and_prints_the_logins(tmp_path: Path) -> None:
    data_dir = tmp_path / "cli-data"
    result = CliRunner().invoke(
        app,
        ["demo", "--no-serve", "--scale", "0.02", "--seed", "3"],
        env={"TALENTBRIDGE_DATA_DIR": str(data_dir), "TALENTBRIDGE_DATABASE_URL": ""},
    )
    assert result.exit_code == 0, result.output
    for text in ("demo-admin", "demo-student", DEMO_PASSWORD, "http://127.0.0.1:8000/", "示例数据"):
        assert text in result.output
    assert (data_dir / "talentbridge.db").exists()


def test_demo_command_rejects_a_bad_scale(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["demo", "--no-serve", "--scale", "0"], env={"TALENTBRIDGE_DATA_DIR": str(tmp_path)}
    )
    assert result.exit_code != 0
