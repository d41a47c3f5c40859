"""Build the demo store: a fresh SQLite store filled from generated files.

Everything goes through the real importers (generated files → import), exactly as a
college or association would load its own files; nothing is inserted by a shortcut
except the demo users (through ``accounts.users.create_user``) and the store's
``sample_data`` flag. The matching activity (a job fair, applications, invitations,
feedback) goes through the matching services with the demo users' own rights
(``demo.matching_demo``).
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, create_engine, func, inspect, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from talentbridge.accounts.users import create_user
from talentbridge.config import Settings
from talentbridge.demo.generator import (
    COHORTS,
    COLLEGE_MAJORS,
    COURSES,
    ORGANIZATIONS,
    STUDENTS,
    DemoManifest,
    generate_demo_files,
)
from talentbridge.demo.libraries import seed_library_demo
from talentbridge.demo.library_usage import seed_usage_demo
from talentbridge.demo.matching_demo import seed_matching
from talentbridge.demo.placements import seed_placements
from talentbridge.demo.recruiting_history import seed_recruiting_history
from talentbridge.errors import Conflict, TalentBridgeError
from talentbridge.library.termbase import import_bundled as import_bundled_termbase
from talentbridge.matching.profiles import import_profiles
from talentbridge.pipeline.postings import import_postings
from talentbridge.pipeline.runs import ImportReport
from talentbridge.registry.courses import import_courses
from talentbridge.registry.offerings import import_cohorts, import_college_majors
from talentbridge.registry.organizations import import_organizations
from talentbridge.store.engine import create_engine_for, session_factory, transaction
from talentbridge.store.migrate import upgrade
from talentbridge.store.tables import Organization, Profile, Setting, User
from talentbridge.taxonomy.candidates import discover
from talentbridge.taxonomy.concepts import load_bundled_taxonomy
from talentbridge.taxonomy.majors import load_bundled_majors
from talentbridge.taxonomy.occupations import load_bundled_occupations

DEMO_FILES_DIR = "demo-files"
DEMO_PASSWORD = "demo-pass-2026"  # well known on purpose: demo mode only, labelled as such
SAMPLE_DATA_KEY = "sample_data"

StepProgress = Callable[[str, int, int], None]
"""Called with (step name, steps done, steps in all) as the build goes on."""


@dataclass(frozen=True)
class DemoLogin:
    role: str
    username: str
    password: str
    display_name: str
    organization: str | None


@dataclass
class DemoSummary:
    data_dir: Path
    database_url: str
    files_dir: Path
    manifest: DemoManifest | None = None
    reports: dict[str, ImportReport] = field(default_factory=dict)
    logins: list[DemoLogin] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    postings_imported: bool = False


# (username, role, organization code or None, display name)
DEMO_USERS: tuple[tuple[str, str, str | None, str], ...] = (
    ("demo-admin", "platform_admin", None, "示例·平台管理员 Demo admin"),
    ("demo-college", "college_admin", "DEMO-C01", "示例·院校管理员 Demo college admin"),
    ("demo-teacher", "teacher", "DEMO-C01", "示例·专业教师 Demo teacher"),
    ("demo-student", "student", "DEMO-C01", ""),  # named after the linked profile
    ("demo-recruiter", "recruiter", "DEMO-E001", "示例·招聘专员 Demo recruiter"),
    ("demo-analyst", "analyst", "DEMO-A01", "示例·行业分析师 Demo analyst"),
)


# --- resetting the previous demo store -------------------------------------------


def _sqlite_path(settings: Settings) -> Path:
    if not settings.is_sqlite:
        url = make_url(settings.database_url).render_as_string(hide_password=True)
        raise TalentBridgeError(
            f"the demo builds its own SQLite store and will not wipe {url}; "
            "unset TALENTBRIDGE_DATABASE_URL (or point TALENTBRIDGE_DATA_DIR at an empty folder)"
        )
    database = make_url(settings.database_url).database
    if not database or database == ":memory:":
        raise TalentBridgeError("the demo needs a SQLite file, not an in-memory database")
    return Path(database)


def _holds_real_data(path: Path) -> bool:
    """Whether the store at ``path`` holds records and is not marked as sample data."""
    engine = create_engine(f"sqlite:///{path}")
    try:
        tables = set(inspect(engine).get_table_names())
        with Session(engine) as session:
            if "store_setting" in tables:
                flag = session.scalar(select(Setting.value).where(Setting.key == SAMPLE_DATA_KEY))
                if flag is not None and flag.strip().lower() == "true":
                    return False
            for table, model in (
                ("organization", Organization),
                ("user_account", User),
                ("profile", Profile),
            ):
                if table in tables and session.scalar(select(func.count()).select_from(model)):
                    return True
        return False
    finally:
        engine.dispose()


def reset_demo_store(settings: Settings, *, force: bool = False) -> None:
    """Delete the previous demo store (the SQLite file and the demo files folder).

    Refuses a non-SQLite store, and a SQLite store that holds records without being
    marked as sample data, unless ``force``.
    """
    db_path = _sqlite_path(settings)
    if db_path.exists() and not force and _holds_real_data(db_path):
        raise Conflict(
            f"{db_path} holds data that is not the demo's; the demo will not overwrite it. "
            "Set TALENTBRIDGE_DATA_DIR to another folder for the demo (or use --force)."
        )
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    files_dir = settings.data_dir / DEMO_FILES_DIR
    if files_dir.exists():
        shutil.rmtree(files_dir)


# --- steps ----------------------------------------------------------------------


def _create_users(factory: sessionmaker[Session]) -> list[DemoLogin]:
    logins: list[DemoLogin] = []
    with transaction(factory) as session:
        for username, role, org_code, display in DEMO_USERS:
            org: Organization | None = None
            if org_code is not None:
                org = session.scalar(select(Organization).where(Organization.code == org_code))
                if org is None:
                    raise TalentBridgeError(f"demo organization {org_code} was not imported")
            profile: Profile | None = None
            if role == "student" and org is not None:
                profile = session.scalar(
                    select(Profile)
                    .where(Profile.organization_id == org.id)
                    .order_by(Profile.graduation_year.desc(), Profile.student_no)
                    .limit(1)
                )
                display = f"{profile.name}（示例学生 demo student）" if profile else "示例学生"
            user = create_user(
                session,
                username=username,
                password=DEMO_PASSWORD,
                role=role,
                organization_id=org.id if org else None,
                display_name=display,
                email=profile.email if profile else f"{username}@example.org",
            )
            if profile is not None:
                profile.user_id = user.id
            logins.append(
                DemoLogin(role, username, DEMO_PASSWORD, display, org.name_zh if org else None)
            )
    return logins


def _mark_sample(factory: sessionmaker[Session], today: dt.date) -> None:
    with transaction(factory) as session:
        session.merge(Setting(key=SAMPLE_DATA_KEY, value="true", updated_on=today))


def describe_demo(summary: DemoSummary) -> list[str]:
    """Plain lines saying what the demo holds and where (for the CLI to print)."""
    lines = [
        f"示例数据 sample data store: {summary.data_dir}",
        f"Generated files: {summary.files_dir}",
    ]
    if summary.manifest is not None:
        counts = summary.manifest.counts
        lines.append(
            f"Generated {counts['organizations']} organizations, {counts['student_rows']} "
            f"student rows and {counts['postings']} postings "
            f"({summary.manifest.first_month} … {summary.manifest.last_month})"
        )
    lines += [report.summary() for report in summary.reports.values()]
    lines += summary.notes
    return lines


def build_demo(
    settings: Settings,
    *,
    seed: int = 2026,
    scale: float = 1.0,
    today: dt.date | None = None,
    progress: StepProgress | None = None,
    force: bool = False,
) -> DemoSummary:
    """Build a fresh demo store in ``settings.data_dir`` and say what is in it."""
    today = today or dt.date.today()
    files_dir = settings.data_dir / DEMO_FILES_DIR
    summary = DemoSummary(settings.data_dir, settings.database_url, files_dir)
    reset_demo_store(settings, force=force)
    engine: Engine = create_engine_for(settings)
    try:
        factory = session_factory(engine)
        manifest_box: list[DemoManifest] = []

        def generate() -> None:
            manifest_box.append(generate_demo_files(files_dir, seed=seed, scale=scale, today=today))
            summary.manifest = manifest_box[0]

        def imported(name: str, run: Callable[[], ImportReport]) -> Callable[[], None]:
            def step() -> None:
                summary.reports[name] = run()

            return step

        def bundled_occupations() -> None:
            occupations, links = load_bundled_occupations(factory)
            summary.reports["occupations"] = occupations
            summary.reports["major_occupations"] = links

        def bundled_taxonomy() -> None:
            summary.notes.append(load_bundled_taxonomy(factory).summary())

        def termbase() -> None:
            # Before the libraries: resources are tagged with the term base on upload.
            summary.reports["termbase"] = import_bundled_termbase(factory)

        def postings() -> None:
            for path in manifest_box[0].posting_files:
                summary.reports[f"postings:{path.name}"] = import_postings(
                    factory, path, source=path.stem, reference=today, refresh_demand=True
                )
            summary.postings_imported = True

        def discovered() -> None:
            found = discover(factory)
            summary.notes.append(f"{len(found)} candidate skill phrases ranked for analysts")

        def users() -> None:
            summary.logins = _create_users(factory)

        def libraries() -> None:
            notes = seed_library_demo(factory, settings.data_dir, settings.max_upload_bytes)
            summary.notes.append(notes)

        def library_usage() -> None:
            summary.notes.append(seed_usage_demo(factory, today))

        def matching() -> None:
            summary.notes.append(seed_matching(factory, today).summary())

        def placements() -> None:
            # The colleges' yearly placement files for the graduated cohorts (outcomes).
            demo = seed_placements(factory, files_dir, today, seed=seed)
            summary.reports.update({f"placements:{name}": r for name, r in demo.reports.items()})
            summary.notes.append(demo.summary())

        def recruiting_history() -> None:
            summary.notes.append(seed_recruiting_history(factory, today, seed=seed).summary())

        steps: list[tuple[str, Callable[[], None]]] = [
            ("migrate", lambda: upgrade(engine)),
            ("majors", imported("majors", lambda: load_bundled_majors(factory))),
            ("occupations", bundled_occupations),
            ("taxonomy", bundled_taxonomy),
            ("termbase", termbase),
            ("generate", generate),
            ("organizations", imported("organizations", lambda: import_organizations(factory, files_dir / ORGANIZATIONS))),
            ("college_majors", imported("college_majors", lambda: import_college_majors(factory, files_dir / COLLEGE_MAJORS))),
            ("cohorts", imported("cohorts", lambda: import_cohorts(factory, files_dir / COHORTS))),
            ("courses", imported("courses", lambda: import_courses(factory, files_dir / COURSES))),
            ("students", imported("students", lambda: import_profiles(factory, files_dir / STUDENTS, consent_channel="demo"))),
            ("postings", postings),
            ("discover", discovered),
            ("users", users),
            ("libraries", libraries),
            ("library_usage", library_usage),
            ("matching", matching),
            ("placements", placements),
            ("recruiting_history", recruiting_history),
            ("sample_flag", lambda: _mark_sample(factory, today)),
        ]  # fmt: skip
        for done, (name, step) in enumerate(steps):
            if progress is not None:
                progress(name, done, len(steps))
            step()
        if progress is not None:
            progress("done", len(steps), len(steps))
    finally:
        engine.dispose()
    return summary
