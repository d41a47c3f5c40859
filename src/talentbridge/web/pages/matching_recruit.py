"""Recruiter pages: "候选人 / Candidates for this opening" (only candidates who consented
or applied; contact data only once they applied or accepted an invitation; invite
button) and the posting's pipeline (stages, move a candidate on or decline).

The engine ranks (``matching.engine.candidates_for`` with consent required), the
application services invite and move (``matching.invitations``,
``matching.applications``) and read (``matching.application_queries``); every
decision is ``accounts.policy``'s.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from starlette.responses import Response

from talentbridge.accounts.policy import (
    Principal,
)
from talentbridge.errors import Conflict
from talentbridge.matching import applications as apps
from talentbridge.matching.application_queries import (
    pipeline_for_organization,
)
from talentbridge.matching.explain import explain
from talentbridge.matching.fair_applications import fair_slots_for
from talentbridge.matching.index import index_for
from talentbridge.matching.invitations import invite
from talentbridge.matching.listing import (
    CandidateRow,
    candidate_filters,
    ranked_candidates,
    ranker_of,
    recruited_posting,
)
from talentbridge.web.deps import PrincipalDep, SessionDep, SettingsDep, require_area
from talentbridge.web.i18n import load_catalogs, translator
from talentbridge.web.pages import matching_views as mv
from talentbridge.web.pages.matching_common import back, int_or_none, page_lang
from talentbridge.web.rendering import render

router = APIRouter()

MatchingArea = Annotated[Principal, Depends(require_area("matching"))]
PAGE_SIZE = 20


@dataclass(frozen=True)
class CandidateLine:
    row: CandidateRow
    college: str
    major: str | None
    why: list[str]


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
    parsed = candidate_filters(graduation_year=int_or_none(year), city=city)
    _name, ranker = ranker_of(session, settings)
    index = index_for(session)
    rows = ranked_candidates(
        session, principal, posting, parsed.filters, index=index, k=PAGE_SIZE, ranker=ranker
    )
    en = lang == "en"
    lines = [
        CandidateLine(
            row=r,
            college=(r.person.college_en if en and r.person.college_en else r.person.college_zh),
            major=(r.person.major_en if en and r.person.major_en else r.person.major_zh),
            why=mv.short_why(
                explain(index, r.match.profile_id, posting.id, ranker=ranker)
                if r.match.scored
                else None,
                t,
                lang,
            ),
        )
        for r in rows
    ]
    return render(
        request,
        "matching/candidates.html",
        posting=mv.posting_card(posting, lang),
        rows=lines,
        query={"year": year, "city": city},
        problem=parsed.problem,
        notice=request.query_params.get("saved"),
        flag_rules=mv.flag_rules_by_posting(session, [posting.id], lang).get(posting.id, []),
    )


@router.post("/matching/postings/{posting_id}/candidates/{profile_id}/invite")
def invite_candidate(
    posting_id: int,
    profile_id: int,
    session: SessionDep,
    settings: SettingsDep,
    principal: PrincipalDep,
    position: Annotated[str, Form(max_length=6)] = "",
    score: Annotated[str, Form(max_length=32)] = "",
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
        fair_slots=fair_slots_for(
            session, [(a.profile_id, a.posting_id) for a in pipeline.applications]
        ),
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
