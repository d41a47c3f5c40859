"""Jobs for me and the explanation page: ranked, explained, flagged postings marked;
save and apply record feedback; only those the policy allows see a profile's jobs."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from matchingtools import Market, build_market, form_token
from sqlalchemy import select
from sqlalchemy.orm import Session
from webtools import World, login

from talentbridge.matching.index import clear_index_cache
from talentbridge.store.matching_tables import Application, MatchFeedback


@pytest.fixture(autouse=True)
def _fresh_index() -> Iterator[None]:
    clear_index_cache()  # each test's store is new (on PostgreSQL: the same URL)
    yield
    clear_index_cache()


@pytest.fixture()
def market(session: Session, world: World) -> Market:
    return build_market(session, world)


def _order(text: str, titles: list[str]) -> list[str]:
    return sorted((t for t in titles if t in text), key=text.index)


def test_student_sees_ranked_explained_jobs_with_flags_marked(
    client: TestClient, world: World, market: Market
) -> None:
    login(client, "student_a")
    page = client.get("/matching/jobs")
    assert page.status_code == 200
    titles = [market.fit.title, market.flagged.title, market.elsewhere.title]
    assert _order(page.text, titles)[0] == market.fit.title  # the best fit first
    assert "HS归类" in page.text  # the short why names the matched skill
    assert "专业对口" in page.text
    assert "合规提示" in page.text and "性别" in page.text  # the flag's rule, marked
    assert "限男性" not in page.text  # the phrase stays with staff and the posting's recruiters
    assert "第二十四条" in page.text  # the right to know
    # the same input gives the same ranking
    again = client.get("/matching/jobs")
    assert _order(again.text, titles) == _order(page.text, titles)
    english = client.get("/matching/jobs?lang=en")
    assert "Jobs for me" in english.text and "Compliance flag" in english.text


def test_filters_narrow_the_list(client: TestClient, world: World, market: Market) -> None:
    login(client, "student_a")
    chongqing = client.get("/matching/jobs", params={"city": "重庆"}).text
    assert market.elsewhere.title in chongqing and market.fit.title not in chongqing
    no_flags = client.get("/matching/jobs", params={"hide_flagged": "1"}).text
    assert market.flagged.title not in no_flags and market.fit.title in no_flags
    pay = client.get("/matching/jobs", params={"salary": "8000"}).text
    assert market.fit.title in pay and market.elsewhere.title not in pay
    bad = client.get("/matching/jobs", params={"city": "火星"})
    assert bad.status_code == 200 and "火星" in bad.text


def test_save_and_apply_record_feedback_and_an_application(
    client: TestClient, world: World, market: Market, session: Session
) -> None:
    login(client, "student_a")
    token = form_token(client, "/matching/jobs")
    profile_id = world.profiles["student_a"].id
    data = {"profile_id": str(profile_id), "position": "1", "score": "0.8", "csrf_token": token}
    saved = client.post(f"/matching/jobs/{market.fit.id}/save", data=data)
    assert saved.status_code == 200 and "已收藏" in saved.text
    applied = client.post(f"/matching/jobs/{market.fit.id}/apply", data=data)
    assert applied.status_code == 200 and "已投递" in applied.text
    again = client.post(f"/matching/jobs/{market.fit.id}/apply", data=data)
    assert "已投递过" in again.text
    events = session.execute(
        select(MatchFeedback.event, MatchFeedback.position, MatchFeedback.side).where(
            MatchFeedback.profile_id == profile_id
        )
    ).all()
    assert ("save", 1, "student") in events and ("apply", 1, "student") in events
    stage = session.scalar(select(Application.stage).where(Application.profile_id == profile_id))
    assert stage == "applied"


def test_a_student_cannot_act_for_another_profile(
    client: TestClient, world: World, market: Market, session: Session
) -> None:
    login(client, "student_a")
    token = form_token(client, "/matching/jobs")
    other = world.profiles["consent_b"].id
    response = client.post(
        f"/matching/jobs/{market.fit.id}/apply",
        data={"profile_id": str(other), "csrf_token": token},
    )
    assert response.status_code == 404
    assert session.scalar(select(Application.id)) is None


def test_explanation_page_shows_skills_fit_parts_and_the_right_to_know(
    client: TestClient, world: World, market: Market, session: Session
) -> None:
    login(client, "student_a")
    profile_id = world.profiles["student_a"].id
    page = client.get(f"/matching/explain/{profile_id}/{market.flagged.id}?rank=2")
    assert page.status_code == 200
    text = page.text
    assert "推荐理由" in text and "WMS系统" in text  # matched
    assert "Excel" in text  # missing
    assert "对口" in text and "data-plotly-figure" in text
    assert "第二十四条" in text and "合规提示" in text
    assert "<script>" not in text  # strict CSP: no inline script
    view = session.scalar(
        select(MatchFeedback.position).where(
            MatchFeedback.event == "view", MatchFeedback.posting_id == market.flagged.id
        )
    )
    assert view == 2


@pytest.mark.parametrize(
    ("username", "status"),
    [("student_a", 404), ("recruiter", 404), ("analyst", 404), ("admin_b", 404),
     ("admin_a", 200), ("teacher_a", 200), ("platform", 200)],
)  # fmt: skip
def test_only_the_student_and_their_college_see_a_profiles_jobs(
    client: TestClient, world: World, market: Market, username: str, status: int
) -> None:
    login(client, username)
    target = world.profiles["private_a"]
    page = client.get("/matching/jobs", params={"profile": target.id})
    assert page.status_code == status
    if status == 404:
        assert target.name not in page.text


@pytest.mark.parametrize("username", ["recruiter", "analyst", "admin_a"])
def test_jobs_without_a_profile_are_for_students(
    client: TestClient, world: World, market: Market, username: str
) -> None:
    login(client, username)
    assert client.get("/matching/jobs").status_code == 404


def test_explanations_of_others_follow_the_policy(
    client: TestClient, world: World, market: Market
) -> None:
    consenting, private = world.profiles["consent_b"].id, world.profiles["private_b"].id
    login(client, "recruiter")  # the posting's own recruiter: a consenting candidate only
    assert client.get(f"/matching/explain/{consenting}/{market.fit.id}").status_code == 200
    assert client.get(f"/matching/explain/{private}/{market.fit.id}").status_code == 404
    login(client, "student_a")  # a student: never another student's match
    assert client.get(f"/matching/explain/{consenting}/{market.fit.id}").status_code == 404
    login(client, "analyst")  # analysts: aggregates only
    assert client.get(f"/matching/explain/{consenting}/{market.fit.id}").status_code == 404


def test_opted_out_student_gets_the_plain_list(
    client: TestClient, world: World, market: Market, session: Session
) -> None:
    login(client, "student_a")
    token = form_token(client, "/matching/profile")
    profile_id = world.profiles["student_a"].id
    client.post(
        f"/matching/profiles/{profile_id}/ranking", data={"opt_out": "1", "csrf_token": token}
    )
    page = client.get("/matching/jobs")
    assert "按发布时间" in page.text
    assert 'class="score"' not in page.text  # nothing scored
