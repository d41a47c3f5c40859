"""A hire in matching becomes the graduate's placement; a college's file overrides it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from demandtools import add_occupation
from talentbridge.accounts.principal import Principal
from talentbridge.accounts.roles import Role
from talentbridge.matching import applications as apps
from talentbridge.outcomes.hires import record_hire
from talentbridge.outcomes.placement_import import import_placements
from talentbridge.store.matching_tables import Application
from talentbridge.store.outcomes_tables import Placement
from talentbridge.store.tables import Organization, Posting, Profile
from trackingtools import add_job, add_org, add_principal, add_student

T0 = dt.datetime(2026, 3, 2, 9, 0)


def _hire(
    session: Session, *, salary: tuple[int | None, int] = (6000, 8000), title: str = "物流专员"
) -> tuple[Principal, Application, Posting, int]:
    college = add_org(session, "college")
    employer = add_org(session, "enterprise")
    student, profile_id = add_student(session, college)
    recruiter = add_principal(session, Role.RECRUITER, employer)
    job = add_job(session, employer, title=title)
    posting = session.get(Posting, job)
    assert posting is not None
    posting.occupation_id = add_occupation(session, f"4-02-06-{profile_id % 100:02d}", "仓储员")
    posting.salary_min, posting.salary_max = salary
    posting.place_text = "成都-武侯区"
    application = apps.apply(session, student, profile_id=profile_id, posting_id=job, at=T0)
    for hours, stage in enumerate(("screened", "interview", "offer"), start=1):
        apps.move(session, recruiter, application_id=application.id, to_stage=stage,
                  at=T0 + dt.timedelta(days=hours))  # fmt: skip
    return recruiter, application, posting, profile_id


def _placements(session: Session) -> list[Placement]:
    return list(session.scalars(select(Placement)))


def test_moving_to_hired_records_the_placement(session: Session) -> None:
    recruiter, application, posting, profile_id = _hire(session)
    assert _placements(session) == []  # not before the hire
    hired_at = dt.datetime(2026, 3, 20, 15, 30)
    apps.move(session, recruiter, application_id=application.id, to_stage="hired", at=hired_at)
    (placement,) = _placements(session)
    profile = session.get(Profile, profile_id)
    assert profile is not None
    assert (placement.profile_id, placement.organization_id) == (
        profile_id,
        profile.organization_id,
    )
    assert (placement.destination, placement.source, placement.application_id) == (
        "employed", "matching", application.id,
    )  # fmt: skip
    assert placement.employer_id == posting.organization_id
    assert placement.employer_name == posting.employer_name and placement.job_title == "物流专员"
    assert placement.occupation_id == posting.occupation_id
    assert placement.occupation_code == f"4-02-06-{profile_id % 100:02d}"
    assert (placement.division_code, placement.in_circle, placement.place_text) == (
        "510107",
        True,
        "成都-武侯区",
    )
    assert (placement.salary_monthly, placement.start_date) == (6000, dt.date(2026, 3, 20))
    assert placement.import_run_id is None


def test_a_posting_without_minimum_pay_gives_its_maximum(session: Session) -> None:
    recruiter, application, _posting, _pid = _hire(session, salary=(None, 9000))
    apps.move(
        session,
        recruiter,
        application_id=application.id,
        to_stage="hired",
        at=T0 + dt.timedelta(days=9),
    )
    assert _placements(session)[0].salary_monthly == 9000


def test_declined_records_nothing_and_record_hire_updates_a_matching_record(
    session: Session,
) -> None:
    recruiter, application, posting, _pid = _hire(session)
    apps.move(
        session,
        recruiter,
        application_id=application.id,
        to_stage="declined",
        at=T0 + dt.timedelta(days=9),
    )
    assert _placements(session) == []
    first = record_hire(session, application)
    posting.title = "仓储主管"
    posting.salary_min = 7000
    again = record_hire(session, application)
    assert again.id == first.id and (again.job_title, again.salary_monthly) == ("仓储主管", 7000)
    assert len(_placements(session)) == 1


def test_a_college_file_overrides_a_hire_and_a_hire_keeps_the_college_record(
    factory: sessionmaker[Session], tmp_path: Path
) -> None:
    with factory() as session:
        recruiter, application, _posting, profile_id = _hire(session)
        apps.move(
            session,
            recruiter,
            application_id=application.id,
            to_stage="hired",
            at=T0 + dt.timedelta(days=9),
        )
        profile = session.get(Profile, profile_id)
        assert profile is not None
        college = session.get(Organization, profile.organization_id)
        assert college is not None
        student_no, name, college_code, app_id = (
            profile.student_no,
            profile.name,
            college.code,
            application.id,
        )
        session.commit()
    path = tmp_path / "p.csv"
    path.write_text(
        f"学号,姓名,毕业去向,单位名称,月薪\n{student_no},{name},升学,某大学,\n", encoding="utf-8"
    )
    report = import_placements(
        factory, path, college_code=college_code, today=dt.date(2026, 11, 29)
    )
    assert (report.created, report.updated, report.rejected) == (0, 1, 0)
    with factory() as session:
        (placement,) = _placements(session)
        assert (placement.destination, placement.source, placement.salary_monthly) == (
            "further_study",
            "import",
            None,
        )
        assert placement.import_run_id == report.run_id
        application = session.get(Application, app_id)
        assert application is not None
        assert (
            record_hire(session, application).destination == "further_study"
        )  # the college's record stays
    assert (
        import_placements(
            factory, path, college_code=college_code, today=dt.date(2026, 11, 29)
        ).unchanged
        == 1
    )
