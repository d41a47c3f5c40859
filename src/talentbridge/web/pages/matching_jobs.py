"""Jobs for a profile: "适合我的岗位 / Jobs for me" (ranked, explained, flagged postings
marked), saving and applying from the list, and the match explanation page.

The engine ranks (``matching.engine.jobs_for`` over ``matching.index.index_for``),
``matching.explain`` explains, ``matching.applications`` applies and
``matching.feedback`` records what the student did; ``accounts.policy`` decides who
may see whose list (the student, their college's staff, the platform admin: 404 for
anyone else, so nothing leaks).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from talentbridge.accounts.policy import (
    Principal,
    can_act_for_profile,
    can_view_candidates,
    can_view_posting_flags,
)
from talentbridge.errors import Conflict
from talentbridge.matching import applications as apps
from talentbridge.matching import feedback
from talentbridge.matching.engine import jobs_for
from talentbridge.matching.explain import explain, with_teaching
from talentbridge.matching.index import index_for
from talentbridge.matching.listing import explained_pair, job_filters, ranker_of, subject_profile
from talentbridge.pipeline import posting_queries as pq
from talentbridge.store.tables import Profile
from talentbridge.taxonomy.occupations import list_occupations
from talentbridge.web.deps import PrincipalDep, SessionDep, SettingsDep, require_area
from talentbridge.web.i18n import load_catalogs, translator
from talentbridge.web.pages import matching_views as mv
from talentbridge.web.pages.matching_common import back, int_or_none, page_lang
from talentbridge.web.pages.posting_views import flag_views
from talentbridge.web.rendering import render

router = APIRouter()

MatchingArea = Annotated[Principal, Depends(require_area("matching"))]
PAGE_SIZE = 20


@router.get("/matching/jobs", name="matching_jobs")
def jobs_page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    principal: MatchingArea,
    profile: Annotated[int | None, Query()] = None,
    city: Annotated[str, Query(max_length=50)] = "",
    education: Annotated[str, Query(max_length=2)] = "",
    salary: Annotated[str, Query(max_length=10)] = "",
    occupation: Annotated[str, Query(max_length=10)] = "",
    hide_flagged: Annotated[str, Query(max_length=1)] = "",
) -> Response:
    subject = subject_profile(session, principal, profile)
    lang = page_lang(request)
    t = translator(load_catalogs(), lang)
    parsed = job_filters(
        city=city,
        education=int_or_none(education),
        salary=int_or_none(salary),
        occupation=int_or_none(occupation),
        hide_flagged=hide_flagged == "1",
    )
    name, ranker = ranker_of(session, settings)
    index = index_for(session)
    matches = jobs_for(index, subject.id, parsed.filters, k=PAGE_SIZE, ranker=ranker)
    explanations = {
        m.posting_id: explain(index, subject.id, m.posting_id, ranker=ranker)
        for m in matches
        if m.scored  # an opted-out profile's list is not scored, so nothing to explain
    }
    return render(
        request,
        "matching/jobs.html",
        subject=subject,
        own=can_act_for_profile(principal, profile_user_id=subject.user_id),
        rows=mv.match_rows(session, matches, explanations, t, lang),
        opted_out=subject.ranking_opt_out,
        query={
            "city": city,
            "education": education,
            "salary": salary,
            "occupation": occupation,
            "hide_flagged": hide_flagged,
        },
        problem=parsed.problem,
        educations=mv.education_choices(lang),
        occupations=list_occupations(session),
        notice=request.query_params.get("saved"),
        ranker=name,
    )


def _feedback_target(session: Session, principal: Principal, profile_id: int) -> Profile:
    """The profile a student acts for (``Forbidden`` / ``NotFound`` otherwise)."""
    return apps.own_profile(session, principal, profile_id)


@router.post("/matching/jobs/{posting_id}/save")
def save_job(
    posting_id: int,
    session: SessionDep,
    settings: SettingsDep,
    principal: PrincipalDep,
    profile_id: Annotated[int, Form()],
    position: Annotated[str, Form(max_length=6)] = "",
    score: Annotated[str, Form(max_length=32)] = "",
    back_to: Annotated[str, Form(max_length=500)] = "/matching/jobs",
) -> Response:
    profile = _feedback_target(session, principal, profile_id)
    pq.get_posting(session, posting_id)
    feedback.record(
        session,
        profile_id=profile.id,
        posting_id=posting_id,
        event="save",
        side="student",
        user_id=principal.user_id,
        position=int_or_none(position),
        score=_float(score),
        ranker=ranker_of(session, settings)[0],
        is_sample=profile.is_sample,
    )
    return back(_local(back_to), saved="saved")


@router.post("/matching/jobs/{posting_id}/apply")
def apply_job(
    posting_id: int,
    session: SessionDep,
    settings: SettingsDep,
    principal: PrincipalDep,
    profile_id: Annotated[int, Form()],
    position: Annotated[str, Form(max_length=6)] = "",
    score: Annotated[str, Form(max_length=32)] = "",
    back_to: Annotated[str, Form(max_length=500)] = "/matching/jobs",
) -> Response:
    try:
        apps.apply(
            session,
            principal,
            profile_id=profile_id,
            posting_id=posting_id,
            position=int_or_none(position),
            score=_float(score),
            ranker=ranker_of(session, settings)[0],
        )
    except Conflict:
        return back(_local(back_to), saved="already")
    return back(_local(back_to), saved="applied")


def _float(text: str) -> float | None:
    try:
        return float(text) if text.strip() else None
    except ValueError:
        return None


def _local(path: str) -> str:
    """Only a path on this site (never another host) to go back to."""
    if not path.startswith("/") or path.startswith("//") or "\\" in path:
        return "/matching/jobs"
    return path.split("?", 1)[0]


# --- explanation --------------------------------------------------------------------------


@router.get("/matching/explain/{profile_id}/{posting_id}", name="matching_explain")
def explanation_page(
    request: Request,
    profile_id: int,
    posting_id: int,
    session: SessionDep,
    settings: SettingsDep,
    principal: MatchingArea,
    rank: Annotated[int | None, Query(ge=1)] = None,
) -> Response:
    profile, posting = explained_pair(session, principal, profile_id, posting_id)
    name, ranker = ranker_of(session, settings)
    own = can_act_for_profile(principal, profile_user_id=profile.user_id)
    employer = can_view_candidates(principal, posting_org_id=posting.organization_id)
    if own or employer:
        feedback.record(
            session,
            profile_id=profile.id,
            posting_id=posting.id,
            event="view",
            side="student" if own else "employer",
            user_id=principal.user_id,
            position=rank,
            ranker=name,
            is_sample=profile.is_sample,
        )
    lang = page_lang(request)
    t = translator(load_catalogs(), lang)
    e = with_teaching(session, explain(index_for(session), profile.id, posting.id, ranker=ranker))
    show_flags = can_view_posting_flags(principal, posting.organization_id)
    flags = pq.posting_flags(session, posting.id) if e.flagged else []
    return render(
        request,
        "matching/explain.html",
        e=e,
        profile=profile,
        posting=mv.posting_card(posting, lang),
        own=own,
        employer=employer,
        applied=apps.existing_application(session, profile.id, posting.id) is not None,
        rank=rank,
        why=mv.short_why(e, t, lang),
        figure=mv.parts_figure(e.parts, t) if e.scored else None,
        flag_rules=list(dict.fromkeys(v.label for v in flag_views(flags, lang))),
        flag_details=flag_views(flags, lang) if show_flags else [],
        skill_label=lambda s: mv.skill_label(s, lang),
        place_name=lambda c: mv.place_name(c, lang),
        education_label=lambda v: mv.education_label(v, lang),
        percent=mv.percent,
        occupation_names=_occupation_names(session, lang),
    )


def _occupation_names(session: Session, lang: str) -> dict[str, str]:
    names: dict[str, str] = {}
    for o in list_occupations(session):
        names[str(o.id)] = (o.name_en if lang == "en" and o.name_en else o.name_zh) or o.code
    return names
