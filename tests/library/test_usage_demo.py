"""The demo's synthetic library usage: events by the demo users over ~18 months, through
the recording calls, labelled synthetic once the store is flagged as sample data."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from talentbridge.accounts.policy import Principal
from talentbridge.accounts.roles import Role
from talentbridge.demo.library_usage import DAYS, MISSING, RATES, seed_usage_demo
from talentbridge.library.usage import Period, normalize_query
from talentbridge.library.usage_report import usage_report
from talentbridge.store.library_tables import Library, LibraryEvent, Resource
from talentbridge.store.tables import Organization, Setting, User

TODAY = dt.date(2026, 11, 29)


def _store(session: Session) -> None:
    college = Organization(code="DEMO-C01", kind="college", name_zh="示例学院")
    analysts = Organization(code="DEMO-A01", kind="association", name_zh="示例协会")
    session.add_all([college, analysts])
    session.flush()
    roles = {"demo-student": "student", "demo-teacher": "teacher", "demo-college": "college_admin",
             "demo-analyst": "analyst", "demo-admin": "platform_admin",
             "demo-recruiter": "recruiter"}  # fmt: skip
    for username, role in roles.items():
        org = analysts.id if role == "analyst" else college.id
        session.add(User(username=username, display_name=username, password_hash="x", role=role,
                         organization_id=None if role in ("platform_admin", "recruiter") else org))  # fmt: skip
    library = Library(code="customs", name_zh="报关与报检", name_en="Customs declaration")
    session.add(library)
    session.flush()
    for n in range(4):
        session.add(Resource(library_id=library.id, title_zh=f"示例{n}", kind="document",
                             status="published" if n < 3 else "draft"))  # fmt: skip
    session.commit()


def test_demo_usage_spans_18_months_by_the_demo_users(
    factory: sessionmaker[Session], session: Session
) -> None:
    _store(session)
    summary = seed_usage_demo(factory, TODAY)
    assert "synthetic library usage" in summary
    first, last, count = session.execute(
        select(func.min(LibraryEvent.at), func.max(LibraryEvent.at), func.count())
    ).one()
    assert first.date() >= TODAY - dt.timedelta(days=DAYS - 1) and last.date() <= TODAY
    assert (TODAY - first.date()).days > 500 and count > 1000
    roles = set(session.scalars(select(LibraryEvent.role).distinct()))
    assert roles <= {
        "student",
        "teacher",
        "college_admin",
        "analyst",
        "platform_admin",
        "recruiter",
    }
    assert {"student", "teacher"} <= roles and len(RATES) == 6
    draft = session.scalar(select(Resource.id).where(Resource.status == "draft"))
    assert session.scalar(select(func.count()).where(LibraryEvent.resource_id == draft)) == 0
    zero = set(session.scalars(select(LibraryEvent.query).where(LibraryEvent.hits == 0)))
    assert zero and zero <= {normalize_query(q) for q in MISSING}
    # activity grows: the last six months hold more events than the first six
    months = usage_report(
        session,
        principal=Principal(0, Role.PLATFORM_ADMIN, None),
        period=Period(TODAY - dt.timedelta(days=DAYS - 1), TODAY),
        today=TODAY,
    ).by_month
    assert sum(m.uses for m in months[-6:]) > sum(m.uses for m in months[:6])


def test_same_seed_same_events_and_the_report_says_synthetic(
    factory: sessionmaker[Session], session: Session
) -> None:
    _store(session)
    first = seed_usage_demo(factory, TODAY, seed=7)
    session.add(Setting(key="sample_data", value="true", updated_on=TODAY))
    session.commit()
    again = seed_usage_demo(factory, TODAY, seed=7)
    assert first == again
    admin = session.scalar(select(User).where(User.username == "demo-college"))
    assert admin is not None
    report = usage_report(
        session, principal=Principal.of(admin), period=Period(TODAY, TODAY), today=TODAY
    )
    assert report.synthetic
