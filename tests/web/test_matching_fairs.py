"""Job fair pages (create, openings, registrations, the allocation run and its schedule)
and the fairness audit (aggregates only, small groups suppressed)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from matchingtools import Market, build_market, form_token
from sqlalchemy import select
from sqlalchemy.orm import Session
from webtools import World, login

from talentbridge.matching.index import clear_index_cache
from talentbridge.store.matching_tables import (
    FairAssignment,
    FairInterview,
    JobFair,
    ProfileProtected,
)


@pytest.fixture(autouse=True)
def _fresh_index() -> Iterator[None]:
    clear_index_cache()
    yield
    clear_index_cache()


@pytest.fixture()
def market(session: Session, world: World) -> Market:
    return build_market(session, world)


def _create_fair(client: TestClient) -> int:
    token = form_token(client, "/matching/fairs")
    response = client.post(
        "/matching/fairs",
        data={"name_zh": "示例·秋季双选会", "name_en": "Autumn fair", "held_on": "2026-12-05",
              "venue": "体育馆", "starts_at": "09:00", "ends_at": "10:00",
              "slot_minutes": "20", "csrf_token": token},
    )  # fmt: skip
    assert response.status_code == 200 and "双选会已创建" in response.text
    return int(str(response.url).split("/matching/fairs/")[1].split("?")[0])


def test_college_admin_runs_a_fair_from_creation_to_schedule(
    client: TestClient, world: World, market: Market, session: Session
) -> None:
    login(client, "admin_a")
    fair_id = _create_fair(client)
    url = f"/matching/fairs/{fair_id}"
    token = form_token(client, url)
    for posting, seats in ((market.fit, 1), (market.flagged, 1)):
        added = client.post(
            f"{url}/openings",
            data={"posting_id": str(posting.id), "seats": str(seats), "booth": "A1",
                  "csrf_token": token},
        )  # fmt: skip
        assert added.status_code == 200
    for key in ("student_a", "private_a"):
        registered = client.post(
            f"{url}/registrations",
            data={"profile_id": str(world.profiles[key].id), "csrf_token": token},
        )
        assert registered.status_code == 200
    page = client.get(url).text
    assert "张小明" in page and "李秘密" in page and market.fit.title in page
    ran = client.post(f"{url}/allocate", data={"csrf_token": token})
    assert ran.status_code == 200 and "分配已完成" in ran.text
    assert "分配名单" in ran.text and "面试安排" in ran.text
    assignments = session.scalars(
        select(FairAssignment).where(FairAssignment.fair_id == fair_id)
    ).all()
    assert assignments  # somebody was placed
    interviews = session.scalars(
        select(FairInterview).where(FairInterview.fair_id == fair_id)
    ).all()
    slots = [(i.profile_id, i.starts_at) for i in interviews]
    assert len(slots) == len(set(slots))  # no student twice at the same time
    openings = [(i.fair_opening_id, i.starts_at) for i in interviews]
    assert len(openings) == len(set(openings))  # no opening twice at the same time
    fair = session.get(JobFair, fair_id)
    session.refresh(fair)
    assert fair is not None and fair.status == "allocated"
    # the student sees their own result only
    login(client, "student_a")
    own = client.get(url)
    assert own.status_code == 200 and "李秘密" not in own.text


@pytest.mark.parametrize("username", ["student_a", "recruiter", "analyst", "admin_b"])
def test_only_the_fairs_college_runs_it(
    client: TestClient, world: World, market: Market, username: str
) -> None:
    login(client, "admin_a")
    fair_id = _create_fair(client)
    client.post(
        f"/matching/fairs/{fair_id}/registrations",
        data={"profile_id": str(world.profiles["private_a"].id),
              "csrf_token": form_token(client, "/matching/fairs")},
    )  # fmt: skip
    login(client, username)
    page = client.get(f"/matching/fairs/{fair_id}")
    assert page.status_code == 200  # a fair is a public event...
    assert "李秘密" not in page.text  # ...its registrations are not
    assert 'id="run-allocation"' not in page.text
    token = form_token(client, "/matching/fairs")
    assert (
        client.post(f"/matching/fairs/{fair_id}/allocate", data={"csrf_token": token}).status_code
        == 403
    )


def test_fair_creation_is_refused_to_other_roles_and_checks_input(
    client: TestClient, world: World
) -> None:
    login(client, "recruiter")
    token = form_token(client, "/matching/fairs")
    assert "创建双选会" not in client.get("/matching/fairs").text
    refused = client.post(
        "/matching/fairs", data={"name_zh": "x", "held_on": "2026-12-05", "csrf_token": token}
    )
    assert refused.status_code == 403
    login(client, "admin_a")
    token = form_token(client, "/matching/fairs")
    bad = client.post(
        "/matching/fairs",
        data={"name_zh": "x", "held_on": "2026-12-05", "starts_at": "17:00", "ends_at": "09:00",
              "csrf_token": token},
    )  # fmt: skip
    assert bad.status_code == 400


def _record_genders(session: Session, world: World) -> None:
    for key, gender in (
        ("student_a", "女"),
        ("private_a", "男"),
        ("consent_b", "女"),
        ("private_b", "男"),
    ):
        session.add(ProfileProtected(profile_id=world.profiles[key].id, gender=gender))
    session.commit()


def test_fairness_audit_shows_aggregates_only(
    client: TestClient, world: World, market: Market, session: Session
) -> None:
    _record_genders(session, world)
    login(client, "analyst")
    page = client.get("/matching/fairness", params={"attribute": "gender", "k": "10"})
    assert page.status_code == 200
    assert "曝光比" in page.text
    for profile in world.profiles.values():
        assert profile.name not in page.text
    # groups of fewer than 5 students show no figures (small-cell suppression)
    assert "&lt;5" in page.text or "<5" in page.text


def test_college_admin_audits_only_their_college(
    client: TestClient, world: World, market: Market, session: Session
) -> None:
    login(client, "admin_a")
    page = client.get("/matching/fairness", params={"college": world.orgs["college_b"].id})
    assert page.status_code == 200
    assert "学生 2 人" in page.text  # college A's two students, whatever was asked


@pytest.mark.parametrize("username", ["student_a", "recruiter", "teacher_a"])
def test_fairness_audit_is_refused_to_other_roles(
    client: TestClient, world: World, market: Market, username: str
) -> None:
    login(client, username)
    assert client.get("/matching/fairness").status_code == 403
