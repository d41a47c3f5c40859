"""Recruiter pages: "候选人 / Candidates for this opening" (only candidates who consented
or applied; contact data only once they applied or accepted an invitation; invite
button) and the posting's pipeline (stages, move a candidate on or decline).

The engine ranks (``matching.engine.candidates_for`` with consent required), the
application services invite and move (``matching.invitations``,
``matching.applications``) and read (``matching.application_queries``); every
decision is ``accounts.policy``'s.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from talentbridge.accounts.policy import (
    Principal,
    can_see_candidate_contact,
)
from talentbridge.accounts.profiles_query import ProfileView, get_visible_profile
from talentbridge.errors import Conflict
from talentbridge.matching import applications as apps
from talentbridge.matching.application_queries import (
    ApplicationList,
    ApplicationView,
    pipeline_for_organization,
)
from talentbridge.matching.engine import Match, candidates_for
from talentbridge.matching.explain import explain
from talentbridge.matching.index import index_for
from talentbridge.matching.invitations import invite
from talentbridge.web.deps import PrincipalDep, SessionDep, SettingsDep, require_area
from talentbridge.web.i18n import load_catalogs, translator
from talentbridge.web.match_deps import candidate_filters, ranker_of, recruited_posting
from talentbridge.web.pages import matching_views as mv
from talentbridge.web.pages.matching_common import back, int_or_none, page_lang
from talentbridge.web.rendering import render

router = APIRouter()

MatchingArea = Annotated[Principal, Depends(require_area("matching"))]
PAGE_SIZE = 20


@dataclass(frozen=True)
class Candidate:
    """What a recruiter sees of a candidate (contact ``None`` unless allowed)."""

    id: int
    name: str
    college: str
    major: str | None
    graduation_year: int
    phone: str | None
    email: str | None


@dataclass(frozen=True)
class CandidateRow:
    match: Match
    profile: Candidate
    show_contact: bool
    applied: bool
    invited: bool
    why: list[str]


def _applied(pipeline: ApplicationList) -> tuple[set[int], set[int]]:
    """Profiles that applied to the posting, and those whose application is still the
    student's (not withdrawn): only these show contact data."""
    applied = {a.profile_id for a in pipeline.applications}
    active = {a.profile_id for a in pipeline.applications if a.declined_by != "student"}
    return applied, active


@router.get("/matching/postings/{posting_id}/candidates", name="matching_candidates")
def candidates_page(
    request: Request,
    posting_id: int,
    session: SessionDep,
    settings: SettingsDep,
    principal: MatchingArea,
    year: Annotated[str, Query(max_length=4)] = "",
    city: Annotated[str, Query(max_length=50)] = "",
) -> Response:
    posting = recruited_posting(session, principal, posting_id)
    lang = page_lang(request)
    t = translator(load_catalogs(), lang)
    pipeline = pipeline_for_organization(session, principal, posting_id=posting.id)
    applied, active = _applied(pipeline)
    invited = {i.profile_id for i in pipeline.invitations}
    parsed = candidate_filters(graduation_year=int_or_none(year), city=city)
    _name, ranker = ranker_of(session, settings)
    index = index_for(session)
    matches = candidates_for(
        index,
        posting.id,
        parsed.filters,
        k=PAGE_SIZE,
        applied=applied,
        require_consent=True,
        ranker=ranker,
    )
    by_profile = {a.profile_id: a for a in pipeline.applications}
    rows = []
    for m in matches:
        person = _candidate(session, principal, m.profile_id, by_profile, lang)
        show = can_see_candidate_contact(principal, applied_or_accepted=m.profile_id in active)
        if not show:  # consent makes a candidate findable, not reachable
            person = replace(person, phone=None, email=None)
        rows.append(
            CandidateRow(
                match=m,
                profile=person,
                show_contact=show and (person.phone is not None or person.email is not None),
                applied=m.profile_id in applied,
                invited=m.profile_id in invited,
                why=mv.short_why(
                    explain(index, m.profile_id, posting.id, ranker=ranker) if m.scored else None,
                    t,
                    lang,
                ),
            )
        )
    return render(
        request,
        "matching/candidates.html",
        posting=mv.posting_card(posting, lang),
        rows=rows,
        query={"year": year, "city": city},
        problem=parsed.problem,
        notice=request.query_params.get("saved"),
        flag_rules=mv.flag_rules_by_posting(session, [posting.id], lang).get(posting.id, []),
    )


def _candidate(
    session: Session,
    principal: Principal,
    profile_id: int,
    applications: dict[int, ApplicationView],
    lang: str,
) -> Candidate:
    """A candidate from their application to this posting (already masked and audited by
    the pipeline read), else from the profile the policy lets the recruiter see."""
    a = applications.get(profile_id)
    if a is not None:
        return Candidate(a.profile_id, a.candidate_name, a.college_name_zh, a.major_name_zh,
                         a.graduation_year, a.phone, a.email)  # fmt: skip
    v: ProfileView = get_visible_profile(session, principal, profile_id)  # audited read
    en = lang == "en"
    return Candidate(
        v.id,
        v.name,
        (v.organization_name_en if en and v.organization_name_en else v.organization_name_zh),
        (v.major_name_en if en and v.major_name_en else v.major_name_zh),
        v.graduation_year,
        v.phone,
        v.email,
    )


@router.post("/matching/postings/{posting_id}/candidates/{profile_id}/invite")
def invite_candidate(
    posting_id: int,
    profile_id: int,
    session: SessionDep,
    settings: SettingsDep,
    principal: PrincipalDep,
    position: Annotated[str, Form(max_length=6)] = "",
    score: Annotated[str, Form(max_length=12)] = "",
) -> Response:
    target = f"/matching/postings/{posting_id}/candidates"
    try:
        invite(
            session,
            principal,
            profile_id=profile_id,
            posting_id=posting_id,
            position=int_or_none(position),
            score=_float(score),
            ranker=ranker_of(session, settings)[0],
        )
    except Conflict:
        return back(target, saved="already_invited")
    return back(target, saved="invited")


def _float(text: str) -> float | None:
    try:
        return float(text) if text.strip() else None
    except ValueError:
        return None


# --- pipeline ---------------------------------------------------------------------------


@router.get("/matching/postings/{posting_id}/pipeline", name="matching_pipeline")
def pipeline_page(
    request: Request, posting_id: int, session: SessionDep, principal: MatchingArea
) -> Response:
    posting = recruited_posting(session, principal, posting_id)
    lang = page_lang(request)
    pipeline = pipeline_for_organization(session, principal, posting_id=posting.id)
    return render(
        request,
        "matching/pipeline.html",
        posting=mv.posting_card(posting, lang),
        pipeline=pipeline,
        stages=apps.STAGES,
        next_stage=apps.NEXT_STAGE,
        notice=request.query_params.get("saved"),
    )


@router.post("/matching/applications/{application_id}/move")
def move_application(
    application_id: int,
    session: SessionDep,
    principal: PrincipalDep,
    to_stage: Annotated[str, Form(max_length=12)],
    posting_id: Annotated[int, Form()],
    note: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    apps.move(
        session,
        principal,
        application_id=application_id,
        to_stage=to_stage,
        note=note.strip() or None,
    )
    return back(f"/matching/postings/{posting_id}/pipeline", saved="moved")
