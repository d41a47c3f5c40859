"""The job-fair API for both sides: a student registers and states ranked openings, a
posting's recruiters rank the students they may see, both until the allocation; after
it, the assignment is an application with its fair interview in the student's list and
the employer's pipeline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from matchingtools import Market, build_market
from sqlalchemy.orm import Session
from webtools import World

from talentbridge.accounts.policy import Principal
from talentbridge.accounts.tokens import issue_token
from talentbridge.matching import fairs
from talentbridge.matching.index import clear_index_cache


@pytest.fixture(autouse=True)
def _fresh_index() -> Iterator[None]:
    clear_index_cache()
    yield
    clear_index_cache()


def _bearer(session: Session, world: World, username: str) -> dict[str, str]:
    token = issue_token(session, user_id=world.users[username].id, name="api")
    session.commit()
    return {"Authorization": f"Bearer {token}"}


def test_both_sides_state_lists_until_the_allocation_then_see_the_application(
    client: TestClient, world: World, session: Session
) -> None:
    market: Market = build_market(session, world)
    admin, student, recruiter, teacher = (
        _bearer(session, world, name) for name in ("admin_a", "student_a", "recruiter", "teacher_a")
    )
    made = client.post(
        "/api/v1/match/fairs",
        json={"name_zh": "示例·冬季双选会", "held_on": "2026-12-09", "ends_at": "10:00"},
        headers=admin,
    )
    assert made.status_code == 200, made.text
    fair_id = made.json()["id"]
    organiser = Principal.of(world.users["admin_a"])
    fit = fairs.add_opening(session, organiser, fair_id=fair_id, posting_id=market.fit.id,
                            booth="A01").id  # fmt: skip
    flagged = fairs.add_opening(session, organiser, fair_id=fair_id,
                                posting_id=market.flagged.id).id  # fmt: skip
    session.commit()
    base = f"/api/v1/match/fairs/{fair_id}"
    # not registered yet: no list
    assert client.get(f"{base}/choices", headers=student).status_code == 409
    registered = client.post(f"{base}/registrations", json={}, headers=student)
    assert registered.status_code == 200
    me = world.profiles["student_a"].id
    assert registered.json() == {"fair_id": fair_id, "profile_id": me, "list_stated_at": None}
    # a teacher cannot register another college's student; another student's list is 404
    other = world.profiles["consent_b"].id
    assert (
        client.post(f"{base}/registrations", json={"profile_id": other}, headers=teacher)
    ).status_code == 404
    put = client.put(f"{base}/choices", json={"opening_ids": [flagged, fit]}, headers=student)
    assert put.status_code == 200, put.text
    body = put.json()
    assert body["stated"] and body["can_change"]
    assert [(i["opening_id"], i["rank"]) for i in body["items"]] == [(flagged, 1), (fit, 2)]
    assert client.put(f"{base}/choices", json={"opening_ids": [fit, fit]},
                      headers=student).status_code == 400  # fmt: skip
    # the recruiter sees the student (they chose the opening), with their rank, no contact
    seen = client.get(f"{base}/openings/{fit}/choices", headers=recruiter)
    assert seen.status_code == 200
    candidates = {c["profile_id"]: c for c in seen.json()["candidates"]}
    assert candidates[me]["chose_rank"] == 2 and "phone" not in candidates[me]
    ranked = client.put(f"{base}/openings/{fit}/choices", json={"profile_ids": [me]},
                        headers=recruiter)  # fmt: skip
    assert ranked.status_code == 200 and ranked.json()["stated"]
    assert client.put(f"{base}/openings/{fit}/choices", json={"profile_ids": [me]},
                      headers=student).status_code == 403  # fmt: skip
    # the student changes their mind: the fit first
    client.put(f"{base}/choices", json={"opening_ids": [fit]}, headers=student)
    allocated = client.post(f"{base}/allocate", headers=admin)
    assert allocated.status_code == 200 and allocated.json()["applications"] >= 1
    # closed for both sides now
    assert client.put(f"{base}/choices", json={"opening_ids": []},
                      headers=student).status_code == 409  # fmt: skip
    assert client.put(f"{base}/openings/{fit}/choices", json={"profile_ids": []},
                      headers=recruiter).status_code == 409  # fmt: skip
    assert client.get(f"{base}/choices", headers=student).json()["can_change"] is False
    mine = client.get("/api/v1/match/applications", headers=student).json()
    (application,) = [a for a in mine["applications"] if a["posting_id"] == market.fit.id]
    assert (application["origin"], application["stage"]) == ("fair", "interview")
    (slot,) = application["fair_interviews"]
    assert (
        slot["booth"] == "A01" and slot["assigned"] and slot["starts_at"].startswith("2026-12-09")
    )
    (plan,) = mine["fairs"]
    assert plan["assignment"]["application_id"] == application["id"] and plan["choices"] == 1
    pipeline = client.get(
        "/api/v1/match/pipeline", params={"posting_id": market.fit.id}, headers=recruiter
    ).json()
    (line,) = [a for a in pipeline["applications"] if a["profile_id"] == me]
    assert line["fair_interviews"][0]["fair_name_zh"] == "示例·冬季双选会"
    assert pipeline["fairs"] == []
    assert dt.date.fromisoformat(plan["held_on"]) == dt.date(2026, 12, 9)
