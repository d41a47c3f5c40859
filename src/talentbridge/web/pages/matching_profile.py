"""Profile pages: "我的档案 / My profile" for a student, one profile for the staff and
recruiters who may see it, and the forms that change it (skills, certificates,
languages, courses, experiences, wishes, consent, the ranking opt-out, résumés).

Reads go through ``matching.profile_detail`` and changes through
``matching.profile_edit`` and ``matching.resume``; both apply ``accounts.policy``
(a profile the viewer may not see is 404, one they may see but not change is 403).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from sqlalchemy.orm import Session
from starlette.responses import Response

from talentbridge.accounts.policy import Principal
from talentbridge.errors import NotFound
from talentbridge.matching import profile_edit as pe
from talentbridge.matching.concept_refs import GROUPS
from talentbridge.matching.listing import own_profile_id
from talentbridge.matching.protected import CODED, protected_attributes
from talentbridge.matching.resume.files import ResumeFileError
from talentbridge.matching.resume.suggest import UploadedResume, decide, parse_resume
from talentbridge.privacy.overview import erasable_account_of
from talentbridge.taxonomy.browse import concept_choices
from talentbridge.taxonomy.occupations import list_occupations
from talentbridge.web.deps import PrincipalDep, SessionDep, SettingsDep, require_area
from talentbridge.web.pages.matching_common import (
    back,
    checked,
    date_or_none,
    int_or_none,
    page_lang,
    split_list,
)
from talentbridge.web.rendering import render

router = APIRouter()

MatchingArea = Annotated[Principal, Depends(require_area("matching"))]
CHOICES = 1500  # concepts offered per group in the form's datalist
Text = Annotated[str, Form(max_length=5000)]


def _profile_url(profile_id: int) -> str:
    return f"/matching/profiles/{profile_id}"


def render_profile(
    request: Request,
    session: Session,
    principal: Principal,
    profile_id: int,
    *,
    status_code: int = 200,
    error: pe.ProfileInputError | None = None,
    notice: str | None = None,
) -> Response:
    """The profile page (with the edit forms when the viewer may change the profile)."""
    detail = pe.profile_detail(session, principal, profile_id)
    lang = page_lang(request)
    choices = (
        {
            g: concept_choices(session, kinds=sorted(kinds), limit=CHOICES)
            for g, kinds in GROUPS.items()
        }
        if detail.can_edit
        else {}
    )
    return render(
        request,
        "matching/profile.html",
        status_code=status_code,
        p=detail,
        own=detail.id == _own_or_none(session, principal),
        choices=choices,
        occupations=list_occupations(session) if detail.can_edit else [],
        lang_code=lang,
        error=error,
        notice=notice or request.query_params.get("saved"),
        experience_kinds=pe.EXPERIENCE_KINDS,
        protected=protected_attributes(session, principal, profile_id),
        protected_codes=CODED,
        erase_user_id=erasable_account_of(session, principal, profile_id),
    )


def _own_or_none(session: Session, principal: Principal) -> int | None:
    try:
        return own_profile_id(session, principal)
    except NotFound:
        return None


def _edit(
    request: Request,
    session: Session,
    principal: Principal,
    profile_id: int,
    change: str,
    action: Callable[[], object],
) -> Response:
    """Run a change (a thunk); back to the page with a notice, or the page with the
    input error (400)."""
    try:
        action()
    except pe.ProfileInputError as error:
        session.rollback()
        return render_profile(request, session, principal, profile_id, status_code=400, error=error)
    return back(_profile_url(profile_id), saved=change)


# --- pages --------------------------------------------------------------------------------


@router.get("/matching/profile", name="my_profile")
def my_profile(request: Request, session: SessionDep, principal: MatchingArea) -> Response:
    """The student's own profile (``NotFound`` for other roles: they open a profile by id)."""
    return render_profile(request, session, principal, own_profile_id(session, principal))


@router.get("/matching/profiles/{profile_id}", name="matching_profile")
def profile_page(
    request: Request, profile_id: int, session: SessionDep, principal: MatchingArea
) -> Response:
    return render_profile(request, session, principal, profile_id)


# --- concepts -------------------------------------------------------------------------------


@router.post("/matching/profiles/{profile_id}/concepts")
def add_concepts(
    request: Request,
    profile_id: int,
    session: SessionDep,
    principal: PrincipalDep,
    group: Annotated[str, Form()],
    refs: Text = "",
) -> Response:
    items = split_list(refs)
    return _edit(request, session, principal, profile_id, group, lambda: pe.add_concepts(
        session, principal, profile_id=profile_id, group=group, refs=items))  # fmt: skip


@router.post("/matching/profiles/{profile_id}/concepts/{concept_id}/remove")
def remove_concept(
    request: Request, profile_id: int, concept_id: int, session: SessionDep, principal: PrincipalDep
) -> Response:
    return _edit(request, session, principal, profile_id, "removed", lambda: pe.remove_concepts(
        session, principal, profile_id=profile_id, concept_ids=[concept_id]))  # fmt: skip


# --- courses and experiences ----------------------------------------------------------------


@router.post("/matching/profiles/{profile_id}/courses")
def add_course(
    request: Request,
    profile_id: int,
    session: SessionDep,
    principal: PrincipalDep,
    name: Annotated[str, Form(max_length=200)] = "",
    term: Annotated[str, Form(max_length=20)] = "",
    grade: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    course = pe.CourseInput(name=name, term=term, grade=grade or None)
    return _edit(request, session, principal, profile_id, "courses", lambda: pe.upsert_course(
        session, principal, profile_id=profile_id, course=course))  # fmt: skip


@router.post("/matching/profiles/{profile_id}/courses/{course_row}/remove")
def remove_course(
    request: Request, profile_id: int, course_row: int, session: SessionDep, principal: PrincipalDep
) -> Response:
    return _edit(request, session, principal, profile_id, "removed", lambda: pe.remove_course(
        session, principal, profile_id=profile_id, profile_course_id=course_row))  # fmt: skip


@router.post("/matching/profiles/{profile_id}/experiences")
def add_experience(
    request: Request,
    profile_id: int,
    session: SessionDep,
    principal: PrincipalDep,
    kind: Annotated[str, Form(max_length=12)] = "internship",
    organization_name: Annotated[str, Form(max_length=200)] = "",
    title: Annotated[str, Form(max_length=200)] = "",
    start_on: Annotated[str, Form(max_length=10)] = "",
    end_on: Annotated[str, Form(max_length=10)] = "",
    description: Text = "",
) -> Response:
    experience = pe.ExperienceInput(
        kind=kind,
        organization_name=organization_name or None,
        title=title or None,
        start_on=date_or_none(start_on),
        end_on=date_or_none(end_on),
        description=description,
    )
    return _edit(request, session, principal, profile_id, "experiences", lambda: pe.add_experience(
        session, principal, profile_id=profile_id, experience=experience))  # fmt: skip


@router.post("/matching/profiles/{profile_id}/experiences/{experience_id}/remove")
def remove_experience(
    request: Request,
    profile_id: int,
    experience_id: int,
    session: SessionDep,
    principal: PrincipalDep,
) -> Response:
    return _edit(request, session, principal, profile_id, "removed", lambda: pe.remove_experience(
        session, principal, profile_id=profile_id, experience_id=experience_id))  # fmt: skip


# --- wishes, consent, opt-out ---------------------------------------------------------------


@router.post("/matching/profiles/{profile_id}/wish")
def set_wish(
    request: Request,
    profile_id: int,
    session: SessionDep,
    principal: PrincipalDep,
    cities: Annotated[str, Form(max_length=500)] = "",
    salary_min: Annotated[str, Form(max_length=12)] = "",
    occupation_ids: Annotated[list[int] | None, Form()] = None,
    willing_to_relocate: Annotated[str, Form(max_length=5)] = "",
    willing_to_go_abroad: Annotated[str, Form(max_length=5)] = "",
    summary: Text = "",
) -> Response:
    wish = pe.WishInput(
        city_codes=split_list(cities),
        salary_min=int_or_none(salary_min),
        occupation_ids=occupation_ids or [],
        willing_to_relocate=checked(willing_to_relocate),
        willing_to_go_abroad=checked(willing_to_go_abroad),
        summary=summary,
    )
    return _edit(request, session, principal, profile_id, "wish", lambda: pe.set_wish(
        session, principal, profile_id=profile_id, wish=wish))  # fmt: skip


@router.post("/matching/profiles/{profile_id}/consent")
def set_consent(
    request: Request,
    profile_id: int,
    session: SessionDep,
    principal: PrincipalDep,
    visible: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    return _edit(request, session, principal, profile_id, "consent", lambda: pe.set_consent(
        session, principal, profile_id=profile_id, visible_to_employers=checked(visible)))  # fmt: skip


@router.post("/matching/profiles/{profile_id}/ranking")
def set_ranking(
    request: Request,
    profile_id: int,
    session: SessionDep,
    principal: PrincipalDep,
    opt_out: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    return _edit(request, session, principal, profile_id, "ranking", lambda: pe.set_ranking_opt_out(
        session, principal, profile_id=profile_id, opt_out=checked(opt_out)))  # fmt: skip


# --- résumés ------------------------------------------------------------------------------


@router.post("/matching/profiles/{profile_id}/resume")
async def upload_resume(
    request: Request,
    profile_id: int,
    session: SessionDep,
    principal: PrincipalDep,
    settings: SettingsDep,
    file: Annotated[UploadFile, File(description="PDF, DOCX or plain text")],
) -> Response:
    data = await file.read(settings.max_upload_bytes + 1)  # one byte over: "too large"
    upload = UploadedResume(file_name=file.filename or "resume", data=data)
    try:
        parse_resume(session, principal, profile_id, upload, settings=settings)
    except ResumeFileError as error:
        session.rollback()
        problem = pe.ProfileInputError("file", str(error))
        return render_profile(
            request, session, principal, profile_id, status_code=400, error=problem
        )
    return back(_profile_url(profile_id), saved="resume")


@router.post("/matching/profiles/{profile_id}/suggestions/{suggestion_id}")
def decide_suggestion(
    request: Request,
    profile_id: int,
    suggestion_id: int,
    session: SessionDep,
    principal: PrincipalDep,
    accept: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    return _edit(request, session, principal, profile_id, "suggestion", lambda: decide(
        session, principal, suggestion_id, checked(accept)))  # fmt: skip
