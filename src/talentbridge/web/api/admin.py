"""Administration reads: import runs."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from talentbridge.accounts.directory import list_import_runs
from talentbridge.accounts.roles import ADMIN_ROLES
from talentbridge.store.tables import User
from talentbridge.web.api.schemas import ImportRunOut
from talentbridge.web.deps import SessionDep, require_roles

router = APIRouter(tags=["admin"])


@router.get("/import-runs", response_model=list[ImportRunOut], summary="Recent import runs")
def import_runs(
    _user: Annotated[User, Depends(require_roles(*ADMIN_ROLES))],
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> list[ImportRunOut]:
    return [ImportRunOut.model_validate(r) for r in list_import_runs(session, limit=limit)]
