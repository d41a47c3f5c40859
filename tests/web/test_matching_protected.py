"""Protected attributes recorded through the student import: the fairness audit shows
exposure per group (small groups suppressed); a profile page shows them to the
platform admin and the student's college admin only, never to a teacher, a recruiter,
an analyst or the student's own page, and no match list carries them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from matchingtools import Market, build_market
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from webtools import World, login

from talentbridge.accounts.tokens import issue_token
from talentbridge.matching.index import clear_index_cache
from talentbridge.matching.profiles import import_profiles
from talentbridge.store.matching_tables import ProfileProtected
from talentbridge.store.tables import Profile

HEADER = "college_code,student_no,name,major_code,graduation_year,visible_to_employers,"
HEADER += "性别,出生年份,民族,户籍\n"


@pytest.fixture(autouse=True)
def _fresh_index() -> Iterator[None]:
    clear_index_cache()
    yield
    clear_index_cache()


@pytest.fixture()
def imported(
    session: Session, world: World, factory: sessionmaker[Session], tmp_path: Path
) -> Market:
    """The market, and ten more students of college A with gender, birth year, ethnicity
    and hukou from the college's file (five women, five men; one 彝族)."""
    market = build_market(session, world)
    rows = [
        f"COL-A,T{n:03d},示例学生{n},530802,2026,是,{'女' if n % 2 else '男'},"
        f"{2004 + n % 2},{'彝族' if n == 1 else '汉族'},四川省凉山州"
        for n in range(1, 11)
    ]
    path = tmp_path / "students.csv"
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    report = import_profiles(factory, path)
    assert (report.stored, report.rejected) == (10, 0)
    return market


def _profile_id(session: Session, student_no: str) -> int:
    return session.scalars(select(Profile.id).where(Profile.student_no == student_no)).one()


def test_the_audit_shows_exposure_per_group_from_imported_attributes(
    client: TestClient, world: World, imported: Market, session: Session
) -> None:
    assert session.scalar(select(ProfileProtected).where(ProfileProtected.gender == "female"))
    login(client, "admin_a")
    page = client.get("/matching/fairness", params={"attribute": "gender", "k": "10"})
    assert page.status_code == 200
    text = page.text
    assert "学生 12 人" in text  # college A: the world's two and the ten imported
    assert "<td>女</td>" in text and "<td>男</td>" in text
    assert "41.7%" in text  # five of the twelve students in each recorded group
    for n in range(1, 11):
        assert f"示例学生{n}<" not in text
    token = issue_token(session, user_id=world.users["analyst"].id, name="api")
    session.commit()
    body = client.get(
        "/api/v1/match/fairness",
        params={"attribute": "gender", "k": "10", "college_id": world.orgs["college_a"].id},
        headers={"Authorization": f"Bearer {token}"},
    ).json()
    groups = {g["group"]: g for g in body["groups"]}
    assert groups["female"]["profiles"] == groups["male"]["profiles"] == 5
    assert groups[None]["profiles"] is None  # two unrecorded: below the threshold
    shares = groups["female"]["exposure_share"] + groups["male"]["exposure_share"]
    assert 0 < groups["female"]["exposure_share"] < 1 and shares <= 1.0 + 1e-9
    assert groups["female"]["ratio"] is not None
    ethnicity = client.get(
        "/api/v1/match/fairness",
        params={"attribute": "ethnicity", "college_id": world.orgs["college_a"].id},
        headers={"Authorization": f"Bearer {token}"},
    ).json()
    small = {g["group"]: g["profiles"] for g in ethnicity["groups"]}
    assert small["彝族"] is None and small["汉族"] == 9
    hukou = client.get("/matching/fairness", params={"attribute": "hukou_province"})
    assert "四川省" in hukou.text


@pytest.mark.parametrize(
    ("username", "sees"),
    [("platform", True), ("admin_a", True), ("teacher_a", False), ("recruiter", False)],
)
def test_profile_pages_show_protected_attributes_to_the_college_admin_and_platform_only(
    client: TestClient, world: World, imported: Market, session: Session, username: str, sees: bool
) -> None:
    login(client, username)
    page = client.get(f"/matching/profiles/{_profile_id(session, 'T001')}")
    assert page.status_code == 200  # every one of them may open this consenting profile
    assert ('id="protected"' in page.text) is sees
    assert ("彝族" in page.text) is sees
    assert ("凉山" in page.text or "四川省" in page.text) is sees


@pytest.mark.parametrize("username", ["analyst", "admin_b"])
def test_others_cannot_open_the_profile_at_all(
    client: TestClient, world: World, imported: Market, session: Session, username: str
) -> None:
    login(client, username)
    assert client.get(f"/matching/profiles/{_profile_id(session, 'T001')}").status_code == 404


def test_match_lists_never_carry_protected_attributes(
    client: TestClient, world: World, imported: Market, session: Session
) -> None:
    login(client, "recruiter")
    page = client.get(f"/matching/postings/{imported.fit.id}/candidates")
    assert page.status_code == 200 and "示例学生1" in page.text
    assert "彝族" not in page.text and "出生年份" not in page.text
    token = issue_token(session, user_id=world.users["recruiter"].id, name="api")
    session.commit()
    body = client.get(
        "/api/v1/match/candidates",
        params={"posting_id": imported.fit.id, "k": 50},
        headers={"Authorization": f"Bearer {token}"},
    ).text
    for value in ("彝族", "female", "birth_year", "hukou", "510000"):
        assert value not in body
    login(client, "admin_a")  # the college's staff: the student's jobs, no attributes
    jobs = client.get("/matching/jobs", params={"profile": _profile_id(session, "T001")})
    assert jobs.status_code == 200 and "彝族" not in jobs.text
