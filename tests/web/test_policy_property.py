"""Property test of the access policy through every GET route of the app (API and pages).

Hypothesis makes random worlds (``policyworld``): colleges, enterprises, an association
and an authority, users of every role, profiles with unique marker names, phones and
e-mails (some consenting, some not, some applied or invited), postings, placements,
library resources in every state and a job fair. Then every user asks every GET route
(found in ``app.routes``, so a route added later is asked too) with every record id
of the matching kind and one that does not exist, and:

(a) no answer is a 500;
(b) a record the policy forbids the user to see is answered 403/404 on its own route,
    and its markers appear in no answer at all (lists, pages, exports, downloads);
(c) a candidate's phone and e-mail reach a recruiter only when the candidate applied
    to the recruiter's organization (or accepted its invitation); analysts see no
    marker ever.

The oracle below is a table written from the rules in ``accounts/policy.py``,
``matching_policy.py``, ``library_policy.py`` and ``outcomes_policy.py``; it does not
call them.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import shutil
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as examples
from hypothesis import strategies as st
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session
from webtools import World, login

import libraryworld
from policyworld import (
    BuiltWorld,
    CollegeSpec,
    Person,
    PersonRecord,
    ProfileSpec,
    ResourceRecord,
    WorldSpec,
    world_specs,
)
from talentbridge.accounts.roles import Role
from talentbridge.accounts.tokens import issue_token
from talentbridge.config import Settings
from talentbridge.library.resources import change_status, create_library, submit_resource
from talentbridge.library.usage import Period, record_view
from talentbridge.library.usage_stats import usage_by_resource
from talentbridge.matching.index import clear_index_cache
from talentbridge.store.engine import create_engine_for, session_factory
from talentbridge.store.tables import Base, Occupation
from talentbridge.web.app import create_app

# --- the oracle: who may see what (an independent table of the policy's rules) -----------

COLLEGE_STAFF = {Role.COLLEGE_ADMIN, Role.TEACHER}


def may_see_person(viewer: Person, p: PersonRecord) -> bool:
    """A profile's name: the platform admin; the staff of its college, and the staff of
    a college whose job fair the student registered for (the organisers' list of
    registrations: name, college, major, year; never contact); its own student; a
    recruiter when the candidate consented or applied to the recruiter's organization;
    never an analyst. (Once the student erased their account the record is a stub
    without name or contact, and ``problems_of`` finds its old markers nowhere.)"""
    if viewer.role is Role.PLATFORM_ADMIN:
        return True
    if viewer.role in COLLEGE_STAFF:
        return viewer.org_id == p.org_id or viewer.org_id in p.fair_orgs
    if viewer.role is Role.STUDENT:
        return p.user_id == viewer.user_id
    if viewer.role is Role.RECRUITER:
        return p.visible or viewer.org_id in p.applied_orgs
    return False


def may_see_contact(viewer: Person, p: PersonRecord) -> bool:
    """Phone and e-mail: the platform admin; the admin of its college (not teachers);
    its own student; a recruiter only after the candidate applied to (or accepted an
    invitation of) the recruiter's organization; never an analyst; no one once the
    student erased their account."""
    if p.erased:
        return False
    if viewer.role is Role.PLATFORM_ADMIN:
        return True
    if viewer.role is Role.COLLEGE_ADMIN:
        return viewer.org_id == p.org_id
    if viewer.role is Role.STUDENT:
        return p.user_id == viewer.user_id
    if viewer.role is Role.RECRUITER:
        return viewer.org_id in p.applied_orgs
    return False


def may_see_resource(viewer: Person, r: ResourceRecord) -> bool:
    """Published: everyone; otherwise its submitter, the platform admin and the admin
    of its college (or of any college for a resource of no college)."""
    if r.status == "published" or viewer.user_id == r.submitted_by:
        return True
    if viewer.role is Role.PLATFORM_ADMIN:
        return True
    return viewer.role is Role.COLLEGE_ADMIN and (r.org_id is None or r.org_id == viewer.org_id)


# --- the routes ------------------------------------------------------------------------------

# Path parameter name -> kinds of record whose ids (or codes) fill it. "linked": taken
# from the links of the pages the viewer was shown (download names and formats).
PATH_KINDS: dict[str, tuple[str, ...]] = {
    "profile_id": ("profile",),
    "posting_id": ("posting",),
    "run_id": ("import_run",),
    "key": ("concept_key",),
    "occupation_id": ("occupation",),
    "resource_id": ("resource",),
    "entry_id": ("term_entry",),
    "application_id": ("application",),
    "fair_id": ("fair",),
    "opening_id": ("opening",),
    "user_id": ("user",),
    "resume_id": ("resume",),
    "code": ("college_code", "library_code"),
    "name": ("linked",),
    "fmt": ("linked",),
}
# Query parameters filled with records (each value in a request of its own when the
# parameter is optional); a required query parameter not named here fails the test.
QUERY_KINDS: dict[str, tuple[str, ...]] = {
    "profile_id": ("profile",),
    "profile": ("profile",),
    "posting_id": ("posting",),
    "college_id": ("college",),
    "college": ("college_code",),
    "employer": ("enterprise_code",),
    "q": ("search_text",),
}
MISSING_ID = 987654
SKIPPED = ("/logout",)  # would end the session the crawl runs in


@dataclass(frozen=True)
class GetRoute:
    path: str
    regex: re.Pattern[str]
    api: bool
    path_params: tuple[str, ...]
    required_query: tuple[str, ...]
    optional_query: tuple[str, ...]


def _query_params(dependant: object) -> Iterator[tuple[str, bool]]:
    for field in getattr(dependant, "query_params", ()):
        yield field.alias, field.field_info.is_required()
    for sub in getattr(dependant, "dependencies", ()):
        yield from _query_params(sub)


def get_routes(app: FastAPI) -> list[GetRoute]:
    """Every GET route of the app, with its path and query parameters."""
    found = []
    for route in iter_route_contexts(app.routes):
        methods = route.methods or set()
        if "GET" not in methods or route.path.startswith(SKIPPED):
            continue
        if route.path.startswith("/static/") or route.path.endswith("openapi.json"):
            continue
        dependant = getattr(route, "dependant", None)
        query = dict(_query_params(dependant)) if dependant is not None else {}
        found.append(
            GetRoute(
                path=route.path,
                regex=route.path_regex,
                api=route.path.startswith("/api/"),
                path_params=tuple(route.param_convertors),
                required_query=tuple(q for q, required in query.items() if required),
                optional_query=tuple(q for q, required in query.items() if not required),
            )
        )
    return found


def unknown_parameters(routes: list[GetRoute]) -> set[str]:
    """Path parameters, and required query parameters, the test cannot fill."""
    unknown = {p for r in routes for p in r.path_params if p not in PATH_KINDS}
    return unknown | {q for r in routes for q in r.required_query if q not in QUERY_KINDS}


def test_every_get_route_can_be_filled(settings: Settings, engine: Engine) -> None:
    """A route added later with a parameter of a new kind fails here, loudly, until the
    test knows which records fill it (``PATH_KINDS``, ``QUERY_KINDS``)."""
    routes = get_routes(create_app(settings, engine=engine))
    assert len(routes) > 100
    assert {"/api/v1/profiles/{profile_id}", "/matching/profiles/{profile_id}"} <= {
        r.path for r in routes
    }
    assert not unknown_parameters(routes), "fill these: " + ", ".join(
        sorted(unknown_parameters(routes))
    )


def values(world: BuiltWorld, kinds: tuple[str, ...]) -> list[int | str]:
    found: list[int | str] = []
    for kind in kinds:
        if kind == "search_text":
            found += ["Nm", "报关"]
        else:
            found += world.ids.get(kind, [])
    return found


def missing(kinds: tuple[str, ...]) -> int | str:
    return "nosuch" if any(k.endswith("code") or k == "concept_key" for k in kinds) else MISSING_ID


def fill(path: str, params: dict[str, int | str]) -> str:
    for name, value in params.items():
        path = re.sub(r"\{" + name + r"(:[^}]*)?\}", str(value), path)
    return path


@dataclass(frozen=True)
class Request:
    url: str
    forbidden_profile: PersonRecord | None = None
    forbidden_resource: ResourceRecord | None = None


def requests_for(route: GetRoute, world: BuiltWorld, viewer: Person) -> Iterator[Request]:
    """Every request of the route: each combination of path values (every record and a
    missing one) and required query values, then each optional record-valued query
    parameter on its own."""
    by_id = {p.id: p for p in world.profiles}
    resources = {r.id: r for r in world.resources}
    axes = []
    for name in route.path_params:
        kinds = PATH_KINDS[name]
        axes.append([(name, v) for v in [*values(world, kinds), missing(kinds)]])
    for name in route.required_query:
        kinds = QUERY_KINDS[name]
        axes.append([(name, v) for v in [*values(world, kinds), missing(kinds)]])
    first: dict[str, int | str] | None = None
    # every value of every axis at least once (zipped, not the full product: time)
    width = max((len(axis) for axis in axes), default=1)
    for i in range(width):
        chosen = dict(axis[i % len(axis)] for axis in axes)
        first = first or chosen
        path = fill(route.path, {k: v for k, v in chosen.items() if k in route.path_params})
        query = {k: v for k, v in chosen.items() if k not in route.path_params}
        url = path + ("?" + urlencode(query) if query else "")
        profile = next(
            (by_id[int(chosen[k])] for k in ("profile_id",) if k in chosen and chosen[k] in by_id),
            None,
        )
        resource = resources.get(int(chosen["resource_id"])) if "resource_id" in chosen else None
        yield Request(
            url,
            forbidden_profile=profile if profile and not may_see_person(viewer, profile) else None,
            forbidden_resource=(
                resource if resource and not may_see_resource(viewer, resource) else None
            ),
        )
    base = first or {}
    path = fill(route.path, {k: v for k, v in base.items() if k in route.path_params})
    required = {k: v for k, v in base.items() if k not in route.path_params}
    for name in route.optional_query:
        if name not in QUERY_KINDS:
            continue
        for value in values(world, QUERY_KINDS[name]):
            yield Request(path + "?" + urlencode({**required, name: value}))


# --- reading answers --------------------------------------------------------------------------

HREF_RE = re.compile(r'href="([^"]+)"')


def body_text(content: bytes) -> str:
    """The text of an answer; an XLSX (a zip) is read member by member."""
    if content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(content)) as book:
            return "\n".join(
                book.read(name).decode("utf-8", errors="replace") for name in book.namelist()
            )
    return content.decode("utf-8", errors="replace")


def problems_of(
    viewer: Person, world: BuiltWorld, request: Request, status: int, body: str
) -> Iterator[str]:
    """What is wrong with one answer (nothing, when the policy holds)."""
    where = f"{viewer.role.value} (user {viewer.user_id}) GET {request.url}"
    if status == 500:
        yield f"500 for {where}"
    forbidden = request.forbidden_profile or request.forbidden_resource
    if forbidden is not None and status not in (403, 404):
        yield f"{status} for a forbidden record: {where}"
    for p in world.profiles:
        if p.erased or not may_see_person(viewer, p):
            for marker in (p.name, p.phone, p.email):
                if marker in body:
                    yield f"{marker} (profile {p.id}) leaked to {where}"
        elif not may_see_contact(viewer, p):
            for marker in p.contact:
                if marker in body:
                    yield f"contact {marker} (profile {p.id}) leaked to {where}"
    for r in world.resources:
        if not may_see_resource(viewer, r) and r.title in body:
            yield f"resource {r.id} ({r.status}) leaked to {where}"


def crawl(
    client: TestClient,
    routes: list[GetRoute],
    world: BuiltWorld,
    viewer: Person,
    found: list[str],
    seen: set[str],
) -> int:
    """Ask every route as ``viewer``, adding what is wrong to ``found`` and the markers
    the viewer was shown to ``seen``; the number of requests made."""
    markers = [m for p in world.profiles for m in (p.name, p.phone, p.email)]
    headers = {"Authorization": f"Bearer {viewer.token}"}
    hrefs: set[str] = set()
    asked = 0
    linked = [r for r in routes if "linked" in {k for p in r.path_params for k in PATH_KINDS[p]}]
    for route in routes:
        if route in linked:
            continue
        for request in requests_for(route, world, viewer):
            response = client.get(
                request.url, headers=headers if route.api else None, follow_redirects=False
            )
            asked += 1
            body = body_text(response.content)
            found.extend(problems_of(viewer, world, request, response.status_code, body))
            seen.update(m for m in markers if m in body)
            if not route.api and response.headers.get("content-type", "").startswith("text/html"):
                hrefs.update(html.unescape(h) for h in HREF_RE.findall(body))
    for route in linked:
        urls = {h for h in hrefs if route.regex.match(h.split("?")[0])}
        urls.add(
            fill(route.path, {p: "nosuch" if p == "name" else "csv" for p in route.path_params})
        )
        for url in sorted(urls):
            response = client.get(url, follow_redirects=False)
            asked += 1
            body = body_text(response.content)
            found.extend(problems_of(viewer, world, Request(url), response.status_code, body))
            seen.update(m for m in markers if m in body)
    return asked


# --- one fresh store per example ---------------------------------------------------------------


class Stores:
    """A fresh, migrated store for every example: a copy of the migrated SQLite file,
    or the PostgreSQL test database emptied."""

    def __init__(self, settings: Settings, engine: Engine) -> None:
        self.settings = settings
        self.sqlite = settings.is_sqlite
        engine.dispose()
        self.db = Path(settings.data_dir) / "talentbridge.db"
        self.pristine = self.db.with_name("pristine.db")
        if self.sqlite:
            shutil.copyfile(self.db, self.pristine)

    def fresh(self) -> Engine:
        clear_index_cache()
        shutil.rmtree(Path(self.settings.data_dir) / "matching-cache", ignore_errors=True)
        if self.sqlite:
            shutil.copyfile(self.pristine, self.db)
            return create_engine_for(self.settings)
        engine = create_engine_for(self.settings)
        with engine.begin() as conn:
            names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        return engine


def chosen(people: list[Person], viewers: list[tuple[Role, int]] | None) -> list[Person]:
    if viewers is None:
        return people
    picked = []
    for role, n in viewers:
        of_role = [p for p in people if p.role is role] or people
        picked.append(of_role[n % len(of_role)])
    return list(dict.fromkeys(picked))


@pytest.fixture()
def stores(settings: Settings, engine: Engine) -> Stores:
    return Stores(settings, engine)


@dataclass
class Crawled:
    world: BuiltWorld
    seen: dict[int, set[str]]  # user id -> the markers that user was shown
    asked: int  # requests made


def run_world(
    stores: Stores, spec: WorldSpec, password_hash: str, viewers: list[tuple[Role, int]] | None
) -> Crawled:
    """Build the world of ``spec`` and crawl every route as the ``viewers`` (a role and
    which user of that role; ``None``: every user); fails on any problem found."""
    from policyworld import build_world

    engine = stores.fresh()
    try:
        factory = session_factory(engine)
        with factory() as session:
            world, users = build_world(
                session, spec, password_hash=password_hash, data_dir=Path(stores.settings.data_dir)
            )
            tokens = {u.id: issue_token(session, user_id=u.id, name="policy test") for u in users}
            session.commit()
        world.people = [
            Person(p.user_id, p.username, p.role, p.org_id, tokens[p.user_id]) for p in world.people
        ]
        app = create_app(stores.settings, engine=engine)
        routes = get_routes(app)
        assert not unknown_parameters(routes)
        asked = 0
        found: list[str] = []
        seen: dict[int, set[str]] = {}
        with TestClient(app, raise_server_exceptions=False) as client:
            for viewer in chosen(world.people, viewers):
                client.cookies.clear()
                login(client, viewer.username)
                seen[viewer.user_id] = set()
                asked += crawl(client, routes, world, viewer, found, seen[viewer.user_id])
        assert not found, f"{len(found)} problems:\n" + "\n".join(found[:40])
        return Crawled(world, seen, asked)
    finally:
        engine.dispose()


EXAMPLES = 12


def test_no_role_reaches_what_the_policy_forbids_through_any_get_route(
    stores: Stores, password_hash: str
) -> None:
    """Each example is a new world asked through every route by one of its users (every
    user of every world would take minutes); over the examples every role is asked."""
    asked: list[Role] = []

    @examples(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        derandomize=True,  # the same worlds on every run: CI stays stable
        phases=[Phase.explicit, Phase.generate],  # no shrinking: minutes per step here
    )
    @given(spec=world_specs(), which=st.integers(0, 9))
    def one_world(spec: WorldSpec, which: int) -> None:
        # the roles take turns (a drawn role left one out in 12 examples); the problems
        # found name the viewer's role and user
        role = list(Role)[len(asked) % len(Role)]
        asked.append(role)
        run_world(stores, spec, password_hash, [(role, which)])

    one_world()
    assert set(asked) == set(Role), f"roles never asked: {set(Role) - set(asked)}"


def test_a_recruiter_reaches_a_candidates_contact_only_after_an_application(
    stores: Stores, password_hash: str
) -> None:
    """A fixed world for (c), with a positive control: the recruiter's answers do show
    the applicant's phone and the consenting candidate's name (so the markers are
    found where they belong), never the consenting candidate's phone, nothing of the
    student who did neither, and nothing of an applicant who then erased their
    account."""
    applicant = ProfileSpec(has_user=True, visible=False, opt_out=False, placed=False)
    consenting = ProfileSpec(has_user=True, visible=True, opt_out=False, placed=False)
    hidden = ProfileSpec(has_user=True, visible=False, opt_out=False, placed=True)
    gone = ProfileSpec(has_user=True, visible=True, opt_out=False, placed=True, erased=True)
    spec = WorldSpec(
        colleges=(CollegeSpec((applicant, consenting, hidden, gone), ()),),
        postings_per_enterprise=(1,),
        # the applicant, and the student who later erased their account, apply
        applications=frozenset({(0, 0), (3, 0)}),
        invitations=(),
        fair=False,
    )
    crawled = run_world(stores, spec, password_hash, [(Role.RECRUITER, 0)])
    (shown,) = crawled.seen.values()
    a, c, h, g = crawled.world.profiles
    assert g.erased
    assert {a.name, a.phone, c.name} <= shown
    assert not {c.phone, c.email, h.name, h.phone, h.email, g.name, g.phone, g.email} & shown


# --- regressions found by the property test ------------------------------------------------


def test_usage_statistics_name_no_resource_their_readers_may_not_open(session: Session) -> None:
    """Found by the crawl: the usage dashboard's "most used" list (shown to analysts and
    every teacher) named drafts and resources under review that only their submitter and
    reviewers had opened. It now lists published resources only."""
    people = libraryworld.people(
        session, {"plat": Role.PLATFORM_ADMIN, "teach": Role.TEACHER, "adm": Role.COLLEGE_ADMIN}
    )
    library = create_library(
        session, principal=people["plat"], code="lib", name_zh="库", name_en="Library"
    )
    made = {}
    for title, for_review in (("DraftTitle", False), ("ReviewTitle", True), ("OpenTitle", True)):
        made[title] = submit_resource(
            session, principal=people["teach"], library_id=library.id, title_zh=title,
            title_en=title, kind="courseware", data_dir=Path("/nonexistent"), max_bytes=1024,
            url="https://example.cn/x", for_review=for_review,
        )  # fmt: skip
    change_status(session, principal=people["adm"], resource_id=made["OpenTitle"].id,
                  action="publish")  # fmt: skip
    for resource in made.values():
        record_view(session, principal=people["teach"], resource=resource)
    session.commit()
    today = dt.date.today()
    listed = usage_by_resource(
        session, period=Period(today - dt.timedelta(days=1), today + dt.timedelta(days=1))
    )
    assert [r.title_zh for r in listed] == ["OpenTitle"]


def test_an_occupation_page_without_postings_is_not_a_server_error(
    client: TestClient, world: World, session: Session
) -> None:
    """Found by the crawl: /demand/occupations/{id} answered 500 while the store held no
    postings (the page's filters needed the occupation id the empty page was not given)."""
    occupation = session.scalar(select(Occupation.id).where(Occupation.code == "4-02-06-03"))
    login(client, "analyst")
    page = client.get(f"/demand/occupations/{occupation}")
    assert page.status_code == 200
    assert f'action="/demand/occupations/{occupation}"' in page.text
