"""The audit log viewer (/audit, /audit/events.csv, /api/v1/audit/events): college admins
see the events on their own organization's records, the platform admin all, anyone
else 403; filters, pages, CSV; the log is append-only in the store."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, text, update
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session
from webtools import World, login

from talentbridge.accounts import audit, audit_log
from talentbridge.accounts.tokens import issue_token
from talentbridge.store.tables import AuditEvent

NOW = dt.datetime.now(dt.UTC).replace(tzinfo=None)


def bearer(session: Session, world: World, username: str) -> dict[str, str]:
    token = issue_token(session, user_id=world.users[username].id, name="audit-test")
    session.commit()
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture()
def events(session: Session, world: World) -> dict[str, int]:
    """Reads of college A's and college B's records by the recruiter and staff."""
    a, b = world.orgs["college_a"].id, world.orgs["college_b"].id
    rows = {
        "a_read": AuditEvent(at=NOW - dt.timedelta(days=1), user_id=world.users["recruiter"].id,
                             action="profile.read", target_type="profile",
                             target_id=world.profiles["private_a"].id, organization_id=a,
                             purpose="recruiting.candidate_review"),
        "a_old": AuditEvent(at=NOW - dt.timedelta(days=40), user_id=world.users["teacher_a"].id,
                            action="profile.list", target_type="profile", organization_id=a,
                            detail="2 profiles: 1,2", purpose="college.student_records"),
        "b_read": AuditEvent(at=NOW - dt.timedelta(days=2), user_id=world.users["recruiter"].id,
                             action="profile.read", target_type="profile",
                             target_id=world.profiles["consent_b"].id, organization_id=b,
                             purpose="recruiting.candidate_review"),
    }  # fmt: skip
    session.add_all(rows.values())
    session.commit()
    return {k: v.id for k, v in rows.items()}


def _ids(body: dict[str, object]) -> set[int]:
    return {int(e["id"]) for e in body["events"]}  # type: ignore[attr-defined, index]


def test_a_college_admin_sees_the_events_on_their_own_records(
    client: TestClient, session: Session, world: World, events: dict[str, int]
) -> None:
    body = client.get("/api/v1/audit/events", headers=bearer(session, world, "admin_a")).json()
    ids = _ids(body)
    assert {events["a_read"], events["a_old"]} <= ids and events["b_read"] not in ids
    read = next(e for e in body["events"] if e["id"] == events["a_read"])
    assert read["actor_username"] == "recruiter" and read["actor_role"] == "recruiter"
    assert read["actor_organization"] == "蓉欧示例物流有限公司"
    assert read["purpose"] == "recruiting.candidate_review"
    assert read["organization_name"] == "成都甲职业技术学院"


def test_the_platform_admin_sees_every_event(
    client: TestClient, session: Session, world: World, events: dict[str, int]
) -> None:
    body = client.get("/api/v1/audit/events", headers=bearer(session, world, "platform")).json()
    assert set(events.values()) <= _ids(body)


@pytest.mark.parametrize("username", ["teacher_a", "student_a", "recruiter", "analyst"])
def test_nobody_else_may_read_the_log(
    client: TestClient, session: Session, world: World, username: str
) -> None:
    assert (
        client.get("/api/v1/audit/events", headers=bearer(session, world, username)).status_code
        == 403
    )
    login(client, username)
    assert client.get("/audit").status_code == 403
    assert client.get("/audit/events.csv").status_code == 403


def test_filters_by_date_action_and_actor(
    client: TestClient, session: Session, world: World, events: dict[str, int]
) -> None:
    headers = bearer(session, world, "platform")

    def ids(query: str) -> set[int]:
        return _ids(client.get("/api/v1/audit/events?" + query, headers=headers).json())

    since = (NOW - dt.timedelta(days=10)).date().isoformat()
    assert events["a_old"] not in ids(f"since={since}") and events["a_read"] in ids(
        f"since={since}"
    )
    until = (NOW - dt.timedelta(days=30)).date().isoformat()
    assert events["a_old"] in ids(f"until={until}") and events["a_read"] not in ids(
        f"until={until}"
    )
    assert ids("action=profile.list") == {events["a_old"]}
    assert {events["a_read"], events["b_read"]} <= ids("action=profile.")
    assert ids("actor=teacher_a") == {events["a_old"]}
    assert ids("actor=nobody") == set()
    assert client.get("/api/v1/audit/events?since=yesterday", headers=headers).status_code == 422


def test_pages_of_the_log(client: TestClient, session: Session, world: World) -> None:
    a = world.orgs["college_a"].id
    for i in range(7):
        audit.record_event(session, user_id=world.users["platform"].id, action="profile.read",
                           target_type="profile", target_id=1000 + i, organization_id=a,
                           purpose="platform.administration")  # fmt: skip
    session.commit()
    headers = bearer(session, world, "admin_a")
    first = client.get("/api/v1/audit/events?limit=3", headers=headers).json()
    second = client.get("/api/v1/audit/events?limit=3&offset=3", headers=headers).json()
    assert first["total"] >= 7 and len(first["events"]) == len(second["events"]) == 3
    assert not _ids(first) & _ids(second)
    newest = [e["at"] for e in first["events"]]
    assert newest == sorted(newest, reverse=True)


def test_the_page_and_its_csv(
    client: TestClient, session: Session, world: World, events: dict[str, int]
) -> None:
    login(client, "admin_a")
    page = client.get("/audit?action=profile.read")
    assert page.status_code == 200
    assert f'data-event="{events["a_read"]}"' in page.text
    assert f'data-event="{events["b_read"]}"' not in page.text
    assert "recruiting.candidate_review" in page.text and "蓉欧示例物流有限公司" in page.text
    assert 'name="viewport"' in page.text and "table-wrap" in page.text  # phone: scrolls
    assert "<script>" not in page.text.replace("<script src", "")
    link = re.search(r'href="(/audit/events\.csv[^"]*)"', page.text)
    assert link is not None
    download = client.get(link.group(1).replace("&amp;", "&"))
    assert download.status_code == 200 and download.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert {int(r["id"]) for r in rows} == {events["a_read"]}
    assert rows[0]["actor"] == "recruiter" and rows[0]["purpose"] == "recruiting.candidate_review"
    exported = session.query(AuditEvent).filter(AuditEvent.action == "audit.export").all()
    assert [e.user_id for e in exported] == [world.users["admin_a"].id]


def test_recent_events_cannot_be_changed_or_deleted(session: Session, world: World) -> None:
    event = audit.record_event(session, user_id=world.users["platform"].id, action="profile.read",
                               purpose="platform.administration")  # fmt: skip
    session.commit()
    with pytest.raises(DatabaseError, match=r"append-only|audit"):
        session.execute(update(AuditEvent).where(AuditEvent.id == event.id).values(action="x"))
    session.rollback()
    with pytest.raises(DatabaseError, match=r"append-only|audit|1095"):
        session.execute(delete(AuditEvent).where(AuditEvent.id == event.id))
    session.rollback()
    assert session.get(AuditEvent, event.id) is not None
    # past the legal minimum (1095 days) an event may go (the retention purge)
    old = AuditEvent(at=NOW - dt.timedelta(days=1100), user_id=None, action="login")
    session.add(old)
    session.commit()
    session.execute(delete(AuditEvent).where(AuditEvent.id == old.id))
    session.commit()
    assert (
        session.execute(
            text("select count(*) from audit_event where id = :i"), {"i": old.id}
        ).scalar()
        == 0
    )


def test_no_service_offers_to_change_the_log(client: TestClient) -> None:
    for module in (audit, audit_log):
        names = [n for n in dir(module) if not n.startswith("_")]
        assert not [n for n in names if re.search(r"update|delete|remove|edit|purge|erase", n)]
    schema = client.get("/api/v1/openapi.json").json()
    audit_paths = {p: ops for p, ops in schema["paths"].items() if "/audit" in p}
    assert audit_paths and all(set(ops) == {"get"} for ops in audit_paths.values())


def test_the_page_takes_the_form_as_a_browser_sends_it(
    client: TestClient, session: Session, world: World, events: dict[str, int]
) -> None:
    """Empty date fields mean no limit; a malformed date is a clear 422."""
    login(client, "admin_a")
    page = client.get("/audit?since=&until=&action=profile.read&actor=")
    assert page.status_code == 200 and f'data-event="{events["a_read"]}"' in page.text
    bad = client.get("/audit?since=2026-13-01")
    assert bad.status_code == 422 and "YYYY-MM-DD" in bad.text
