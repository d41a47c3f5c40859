"""Reading the cube: periods, top occupations and skills, series, regions, profiles."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session, sessionmaker

from demandtools import add_occupation, add_posting, add_taxonomy
from talentbridge.analytics import demand, regional
from talentbridge.analytics.cube import refresh
from talentbridge.analytics.demand import BadPeriod, Period
from talentbridge.analytics.regions import UnknownRegion, parse_region, region_keys

WUHOU, YUBEI, BEIJING = "510107", "500112", "110000"


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [("2025-11", "2026-02", ["2025-11", "2025-12", "2026-01", "2026-02"]),
     ("2025-05", "2025-05", ["2025-05"])],
)  # fmt: skip
def test_a_period_lists_its_months(start: str, end: str, months: list[str]) -> None:
    assert Period(start, end).months == months
    assert Period(start, end).shifted(-12).start == f"{int(start[:4]) - 1}{start[4:]}"


@pytest.mark.parametrize(
    ("start", "end"), [("2025-13", "2025-12"), ("2025-05", "2025-04"), ("x", "y")]
)
def test_bad_periods_are_refused(start: str, end: str) -> None:
    with pytest.raises(BadPeriod):
        Period(start, end)


def test_region_keys_and_parsing() -> None:
    assert region_keys("510000", "510100", "510107", True) == [
        "all",
        "circle",
        "p:510000",
        "c:510100",
        "d:510107",
    ]
    assert region_keys("500000", "500000", "500112", True) == [
        "all",
        "circle",
        "p:500000",
        "d:500112",
    ]
    assert parse_region("c:500000").key == "p:500000"  # Chongqing is a province-level city
    assert parse_region("c:510100").name_zh == "成都市"
    for bad in ("x:1", "c:999999", "", "p:"):
        with pytest.raises(UnknownRegion):
            parse_region(bad)


@pytest.fixture
def store(factory: sessionmaker[Session]) -> dict[str, int]:
    with factory.begin() as session:
        ids = add_taxonomy(session, ["报关", "WMS", "Excel"])
        customs = add_occupation(session, "2-06-07-05", "报关员")
        keeper = add_occupation(session, "4-02-06-01", "仓储管理员")
        for _ in range(3):
            add_posting(session, month="2025-02", place=WUHOU, occupation_id=customs,
                        salary=(8000, 10000), concepts=[ids["报关"], ids["Excel"]])  # fmt: skip
        add_posting(session, month="2025-03", place=YUBEI, occupation_id=keeper,
                    salary=(5000, 6000), openings=4, concepts=[ids["WMS"]])  # fmt: skip
        add_posting(session, month="2025-03", place=BEIJING, occupation_id=keeper,
                    salary=None, concepts=[ids["WMS"], ids["Excel"]])  # fmt: skip
        ids |= {"customs": customs, "keeper": keeper}
    refresh(factory)
    return ids


def test_top_occupations_rank_by_postings_with_pay_quartiles(
    factory: sessionmaker[Session], store: dict[str, int]
) -> None:
    with factory() as session:
        table = demand.top_occupations(session, region="all", period=Period("2025-01", "2025-12"))
    assert [r["occupation_id"] for r in table.rows] == [store["customs"], store["keeper"]]
    first, second = table.rows
    assert (first["postings"], first["share"]) == (3, 0.6)
    assert first["salary_median"] == pytest.approx(9000, rel=0.05)
    assert (second["postings"], second["openings"]) == (2, 5)
    assert second["salary_median"] == pytest.approx(5500, rel=0.05)  # Beijing has no pay


def test_top_skills_share_and_pay_depend_on_region_and_period(
    factory: sessionmaker[Session], store: dict[str, int]
) -> None:
    year = Period("2025-01", "2025-12")
    with factory() as session:
        everywhere = demand.top_skills(session, region="all", period=year)
        circle = demand.top_skills(session, region="circle", period=year)
        march = demand.top_skills(session, region="all", period=Period("2025-03", "2025-03"))
        district = demand.top_skills(session, region="d:510107", period=year)
    assert [(r["label_zh"], r["postings"]) for r in everywhere.rows] == [
        ("Excel", 4), ("报关", 3), ("WMS", 2)]  # fmt: skip
    assert everywhere.rows[0]["share"] == 0.8
    assert {r["label_zh"]: r["postings"] for r in circle.rows} == {"Excel": 3, "报关": 3, "WMS": 1}
    assert {r["label_zh"] for r in march.rows} == {"WMS", "Excel"}
    assert district.rows[0]["salary_median"] is None and district.rows[0]["salary_mean"] == 9000
    assert district.notes


def test_series_fill_missing_months_with_zero(
    factory: sessionmaker[Session], store: dict[str, int]
) -> None:
    months = Period("2025-01", "2025-04").months
    with factory() as session:
        assert demand.skill_series(
            session, concept_id=store["Excel"], region="all", months=months
        ) == [0, 3, 1, 0]
        assert demand.occupation_series(
            session, occupation_id=store["keeper"], region="circle", months=months
        ) == [0, 0, 1, 0]
        assert demand.monthly_totals(session, region="all", months=months) == [0, 3, 2, 0]
        assert demand.available_months(session) == ["2025-02", "2025-03"]
        assert demand.default_period(session) == Period("2025-02", "2025-03")


def test_region_comparison_gives_location_quotients(
    factory: sessionmaker[Session], store: dict[str, int]
) -> None:
    with factory() as session:
        table = regional.region_comparison(session, period=Period("2025-01", "2025-12"))
        overview = regional.region_overview(session, period=Period("2025-01", "2025-12"))
    wms = next(r for r in table.rows if r["label_zh"] == "WMS")
    # WMS: 2 of 5 postings everywhere; Chongqing 1 of 1 → LQ 2.5; Chengdu 0 of 3 → 0
    assert wms["p_500000_lq"] == 2.5 and wms["c_510100_lq"] == 0
    assert wms["elsewhere_postings"] == 1 and wms["elsewhere_lq"] == 2.5
    by_key = {r["key"]: r for r in overview.rows}
    assert by_key["elsewhere"]["postings"] == 1 and by_key["circle"]["postings"] == 4


def test_occupation_profile_lists_its_skills(
    factory: sessionmaker[Session], store: dict[str, int]
) -> None:
    with factory() as session:
        table = demand.occupation_profile(
            session,
            occupation_id=store["keeper"],
            region="all",
            period=Period("2025-01", "2025-12"),
        )
    assert [(r["label_zh"], r["postings"], r["share"]) for r in table.rows] == [
        ("WMS", 2, 1.0), ("Excel", 1, 0.5)]  # fmt: skip
    assert table.rows[0]["salary_mean"] == 5500
