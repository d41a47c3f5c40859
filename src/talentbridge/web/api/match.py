"""Matching in the JSON API (``/api/v1/match/…``): ranked jobs for a profile, ranked
candidates for a posting, the explanation of a pair, feedback, and a profile's consent
and ranking opt-out.

The same checks as the pages (``web.match_deps`` over ``accounts.policy``): a profile's
jobs only for the student, their college's staff and the platform admin (404 for anyone
else); candidates only for the posting's recruiters (403), and only those who consented
or applied, with contact data only once they applied or accepted an invitation.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from talentbridge.accounts.policy import can_act_for_profile, can_view_candidates
from talentbridge.errors import Forbidden
from talentbridge.matching import applications as apps
from talentbridge.matching import feedback
from talentbridge.matching import profile_edit as pe
from talentbridge.matching.engine import jobs_for
from talentbridge.matching.explain import explain, with_teaching
from talentbridge.matching.index import index_for
from talentbridge.matching.listing import (
    candidate_filters,
    explained_pair,
    job_filters,
    ranked_candidates,
    ranker_of,
    recruited_posting,
    subject_profile,
)
from talentbridge.matching.profile_access import may_view_profile
from talentbridge.pipeline import posting_queries as pq
from talentbridge.web.api.match_schemas import (
    CandidateOut,
    CandidatesOut,
    ConsentIn,
    ExplanationOut,
    FeedbackIn,
    FeedbackOut,
    JobMatchOut,
    JobsOut,
    OptOutIn,
    PartsOut,
    ProfileStateOut,
)
from talentbridge.web.deps import PrincipalDep, SessionDep, SettingsDep
from talentbridge.web.i18n import load_catalogs, translate
from talentbridge.web.rendering import request_locale

router = APIRouter(prefix="/match", tags=["matching"])

MAX_K = 100
STUDENT_EVENTS = frozenset({"view", "save", "dismiss"})


@router.get("/jobs", response_model=JobsOut, summary="Ranked jobs for a profile")
def jobs(
    principal: PrincipalDep,
    session: SessionDep,
    settings: SettingsDep,
    profile_id: Annotated[int | None, Query(description="default: your own profile")] = None,
    city: Annotated[str | None, Query(max_length=50, description="name or code")] = None,
    education: Annotated[int | None, Query(ge=0, le=7, description="asked at most")] = None,
    salary: Annotated[int | None, Query(ge=0, description="yuan/month floor")] = None,
    occupation: Annotated[int | None, Query()] = None,
    hide_flagged: bool = False,
    k: Annotated[int, Query(ge=1, le=MAX_K)] = 20,
) -> JobsOut:
    """Deterministic: the same input gives the same ranking. Flagged postings stay in
    the list, marked with their rules, unless ``hide_flagged``."""
    subject = subject_profile(session, principal, profile_id)
    parsed = job_filters(city=city, education=education, salary=salary,
                         occupation=occupation, hide_flagged=hide_flagged)  # fmt: skip
    name, ranker = ranker_of(session, settings)
    matches = jobs_for(index_for(session), subject.id, parsed.filters, k=k, ranker=ranker)
    flags = pq.flags_by_posting(session, [m.posting_id for m in matches if m.flagged])
    out = []
    for m in matches:
        posting = pq.get_posting(session, m.posting_id)
        out.append(
            JobMatchOut(
                rank=m.rank,
                posting_id=m.posting_id,
                title=posting.title,
                employer_name=posting.employer_name,
                city_code=posting.city_code,
                salary_min=posting.salary_min,
                salary_max=posting.salary_max,
                score=m.score,
                scored=m.scored,
                parts=PartsOut.model_validate(m.parts),
                flagged=m.flagged,
                flag_rules=sorted({f.rule for f in flags.get(m.posting_id, [])}),
            )
        )
    return JobsOut(profile_id=subject.id, ranker=name, filter_problem=parsed.problem, matches=out)


@router.get("/candidates", response_model=CandidatesOut, summary="Ranked candidates for a posting")
def candidates(
    principal: PrincipalDep,
    session: SessionDep,
    settings: SettingsDep,
    posting_id: int,
    graduation_year: Annotated[int | None, Query(ge=1980, le=2100)] = None,
    city: Annotated[str | None, Query(max_length=50)] = None,
    k: Annotated[int, Query(ge=1, le=MAX_K)] = 20,
) -> CandidatesOut:
    """Only for the posting's recruiters (and the platform admin)."""
    posting = recruited_posting(session, principal, posting_id)
    parsed = candidate_filters(graduation_year=graduation_year, city=city)
    name, ranker = ranker_of(session, settings)
    rows = ranked_candidates(
        session, principal, posting, parsed.filters, index=index_for(session), k=k, ranker=ranker
    )
    return CandidatesOut(
        posting_id=posting.id,
        ranker=name,
        filter_problem=parsed.problem,
        candidates=[
            CandidateOut(
                rank=r.match.rank,
                profile_id=r.person.id,
                name=r.person.name,
                college=r.person.college_zh,
                major=r.person.major_zh,
                graduation_year=r.person.graduation_year,
                score=r.match.score,
                scored=r.match.scored,
                parts=PartsOut.model_validate(r.match.parts),
                applied=r.applied,
                invited=r.invited,
                phone=r.person.phone,
                email=r.person.email,
            )
            for r in rows
        ],
    )


@router.get("/explain", response_model=ExplanationOut, summary="Why a profile and a posting match")
def explanation(
    request: Request,
    principal: PrincipalDep,
    session: SessionDep,
    settings: SettingsDep,
    profile_id: int,
    posting_id: int,
) -> ExplanationOut:
    """Matched and missing skills, major relevance, wish and education fit and the
    score's parts; the PIPL art. 24 notice in ``right_to_know``."""
    profile, posting = explained_pair(session, principal, profile_id, posting_id)
    _name, ranker = ranker_of(session, settings)
    e = with_teaching(session, explain(index_for(session), profile.id, posting.id, ranker=ranker))
    lang = request_locale(request)
    notice = translate(load_catalogs(), lang, "matching.pipl.right_to_know")
    return ExplanationOut.model_validate({**vars(e), "right_to_know": notice})


@router.post("/feedback", response_model=FeedbackOut, summary="Record a view, save or dismiss")
def post_feedback(
    body: FeedbackIn, principal: PrincipalDep, session: SessionDep, settings: SettingsDep
) -> FeedbackOut:
    """A student for their own profile (view, save, dismiss); a posting's recruiter may
    record a view of a candidate they may see. Apply and invite have their endpoints."""
    if body.event not in STUDENT_EVENTS:
        raise Forbidden("record view, save or dismiss here; apply and invite have endpoints")
    posting = pq.get_posting(session, body.posting_id)
    profile = apps.load_profile(session, body.profile_id)
    if can_act_for_profile(principal, profile_user_id=profile.user_id):
        side = "student"
    elif (
        body.event == "view"
        and can_view_candidates(principal, posting_org_id=posting.organization_id)
        and may_view_profile(session, principal, profile)
    ):
        side = "employer"
    else:
        apps.own_profile(session, principal, body.profile_id)  # NotFound or Forbidden
        raise Forbidden("only the student records this")
    recorded = feedback.record(
        session,
        profile_id=profile.id,
        posting_id=posting.id,
        event=body.event,
        side=side,
        user_id=principal.user_id,
        position=body.position,
        score=body.score,
        ranker=ranker_of(session, settings)[0],
        is_sample=profile.is_sample,
    )
    return FeedbackOut(id=recorded.id, created=recorded.created)


def _state(session: SessionDep, principal: PrincipalDep, profile_id: int) -> ProfileStateOut:
    detail = pe.profile_detail(session, principal, profile_id)
    return ProfileStateOut(
        profile_id=detail.id,
        visible_to_employers=detail.visible_to_employers,
        ranking_opt_out=detail.ranking_opt_out,
    )


@router.put(
    "/profiles/{profile_id}/consent",
    response_model=ProfileStateOut,
    summary="Consent to be visible to employers (or withdraw it)",
)
def put_consent(
    profile_id: int, body: ConsentIn, principal: PrincipalDep, session: SessionDep
) -> ProfileStateOut:
    """Takes effect at once: a withdrawn profile leaves every recruiter's list."""
    pe.set_consent(session, principal, profile_id=profile_id,
                   visible_to_employers=body.visible_to_employers, channel="api")  # fmt: skip
    return _state(session, principal, profile_id)


@router.put(
    "/profiles/{profile_id}/ranking",
    response_model=ProfileStateOut,
    summary="Refuse automated ranking (PIPL art. 24) or use it again",
)
def put_ranking(
    profile_id: int, body: OptOutIn, principal: PrincipalDep, session: SessionDep
) -> ProfileStateOut:
    pe.set_ranking_opt_out(session, principal, profile_id=profile_id,
                           opt_out=body.ranking_opt_out, channel="api")  # fmt: skip
    return _state(session, principal, profile_id)
