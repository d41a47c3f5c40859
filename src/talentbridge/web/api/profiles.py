"""Profiles (persons) through the access policy: 403 for roles that may list no one,
404 for a single profile the viewer may not see (whether it exists or not)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from talentbridge.accounts.policy import can_list_profiles
from talentbridge.accounts.profiles_query import get_visible_profile, visible_profiles
from talentbridge.errors import Forbidden
from talentbridge.web.api.schemas import ProfileOut
from talentbridge.web.deps import PrincipalDep, SessionDep

router = APIRouter(tags=["profiles"])


@router.get("/profiles", response_model=list[ProfileOut], summary="Profiles you may see")
def profiles(
    principal: PrincipalDep,
    session: SessionDep,
    graduation_year: int | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[ProfileOut]:
    if not can_list_profiles(principal):
        raise Forbidden("your role sees aggregates only, never a person")
    rows = visible_profiles(
        session, principal, graduation_year=graduation_year, limit=limit, offset=offset
    )
    return [ProfileOut.model_validate(v) for v in rows]


@router.get("/profiles/{profile_id}", response_model=ProfileOut, summary="One profile")
def profile(profile_id: int, principal: PrincipalDep, session: SessionDep) -> ProfileOut:
    return ProfileOut.model_validate(get_visible_profile(session, principal, profile_id))
