"""The outcomes JSON API by role: indicators with suppressed cells and no names,
recruiting per employer only for those who may see single employers, the before/after
comparison with n, medians, change, interval and p; documented, uniquely named schemas."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient
from outcomestools import build_outcomes
from sqlalchemy.orm import Session
from webtools import World, login

from talentbridge.matching import applications as apps
from talentbridge.store.tables import Posting, Profile
from trackingtools import add_job, add_profile

SWITCH = dt.date(2025, 9, 1)


@pytest.fixture()
def outcomes(session: Session, world: World) -> World:
    build_outcomes(session, world)
    return world


def _hired(session: Session, employer: int, college: int, posted: dt.date, days: int) -> None:
    posting = session.get(Posting, add_job(session, employer))
    profile = session.get(Profile, add_profile(session, college))
    assert posting is not None and profile is not None
    posting.posted_on = posted
    start = dt.datetime.combine(posted, dt.time())
    application = apps.create_application(session, profile=profile, posting=posting,
                                          origin="student", user_id=None, note=None, at=start)  # fmt: skip
    for n, stage in enumerate(("screened", "interview", "offer", "hired"), start=1):
        apps.step(session, application, to_stage=stage, user_id=None, note=None,
                  at=start + dt.timedelta(days=days * n / 4))  # fmt: skip


@pytest.fixture()
def hiring(session: Session, outcomes: World) -> World:
    """12 hires before the switch date at 20 days, 12 after at 12 days (−40 %)."""
    employer, college = outcomes.orgs["enterprise"].id, outcomes.orgs["college_a"].id
    for i in range(12):
        _hired(session, employer, college, SWITCH - dt.timedelta(days=10 + 5 * i), 20)
        _hired(session, employer, college, SWITCH + dt.timedelta(days=5 * i), 12)
    session.commit()
    return outcomes


def test_indicators_for_a_college_admin_default_to_own_college(
    client: TestClient, outcomes: World
) -> None:
    login(client, "admin_a")
    body = client.get("/api/v1/outcomes/indicators?year=2025").json()
    assert body["scope"]["college"] == "COL-A" and body["scope"]["min_cell"] == 5
    rates = {i["key"]: i for i in body["indicators"]}
    assert set(rates) == {
        "placement_rate",
        "employment_rate",
        "related_employment_rate",
        "stay_in_region_rate",
        "abroad_rate",
    }
    placement = rates["placement_rate"]["total"]
    assert (placement["numerator"], placement["denominator"]) == (17, 20)
    related = rates["related_employment_rate"]["total"]
    assert (related["numerator"], related["denominator"]) == (9, 11)
    assert body["starting_salary"]["total"]["n"] == 13
    # the alliance is open; another college and a breakdown by college are not
    alliance = client.get("/api/v1/outcomes/indicators?year=2025&alliance=true").json()
    assert alliance["scope"]["college"] is None
    assert client.get("/api/v1/outcomes/indicators?college=COL-B").status_code == 403
    assert client.get("/api/v1/outcomes/indicators?by=college").status_code == 403
    assert client.get("/api/v1/outcomes/indicators?college=NOPE").status_code == 404
    assert client.get("/api/v1/outcomes/indicators?by=shoe").status_code == 400


def test_indicators_by_college_suppress_small_cells_and_name_nobody(
    client: TestClient, outcomes: World
) -> None:
    login(client, "analyst")
    response = client.get("/api/v1/outcomes/indicators?by=college&year=2025")
    assert response.status_code == 200
    rows = {
        r["group"][0]["zh"]: r["cell"]
        for r in next(i for i in response.json()["indicators"] if i["key"] == "placement_rate")[
            "rows"
        ]
    }
    assert rows["成都甲职业技术学院"]["value"] == pytest.approx(0.85)
    assert rows["示例丙学院"] == {
        "numerator": None,
        "denominator": None,
        "value": None,
        "n": None,
        "suppressed": True,
        "extras": {"no_record": None},
        "lower_bound": None,
    }
    assert rows["重庆乙职业学院"]["suppressed"]  # its complement
    assert "毕业生G0" not in response.text and "张小明" not in response.text


def test_indicators_refused_to_students_and_recruiters(client: TestClient, outcomes: World) -> None:
    for who in ("student_a", "recruiter"):
        login(client, who)
        assert client.get("/api/v1/outcomes/indicators").status_code == 403, who


def test_recruiting_per_employer_by_role(client: TestClient, hiring: World) -> None:
    login(client, "analyst")
    body = client.get("/api/v1/outcomes/recruiting").json()
    assert body["overall"]["postings"] == 24 and body["overall"]["hires"] == 24
    assert [e["employer_code"] for e in body["by_employer"]] == ["ENT-1"]
    assert body["overall"]["measures"]["days_to_hire"]["n"] == 24
    login(client, "admin_a")
    staff = client.get("/api/v1/outcomes/recruiting").json()
    assert staff["overall"]["postings"] == 24 and staff["by_employer"] == []  # alliance only
    assert client.get("/api/v1/outcomes/recruiting?employer=ENT-1").status_code == 403
    login(client, "recruiter")
    own = client.get("/api/v1/outcomes/recruiting").json()
    assert own["employer"] == "ENT-1" and own["overall"]["postings"] == 24
    login(client, "student_a")
    assert client.get("/api/v1/outcomes/recruiting").status_code == 403


def test_recruiting_compare_gives_change_interval_and_p(client: TestClient, hiring: World) -> None:
    login(client, "analyst")
    body = client.get(f"/api/v1/outcomes/recruiting/compare?cutoff={SWITCH}").json()
    assert body["status"] == "ok" and body["measure"] == "days_to_hire"
    assert (body["before"]["n"], body["after"]["n"]) == (12, 12)
    assert (body["before"]["median"], body["after"]["median"]) == (20.0, 12.0)
    assert body["change_rel"] == pytest.approx(-0.4)
    assert body["efficiency_change"] == pytest.approx(0.4)
    assert body["ci_low"] == pytest.approx(-0.4) and body["ci_high"] == pytest.approx(-0.4)
    assert 0 <= body["p_value"] < 0.001
    few = client.get(f"/api/v1/outcomes/recruiting/compare?cutoff={SWITCH}&window_days=20")
    assert few.json()["status"] == "insufficient_data" and few.json()["ci_low"] is None
    assert client.get("/api/v1/outcomes/recruiting/compare").status_code == 400  # no date
    bad = client.get(f"/api/v1/outcomes/recruiting/compare?cutoff={SWITCH}&measure=speed")
    assert bad.status_code == 400


def test_recruiting_page_shows_the_comparison_with_its_interval(
    client: TestClient, hiring: World
) -> None:
    login(client, "analyst")
    page = client.get(f"/outcomes/recruiting?cutoff={SWITCH}").text
    assert 'data-comparison="ok"' in page
    assert "−40%" in page or "-40%" in page
    assert "95% 区间" in page and "p 值" in page
    assert "区间不包含零" in page  # explained in plain words
    assert "蓉欧示例物流有限公司" in page  # per employer, for an analyst
    login(client, "admin_a")
    staff = client.get(f"/outcomes/recruiting?cutoff={SWITCH}").text
    assert 'data-comparison="ok"' in staff and "蓉欧示例物流有限公司" not in staff


def test_openapi_documents_the_outcomes_api(client: TestClient) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    for path in (
        "/api/v1/outcomes/indicators",
        "/api/v1/outcomes/recruiting",
        "/api/v1/outcomes/recruiting/compare",
    ):
        responses = schema["paths"][path]["get"]["responses"]
        assert {"200", "401", "403"} <= set(responses), path
    names = schema["components"]["schemas"]
    assert "OutcomeIndicatorsOut" in names and "OutcomeComparisonOut" in names
    assert not [n for n in names if "outcomes" in n]  # no module-qualified (clashing) name


def test_recruiting_page_for_one_employer_and_for_a_recruiter(
    client: TestClient, hiring: World
) -> None:
    login(client, "analyst")
    one = client.get(f"/outcomes/recruiting?employer=ENT-1&cutoff={SWITCH}")
    assert one.status_code == 200 and 'data-comparison="ok"' in one.text
    assert client.get("/outcomes/recruiting?employer=NOPE").status_code == 404
    csv_body = client.get(f"/outcomes/recruiting/download/compare.csv?cutoff={SWITCH}")
    assert csv_body.status_code == 200 and "days_to_hire" in csv_body.text
    assert 'id="recruiting-link"' not in client.get("/matching").text
    login(client, "recruiter")
    assert 'id="recruiting-link"' in client.get("/matching").text  # found from the hub
    own = client.get(f"/outcomes/recruiting?cutoff={SWITCH}")
    assert own.status_code == 200 and 'data-comparison="ok"' in own.text
    login(client, "admin_a")
    assert client.get("/outcomes/recruiting?employer=ENT-1").status_code == 404
