"""The demand cube: what refresh counts, incrementally, and when it rebuilds."""

from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from demandtools import add_occupation, add_posting, add_taxonomy
from talentbridge.analytics.bins import bin_of
from talentbridge.analytics.cube import get_state, mark_stale, rebuild, refresh
from talentbridge.store.demand_tables import (
    DemandCell,
    DemandOccupationSkill,
    DemandSalaryBin,
    DemandSkill,
    DemandSkillPair,
    DemandSkillSalaryBin,
    DemandYear,
)
from talentbridge.store.tables import Posting, PostingConcept

WUHOU, YUBEI, BEIJING = "510107", "500112", "110000"


def _cells(session: Session, region: str) -> tuple[int, int, int, int]:
    row = session.execute(
        select(
            func.sum(DemandCell.postings),
            func.sum(DemandCell.openings),
            func.sum(DemandCell.salary_n),
            func.sum(DemandCell.salary_sum),
        ).where(DemandCell.region == region)
    ).one()
    return tuple(int(x or 0) for x in row)  # type: ignore[return-value]


def _skill(session: Session, region: str, concept: int) -> tuple[int, int, int] | None:
    row = session.execute(
        select(
            func.sum(DemandSkill.postings),
            func.sum(DemandSkill.openings),
            func.sum(DemandSkill.preferred),
        ).where(DemandSkill.region == region, DemandSkill.concept_id == concept)
    ).one()
    return None if row[0] is None else (int(row[0]), int(row[1]), int(row[2]))


def test_refresh_counts_every_region_level(factory: sessionmaker[Session]) -> None:
    with factory.begin() as session:
        ids = add_taxonomy(session, ["报关", "WMS"])
        occ = add_occupation(session, "4-02-06-03", "报关员")
        add_posting(session, place=WUHOU, occupation_id=occ, salary=(6000, 8000), openings=3,
                    concepts=[ids["报关"]])  # fmt: skip
        add_posting(session, place=YUBEI, salary=(5000, 5000), openings=None,
                    concepts=[ids["报关"], ids["WMS"]])  # fmt: skip
        add_posting(session, place=BEIJING, salary=None, concepts=[ids["WMS"]])
    report = refresh(factory)
    assert (report.postings, report.rebuilt) == (3, False)
    with factory() as session:
        assert _cells(session, "all") == (3, 5, 2, 12000)  # openings: 3 + 1 + 1
        assert _cells(session, "circle") == (2, 4, 2, 12000)
        assert _cells(session, "p:510000") == (1, 3, 1, 7000)
        assert _cells(session, "c:510100") == (1, 3, 1, 7000)
        assert _cells(session, "d:510107") == (1, 3, 1, 7000)
        assert _cells(session, "p:500000") == (1, 1, 1, 5000)
        assert _cells(session, "c:500000") == (0, 0, 0, 0)  # a municipality: p: only
        assert _cells(session, "d:500112") == (1, 1, 1, 5000)
        assert _cells(session, "p:110000") == (1, 1, 0, 0)
        assert _skill(session, "all", ids["报关"]) == (2, 4, 0)
        assert _skill(session, "circle", ids["WMS"]) == (1, 1, 0)
        assert _skill(session, "all", ids["WMS"]) == (2, 2, 0)
        bins = dict(
            session.execute(
                select(DemandSalaryBin.bin, func.sum(DemandSalaryBin.n))
                .where(DemandSalaryBin.region == "all")
                .group_by(DemandSalaryBin.bin)
            ).all()
        )
        assert bins == {bin_of(7000): 1, bin_of(5000): 1}
        occupation_skill = session.execute(
            select(DemandOccupationSkill.postings).where(
                DemandOccupationSkill.region == "all",
                DemandOccupationSkill.occupation_id == occ,
                DemandOccupationSkill.concept_id == ids["报关"],
            )
        ).scalar_one()
        assert occupation_skill == 1
        # districts are not kept for skill salaries
        assert not session.scalar(
            select(func.count())
            .select_from(DemandSkillSalaryBin)
            .where(DemandSkillSalaryBin.region.like("d:%"))
        )


def test_negated_hits_do_not_count_and_preferred_needs_every_hit(
    factory: sessionmaker[Session],
) -> None:
    with factory.begin() as session:
        ids = add_taxonomy(session, ["英语", "叉车证", "Excel"])
        add_posting(session, concepts=[(ids["英语"], "preferred", False),
                                       (ids["叉车证"], "required", True),
                                       (ids["Excel"], "preferred", False),
                                       (ids["Excel"], "required", False)])  # fmt: skip
    refresh(factory)
    with factory() as session:
        assert _skill(session, "all", ids["英语"]) == (1, 1, 1)
        assert _skill(session, "all", ids["叉车证"]) is None
        assert _skill(session, "all", ids["Excel"]) == (1, 1, 0)


def test_pairs_count_postings_naming_both_per_year(factory: sessionmaker[Session]) -> None:
    with factory.begin() as session:
        a, b, c = add_taxonomy(session, ["a", "b", "c"]).values()
        add_posting(session, month="2024-05", place=WUHOU, concepts=[a, b, c])
        add_posting(session, month="2024-07", place=BEIJING, concepts=[b, a])
        add_posting(session, month="2025-01", place=WUHOU, concepts=[a, b])
    refresh(factory)
    with factory() as session:
        pairs = {
            (r.region, r.year, r.concept_a, r.concept_b): r.n
            for r in session.scalars(select(DemandSkillPair))
        }
        years = {(r.region, r.year): r.postings for r in session.scalars(select(DemandYear))}
    assert pairs == {
        ("all", "2024", a, b): 2, ("all", "2024", a, c): 1, ("all", "2024", b, c): 1,
        ("circle", "2024", a, b): 1, ("circle", "2024", a, c): 1, ("circle", "2024", b, c): 1,
        ("all", "2025", a, b): 1, ("circle", "2025", a, b): 1,
    }  # fmt: skip
    assert years[("all", "2024")] == 2 and years[("circle", "2024")] == 1
    assert years[("c:510100", "2025")] == 1


def test_refresh_is_incremental_and_rebuild_gives_the_same_cube(
    factory: sessionmaker[Session],
) -> None:
    with factory.begin() as session:
        ids = add_taxonomy(session, ["报关", "WMS"])
        for month in ("2025-01", "2025-02"):
            add_posting(session, month=month, concepts=list(ids.values()))
    first = refresh(factory)
    assert first.postings == 2
    assert refresh(factory).postings == 0  # nothing new: nothing added twice
    with factory.begin() as session:
        add_posting(session, month="2025-02", place=YUBEI, concepts=[ids["WMS"]])
    second = refresh(factory)
    assert (second.postings, second.rebuilt) == (1, False)
    assert second.version > first.version

    def snapshot() -> list[tuple[object, ...]]:
        with factory() as session:
            return sorted(
                tuple(r)
                for r in session.execute(
                    select(
                        DemandSkill.region,
                        DemandSkill.concept_id,
                        DemandSkill.month,
                        DemandSkill.postings,
                        DemandSkill.salary_sum,
                    )
                )
            )

    incremental = snapshot()
    assert rebuild(factory).rebuilt
    assert snapshot() == incremental
    with factory() as session:
        assert _cells(session, "all")[0] == 3


def test_deleted_postings_or_a_stale_mark_trigger_a_rebuild(
    factory: sessionmaker[Session],
) -> None:
    with factory.begin() as session:
        first = add_posting(session)
        add_posting(session)
    refresh(factory)
    with factory.begin() as session:
        session.execute(delete(Posting).where(Posting.id == first))
    report = refresh(factory)
    assert report.rebuilt and report.reason and "counted" in report.reason
    with factory() as session:
        assert _cells(session, "all")[0] == 1
    with factory.begin() as session:
        mark_stale(session)
    assert refresh(factory).reason == "marked stale"
    with factory() as session:
        assert not get_state(session).stale
        assert get_state(session).postings == 1


def test_re_extraction_rebuilds_the_cube_and_no_change_does_nothing(
    factory: sessionmaker[Session],
) -> None:
    from talentbridge.analytics.cube import recount_after_reextraction

    with factory.begin() as session:
        ids = add_taxonomy(session, ["报关"])
        posting = add_posting(session, concepts=[ids["报关"]])
    refresh(factory)
    assert recount_after_reextraction(factory, 0) is None
    with factory.begin() as session:  # what a re-extraction does: the concepts change
        session.execute(delete(PostingConcept).where(PostingConcept.posting_id == posting))
    report = recount_after_reextraction(factory, 1)
    assert report is not None and report.rebuilt
    with factory() as session:
        assert _skill(session, "all", ids["报关"]) is None
