"""The signed-in user and their API tokens."""

from __future__ import annotations

from fastapi import APIRouter

from talentbridge.accounts.directory import get_organization
from talentbridge.accounts.tokens import issue_token
from talentbridge.web.api.schemas import MeOut, OrganizationOut, TokenIn, TokenOut
from talentbridge.web.deps import CurrentUser, SessionDep

router = APIRouter(tags=["account"])


@router.get("/me", response_model=MeOut, summary="Who you are")
def me(user: CurrentUser, session: SessionDep) -> MeOut:
    org = get_organization(session, user.organization_id) if user.organization_id else None
    return MeOut(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=user.role,
        locale=user.locale,
        organization=OrganizationOut.model_validate(org) if org is not None else None,
    )


@router.post(
    "/tokens",
    response_model=TokenOut,
    status_code=201,
    summary="Issue an API token for yourself (shown once)",
)
def create_token(body: TokenIn, user: CurrentUser, session: SessionDep) -> TokenOut:
    token = issue_token(session, user_id=user.id, name=body.name)
    return TokenOut(token=token, name=body.name)
