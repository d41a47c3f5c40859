"""The demo's placement files: per-college XLSX/CSV (one GB18030) for the graduated
cohorts, imported through the real importer, with a few bad rows and one to confirm."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from talentbridge.demo.generator import COLLEGE_MAJORS, ORGANIZATIONS, STUDENTS, generate_demo_files
from talentbridge.demo.placements import (
    last_graduation_year,
    seed_placements,
    write_placement_files,
)
from talentbridge.matching.profiles import import_profiles
from talentbridge.pipeline.readers import detect_encoding
from talentbridge.registry.offerings import import_college_majors
from talentbridge.registry.organizations import import_organizations
from talentbridge.store.outcomes_tables import Placement
from talentbridge.store.tables import Profile
from talentbridge.taxonomy.majors import load_bundled_majors
from talentbridge.taxonomy.occupations import load_bundled_occupations

TODAY = dt.date(2026, 11, 29)


@pytest.fixture()
def demo_store(factory: sessionmaker[Session], tmp_path: Path) -> sessionmaker[Session]:
    load_bundled_majors(factory)
    load_bundled_occupations(factory)
    files = tmp_path / "files"
    generate_demo_files(files, seed=3, scale=0.1, today=TODAY)
    import_organizations(factory, files / ORGANIZATIONS)
    import_college_majors(factory, files / COLLEGE_MAJORS)
    import_profiles(factory, files / STUDENTS)
    return factory


def test_graduates_are_this_years_cohort_from_july() -> None:
    assert last_graduation_year(dt.date(2026, 6, 30)) == 2025
    assert last_graduation_year(dt.date(2026, 7, 1)) == 2026


def test_demo_placements_import_with_rejects_and_a_confirmation(
    demo_store: sessionmaker[Session], tmp_path: Path
) -> None:
    demo = seed_placements(demo_store, tmp_path / "out", TODAY, seed=3)
    reports = list(demo.reports.values())
    assert len(reports) >= 8 and all(r.balanced for r in reports)
    suffixes = {p.suffix for p in demo.files}
    assert suffixes == {".xlsx", ".csv"}
    encodings = {detect_encoding(p) for p in demo.files if p.suffix == ".csv"}
    assert "gb18030" in encodings and "utf-8" in encodings
    assert sum(len(r.pending) for r in reports) == 1
    assert all(r.rejected >= 3 for r in reports if r.read > 10)
    reasons = " ".join(e.reason for r in reports for e in r.errors)
    for fragment in ("unknown major code", "no graduate with student number", "duplicate"):
        assert fragment in reasons
    with demo_store() as session:
        placements = list(session.scalars(select(Placement)))
        graduates = session.scalars(
            select(Profile.id).where(Profile.graduation_year <= last_graduation_year(TODAY))
        ).all()
        assert all(p.is_sample for p in placements)
        assert len(placements) >= 0.9 * len(graduates)
        assert {p.profile_id for p in placements} <= set(graduates)
        with_destination = [p for p in placements if p.destination != "not_employed"]
        assert 0.85 <= len(with_destination) / len(placements) <= 0.99
        employed = [p for p in placements if p.destination == "employed"]
        assert all(p.employer_name and p.employer_name.startswith("示例") for p in employed)
        no_code = sum(p.occupation_code is None for p in employed) / len(employed)
        assert 0.03 <= no_code <= 0.2
        assert any(p.abroad for p in placements) or len(placements) < 100
        assert all(2000 <= (p.salary_monthly or 2000) <= 20000 for p in placements)
    again = seed_placements(demo_store, tmp_path / "out", TODAY, seed=3)
    assert sum(r.stored for r in again.reports.values()) == 0  # same files: nothing changes


def test_same_seed_writes_the_same_bytes(demo_store: sessionmaker[Session], tmp_path: Path) -> None:
    first = write_placement_files(demo_store, tmp_path / "a", today=TODAY, seed=4)
    second = write_placement_files(demo_store, tmp_path / "b", today=TODAY, seed=4)
    assert [p.read_bytes() for _, p in first] == [p.read_bytes() for _, p in second]
