"""The demo's matching data: profile details through the students file, a job fair with
openings and registrations, and applications, invitations and feedback, all sample."""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from talentbridge.config import Settings, load_settings
from talentbridge.demo.build import DemoSummary, build_demo
from talentbridge.demo.generator import STUDENTS, generate_demo_files
from talentbridge.demo.profile_details import DETAIL_HEADERS, pools, student_details
from talentbridge.demo.recruiting_history import SAMPLE_NOTE
from talentbridge.matching.fairness import exposure_report
from talentbridge.matching.index import clear_index_cache
from talentbridge.store.engine import create_engine_for
from talentbridge.store.matching_tables import (
    Application,
    ApplicationEvent,
    FairOpening,
    FairRegistration,
    JobFair,
    MatchFeedback,
    ProfileConcept,
    ProfileProtected,
    ProfileWish,
)
from talentbridge.store.tables import ImportRun, Profile, RejectedRow, User

TODAY = dt.date(2026, 11, 29)


def test_details_are_drawn_from_the_majors_concepts() -> None:
    pool = pools()["associate:530802"]
    assert pool.named > 10 and "订舱" in pool.skills[: pool.named]
    assert "物流管理职业技能等级证书" in pool.certificates
    rng = random.Random(3)
    details = student_details(rng, level="associate", major_code="530802",
                              major_name="现代物流管理", year=2026, home_city="重庆市")  # fmt: skip
    assert set(details) == set(DETAIL_HEADERS)
    skills = details["skills"].split("、")
    assert 3 <= len(skills) <= 7 and set(skills) <= set(pool.skills)
    assert details["wish_cities"].startswith("重庆市")
    assert details["summary"].startswith("示例")  # says it is sample data
    again = student_details(random.Random(3), level="associate", major_code="530802",
                            major_name="现代物流管理", year=2026, home_city="重庆市")  # fmt: skip
    assert again == details


def test_students_file_carries_the_detail_columns(tmp_path: Path) -> None:
    manifest = generate_demo_files(tmp_path, seed=4, scale=0.02, today=TODAY)
    with manifest.files[STUDENTS].open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    good = [r for r in rows if not r["student_no"].startswith("BAD")]
    assert all(r["skills"] and r["wish_cities"] and r["expected_salary"] for r in good)
    # synthetic protected attributes for the fairness audit: gender and birth year for
    # everyone, ethnicity for some
    assert {r["gender"] for r in good} == {"女", "男"}
    assert all(
        int(r["graduation_year"]) - 23 <= int(r["birth_year"]) <= int(r["graduation_year"]) - 20
        for r in good
    )
    recorded = [r["ethnicity"] for r in good if r["ethnicity"]]
    assert 0 < len(recorded) < len(good) and "汉族" in recorded


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, DemoSummary]:
    clear_index_cache()
    data = tmp_path_factory.mktemp("demo-matching")
    settings = load_settings({"TALENTBRIDGE_DATA_DIR": str(data)}).with_overrides(demo_mode=True)
    return settings, build_demo(settings, seed=2026, scale=0.03, today=TODAY)


def _count(session: Session, stmt: object) -> int:
    return int(session.scalar(stmt) or 0)  # type: ignore[call-overload]


def test_demo_profiles_hold_skills_and_wishes_from_the_import(
    built: tuple[Settings, DemoSummary],
) -> None:
    settings, summary = built
    engine = create_engine_for(settings)
    try:
        with Session(engine) as session:
            stored = summary.reports["students"].stored
            with_skills = _count(session, select(func.count(func.distinct(ProfileConcept.profile_id)))
                                 .where(ProfileConcept.source == "college"))  # fmt: skip
            assert with_skills == stored
            assert _count(session, select(func.count()).select_from(ProfileWish)) == stored
            run = session.scalar(select(ImportRun.id).where(ImportRun.kind == "profiles"))
            kept = session.scalars(
                select(RejectedRow.reason).where(
                    RejectedRow.import_run_id == run, RejectedRow.reason.like("kept:%")
                )
            ).all()
            assert kept == []  # every generated skill, certificate and city resolved
    finally:
        engine.dispose()


def test_demo_students_carry_protected_attributes_and_the_audit_has_groups(
    built: tuple[Settings, DemoSummary],
) -> None:
    settings, summary = built
    engine = create_engine_for(settings)
    try:
        with Session(engine) as session:
            stored = summary.reports["students"].stored
            rows = session.scalars(select(ProfileProtected)).all()
            assert len(rows) == stored
            assert all(r.gender in ("female", "male") and r.birth_year for r in rows)
            assert 0 < sum(1 for r in rows if r.ethnicity) < stored
            # every college (the analysts' and the platform's view): both groups large
            # enough to show; one small college alone may fall under the threshold
            report = exposure_report(session, None, attribute="gender", k=10)
            groups = {g.group: g for g in report.groups}
            threshold = settings.small_cell_threshold
            assert set(groups) == {"female", "male"}
            assert all(g.profiles >= threshold and g.exposure > 0 for g in groups.values())
            ages = exposure_report(session, None, attribute="age", k=10)
            assert len(ages.groups) >= 2 and None not in {g.group for g in ages.groups}
    finally:
        engine.dispose()


def test_demo_fair_and_activity_are_there(built: tuple[Settings, DemoSummary]) -> None:
    settings, summary = built
    engine = create_engine_for(settings)
    try:
        with Session(engine) as session:
            fair = session.scalars(select(JobFair)).one()
            assert fair.is_sample and fair.status == "open" and fair.name_zh.startswith("示例")
            assert _count(session, select(func.count()).select_from(FairOpening)) >= 5
            assert _count(session, select(func.count()).select_from(FairRegistration)) >= 3
            demo_student = session.scalar(
                select(Profile.id).join(User, User.id == Profile.user_id).where(
                    User.username == "demo-student")
            )  # fmt: skip
            registered = session.scalars(select(FairRegistration.profile_id)).all()
            assert demo_student is not None and demo_student not in registered  # registers self
            synthetic = select(ApplicationEvent.application_id).where(
                ApplicationEvent.note == SAMPLE_NOTE
            )  # the recruiting history step's (demo.recruiting_history)
            stages = session.scalars(
                select(Application.stage).where(Application.id.not_in(synthetic))
            ).all()
            assert len(stages) == 3 and "screened" in stages
            events = set(session.scalars(select(MatchFeedback.event)))
            assert {"view", "save", "apply", "invite"} <= events
            assert all(session.scalars(select(MatchFeedback.is_sample)))
    finally:
        engine.dispose()
    assert any("示例双选会" in note for note in summary.notes)
