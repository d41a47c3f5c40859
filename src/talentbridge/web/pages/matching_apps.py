"""Applications: "我的投递 / My applications" (a student's applications, where each
stands, invitations to answer, and their job fairs: assignment and interview times),
one application's timestamped history, and the student's own moves (withdraw, accept
or decline an invitation).

Reads are ``matching.application_queries`` and changes ``matching.applications`` /
``matching.invitations``; both apply ``accounts.policy``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from talentbridge.accounts.policy import Principal
from talentbridge.matching import applications as apps
from talentbridge.matching.application_queries import application_detail, applications_of_profile
from talentbridge.matching.fair_applications import fair_plans_of_profile, fair_slots_for
from talentbridge.matching.invitations import accept_invitation, decline_invitation
from talentbridge.matching.listing import own_profile_id
from talentbridge.web.deps import PrincipalDep, SessionDep, require_area
from talentbridge.web.pages.matching_common import back
from talentbridge.web.rendering import render

router = APIRouter()

MatchingArea = Annotated[Principal, Depends(require_area("matching"))]
MINE = "/matching/applications"


@router.get(MINE, name="matching_applications")
def my_applications(request: Request, session: SessionDep, principal: MatchingArea) -> Response:
    profile_id = own_profile_id(session, principal)
    found = applications_of_profile(session, principal, profile_id=profile_id)
    return render(
        request,
        "matching/applications.html",
        listing=found,
        plans=fair_plans_of_profile(session, principal, profile_id=profile_id),
        fair_slots=fair_slots_for(
            session, [(a.profile_id, a.posting_id) for a in found.applications]
        ),
        pending=[i for i in found.invitations if i.status == "pending"],
        stages=apps.STAGES,
        open_stages=apps.OPEN_STAGES,
        notice=request.query_params.get("saved"),
    )


@router.get("/matching/applications/{application_id}", name="matching_application")
def application_page(
    request: Request, application_id: int, session: SessionDep, principal: MatchingArea
) -> Response:
    detail = application_detail(session, principal, application_id=application_id)
    return render(request, "matching/application.html", d=detail, a=detail.application)


@router.post("/matching/applications/{application_id}/withdraw")
def withdraw(application_id: int, session: SessionDep, principal: PrincipalDep) -> Response:
    apps.withdraw(session, principal, application_id=application_id)
    return back(MINE, saved="withdrawn")


@router.post("/matching/invitations/{invitation_id}/accept")
def accept(invitation_id: int, session: SessionDep, principal: PrincipalDep) -> Response:
    accept_invitation(session, principal, invitation_id=invitation_id)
    return back(MINE, saved="accepted")


@router.post("/matching/invitations/{invitation_id}/decline")
def decline(invitation_id: int, session: SessionDep, principal: PrincipalDep) -> Response:
    decline_invitation(session, principal, invitation_id=invitation_id)
    return back(MINE, saved="declined")
