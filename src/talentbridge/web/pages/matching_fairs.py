"""Job fair (双选会) pages and the fairness audit.

Fairs: the list and the create form (a college's staff), one fair with its openings and
registrations, adding openings and registering students, running the allocation
(``matching.fair_run.run_allocation``: lists nobody stated filled from the engine, then
deferred acceptance and a clash-free interview schedule) and the results each role may
see. The audit: exposure in the top k by protected group (``matching.fairness``),
aggregates only, counts below the small-cell threshold suppressed.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from talentbridge.accounts.directory import list_organizations
from talentbridge.accounts.policy import (
    Principal,
    can_create_fair,
    can_view_candidates,
    can_view_fairness_audit,
    fairness_audit_college,
    suppress_small,
)
from talentbridge.accounts.roles import Role
from talentbridge.domain.divisions import division
from talentbridge.errors import Forbidden, NotFound
from talentbridge.matching import fair_allocation as fa
from talentbridge.matching import fairs
from talentbridge.matching.fair_choices import student_choices
from talentbridge.matching.fair_run import fair_overview, run_allocation, visible_openings
from talentbridge.matching.fairness import ATTRIBUTES, exposure_report
from talentbridge.matching.index import index_for
from talentbridge.matching.listing import college_population, own_profile_id
from talentbridge.matching.protected import CODED
from talentbridge.store.matching_tables import JobFair
from talentbridge.web.deps import PrincipalDep, SessionDep, SettingsDep, require_area
from talentbridge.web.pages.matching_common import back, int_or_none
from talentbridge.web.rendering import render

router = APIRouter()

MatchingArea = Annotated[Principal, Depends(require_area("matching"))]
AUDIT_KS = (5, 10, 20)


def _fairs_of(session: Session, principal: Principal) -> list[JobFair]:
    """A college's staff see their college's fairs; everyone else every fair."""
    if principal.role in (Role.COLLEGE_ADMIN, Role.TEACHER):
        return fairs.list_fairs(session, organization_id=principal.organization_id)
    return fairs.list_fairs(session)


def _render_list(
    request: Request,
    session: Session,
    principal: Principal,
    *,
    error: fairs.FairInputError | None = None,
    values: dict[str, str] | None = None,
) -> Response:
    return render(
        request,
        "matching/fairs.html",
        status_code=400 if error else 200,
        fairs=_fairs_of(session, principal),
        can_create=can_create_fair(principal),
        error=error,
        values=values or {"starts_at": "09:00", "ends_at": "17:00", "slot_minutes": "20"},
    )


@router.get("/matching/fairs", name="matching_fairs")
def fairs_page(request: Request, session: SessionDep, principal: MatchingArea) -> Response:
    return _render_list(request, session, principal)


@router.post("/matching/fairs")
def create_fair(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    name_zh: Annotated[str, Form(max_length=200)] = "",
    name_en: Annotated[str, Form(max_length=200)] = "",
    held_on: Annotated[str, Form(max_length=10)] = "",
    venue: Annotated[str, Form(max_length=200)] = "",
    starts_at: Annotated[str, Form(max_length=5)] = "09:00",
    ends_at: Annotated[str, Form(max_length=5)] = "17:00",
    slot_minutes: Annotated[str, Form(max_length=4)] = "20",
) -> Response:
    values = {"name_zh": name_zh, "name_en": name_en, "held_on": held_on, "venue": venue,
              "starts_at": starts_at, "ends_at": ends_at, "slot_minutes": slot_minutes}  # fmt: skip
    try:
        try:
            day = dt.date.fromisoformat(held_on.strip())
        except ValueError:
            raise fairs.FairInputError("held_on", "a date like 2026-12-01") from None
        fair = fairs.create_fair(
            session,
            principal,
            name_zh=name_zh,
            name_en=name_en or None,
            held_on=day,
            venue=venue.strip() or None,
            starts_at=starts_at,
            ends_at=ends_at,
            slot_minutes=int_or_none(slot_minutes) or 0,
        )
    except fairs.FairInputError as error:
        session.rollback()
        return _render_list(request, session, principal, error=error, values=values)
    return back(f"/matching/fairs/{fair.id}", saved="fair")


def _own_or_none(session: Session, principal: Principal) -> int | None:
    try:
        return own_profile_id(session, principal)
    except NotFound:
        return None


def render_fair(
    request: Request,
    session: Session,
    principal: Principal,
    fair_id: int,
    *,
    error: fairs.FairInputError | None = None,
) -> Response:
    """The fair page: facts, (organisers) the run and its figures, the results the
    viewer may see, openings (recruiters: a link to rank students for their own), the
    student's registration and choices form, (organisers) registrations."""
    overview = fair_overview(session, principal, fair_id=fair_id)
    own = _own_or_none(session, principal)
    results: fa.FairResults | None
    try:
        results = fa.fair_results(session, principal, fair_id=fair_id, profile_id=own)
    except Forbidden:
        results = None
    registered = own is not None and fairs.registration_of(session, fair_id, own) is not None
    openings = visible_openings(principal, overview)
    return render(
        request,
        "matching/fair.html",
        status_code=400 if error else 200,
        o=overview,
        fair=overview.fair,
        openings=openings,
        summary=fa.fair_summary(session, principal, fair_id=fair_id)
        if overview.organiser
        else None,
        results=results,
        own_profile=own,
        registered=registered,
        choices=student_choices(session, principal, fair_id=fair_id, profile_id=own)
        if registered and own is not None
        else None,
        may_rank={
            op.id
            for op in openings
            if can_view_candidates(principal, posting_org_id=op.organization_id)
        },
        error=error,
        notice=request.query_params.get("saved"),
    )


@router.get("/matching/fairs/{fair_id}", name="matching_fair")
def fair_page(
    request: Request, fair_id: int, session: SessionDep, principal: MatchingArea
) -> Response:
    return render_fair(request, session, principal, fair_id)


@router.post("/matching/fairs/{fair_id}/allocate")
def allocate(fair_id: int, session: SessionDep, principal: PrincipalDep) -> Response:
    run_allocation(session, principal, fair_id=fair_id)
    return back(f"/matching/fairs/{fair_id}", saved="allocated")


@router.post("/matching/fairs/{fair_id}/openings")
def add_opening(
    fair_id: int,
    session: SessionDep,
    principal: PrincipalDep,
    posting_id: Annotated[int, Form()],
    seats: Annotated[int, Form(ge=1, le=1000)] = 1,
    booth: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    fairs.add_opening(
        session, principal, fair_id=fair_id, posting_id=posting_id, seats=seats,
        booth=booth.strip() or None,
    )  # fmt: skip
    return back(f"/matching/fairs/{fair_id}", saved="opening")


@router.post("/matching/fairs/{fair_id}/registrations")
def register(
    fair_id: int,
    session: SessionDep,
    principal: PrincipalDep,
    profile_id: Annotated[str, Form(max_length=12)] = "",
) -> Response:
    target = int_or_none(profile_id) or own_profile_id(session, principal)
    fairs.register(session, principal, fair_id=fair_id, profile_id=target)
    return back(f"/matching/fairs/{fair_id}", saved="registered")


# --- fairness audit -------------------------------------------------------------------------


@router.get("/matching/fairness", name="matching_fairness")
def fairness_page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    principal: MatchingArea,
    college: Annotated[int | None, Query()] = None,
    attribute: Annotated[str, Query(max_length=20)] = "gender",
    k: Annotated[int, Query(ge=1, le=50)] = 10,
) -> Response:
    college_id = fairness_audit_college(principal) or college
    if not can_view_fairness_audit(principal, college_id=college_id):
        raise Forbidden("the fairness audit is for college admins, analysts and the platform")
    if attribute not in ATTRIBUTES:
        attribute = "gender"
    index = index_for(session)
    population = college_population(index, college_id)
    report = exposure_report(session, population, k=k, attribute=attribute, index=index)
    threshold = settings.small_cell_threshold
    rows = [(g, suppress_small(g.profiles, threshold)) for g in report.groups]
    provinces = {
        g.group: (found.name_zh, found.name_en)
        for g in report.groups
        if attribute == "hukou_province" and g.group and (found := division(g.group)) is not None
    }
    return render(
        request,
        "matching/fairness.html",
        report=report,
        rows=rows,
        threshold=threshold,
        attributes=ATTRIBUTES,
        ks=AUDIT_KS,
        colleges=[]
        if fairness_audit_college(principal)
        else list_organizations(session, kind="college"),
        college_id=college_id,
        recorded=sum(g.profiles for g in report.groups if g.group is not None),
        provinces=provinces,
        protected_codes=CODED,
    )
