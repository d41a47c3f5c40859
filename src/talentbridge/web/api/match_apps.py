"""Applications, invitations and pipelines in the JSON API (``/api/v1/match/…``).

Students apply, withdraw and answer invitations for their own profile; a posting's
recruiters invite candidates they may see and move applications along
(applied → screened → interview → offer → hired, or declined); every step is
timestamped. The services apply ``accounts.policy`` (404 for what one may not see,
403 for what one may see but not do, 409 for an illegal move).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy.orm import Session

from talentbridge.errors import NotFound
from talentbridge.matching import applications as apps
from talentbridge.matching.application_queries import (
    ApplicationList,
    application_detail,
    applications_of_profile,
    pipeline_for_organization,
)
from talentbridge.matching.fair_applications import (
    FairPlan,
    fair_plans_of_profile,
    fair_slots_for,
)
from talentbridge.matching.invitations import accept_invitation, decline_invitation, invite
from talentbridge.matching.listing import own_profile_id, ranker_of, recruited_posting
from talentbridge.web.api.match_schemas import (
    ApplicationDetailOut,
    ApplicationListOut,
    ApplicationOut,
    ApplyIn,
    EventOut,
    FairPlanOut,
    FairSlotOut,
    InvitationOut,
    InviteIn,
    StageIn,
)
from talentbridge.web.deps import PrincipalDep, SessionDep, SettingsDep

router = APIRouter(prefix="/match", tags=["matching"])


def _list(
    session: Session, found: ApplicationList, plans: list[FairPlan] | None = None
) -> ApplicationListOut:
    slots = fair_slots_for(session, [(a.profile_id, a.posting_id) for a in found.applications])
    applications = []
    for a in found.applications:
        out = ApplicationOut.model_validate(a)
        out.fair_interviews = [
            FairSlotOut.model_validate(x) for x in slots.get((a.profile_id, a.posting_id), [])
        ]
        applications.append(out)
    return ApplicationListOut(
        counts=found.counts,
        applications=applications,
        invitations=[InvitationOut.model_validate(i) for i in found.invitations],
        fairs=[FairPlanOut.model_validate(p) for p in plans or []],
    )


def _detail(
    session: SessionDep, principal: PrincipalDep, application_id: int
) -> ApplicationDetailOut:
    d = application_detail(session, principal, application_id=application_id)
    return ApplicationDetailOut(
        application=ApplicationOut.model_validate(d.application),
        events=[EventOut.model_validate(e) for e in d.events],
        next_stage=d.next_stage,
    )


@router.get("/applications", response_model=ApplicationListOut, summary="A profile's applications")
def list_applications(
    principal: PrincipalDep,
    session: SessionDep,
    profile_id: Annotated[int | None, Query(description="default: your own profile")] = None,
) -> ApplicationListOut:
    """A student's own, their college's staff's view of a student, and a recruiter's
    view of the applications to their organization."""
    target = profile_id if profile_id is not None else own_profile_id(session, principal)
    found = applications_of_profile(session, principal, profile_id=target)
    try:
        plans = fair_plans_of_profile(session, principal, profile_id=target)
    except NotFound:  # a recruiter: fair interviews only beside their applications
        plans = []
    return _list(session, found, plans)


@router.post("/applications", response_model=ApplicationDetailOut, summary="Apply to a posting")
def post_application(
    body: ApplyIn, principal: PrincipalDep, session: SessionDep, settings: SettingsDep
) -> ApplicationDetailOut:
    profile_id = (
        body.profile_id if body.profile_id is not None else own_profile_id(session, principal)
    )
    application = apps.apply(
        session,
        principal,
        profile_id=profile_id,
        posting_id=body.posting_id,
        position=body.position,
        score=body.score,
        ranker=ranker_of(session, settings)[0],
    )
    return _detail(session, principal, application.id)


@router.get(
    "/applications/{application_id}",
    response_model=ApplicationDetailOut,
    summary="One application and its timestamped steps",
)
def get_application(
    application_id: int, principal: PrincipalDep, session: SessionDep
) -> ApplicationDetailOut:
    return _detail(session, principal, application_id)


@router.post(
    "/applications/{application_id}/stage",
    response_model=ApplicationDetailOut,
    summary="Move an application on (employer)",
)
def post_stage(
    application_id: int, body: StageIn, principal: PrincipalDep, session: SessionDep
) -> ApplicationDetailOut:
    apps.move(session, principal, application_id=application_id, to_stage=body.to_stage,
              note=body.note)  # fmt: skip
    return _detail(session, principal, application_id)


@router.post(
    "/applications/{application_id}/withdraw",
    response_model=ApplicationDetailOut,
    summary="Withdraw an application (student)",
)
def post_withdraw(
    application_id: int, principal: PrincipalDep, session: SessionDep
) -> ApplicationDetailOut:
    apps.withdraw(session, principal, application_id=application_id)
    return _detail(session, principal, application_id)


@router.post("/invitations", response_model=InvitationOut, summary="Invite a candidate to apply")
def post_invitation(
    body: InviteIn, principal: PrincipalDep, session: SessionDep, settings: SettingsDep
) -> InvitationOut:
    found = invite(
        session,
        principal,
        profile_id=body.profile_id,
        posting_id=body.posting_id,
        position=body.position,
        score=body.score,
        ranker=ranker_of(session, settings)[0],
    )
    return InvitationOut.model_validate(found)


@router.post(
    "/invitations/{invitation_id}/accept",
    response_model=ApplicationDetailOut,
    summary="Accept an invitation (student): an application",
)
def post_accept(
    invitation_id: int, principal: PrincipalDep, session: SessionDep
) -> ApplicationDetailOut:
    application = accept_invitation(session, principal, invitation_id=invitation_id)
    return _detail(session, principal, application.id)


@router.post(
    "/invitations/{invitation_id}/decline",
    response_model=InvitationOut,
    summary="Decline an invitation (student)",
)
def post_decline(invitation_id: int, principal: PrincipalDep, session: SessionDep) -> InvitationOut:
    return InvitationOut.model_validate(
        decline_invitation(session, principal, invitation_id=invitation_id)
    )


@router.get(
    "/pipeline", response_model=ApplicationListOut, summary="A posting's pipeline (employer)"
)
def get_pipeline(
    principal: PrincipalDep,
    session: SessionDep,
    posting_id: int,
    stage: Annotated[str | None, Query(max_length=12)] = None,
) -> ApplicationListOut:
    posting = recruited_posting(session, principal, posting_id)
    found = pipeline_for_organization(session, principal, posting_id=posting.id, stage=stage)
    return _list(session, found)
