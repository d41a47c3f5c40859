"""Reference data: organizations, majors, occupations (read-only)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from talentbridge.accounts.directory import list_majors, list_occupations, list_organizations
from talentbridge.web.api.schemas import MajorOut, OccupationOut, OrganizationOut
from talentbridge.web.deps import CurrentUser, SessionDep

router = APIRouter(tags=["registry"])

Level = Literal["secondary", "associate", "bachelor"]
Kind = Literal["college", "enterprise", "association", "authority"]


@router.get("/organizations", response_model=list[OrganizationOut], summary="Organizations")
def organizations(
    _user: CurrentUser, session: SessionDep, kind: Kind | None = None
) -> list[OrganizationOut]:
    return [OrganizationOut.model_validate(o) for o in list_organizations(session, kind=kind)]


@router.get("/majors", response_model=list[MajorOut], summary="Majors of the MOE catalog")
def majors(
    _user: CurrentUser,
    session: SessionDep,
    level: Level | None = None,
    q: Annotated[str | None, Query(max_length=50, description="code or name contains")] = None,
    limit: Annotated[int, Query(ge=1, le=2000)] = 500,
) -> list[MajorOut]:
    rows = list_majors(session, level=level, q=q, limit=limit)
    return [MajorOut.model_validate(m) for m in rows]


@router.get("/occupations", response_model=list[OccupationOut], summary="Occupations")
def occupations(_user: CurrentUser, session: SessionDep) -> list[OccupationOut]:
    return [OccupationOut.model_validate(o) for o in list_occupations(session)]
