"""Supply vs demand on hand-made numbers, and the advice's decisions with evidence:
demand rising against flat supply → open / expand; demand falling → shrink / hold."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session, sessionmaker

from advice_store import Store, build, fill_cube, occupation_id
from talentbridge.analytics.advice import advise, components, decide, weighted
from talentbridge.analytics.supply import growth, latest_period, org_region_keys, supply_demand
from talentbridge.config import AdviceSettings, SettingsError, load_settings

# 530802 现代物流管理: primary 4-02-06-03, 4-02-06-01; related 4-02-06-05 …
# 530702 跨境电子商务: primary 4-01-02-09 (offered by no college in the store)
LOGISTICS_FLAT = {"4-02-06-03": (50, 50), "4-02-06-01": (40, 40)}
LOGISTICS_FALLING = {"4-02-06-03": (100, 35), "4-02-06-01": (80, 30)}
CBEC_RISING = {"4-01-02-09": (20, 70)}


@pytest.fixture()
def store(factory: sessionmaker[Session]) -> Store:
    return build(factory)


def test_supply_numbers_follow_the_definitions(store: Store, session: Session) -> None:
    fill_cube(session, LOGISTICS_FLAT | CBEC_RISING, pay=6000)
    period = latest_period(session)
    assert period is not None and (period.start, period.end) == ("2024-07", "2025-06")
    assert (period.prev_start, period.prev_end) == ("2023-07", "2024-06")
    report = supply_demand(session, region="circle", with_forecast=False)
    assert report.region_postings == 12 * (50 + 40 + 70)
    logistics = report.find("associate:530802")
    assert logistics is not None
    assert logistics.postings == 12 * 90 and logistics.prev_postings == 12 * 90
    assert logistics.yoy == 0.0 and not logistics.significant
    # both colleges lie in the circle: 100 + 100 graduates a year
    assert logistics.graduates == 200
    assert sorted(c.code for c in logistics.colleges) == ["C01", "C02"]
    assert logistics.postings_per_graduate == pytest.approx(1080 / 200)
    assert logistics.gap_ratio == 1.0  # the only major graduated in: the region's average
    assert logistics.demand_per_1000 == pytest.approx(1000 * 1080 / 1920, abs=0.01)
    assert logistics.salary_median is not None and abs(logistics.salary_median - 6000) < 300
    cbec = report.find("associate:530702")
    assert cbec is not None
    assert cbec.postings == 840 and cbec.prev_postings == 240
    assert cbec.yoy == pytest.approx(2.5) and cbec.significant
    assert cbec.graduates == 0 and cbec.gap_ratio is None and not cbec.offered
    # the average over catalog majors with any demand is the index's 100
    demanded = [i.postings for i in report.majors() if i.postings > 0]
    mean = sum(demanded) / len(demanded)
    assert logistics.demand_index == pytest.approx(100 * 1080 / mean, abs=0.1)
    # Chengdu alone: only C01 counts as supply
    chengdu = supply_demand(session, region="c:510100", with_forecast=False)
    found = chengdu.find("associate:530802")
    assert found is not None and found.graduates == 100
    assert [c.code for c in found.colleges] == ["C01"]


def test_direction_supply_and_demand_come_from_its_cohorts_and_skills(
    store: Store, session: Session
) -> None:
    assert store.direction_concepts, "the extractor finds a concept in 跨境电商"
    skills = {c: (10, 40) for c in store.direction_concepts}
    fill_cube(session, LOGISTICS_FLAT, skills)
    report = supply_demand(session, region="circle", with_forecast=False)
    direction = report.find("associate:530802:跨境电商")
    assert direction is not None
    assert direction.graduates == 30
    assert direction.leading_concept in store.direction_concepts
    assert (direction.postings, direction.prev_postings) == (480, 120)
    assert [c.code for c in direction.colleges] == ["C01"]


def test_rising_demand_with_flat_supply_recommends_open_and_expand_with_evidence(
    store: Store, session: Session
) -> None:
    skills = {c: (10, 45) for c in store.direction_concepts}
    fill_cube(session, LOGISTICS_FLAT | CBEC_RISING, skills)
    region = advise(session, region="circle", with_clusters=False)
    by_key = {r.key: r for r in region.recommendations}
    cbec = by_key["associate:530702"]
    assert cbec.action == "open"
    assert cbec.evidence["yoy"] == pytest.approx(2.5)
    assert cbec.evidence["graduates"] == 0 and cbec.evidence["colleges"] == []
    assert "rising" in cbec.reasons and "no_supply" in cbec.reasons
    assert cbec.evidence["forecast"] is not None
    assert cbec.evidence["forecast"]["months"][0] == "2025-07"
    assert cbec.components["trend"] > 0.5
    # the ranking puts the opening first; the flat major is held
    assert region.recommendations[0].key == "associate:530702"
    assert by_key["associate:530802"].action == "hold"

    college = advise(session, region="circle", college_id=store.colleges["C01"],
                     with_clusters=False)  # fmt: skip
    mine = {r.key: r for r in college.recommendations}
    direction = mine["associate:530802:跨境电商"]
    assert direction.action == "expand"
    assert direction.evidence["graduates"] == 30
    assert direction.evidence["yoy"] == pytest.approx(3.5)
    assert [c["code"] for c in direction.evidence["colleges"]] == ["C01"]
    assert direction.evidence["leading_skill"]["concept_id"] in store.direction_concepts
    assert mine["associate:530702"].action == "open"


def test_falling_demand_recommends_shrink_or_hold(store: Store, session: Session) -> None:
    fill_cube(session, LOGISTICS_FALLING)
    for college_id in (None, store.colleges["C02"]):
        report = advise(session, region="circle", college_id=college_id, with_clusters=False)
        logistics = next(r for r in report.recommendations if r.key == "associate:530802")
        assert logistics.action in ("shrink", "hold")
        assert logistics.components["trend"] < 0
        assert logistics.score < AdviceSettings().expand_threshold
        assert logistics.evidence["yoy"] == pytest.approx(65 / 180 - 1, abs=0.001)
        assert "falling" in logistics.reasons
        assert logistics.evidence["sample_postings"] == []  # the cube alone has no postings
        assert logistics.evidence["colleges"]
    # nothing not offered is proposed for opening when nothing rises
    assert all(r.action != "open" for r in report.recommendations)
    # with the level and gap switched off, the fall alone decides: shrink
    trend_only = AdviceSettings(weight_level=0, weight_gap=0, weight_salary=0)
    report = advise(session, region="circle", settings=trend_only, with_clusters=False)
    logistics = next(r for r in report.recommendations if r.key == "associate:530802")
    assert logistics.action == "shrink"


def test_too_little_evidence_holds_and_weights_come_from_settings(
    store: Store, session: Session
) -> None:
    fill_cube(session, {"4-02-06-03": (1, 0)})
    report = advise(session, region="circle", with_clusters=False, with_forecast=False)
    logistics = next(r for r in report.recommendations if r.key == "associate:530802")
    assert logistics.action == "hold" and "little_evidence" in logistics.reasons

    parts = {"level": 1.0, "trend": -1.0, "gap": 0.0, "salary": 0.0}
    trend_only = AdviceSettings(weight_level=0, weight_trend=1, weight_gap=0, weight_salary=0)
    assert weighted(parts, trend_only) == -1.0
    assert weighted(parts, AdviceSettings()) == pytest.approx((0.3 - 0.35) / 1.0, abs=0.001)
    assert decide(0.3, offered=False, evidence_postings=100, settings=AdviceSettings()) == "open"
    assert decide(0.3, offered=False, evidence_postings=5, settings=AdviceSettings()) is None
    assert decide(-0.3, offered=True, evidence_postings=100, settings=AdviceSettings()) == "shrink"


def test_advice_settings_are_read_from_the_environment() -> None:
    settings = load_settings({
        "TALENTBRIDGE_ADVICE_WEIGHTS": "level=0.5, trend=0.5, gap=0, salary=0",
        "TALENTBRIDGE_ADVICE_THRESHOLDS": "open=0.4,expand=0.3,shrink=-0.1",
        "TALENTBRIDGE_ADVICE_MIN_POSTINGS": "12",
    })  # fmt: skip
    advice = settings.advice
    assert (advice.weight_level, advice.weight_gap, advice.open_threshold) == (0.5, 0.0, 0.4)
    assert (advice.shrink_threshold, advice.min_postings) == (-0.1, 12)
    assert load_settings({}).advice == AdviceSettings()
    with pytest.raises(SettingsError, match="TALENTBRIDGE_ADVICE_WEIGHTS"):
        load_settings({"TALENTBRIDGE_ADVICE_WEIGHTS": "levle=1"})
    with pytest.raises(SettingsError, match="shrink must be below expand"):
        load_settings({"TALENTBRIDGE_ADVICE_THRESHOLDS": "expand=-0.5"})


def test_helpers_growth_components_and_places(store: Store, session: Session) -> None:
    assert growth(150, 100) == (0.5, True)
    assert growth(105, 100) == (pytest.approx(0.05), False)
    assert growth(0, 0) == (None, False)
    assert org_region_keys("510100", "510107") == ["all", "circle", "p:510000", "c:510100",
                                                  "d:510107"]  # fmt: skip
    assert org_region_keys("500000", "500112")[:3] == ["all", "circle", "p:500000"]
    assert org_region_keys(None, None) == ["all"]
    fill_cube(session, CBEC_RISING)
    report = supply_demand(session, region="circle", with_forecast=False)
    cbec = report.find("associate:530702")
    assert cbec is not None
    parts = components(cbec, report.region_salary_median)
    assert parts["gap"] == 1.0 and parts["trend"] == 1.0
    assert occupation_id(session, "4-01-02-09") in cbec.primary
