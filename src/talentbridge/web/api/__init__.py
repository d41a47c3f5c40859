"""JSON API routers under ``/api/v1`` (and the root ``/health``)."""

from __future__ import annotations

from fastapi import APIRouter

from talentbridge.web.api import admin, docs, health, me, profiles, registry

router = APIRouter()
router.include_router(health.router)
router.include_router(me.router)
router.include_router(registry.router)
router.include_router(profiles.router)
router.include_router(admin.router)
router.include_router(docs.router)

health_router = health.outer_router

__all__ = ["health_router", "router"]
