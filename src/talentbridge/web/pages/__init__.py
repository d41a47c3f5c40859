"""HTML pages. Every router here is included with the CSRF check (see ``web.app``)."""

from __future__ import annotations

from fastapi import APIRouter

from talentbridge.web.pages import admin, areas, auth

router = APIRouter(include_in_schema=False)
router.include_router(auth.router)
router.include_router(areas.router)
router.include_router(admin.router)

__all__ = ["router"]
