"""Probes for a process manager or load balancer, and the API's store status.

- ``GET /health``: liveness. The process is up and answers; cheap, touches no store
  (a store outage must not get every worker restarted).
- ``GET /ready``: readiness. The store answers and its schema is at the newest
  revision: 200, otherwise 503 (take the worker out of rotation, run ``talentbridge init``).
- ``GET /api/v1/health``: the readiness answer in the API (documented in the schema).
"""

from __future__ import annotations

import os

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
def liveness() -> JSONResponse:
    return JSONResponse({"status": "ok", "version": __version__, "pid": os.getpid()})


@outer_router.get("/ready")
def readiness(request: Request) -> JSONResponse:
    return _answer(request)
