"""``GET /health`` and ``GET /api/v1/health``: store reachable, schema revision."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import Engine

from talentbridge import __version__
from talentbridge.store.migrate import current_revision, head_revision
from talentbridge.web.api.schemas import HealthOut

router = APIRouter(tags=["health"])


def health_of(engine: Engine) -> HealthOut:
    head = head_revision(engine)
    try:
        revision = current_revision(engine)
    except Exception:
        return HealthOut(
            status="error",
            store="unreachable",
            schema_revision=None,
            schema_head=head,
            schema_up_to_date=False,
            version=__version__,
        )
    return HealthOut(
        status="ok" if revision == head else "degraded",
        store="ok",
        schema_revision=revision,
        schema_head=head,
        schema_up_to_date=revision == head,
        version=__version__,
    )


def _answer(request: Request) -> JSONResponse:
    health = health_of(request.app.state.engine)
    status = 200 if health.status == "ok" else 503
    return JSONResponse(health.model_dump(), status_code=status)


@router.get("/health", response_model=HealthOut, summary="Store status and schema revision")
def health(request: Request) -> JSONResponse:
    return _answer(request)


outer_router = APIRouter(include_in_schema=False)


@outer_router.get("/health")
def health_root(request: Request) -> JSONResponse:
    return _answer(request)
