"""Advice from emerging skill clusters, on postings counted by the real cube: a skill
family no course teaches grows strongly → "open a new direction" naming its skills; a
family that grows as much but is taught is not proposed. And the per-store-state cache
of the advice: repeat views share one report, a course import or a cube refresh
recomputes."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from advice_store import Store, build
from demandtools import add_posting, add_taxonomy
from talentbridge.analytics.advice import advise
from talentbridge.analytics.advice_cache import cached_advise, clear_cache
from talentbridge.analytics.cube import refresh
from talentbridge.store.tables import CollegeMajor
from talentbridge.store.teaching_tables import Course, CourseConcept, TrainingPlan

FAMILIES = {
    "X": ("冷链温控", "医药冷链"),
    "Y": ("关务单证", "报关申报"),
    "W": ("仓储作业", "叉车作业"),
}


def _names(family: str) -> list[str]:
    return [f"{family}{i}-{FAMILIES[family][i % 2]}" for i in range(1, 5)]


class Families:
    def __init__(self, store: Store, ids: dict[str, int]) -> None:
        self.store = store
        self.ids = ids

    def of(self, family: str) -> set[int]:
        return {self.ids[n] for n in _names(family)}


def _postings(session: Session, names: Sequence[int], month: str, n: int) -> None:
    for i in range(n):
        add_posting(session, month=month, place="510107", concepts=list(names),
                    title=f"岗位{i}", salary=(6000, 8000))  # fmt: skip


def _teach(session: Session, college_major_id: int, concepts: set[int], name: str) -> None:
    plan = session.scalar(
        select(TrainingPlan).where(TrainingPlan.college_major_id == college_major_id)
    )
    if plan is None:
        plan = TrainingPlan(college_major_id=college_major_id, direction_key=0, year=2024)
        session.add(plan)
        session.flush()
    course = Course(training_plan_id=plan.id, name=name, description=name)
    session.add(course)
    session.flush()
    session.add_all([CourseConcept(course_id=course.id, concept_id=c) for c in concepts])


@pytest.fixture()
def families(factory: sessionmaker[Session]) -> Families:
    """X (taught nowhere) and Y (taught by C01) each grow from 20 to 150 postings a year
    in Chengdu from 2024 to 2025; W (taught by C01) stays at 100."""
    store = build(factory)
    with factory() as session:
        ids = add_taxonomy(session, [n for f in "XYW" for n in _names(f)], code="fam")
        for family, before, now in (("X", 20, 150), ("Y", 20, 150), ("W", 100, 100)):
            members = sorted(ids[n] for n in _names(family))
            _postings(session, members, "2024-05", before)
            _postings(session, members, "2025-05", now)
        c01 = session.scalar(
            select(CollegeMajor.id).where(CollegeMajor.organization_id == store.colleges["C01"])
        )
        assert c01 is not None
        fam = Families(store, ids)
        _teach(session, c01, fam.of("Y") | fam.of("W"), "关务与仓储实务")
        session.commit()
    refresh(factory)
    clear_cache()
    return fam


def test_an_untaught_emerging_cluster_is_advised_as_a_new_direction(
    session: Session, families: Families
) -> None:
    report = advise(session, region="circle", with_forecast=False)
    clusters = [r for r in report.recommendations if r.kind == "cluster"]
    assert len(clusters) == 1, [(r.name_zh, r.evidence.get("skills")) for r in clusters]
    rec = clusters[0]
    assert rec.action == "open" and rec.key.startswith("cluster:")
    assert set(rec.reasons) == {"emerging_cluster", "not_taught"}
    skills = {s["concept_id"] for s in rec.evidence["skills"]}
    assert skills == families.of("X")
    labels = {s["label_zh"] for s in rec.evidence["skills"]}
    assert labels == set(_names("X"))
    # named by its top skills; every X posting names all four, so any three of them
    assert sum(name in rec.name_zh for name in _names("X")) == 3
    ev = rec.evidence
    assert ev["coverage"] == 0.0 and ev["years"] == ["2024", "2025"]
    assert (ev["postings"], ev["postings_previous"]) == (150, 20)
    # share 150 / 400 this year against 20 / 140 the year before
    assert ev["growth"] == pytest.approx((150 / 400) / (20 / 140) - 1, abs=1e-3)
    assert rec.components["trend"] == 1.0 and rec.components["gap"] == 1.0
    assert len(ev["sample_postings"]) == 5
    assert all(p["month"] == "2025-05" for p in ev["sample_postings"])
    # Y grew as fast but C01 teaches it: not proposed to the region
    assert not any(set(s["concept_id"] for s in r.evidence["skills"]) & families.of("Y")
                   for r in clusters)  # fmt: skip


def test_a_college_is_advised_the_clusters_its_own_courses_miss(
    session: Session, families: Families
) -> None:
    c02 = advise(session, region="circle", college_id=families.store.colleges["C02"],
                 with_forecast=False)  # fmt: skip
    proposed = [
        {s["concept_id"] for s in r.evidence["skills"]}
        for r in c02.recommendations
        if r.kind == "cluster"
    ]
    assert families.of("X") in proposed and families.of("Y") in proposed
    c01 = advise(session, region="circle", college_id=families.store.colleges["C01"],
                 with_forecast=False)  # fmt: skip
    assert [
        {s["concept_id"] for s in r.evidence["skills"]}
        for r in c01.recommendations
        if r.kind == "cluster"
    ] == [families.of("X")]


def test_cached_advice_is_reused_until_courses_or_the_cube_change(
    factory: sessionmaker[Session], families: Families
) -> None:
    with factory() as session:
        first = cached_advise(session, region="circle", with_forecast=False)
    with factory() as session:
        again = cached_advise(session, region="circle", with_forecast=False)
        other = cached_advise(session, region="all", with_forecast=False)
    assert again is first and other is not first
    assert first.college is None and first.to_dict()["recommendations"]
    # a course now teaches X: the next view recomputes and X is no longer proposed
    with factory() as session:
        c02 = session.scalar(
            select(CollegeMajor.id).where(
                CollegeMajor.organization_id == families.store.colleges["C02"]
            )
        )
        assert c02 is not None
        _teach(session, c02, families.of("X"), "冷链物流")
        session.commit()
    with factory() as session:
        taught = cached_advise(session, region="circle", with_forecast=False)
    assert taught is not first
    assert not [r for r in taught.recommendations if r.kind == "cluster"]
    # new postings counted by a refresh: recomputed again
    with factory() as session:
        _postings(session, sorted(families.of("W")), "2025-06", 3)
        session.commit()
    refresh(factory)
    with factory() as session:
        refreshed = cached_advise(session, region="circle", with_forecast=False)
        assert refreshed is not taught
        assert cached_advise(session, region="circle", with_forecast=False) is refreshed
        assert refreshed.supply.period is not None and refreshed.supply.period.end == "2025-06"
