"""Candidates for an opening, invitations, the pipeline and a student's applications:
only consenting or applied candidates; contact data only after an application; stage
moves by the posting's recruiters; every step timestamped."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from matchingtools import Market, build_market, form_token
from sqlalchemy import select
from sqlalchemy.orm import Session
from webtools import World, login

from talentbridge.matching.index import clear_index_cache
from talentbridge.store.matching_tables import Application, ApplicationEvent, MatchFeedback
from talentbridge.store.tables import Profile


@pytest.fixture(autouse=True)
def _fresh_index() -> Iterator[None]:
    clear_index_cache()
    yield
    clear_index_cache()


@pytest.fixture()
def market(session: Session, world: World) -> Market:
    return build_market(session, world)


def test_recruiter_sees_only_consenting_candidates_without_contact(
    client: TestClient, world: World, market: Market
) -> None:
    login(client, "recruiter")
    page = client.get(f"/matching/postings/{market.fit.id}/candidates")
    assert page.status_code == 200
    assert "王公开" in page.text  # consented
    for key in ("student_a", "private_a", "private_b"):  # did not consent
        assert world.profiles[key].name not in page.text
    assert "13900000003" not in page.text and "wgk@example.cn" not in page.text
    assert "投递或接受邀请后可见" in page.text
    assert "HS归类" in page.text  # the short why


def test_recruiter_invites_a_consenting_candidate_once(
    client: TestClient, world: World, market: Market, session: Session
) -> None:
    consent_b = world.profiles["consent_b"]
    login(client, "recruiter")
    url = f"/matching/postings/{market.fit.id}/candidates"
    token = form_token(client, url)
    invited = client.post(
        f"{url}/{consent_b.id}/invite", data={"position": "1", "score": "0.7", "csrf_token": token}
    )
    assert invited.status_code == 200 and "已发出邀请" in invited.text
    assert "已邀请" in client.get(url).text
    again = client.post(f"{url}/{consent_b.id}/invite", data={"csrf_token": token})
    assert "已邀请过" in again.text
    invite = session.scalar(select(MatchFeedback).where(MatchFeedback.event == "invite"))
    assert invite is not None and invite.position == 1 and invite.side == "employer"


def test_student_accepts_an_invitation_and_the_recruiter_then_sees_contact(
    client: TestClient, world: World, market: Market, session: Session
) -> None:
    student = world.profiles["student_a"]
    session.execute(
        Profile.__table__.update().where(Profile.id == student.id).values(visible_to_employers=True)
    )
    session.commit()
    recruiter = TestClient(client.app)
    login(recruiter, "recruiter")
    url = f"/matching/postings/{market.fit.id}/candidates"
    token = form_token(recruiter, url)
    assert "13800000001" not in recruiter.get(url).text
    recruiter.post(f"{url}/{student.id}/invite", data={"csrf_token": token})
    login(client, "student_a")
    mine = client.get("/matching/applications")
    assert mine.status_code == 200 and market.fit.title in mine.text and "接受并投递" in mine.text
    invitation = session.scalar(select(MatchFeedback.id).where(MatchFeedback.event == "invite"))
    token_s = form_token(client, "/matching/applications")
    accepted = client.post(
        f"/matching/invitations/{invitation}/accept", data={"csrf_token": token_s}
    )
    assert accepted.status_code == 200 and "已接受邀请" in accepted.text
    application = session.scalar(select(Application).where(Application.profile_id == student.id))
    assert application is not None and application.origin == "invitation"
    assert "13800000001" in recruiter.get(url).text  # now reachable
    pipeline = recruiter.get(f"/matching/postings/{market.fit.id}/pipeline")
    assert pipeline.status_code == 200 and student.name in pipeline.text
    assert "13800000001" in pipeline.text


def test_recruiter_moves_an_application_through_the_stages(
    client: TestClient, world: World, market: Market, session: Session
) -> None:
    student = world.profiles["student_a"]
    login(client, "student_a")
    token = form_token(client, "/matching/jobs")
    client.post(
        f"/matching/jobs/{market.fit.id}/apply",
        data={"profile_id": str(student.id), "csrf_token": token},
    )
    application = session.scalar(select(Application).where(Application.profile_id == student.id))
    assert application is not None
    login(client, "recruiter")
    url = f"/matching/postings/{market.fit.id}/pipeline"
    token = form_token(client, url)
    for stage in ("screened", "interview", "offer"):
        moved = client.post(
            f"/matching/applications/{application.id}/move",
            data={"to_stage": stage, "posting_id": str(market.fit.id), "csrf_token": token},
        )
        assert moved.status_code == 200 and "已更新招聘进度" in moved.text
    skip = client.post(
        f"/matching/applications/{application.id}/move",
        data={"to_stage": "applied", "posting_id": str(market.fit.id), "csrf_token": token},
    )
    assert skip.status_code == 409  # no going back
    stages = list(
        session.scalars(
            select(ApplicationEvent.stage)
            .where(ApplicationEvent.application_id == application.id)
            .order_by(ApplicationEvent.id)
        )
    )
    assert stages == ["applied", "screened", "interview", "offer"]
    history = client.get(f"/matching/applications/{application.id}")
    assert history.status_code == 200 and "录用通知" in history.text
    login(client, "student_a")
    mine = client.get("/matching/applications").text
    assert "录用通知" in mine
    # the student sees the history too, and withdraws
    token = form_token(client, "/matching/applications")
    withdrawn = client.post(
        f"/matching/applications/{application.id}/withdraw", data={"csrf_token": token}
    )
    assert withdrawn.status_code == 200 and "已撤回投递" in withdrawn.text


@pytest.mark.parametrize("username", ["student_a", "analyst", "admin_a", "teacher_a"])
def test_candidates_and_pipelines_are_for_the_postings_recruiters(
    client: TestClient, world: World, market: Market, username: str
) -> None:
    login(client, username)
    for page in ("candidates", "pipeline"):
        response = client.get(f"/matching/postings/{market.fit.id}/{page}")
        assert response.status_code == 403, (username, page)
        assert "王公开" not in response.text


def test_a_student_cannot_move_or_see_others_applications(
    client: TestClient, world: World, market: Market, session: Session
) -> None:
    student = world.profiles["student_a"]
    login(client, "student_a")
    token = form_token(client, "/matching/jobs")
    client.post(
        f"/matching/jobs/{market.fit.id}/apply",
        data={"profile_id": str(student.id), "csrf_token": token},
    )
    application = session.scalar(select(Application.id))
    moved = client.post(
        f"/matching/applications/{application}/move",
        data={"to_stage": "hired", "posting_id": str(market.fit.id), "csrf_token": token},
    )
    assert moved.status_code == 403
    login(client, "analyst")
    assert client.get(f"/matching/applications/{application}").status_code == 404
    assert client.get("/matching/applications").status_code == 404
