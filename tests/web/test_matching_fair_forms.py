"""Job-fair forms in the browser's place: a student registers and ranks the openings on
the fair page (until the fair is allocated); a posting's recruiters rank the registered
students they may see; after the allocation the assignments are applications the
student sees with their interview times on "My applications" and the recruiter in the
pipeline."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from matchingtools import Market, build_market, form_token
from sqlalchemy import select
from sqlalchemy.orm import Session
from webtools import World, login

from talentbridge.accounts.policy import Principal
from talentbridge.matching import fairs
from talentbridge.matching.index import clear_index_cache
from talentbridge.store.matching_tables import Application, FairOpening, FairPreference


@pytest.fixture(autouse=True)
def _fresh_index() -> Iterator[None]:
    clear_index_cache()
    yield
    clear_index_cache()


@pytest.fixture()
def fair(session: Session, world: World) -> tuple[int, Market, dict[int, int]]:
    """A fair of college A with two openings of the world's enterprise (posting → opening);
    private_a and consent_b registered by the organisers, student_a not yet."""
    market = build_market(session, world)
    organiser = Principal.of(world.users["admin_a"])
    made = fairs.create_fair(session, organiser, name_zh="示例·冬季双选会",
                             held_on=dt.date(2026, 12, 9), ends_at="10:00")  # fmt: skip
    openings = {
        posting.id: fairs.add_opening(session, organiser, fair_id=made.id, posting_id=posting.id,
                                      seats=1, booth=booth).id
        for posting, booth in ((market.fit, "A01"), (market.flagged, "A02"))
    }  # fmt: skip
    platform = Principal.of(world.users["platform"])
    for key in ("private_a", "consent_b"):
        fairs.register(session, platform, fair_id=made.id, profile_id=world.profiles[key].id)
    session.commit()
    return made.id, market, openings


def _student_list(session: Session, profile_id: int) -> list[tuple[int, int, str]]:
    rows = session.scalars(
        select(FairPreference)
        .where(FairPreference.profile_id == profile_id, FairPreference.side == "student")
        .order_by(FairPreference.rank)
    )
    return [(p.fair_opening_id, p.rank, p.origin) for p in rows]


def test_a_student_registers_and_ranks_openings_until_the_allocation(
    client: TestClient, world: World, fair: tuple[int, Market, dict[int, int]], session: Session
) -> None:
    fair_id, market, openings = fair
    url = f"/matching/fairs/{fair_id}"
    me = world.profiles["student_a"].id
    login(client, "student_a")
    page = client.get(url).text
    assert "报名参加" in page and 'id="my-choices"' not in page
    token = form_token(client, url)
    assert client.post(f"{url}/registrations", data={"csrf_token": token}).status_code == 200
    page = client.get(url).text
    assert 'id="my-choices"' in page and page.count('name="rank"') == 2
    fit, flagged = openings[market.fit.id], openings[market.flagged.id]
    saved = client.post(
        f"{url}/choices",
        data={"csrf_token": token, "opening": [str(fit), str(flagged)], "rank": ["2", "1"]},
    )
    assert saved.status_code == 200 and "志愿已保存" in saved.text
    assert _student_list(session, me) == [(flagged, 1, "stated"), (fit, 2, "stated")]
    assert re.search(r'<option value="1" selected>1</option>', saved.text)
    twice = client.post(
        f"{url}/choices",
        data={"csrf_token": token, "opening": [str(fit), str(flagged)], "rank": ["1", "1"]},
    )
    assert twice.status_code == 400 and "rank 1 is given twice" in twice.text
    only_fit = client.post(
        f"{url}/choices",
        data={"csrf_token": token, "opening": [str(fit), str(flagged)], "rank": ["1", ""]},
    )
    assert only_fit.status_code == 200
    session.expire_all()
    assert _student_list(session, me) == [(fit, 1, "stated")]
    # the organisers run the allocation: the form closes for the student
    login(client, "admin_a")
    admin_token = form_token(client, url)
    assert client.post(f"{url}/allocate", data={"csrf_token": admin_token}).status_code == 200
    login(client, "student_a")
    page = client.get(url).text
    assert "志愿和排序不能再修改" in page and 'id="save-choices"' not in page
    late = client.post(
        f"{url}/choices",
        data={"csrf_token": form_token(client, url), "opening": [str(fit)], "rank": ["1"]},
    )
    assert late.status_code == 409


def test_recruiters_rank_the_students_they_may_see_for_their_opening(
    client: TestClient, world: World, fair: tuple[int, Market, dict[int, int]], session: Session
) -> None:
    fair_id, market, openings = fair
    fit = openings[market.fit.id]
    login(client, "student_a")
    url = f"/matching/fairs/{fair_id}"
    token = form_token(client, url)
    client.post(f"{url}/registrations", data={"csrf_token": token})
    client.post(f"{url}/choices", data={"csrf_token": token, "opening": [str(fit)], "rank": ["1"]})
    login(client, "recruiter")
    page = client.get(url).text
    assert f'href="/matching/fairs/{fair_id}/openings/{fit}"' in page
    form_url = f"/matching/fairs/{fair_id}/openings/{fit}"
    form = client.get(form_url)
    assert form.status_code == 200
    # student_a chose this opening, consent_b consented; private_a neither
    assert "张小明" in form.text and "王公开" in form.text and "李秘密" not in form.text
    assert "该生志愿第 1" in form.text
    for phone in ("13800000001", "13900000003", "zxm@example.cn"):
        assert phone not in form.text  # never contact data here
    token = form_token(client, form_url)
    a, b = world.profiles["student_a"].id, world.profiles["consent_b"].id
    saved = client.post(
        form_url, data={"csrf_token": token, "profile": [str(a), str(b)], "rank": ["2", "1"]}
    )
    assert saved.status_code == 200 and "排序已保存" in saved.text
    rows = session.scalars(
        select(FairPreference)
        .where(FairPreference.fair_opening_id == fit, FairPreference.side == "employer")
        .order_by(FairPreference.rank)
    ).all()
    assert [(p.profile_id, p.origin) for p in rows] == [(b, "stated"), (a, "stated")]
    hidden = world.profiles["private_a"].id
    refused = client.post(
        form_url, data={"csrf_token": token, "profile": [str(hidden)], "rank": ["1"]}
    )
    assert refused.status_code == 400 and "not yours to rank" in refused.text
    # other roles: no form
    for username in ("student_a", "admin_a", "analyst"):
        login(client, username)
        assert client.get(form_url).status_code == 403


def test_after_the_allocation_students_and_recruiters_see_the_fair_in_applications(
    client: TestClient, world: World, fair: tuple[int, Market, dict[int, int]], session: Session
) -> None:
    fair_id, market, openings = fair
    fit = openings[market.fit.id]
    url = f"/matching/fairs/{fair_id}"
    login(client, "student_a")
    token = form_token(client, url)
    client.post(f"{url}/registrations", data={"csrf_token": token})
    client.post(f"{url}/choices", data={"csrf_token": token, "opening": [str(fit)], "rank": ["1"]})
    mine = client.get("/matching/applications").text
    assert 'id="my-fairs"' in mine and "已报名，等待分配（已排 1 个志愿）" in mine
    login(client, "recruiter")
    form_url = f"{url}/openings/{fit}"
    me = world.profiles["student_a"].id
    client.post(form_url, data={"csrf_token": form_token(client, form_url), "profile": [str(me)],
                                "rank": ["1"]})  # fmt: skip
    login(client, "admin_a")
    assert (
        client.post(f"{url}/allocate", data={"csrf_token": form_token(client, url)}).status_code
        == 200
    )
    application = session.scalars(select(Application).where(Application.profile_id == me)).one()
    assert (application.posting_id, application.origin, application.stage) == (
        market.fit.id, "fair", "interview")  # fmt: skip
    login(client, "student_a")
    mine = client.get("/matching/applications").text
    assert f"分配到：{market.fit.title}" in mine
    assert "双选会面试" in mine and "2026-12-09 09:" in mine and "A01" in mine
    assert mine.count(f'data-application="{application.id}"') == 1
    login(client, "recruiter")
    pipeline = client.get(f"/matching/postings/{market.fit.id}/pipeline").text
    assert "张小明" in pipeline and "双选会面试" in pipeline and "示例·冬季双选会" in pipeline
    assert "13800000001" in pipeline  # an application: the contact is now shown
    # allocating again adds nothing
    login(client, "admin_a")
    client.post(f"{url}/allocate", data={"csrf_token": form_token(client, url)})
    session.expire_all()
    assert len(session.scalars(select(Application).where(Application.profile_id == me)).all()) == 1
    assert session.get(FairOpening, fit) is not None
