"""Job fairs (双选会) and the fairness audit in the JSON API (``/api/v1/match/…``).

Fairs are public events (every role reads one); students register and state their
ranked openings (``/fairs/{id}/registrations``, ``/fairs/{id}/choices``) and a
posting's recruiters rank the students they may see for their opening
(``/fairs/{id}/openings/{opening}/choices``) until the fair is allocated; a college's
staff create and run them (``POST /match/fairs/{id}/allocate``: lists nobody stated filled from the engine,
deferred acceptance, a clash-free interview schedule); results follow
``matching.fair_allocation`` (organisers all, recruiters their openings, a student
their own). The audit is aggregates only, small groups suppressed.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query

from talentbridge.accounts.policy import (
    can_view_fairness_audit,
    fairness_audit_college,
    suppress_small,
)
from talentbridge.errors import Forbidden, NotFound
from talentbridge.matching import fair_allocation as fa
from talentbridge.matching import fairs
from talentbridge.matching.fair_choices import opening_choices, student_choices
from talentbridge.matching.fair_preferences import (
    set_opening_preferences,
    set_student_preferences,
)
from talentbridge.matching.fair_run import fair_overview, run_allocation, visible_openings
from talentbridge.matching.fairness import ATTRIBUTES, exposure_report
from talentbridge.matching.index import index_for
from talentbridge.matching.listing import college_population, own_profile_id
from talentbridge.web.api.match_schemas import (
    AssignmentOut,
    ChoicesIn,
    FairDetailOut,
    FairIn,
    FairnessOut,
    FairOut,
    FairResultsOut,
    FairSummaryOut,
    GroupOut,
    InterviewOut,
    OpeningChoicesOut,
    OpeningOut,
    RankingIn,
    RegisterIn,
    RegistrationOut,
    StudentChoicesOut,
)
from talentbridge.web.deps import PrincipalDep, SessionDep, SettingsDep

router = APIRouter(prefix="/match", tags=["matching"])


@router.get("/fairs", response_model=list[FairOut], summary="Job fairs, the latest first")
def list_fairs(_principal: PrincipalDep, session: SessionDep) -> list[FairOut]:
    return [FairOut.model_validate(f) for f in fairs.list_fairs(session)]


@router.post("/fairs", response_model=FairOut, summary="Create a job fair (a college's staff)")
def post_fair(body: FairIn, principal: PrincipalDep, session: SessionDep) -> FairOut:
    fair = fairs.create_fair(
        session,
        principal,
        name_zh=body.name_zh,
        name_en=body.name_en,
        held_on=body.held_on,
        venue=body.venue,
        starts_at=body.starts_at,
        ends_at=body.ends_at,
        slot_minutes=body.slot_minutes,
    )
    return FairOut.model_validate(fair)


@router.get("/fairs/{fair_id}", response_model=FairDetailOut, summary="One job fair")
def get_fair(fair_id: int, principal: PrincipalDep, session: SessionDep) -> FairDetailOut:
    overview = fair_overview(session, principal, fair_id=fair_id)
    return FairDetailOut(
        fair=FairOut.model_validate(overview.fair),
        openings=[OpeningOut.model_validate(o) for o in visible_openings(principal, overview)],
        registered=overview.registered,
    )


@router.post(
    "/fairs/{fair_id}/allocate",
    response_model=FairSummaryOut,
    summary="Run the allocation and the interview schedule (organisers)",
)
def post_allocate(fair_id: int, principal: PrincipalDep, session: SessionDep) -> FairSummaryOut:
    report = run_allocation(session, principal, fair_id=fair_id)
    return FairSummaryOut.model_validate(report.summary)


@router.get(
    "/fairs/{fair_id}/results",
    response_model=FairResultsOut,
    summary="Assignments and interviews you may see",
)
def get_results(fair_id: int, principal: PrincipalDep, session: SessionDep) -> FairResultsOut:
    try:
        own: int | None = own_profile_id(session, principal)
    except NotFound:
        own = None
    found = fa.fair_results(session, principal, fair_id=fair_id, profile_id=own)
    return FairResultsOut(
        assignments=[AssignmentOut.model_validate(a) for a in found.assignments],
        interviews=[InterviewOut.model_validate(i) for i in found.interviews],
    )


def _own(session: SessionDep, principal: PrincipalDep, profile_id: int | None) -> int:
    return profile_id if profile_id is not None else own_profile_id(session, principal)


@router.post(
    "/fairs/{fair_id}/registrations",
    response_model=RegistrationOut,
    summary="Register for a fair (a student for themselves, or its organisers)",
)
def post_registration(
    fair_id: int, body: RegisterIn, principal: PrincipalDep, session: SessionDep
) -> RegistrationOut:
    """While the fair is open (its organisers also later, which reopens it)."""
    found = fairs.register(
        session, principal, fair_id=fair_id, profile_id=_own(session, principal, body.profile_id)
    )
    return RegistrationOut.model_validate(found)


@router.get(
    "/fairs/{fair_id}/choices",
    response_model=StudentChoicesOut,
    summary="A student's ranked openings at a fair",
)
def get_choices(
    fair_id: int,
    principal: PrincipalDep,
    session: SessionDep,
    profile_id: Annotated[int | None, Query(description="default: your own profile")] = None,
) -> StudentChoicesOut:
    found = student_choices(
        session, principal, fair_id=fair_id, profile_id=_own(session, principal, profile_id)
    )
    return StudentChoicesOut.model_validate(found)


@router.put(
    "/fairs/{fair_id}/choices",
    response_model=StudentChoicesOut,
    summary="State a student's ranked openings (best first) until the allocation",
)
def put_choices(
    fair_id: int, body: ChoicesIn, principal: PrincipalDep, session: SessionDep
) -> StudentChoicesOut:
    """A stated list (even an empty one) takes precedence over the engine's suggestion."""
    profile_id = _own(session, principal, body.profile_id)
    set_student_preferences(
        session, principal, fair_id=fair_id, profile_id=profile_id, opening_ids=body.opening_ids
    )
    found = student_choices(session, principal, fair_id=fair_id, profile_id=profile_id)
    return StudentChoicesOut.model_validate(found)


@router.get(
    "/fairs/{fair_id}/openings/{opening_id}/choices",
    response_model=OpeningChoicesOut,
    summary="The students a posting's recruiters may rank for their opening",
)
def get_opening_choices(
    fair_id: int, opening_id: int, principal: PrincipalDep, session: SessionDep
) -> OpeningChoicesOut:
    found = opening_choices(session, principal, fair_id=fair_id, opening_id=opening_id)
    return OpeningChoicesOut.model_validate(found)


@router.put(
    "/fairs/{fair_id}/openings/{opening_id}/choices",
    response_model=OpeningChoicesOut,
    summary="State an opening's ranked students (best first; its recruiters) until the allocation",
)
def put_opening_choices(
    fair_id: int, opening_id: int, body: RankingIn, principal: PrincipalDep, session: SessionDep
) -> OpeningChoicesOut:
    set_opening_preferences(
        session, principal, fair_id=fair_id, opening_id=opening_id, profile_ids=body.profile_ids
    )
    found = opening_choices(session, principal, fair_id=fair_id, opening_id=opening_id)
    return OpeningChoicesOut.model_validate(found)


@router.get("/fairness", response_model=FairnessOut, summary="Top-k exposure by protected group")
def get_fairness(
    principal: PrincipalDep,
    session: SessionDep,
    settings: SettingsDep,
    college_id: Annotated[int | None, Query()] = None,
    attribute: Annotated[str, Query(description=", ".join(ATTRIBUTES))] = "gender",
    k: Annotated[int, Query(ge=1, le=50)] = 10,
) -> FairnessOut:
    """College admins see their own college; analysts and the platform admin any college
    or all. Aggregates only: groups below the small-cell threshold show no figures."""
    college = fairness_audit_college(principal) or college_id
    if not can_view_fairness_audit(principal, college_id=college):
        raise Forbidden("the fairness audit is for college admins, analysts and the platform")
    if attribute not in ATTRIBUTES:
        raise HTTPException(
            422, f"unknown attribute {attribute!r}; use one of {', '.join(ATTRIBUTES)}"
        )
    index = index_for(session)
    population = college_population(index, college)
    report = exposure_report(session, population, k=k, attribute=attribute, index=index)
    groups = []
    for g in report.groups:
        n = suppress_small(g.profiles, settings.small_cell_threshold)
        shown = n is not None
        groups.append(
            GroupOut(
                group=g.group,
                profiles=n,
                population_share=g.population_share if shown else None,
                exposure_share=g.exposure_share if shown else None,
                ratio=g.ratio if shown else None,
            )
        )
    return FairnessOut(
        attribute=report.attribute,
        k=report.k,
        postings=report.postings,
        profiles=report.profiles,
        college_id=college,
        groups=groups,
    )
