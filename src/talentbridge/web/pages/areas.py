"""Home and the area pages. Each area shows what the store already holds for it and
says honestly that the full capability arrives later."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.responses import RedirectResponse, Response

from talentbridge.accounts.directory import get_organization
from talentbridge.accounts.policy import Principal
from talentbridge.web.deps import CurrentUser, SessionDep, require_area
from talentbridge.web.rendering import render

router = APIRouter()


@router.get("/", name="home")
def home(request: Request, user: CurrentUser, session: SessionDep) -> Response:
    org = get_organization(session, user.organization_id) if user.organization_id else None
    return render(request, "home.html", user=user, organization=org)


@router.get("/libraries", name="libraries")
def libraries(
    request: Request,
    _p: Annotated[Principal, Depends(require_area("libraries"))],
) -> Response:
    """The libraries area lives at ``/library`` (issue 7); the old address still works."""
    query = f"?{request.url.query}" if request.url.query else ""
    return RedirectResponse(f"/library{query}", status_code=307)
