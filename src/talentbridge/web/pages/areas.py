"""Home and the area pages. Each area shows what the store already holds for it and
says honestly that the full capability arrives later."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from talentbridge.accounts.directory import (
    cohort_totals_by_major,
    get_organization,
)
from talentbridge.accounts.policy import Principal, can_list_profiles
from talentbridge.accounts.profiles_query import (
    count_visible_profiles,
    profile_counts_by_year,
    visible_profiles,
)
from talentbridge.accounts.roles import Role
from talentbridge.web.deps import CurrentUser, SessionDep, SettingsDep, require_area
from talentbridge.web.rendering import render

router = APIRouter()


@router.get("/", name="home")
def home(request: Request, user: CurrentUser, session: SessionDep) -> Response:
    org = get_organization(session, user.organization_id) if user.organization_id else None
    return render(request, "home.html", user=user, organization=org)


_HEADINGS = {
    Role.STUDENT: "own_profile",
    Role.RECRUITER: "consenting_candidates",
    Role.PLATFORM_ADMIN: "all_profiles",
}


@router.get("/matching", name="matching")
def matching(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    principal: Annotated[Principal, Depends(require_area("matching"))],
) -> Response:
    if not can_list_profiles(principal):
        counts = profile_counts_by_year(session, threshold=settings.small_cell_threshold)
        return render(
            request,
            "areas/matching.html",
            counts_only=True,
            counts=counts,
            threshold=settings.small_cell_threshold,
        )
    return render(
        request,
        "areas/matching.html",
        counts_only=False,
        heading=_HEADINGS.get(principal.role, "own_students"),
        profiles=visible_profiles(session, principal),
        total=count_visible_profiles(session, principal),
    )


@router.get("/outcomes", name="outcomes")
def outcomes(
    request: Request,
    session: SessionDep,
    principal: Annotated[Principal, Depends(require_area("outcomes"))],
) -> Response:
    sections = []
    if principal.role in (Role.COLLEGE_ADMIN, Role.TEACHER) and principal.organization_id:
        own = cohort_totals_by_major(session, organization_id=principal.organization_id)
        sections.append({"heading": "own_college", "rows": own})
    sections.append({"heading": "all_colleges", "rows": cohort_totals_by_major(session)})
    return render(request, "areas/outcomes.html", sections=sections)


@router.get("/libraries", name="libraries")
def libraries(
    request: Request,
    _p: Annotated[Principal, Depends(require_area("libraries"))],
) -> Response:
    return render(request, "areas/libraries.html")
