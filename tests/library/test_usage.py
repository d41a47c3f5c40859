"""Library usage events and statistics on a small real store, against counts worked out
by hand from the event list below (SQLite, and PostgreSQL when the suite runs there)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from talentbridge.accounts.policy import Principal
from talentbridge.accounts.roles import Role
from talentbridge.errors import Forbidden
from talentbridge.library.usage import (
    MAX_QUERY_CHARS,
    Period,
    normalize_query,
    record_download,
    record_search,
    record_view,
)
from talentbridge.library.usage_report import usage_report
from talentbridge.library.usage_stats import (
    usage_by_library,
    usage_by_month,
    usage_by_organization,
    usage_by_resource,
    usage_by_role,
    usage_totals,
    zero_hit_searches,
)
from talentbridge.library.usage_users import (
    active_users,
    resource_freshness,
    users_by_college,
    users_by_library,
)
from talentbridge.store.library_tables import Library, LibraryEvent, Resource
from talentbridge.store.tables import Organization, User

TODAY = dt.date(2026, 6, 30)
YEAR = Period(dt.date(2025, 7, 1), TODAY)


def days_ago(n: int) -> dt.datetime:
    return dt.datetime.combine(TODAY - dt.timedelta(days=n), dt.time(12))


@dataclass
class Store:
    orgs: dict[str, int]
    users: dict[str, Principal]
    libraries: dict[str, int]
    resources: dict[str, Resource]


# (user, kind, resource or library, days ago, query, hits)
EVENTS: list[tuple[str, str, str | None, int, str | None, int | None]] = [
    ("a1", "view", "R1", 1, None, None),
    ("a1", "view", "R1", 40, None, None),
    ("a1", "download", "R1", 40, None, None),
    ("a2", "view", "R2", 5, None, None),
    ("teacher_a", "view", "R3", 100, None, None),
    ("teacher_a", "download", "R3", 100, None, None),
    ("b1", "view", "R1", 10, None, None),
    ("b1", "search", "L1", 10, "提单", 3),
    ("a1", "search", "L1", 2, "  Ｂ/Ｌ  ", 0),
    ("b1", "search", "L1", 20, "b/l", 0),
    ("teacher_a", "search", None, 200, "冷链", 0),
    ("analyst", "view", "R3", 3, None, None),
    ("a1", "view", "R1", 500, None, None),  # before the period
]


def _org(session: Session, code: str, kind: str) -> int:
    org = Organization(code=code, kind=kind, name_zh=f"{code}名", name_en=f"{code} name")
    session.add(org)
    session.flush()
    return org.id


@pytest.fixture()
def store(session: Session) -> Store:
    orgs = {
        "A": _org(session, "C-A", "college"),
        "B": _org(session, "C-B", "college"),
        "S": _org(session, "ASSOC", "association"),
    }
    people = {
        "admin_a": ("college_admin", "A", True),
        "teacher_a": ("teacher", "A", True),
        "a1": ("student", "A", True),
        "a2": ("student", "A", True),
        "b1": ("student", "B", True),
        "b_gone": ("student", "B", False),  # inactive account: not registered
        "analyst": ("analyst", "S", True),
        "platform": ("platform_admin", None, True),
        "recruiter": ("recruiter", None, True),
    }
    users: dict[str, Principal] = {}
    for name, (role, org, active) in people.items():
        user = User(
            username=name,
            display_name=f"名字{name}",
            password_hash="x",
            role=role,
            organization_id=orgs[org] if org else None,
            is_active=active,
        )
        session.add(user)
        session.flush()
        users[name] = Principal.of(user)
    libraries = {}
    for code in ("L1", "L2"):
        library = Library(code=code, name_zh=f"库{code}", name_en=f"Library {code}")
        session.add(library)
        session.flush()
        libraries[code] = library.id
    # (library, status, created days ago, updated days ago, published days ago)
    specs = {
        "R1": ("L1", "published", 400, 400, 400),
        "R2": ("L1", "published", 10, 10, 9),
        "R3": ("L2", "published", 800, 100, 790),
        "R4": ("L2", "draft", 5, 5, None),  # not published: not counted
        "R5": ("L2", "published", 800, 800, 800),
        "R6": ("L2", "published", 366, 366, 366),
    }
    resources = {}
    for name, (lib, status, created, updated, published) in specs.items():
        resource = Resource(
            library_id=libraries[lib],
            title_zh=f"资源{name}",
            title_en=f"Resource {name}",
            kind="document",
            status=status,
            created_at=days_ago(created),
            updated_at=days_ago(updated),
            published_at=days_ago(published) if published is not None else None,
        )
        session.add(resource)
        session.flush()
        resources[name] = resource
    for who, kind, target, ago, query, hits in EVENTS:
        principal, at = users[who], days_ago(ago)
        if kind == "search":
            library_id = libraries[target] if target else None
            record_search(session, principal=principal, query=query or "", hits=hits or 0,
                          library_id=library_id, at=at)  # fmt: skip
        elif kind == "view":
            record_view(session, principal=principal, resource=resources[target or ""], at=at)
        else:
            record_download(session, principal=principal, resource=resources[target or ""], at=at)
    session.commit()
    return Store(orgs, users, libraries, resources)


# --- recording ---------------------------------------------------------------------------------


@pytest.fixture()
def statements(session: Session) -> Iterator[list[str]]:
    seen: list[str] = []
    engine = session.get_bind()

    def listen(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", listen)
    yield seen
    event.remove(engine, "before_cursor_execute", listen)


def test_recording_is_one_insert_with_role_and_college_at_the_time(
    store: Store, session: Session, statements: list[str]
) -> None:
    a1 = store.users["a1"]
    resource = store.resources["R2"]
    statements.clear()
    record_view(session, principal=a1, resource=resource)
    assert len(statements) == 1 and statements[0].lstrip().upper().startswith("INSERT")
    session.commit()
    # the student moves to college B; the event still counts for college A
    session.get(User, a1.user_id).organization_id = store.orgs["B"]  # type: ignore[union-attr]
    session.commit()
    last = session.scalars(select(LibraryEvent).order_by(LibraryEvent.id.desc())).first()
    assert last is not None
    assert (last.kind, last.role, last.organization_id) == ("view", "student", store.orgs["A"])
    assert (last.resource_id, last.library_id, last.user_id) == (
        resource.id,
        store.libraries["L1"],
        a1.user_id,
    )


def test_search_queries_are_normalized_cut_and_blank_ones_skipped(
    store: Store, session: Session
) -> None:
    before = session.scalar(select(LibraryEvent.id).order_by(LibraryEvent.id.desc()).limit(1))
    record_search(session, principal=store.users["a1"], query="   ", hits=0)
    record_search(session, principal=store.users["a1"], query="Ｌ/Ｃ  信用证" * 100, hits=-2)
    session.commit()
    rows = session.scalars(select(LibraryEvent).where(LibraryEvent.id > (before or 0))).all()
    assert len(rows) == 1
    assert rows[0].query is not None and len(rows[0].query) == MAX_QUERY_CHARS
    assert rows[0].query.startswith("l/c 信用证l/c") and rows[0].hits == 0
    assert normalize_query("  Bill  of\tLADING ") == "bill of lading"
    # what could identify a person is masked; HS codes and short numbers stay
    assert normalize_query("张三 13800138000 简历") == "张三 # 简历"
    assert normalize_query("身份证 51010519900101123X") == "身份证 #"
    assert normalize_query("Zhang.San@Example.cn 提单") == "@ 提单"
    assert normalize_query("HS 8471300000 GB/T 18354-2021") == "hs 8471300000 gb/t 18354-2021"


# --- counts ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("college", "expected"),
    [
        # views, downloads, searches, zero-hit searches, users
        (None, (6, 2, 4, 3, 5)),
        ("A", (4, 2, 2, 2, 3)),
        ("B", (1, 0, 2, 1, 1)),
    ],
)
def test_totals(store: Store, session: Session, college: str | None, expected: tuple) -> None:
    org = store.orgs[college] if college else None
    t = usage_totals(session, period=YEAR, organization_id=org)
    assert (t.views, t.downloads, t.searches, t.zero_hit_searches, t.users) == expected


@pytest.mark.parametrize(
    ("college", "expected"),
    [
        # library: (views, downloads, searches, users)
        (None, {"L1": (4, 1, 3, 3), "L2": (2, 1, 0, 2)}),
        ("A", {"L1": (3, 1, 1, 2), "L2": (1, 1, 0, 1)}),
        ("B", {"L1": (1, 0, 2, 1), "L2": (0, 0, 0, 0)}),
    ],
)
def test_by_library(store: Store, session: Session, college: str | None, expected: dict) -> None:
    org = store.orgs[college] if college else None
    rows = usage_by_library(session, period=YEAR, organization_id=org)
    assert {r.code: (r.views, r.downloads, r.searches, r.users) for r in rows} == expected


def test_by_organization_lists_colleges_first(store: Store, session: Session) -> None:
    rows = usage_by_organization(session, period=YEAR)
    assert [(r.code, r.kind, r.views, r.downloads, r.searches, r.users) for r in rows] == [
        ("C-A", "college", 4, 2, 2, 3),
        ("C-B", "college", 1, 0, 2, 1),
        ("ASSOC", "association", 1, 0, 0, 1),
    ]


@pytest.mark.parametrize(
    ("college", "expected"),
    [
        (None, {"analyst": (1, 0, 0, 1), "student": (4, 1, 3, 3), "teacher": (1, 1, 1, 1)}),
        ("A", {"student": (3, 1, 1, 2), "teacher": (1, 1, 1, 1)}),
    ],
)
def test_by_role(store: Store, session: Session, college: str | None, expected: dict) -> None:
    org = store.orgs[college] if college else None
    rows = usage_by_role(session, period=YEAR, organization_id=org)
    assert {r.role: (r.views, r.downloads, r.searches, r.users) for r in rows} == expected


def test_top_resources_by_views_and_downloads(store: Store, session: Session) -> None:
    rows = usage_by_resource(session, period=YEAR)
    assert [(r.title_en, r.library_code, r.views, r.downloads) for r in rows] == [
        ("Resource R1", "L1", 3, 1),
        ("Resource R3", "L2", 2, 1),
        ("Resource R2", "L1", 1, 0),
    ]
    assert len(usage_by_resource(session, period=YEAR, limit=1)) == 1


def test_by_month_lists_every_month_of_the_period(store: Store, session: Session) -> None:
    rows = usage_by_month(session, period=YEAR)
    assert [r.month for r in rows][:2] == ["2025-07", "2025-08"] and len(rows) == 12
    found = {r.month: (r.views, r.downloads, r.searches) for r in rows if r.uses}
    assert found == {
        "2025-12": (0, 0, 1),
        "2026-03": (1, 1, 0),
        "2026-05": (1, 1, 0),
        "2026-06": (4, 0, 3),
    }


# --- users and freshness -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        # college: (registered accounts, ever used, active)
        (30, {"C-A": (4, 3, 2), "C-B": (1, 1, 1)}),
        (7, {"C-A": (4, 3, 2), "C-B": (1, 1, 0)}),
        (2, {"C-A": (4, 3, 1), "C-B": (1, 1, 0)}),
        (1, {"C-A": (4, 3, 0), "C-B": (1, 1, 0)}),
    ],
)
def test_users_by_college(store: Store, session: Session, days: int, expected: dict) -> None:
    rows = users_by_college(session, today=TODAY, active_days=days)
    assert {r.code: (r.registered, r.users, r.active) for r in rows} == expected
    only_a = users_by_college(
        session, today=TODAY, active_days=days, organization_id=store.orgs["A"]
    )
    assert [r.code for r in only_a] == ["C-A"]


@pytest.mark.parametrize(
    ("college", "expected"),
    [
        (None, {"L1": (3, 3), "L2": (2, 1)}),  # (ever used, active in 30 days)
        ("A", {"L1": (2, 2), "L2": (1, 0)}),
    ],
)
def test_users_by_library(
    store: Store, session: Session, college: str | None, expected: dict
) -> None:
    org = store.orgs[college] if college else None
    rows = users_by_library(session, today=TODAY, organization_id=org)
    assert {r.code: (r.registered, r.active) for r in rows} == expected
    assert active_users(session, today=TODAY) == 4  # a1, a2, b1, analyst
    assert active_users(session, today=TODAY, organization_id=store.orgs["A"]) == 2


def test_share_of_resources_added_or_updated_in_a_year(store: Store, session: Session) -> None:
    rows = {r.code: r for r in resource_freshness(session, today=TODAY)}
    assert (rows["L1"].resources, rows["L1"].fresh, rows["L1"].share) == (2, 1, 0.5)
    assert (rows["L2"].resources, rows["L2"].fresh) == (3, 1)  # R6: 366 days ago is too old
    assert rows["L2"].share == pytest.approx(1 / 3)
    longer = {r.code: r.fresh for r in resource_freshness(session, today=TODAY, days=367)}
    assert longer == {"L1": 1, "L2": 2}


@pytest.mark.parametrize(
    ("college", "expected"),
    [
        (None, [("b/l", "L1", 2, 2), ("冷链", None, 1, 200)]),  # query, library, count, last
        ("A", [("b/l", "L1", 1, 2), ("冷链", None, 1, 200)]),
        ("B", [("b/l", "L1", 1, 20)]),
    ],
)
def test_zero_hit_searches_grouped_by_query_and_library(
    store: Store, session: Session, college: str | None, expected: list
) -> None:
    org = store.orgs[college] if college else None
    rows = zero_hit_searches(session, period=YEAR, organization_id=org)
    assert [(r.query, r.library_code, r.searches, r.last_at) for r in rows] == [
        (q, lib, n, days_ago(ago)) for q, lib, n, ago in expected
    ]


# --- the report under the access rules ---------------------------------------------------------


@pytest.mark.parametrize("who", ["a1", "recruiter"])
def test_students_and_recruiters_get_no_report(store: Store, session: Session, who: str) -> None:
    with pytest.raises(Forbidden):
        usage_report(session, principal=store.users[who], period=YEAR, today=TODAY)


def test_college_staff_see_their_college_and_alliance_totals(
    store: Store, session: Session
) -> None:
    report = usage_report(session, principal=store.users["teacher_a"], period=YEAR, today=TODAY)
    assert report.college_id == store.orgs["A"] and report.college_name_zh == "C-A名"
    assert (report.totals.views, report.totals.searches) == (4, 2)
    assert report.alliance is not None and report.alliance.views == 6
    assert report.alliance_active_users == 4 and report.active_users == 2
    assert [r.code for r in report.by_organization] == ["C-A"]
    assert [r.code for r in report.college_users] == ["C-A"]
    assert report.alliance_by_library is not None
    assert {r.code: r.views for r in report.alliance_by_library} == {"L1": 4, "L2": 2}
    assert not report.synthetic


@pytest.mark.parametrize("who", ["analyst", "platform"])
def test_analysts_and_the_platform_see_every_college(
    store: Store, session: Session, who: str
) -> None:
    report = usage_report(session, principal=store.users[who], period=YEAR, today=TODAY)
    assert report.college_id is None and report.alliance is None
    assert [r.code for r in report.by_organization] == ["C-A", "C-B", "ASSOC"]
    assert [r.code for r in report.college_users] == ["C-A", "C-B"]
    assert report.totals.views == 6


def test_period_rejects_an_end_before_the_start() -> None:
    with pytest.raises(ValueError, match="before it starts"):
        Period(TODAY, TODAY - dt.timedelta(days=1))
    assert Period.last_days(TODAY, 30).start == dt.date(2026, 6, 1)
    assert Role.ANALYST.value == "analyst"
