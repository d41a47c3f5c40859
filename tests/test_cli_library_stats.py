"""`talentbridge library stats`: the usage report in the terminal and as a workbook."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
from sqlalchemy.orm import Session

from support import run_cli as run
from talentbridge.accounts.policy import Principal
from talentbridge.config import Settings
from talentbridge.library.usage import record_search, record_view
from talentbridge.store.library_tables import Library, Resource
from talentbridge.store.tables import Organization, User, utcnow


def _store(session: Session) -> None:
    college = Organization(code="C-1", kind="college", name_zh="示例学院", name_en="Sample College")
    session.add(college)
    session.flush()
    people = {}
    for name, role in (("t1", "teacher"), ("s1", "student")):
        user = User(username=name, display_name=f"名{name}", password_hash="x", role=role,
                    organization_id=college.id)  # fmt: skip
        session.add(user)
        session.flush()
        people[name] = Principal.of(user)
    library = Library(code="customs", name_zh="报关与报检", name_en="Customs declaration")
    session.add(library)
    session.flush()
    resource = Resource(library_id=library.id, title_zh="讲义", title_en="Notes",
                        kind="courseware", status="published")  # fmt: skip
    session.add(resource)
    session.flush()
    now = utcnow()
    record_view(session, principal=people["s1"], resource=resource, at=now)
    record_view(session, principal=people["t1"], resource=resource, at=now - dt.timedelta(days=400))
    record_search(session, principal=people["s1"], query="提单样本", hits=0, at=now)
    session.commit()


def test_stats_print_and_write_a_workbook(
    settings: Settings, session: Session, tmp_path: Path
) -> None:
    _store(session)
    code, output = run(settings, "library", "stats", "--lang", "en")
    assert code == 0, output
    assert "Customs declaration" in output and "提单样本" in output
    out = tmp_path / "usage.xlsx"
    code, output = run(settings, "library", "stats", "--since", "2000-01-01", "--out", str(out))
    assert code == 0, output
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[:3] == ["summary", "by-month", "by-library"]
    summary = list(book["summary"].iter_rows(values_only=True))
    assert summary[0][2] == "浏览" and summary[1][2] == 2  # both views since 2000
    code, output = run(settings, "library", "stats", "--as", "s1")
    assert code == 1 and "may not see" in output
    code, output = run(settings, "library", "stats", "--since", "2026-13-01")
    assert code == 1 and "YYYY-MM-DD" in output
    code, output = run(settings, "library", "stats", "--out", str(tmp_path / "x.csv"))
    assert code == 1 and ".xlsx" in output
