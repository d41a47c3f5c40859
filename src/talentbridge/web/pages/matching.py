"""The matching hub (``/matching``): links to every matching page the viewer may use,
the viewer's own postings (recruiters), and the profiles they may see (aggregates
only for analysts)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from talentbridge.accounts.policy import (
    Principal,
    can_list_profiles,
    can_use_posting_form,
    can_view_fairness_audit,
    fairness_audit_college,
)
from talentbridge.accounts.profiles_query import (
    count_visible_profiles,
    profile_counts_by_year,
    visible_profiles,
)
from talentbridge.accounts.roles import Role
from talentbridge.pipeline import posting_queries as pq
from talentbridge.web.deps import SessionDep, SettingsDep, require_area
from talentbridge.web.pages import (
    matching_apps,
    matching_fair_forms,
    matching_fairs,
    matching_jobs,
    matching_profile,
    matching_recruit,
)
from talentbridge.web.rendering import render

router = APIRouter()

MatchingArea = Annotated[Principal, Depends(require_area("matching"))]

_HEADINGS = {
    Role.STUDENT: "own_profile",
    Role.RECRUITER: "consenting_candidates",
    Role.PLATFORM_ADMIN: "all_profiles",
}
HUB_POSTINGS = 50


def hub_links(principal: Principal) -> list[str]:
    """Which matching pages the hub links for this principal (keys of ``matching.hub``)."""
    role = principal.role
    links: list[str] = []
    if role is Role.STUDENT:
        links += ["profile", "jobs", "applications"]
    if role is not Role.ANALYST:  # fairs are public events; their people are not
        links.append("fairs")
    if can_view_fairness_audit(principal, college_id=fairness_audit_college(principal)):
        links.append("fairness")
    return links


@router.get("/matching", name="matching")
def matching(
    request: Request, session: SessionDep, settings: SettingsDep, principal: MatchingArea
) -> Response:
    links = hub_links(principal)
    postings = (
        pq.list_postings(session, organization_id=principal.organization_id, limit=HUB_POSTINGS)
        if principal.role is Role.RECRUITER
        and principal.organization_id is not None
        and can_use_posting_form(principal)
        else []
    )
    if not can_list_profiles(principal):
        counts = profile_counts_by_year(session, threshold=settings.small_cell_threshold)
        return render(
            request,
            "areas/matching.html",
            links=links,
            postings=postings,
            counts_only=True,
            counts=counts,
            threshold=settings.small_cell_threshold,
        )
    return render(
        request,
        "areas/matching.html",
        links=links,
        postings=postings,
        counts_only=False,
        heading=_HEADINGS.get(principal.role, "own_students"),
        profiles=visible_profiles(session, principal),
        total=count_visible_profiles(session, principal),
        staff=principal.role in (Role.COLLEGE_ADMIN, Role.TEACHER, Role.PLATFORM_ADMIN),
    )


ROUTERS: tuple[APIRouter, ...] = (
    router,
    matching_profile.router,
    matching_jobs.router,
    matching_apps.router,
    matching_recruit.router,
    matching_fairs.router,
    matching_fair_forms.router,
)
"""Every matching page router, in the order ``web.app`` includes them."""
