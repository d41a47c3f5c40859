"""A store holding the demo libraries exactly as the demo seeds them (issue 7).

Built through the real code paths: migrations, the bundled skill taxonomy and term base
(before the libraries, as in ``demo/build.py``), the three demo users who create,
upload and publish, then ``demo.libraries.seed_library_demo``. Postings, profiles and
the rest of the demo are not needed by the library search and are left out.

Resources are named by stable keys ``library-code/file-name`` (the link's last part
for a video), as in ``benchmarks/library_eval/judgments.toml``.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from talentbridge.accounts.users import create_user
from talentbridge.config import load_settings
from talentbridge.demo.libraries import seed_library_demo
from talentbridge.library.termbase import import_bundled
from talentbridge.registry.organizations import create_organization
from talentbridge.store.engine import create_engine_for, session_factory, transaction
from talentbridge.store.library_tables import Library, Resource
from talentbridge.store.migrate import upgrade
from talentbridge.taxonomy.concepts import load_bundled_taxonomy

USERS = (
    ("demo-admin", "platform_admin"),
    ("demo-college", "college_admin"),
    ("demo-teacher", "teacher"),
    ("demo-student", "student"),
)


@dataclass
class LibraryStore:
    factory: sessionmaker[Session]
    data_dir: Path
    ids: dict[str, int]  # stable key -> resource id
    summary: str


def resource_key(library_code: str, file_name: str | None, url: str | None) -> str:
    name = file_name or (url or "").rstrip("/").rsplit("/", 1)[-1]
    return f"{library_code}/{name}"


def build_library_store(data_dir: Path | None = None) -> LibraryStore:
    data_dir = data_dir or Path(tempfile.mkdtemp(prefix="tb-library-eval-"))
    data_dir.mkdir(parents=True, exist_ok=True)
    settings = load_settings({"TALENTBRIDGE_DATA_DIR": str(data_dir)})
    engine = create_engine_for(settings)
    upgrade(engine)
    factory = session_factory(engine)
    load_bundled_taxonomy(factory)
    import_bundled(factory)
    with transaction(factory) as session:
        college = create_organization(
            session, code="DEMO-C", kind="college", name_zh="示例职业学院"
        )
        session.flush()
        for username, role in USERS:
            create_user(
                session,
                username=username,
                password="Demo-password-2026",
                role=role,
                organization_id=None if role == "platform_admin" else college.id,
                display_name=username,
                check_password=False,
            )
    summary = seed_library_demo(factory, data_dir, settings.max_upload_bytes)
    with factory() as session:
        ids = {
            resource_key(code, file_name, url): resource_id
            for resource_id, code, file_name, url in session.execute(
                select(Resource.id, Library.code, Resource.file_name, Resource.url).join(
                    Library, Library.id == Resource.library_id
                )
            )
        }
    return LibraryStore(factory, data_dir, ids, summary)
