"""`talentbridge outcomes recruiting`: the report in the terminal and as a workbook, the
before/after comparison, and refusals."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from talentbridge.accounts.roles import Role
from talentbridge.cli import app, common
from talentbridge.config import Settings
from talentbridge.matching import applications as apps
from talentbridge.store.tables import Posting, Profile, User
from trackingtools import add_job, add_org, add_principal, add_profile

SWITCH = dt.date(2025, 7, 1)


def run(settings: Settings, *args: str) -> tuple[int, str]:
    env = {
        "TALENTBRIDGE_DATA_DIR": str(settings.data_dir),
        "TALENTBRIDGE_DATABASE_URL": settings.database_url,
    }
    previous = common.console.width
    common.console.width = 400
    try:
        result = CliRunner().invoke(app, list(args), env=env)
    finally:
        common.console.width = previous
    return result.exit_code, " ".join(result.output.split())


def _hired(session: Session, employer: int, college: int, posted: dt.date, days: int) -> None:
    posting = session.get_one(Posting, add_job(session, employer))
    profile = session.get_one(Profile, add_profile(session, college))
    posting.posted_on = posted
    start = dt.datetime.combine(posted, dt.time())
    application = apps.create_application(session, profile=profile, posting=posting,
                                          origin="student", user_id=None, note=None, at=start)  # fmt: skip
    for n, stage in enumerate(("screened", "interview", "offer", "hired"), start=1):
        at = start + dt.timedelta(days=days * n / 4)
        apps.step(session, application, to_stage=stage, user_id=None, note=None, at=at)


def test_recruiting_command(settings: Settings, session: Session, tmp_path: Path) -> None:
    college = add_org(session, "college")
    employer = add_org(session, "enterprise", "CLI-E1")
    for i in range(12):
        _hired(session, employer, college, SWITCH - dt.timedelta(days=3 + 7 * i), 20)
        _hired(session, employer, college, SWITCH + dt.timedelta(days=7 * i), 12)
    student = add_principal(session, Role.STUDENT, college)
    username = session.get_one(User, student.user_id).username
    session.commit()

    code, output = run(settings, "outcomes", "recruiting", "--lang", "en")
    assert code == 0, output
    assert "CLI-E1" in output and "No switch date" in output
    code, output = run(settings, "outcomes", "recruiting", "--employer", "CLI-E1",
                       "--switch-date", SWITCH.isoformat(), "--lang", "en")  # fmt: skip
    assert code == 0, output
    row = (
        "│ days_to_hire │ 2025-07-01 │ ok │ 12 │ 20.0 │ 12 │ 12.0 │ -8.0 │ −40 % │ −40 % … −40 % │"
    )
    assert row in output
    assert "+40 %" in output  # efficiency up 40 %
    out = tmp_path / "recruiting.xlsx"
    code, output = run(settings, "outcomes", "recruiting", "--switch-date", "2025-07-01",
                       "--since", "2025-01-01", "--out", str(out))  # fmt: skip
    assert code == 0, output
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["overall", "by-employer", "by-month", "before-after"]
    overall = list(book["overall"].iter_rows(values_only=True))
    assert overall[0][3] == "岗位数" and overall[1][3] == 24
    compare = {row[0]: row for row in book["before-after"].iter_rows(values_only=True)}
    assert compare["days_to_hire"][3] == 12 and compare["days_to_hire"][8] == "−40 %"
    code, output = run(settings, "outcomes", "recruiting", "--as", username)
    assert code == 1 and "may not see" in output
    code, output = run(settings, "outcomes", "recruiting", "--employer", "NOPE")
    assert code == 1 and "NOPE" in output
    code, output = run(settings, "outcomes", "recruiting", "--switch-date", "2025-13-01")
    assert code == 1 and "YYYY-MM-DD" in output
    code, output = run(settings, "outcomes", "recruiting", "--out", str(tmp_path / "x.csv"))
    assert code == 1 and ".xlsx" in output
