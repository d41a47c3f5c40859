"""The admin area: organizations, users of the viewer's scope, reference counts,
import runs and a plotly chart of enrollment by year."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from talentbridge.accounts.directory import (
    count_majors_by_level,
    count_occupations,
    enrollment_by_year,
    list_import_runs,
    list_organizations,
)
from talentbridge.accounts.policy import Principal, can_view_import_runs
from talentbridge.accounts.roles import Role
from talentbridge.accounts.users import list_users
from talentbridge.web.deps import SessionDep, require_area
from talentbridge.web.i18n import load_catalogs, translator
from talentbridge.web.pages.charts import enrollment_figure
from talentbridge.web.rendering import current_viewer, render, request_locale

router = APIRouter()


@router.get("/admin", name="admin")
def admin(
    request: Request,
    session: SessionDep,
    principal: Annotated[Principal, Depends(require_area("admin"))],
) -> Response:
    organizations = list_organizations(session)
    lang = request_locale(request, current_viewer(request))
    org_names = {
        o.id: (o.name_en if lang == "en" and o.name_en else o.name_zh) for o in organizations
    }
    own_college = principal.organization_id if principal.role is Role.COLLEGE_ADMIN else None
    rows = enrollment_by_year(session, organization_id=own_college)
    return render(
        request,
        "areas/admin.html",
        organizations=organizations,
        org_names=org_names,
        users=list_users(session, viewer=principal),
        majors_by_level=count_majors_by_level(session),
        occupation_count=count_occupations(session),
        import_runs=list_import_runs(session) if can_view_import_runs(principal) else [],
        figure=enrollment_figure(rows, translator(load_catalogs(), lang)),
    )
